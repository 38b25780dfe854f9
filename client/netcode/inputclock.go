// inputclock.go — when the local player's inputs are made: the input
// clock, which ticks at the server's tick rate, a few percent fast or slow
// so that the inputs arrive about a tick before the server needs them
// (time dilation). client.go's Inputs asks it how many inputs are due, and
// feeds it every snapshot's input_lead; predict.go numbers what it makes.

package netcode

import (
	"math"
	"time"
)

// Tuning of the input clock.
const (
	// targetLead is the input lead, in ticks, the clock steers to: the
	// trough of the input_lead the server reports, the mean of its least
	// in each of the last leadBuckets buckets of leadBucketTicks ticks
	// (about half a second; a bucket spans two frames of a game drawing
	// fewer than 7.5 a second, so that each holds a trough of its bursts). At 1 an input waits one to two ticks in the
	// server's queue at the worst moment of a bucket: a tick of margin over
	// the link's jitter and the client's own bursts.
	targetLead      = 1
	leadBucketTicks = 8
	leadBuckets     = 4
	// sendGapGain weighs one gap between two calls that made inputs in
	// their running mean.
	sendGapGain = 1.0 / 8
	// dilationGain is how much faster (or slower) than the tick rate the
	// clock runs per tick the trough is short of the target (or over it);
	// maxDilation caps it. At the cap a surplus of six ticks goes in about
	// two seconds, and nobody sees a player walk 5 % faster for that long.
	dilationGain = 0.02
	maxDilation  = 0.05
	// maxBacklog is, in ticks, how far behind the clock may fall and still
	// make up the inputs it owes, a call at a time: a frame of up to a
	// quarter second, whose updates (Ebiten runs up to five) each make
	// pb.MaxInputs. Beyond it (a hidden tab, a long stall) the rest are not
	// made, and the server stands in for them; the server's queue (32)
	// holds a backlog and the lead on top.
	maxBacklog = 16
)

// inputClock says when inputs are due. Times are float64 nanoseconds since
// epoch, the first call.
type inputClock struct {
	tickNs   float64
	started  bool
	epoch    time.Time
	next     float64 // when the next input is due
	dilation float64 // the clock runs at (1 + dilation) times the tick rate

	// The caller's rhythm: when inputs were last made, and the running
	// mean of the time between two calls that made some (a frame, for a
	// game), which sets how long a bucket of leads must be to hold one of
	// the troughs its bursts leave.
	madeAt, sendGap float64

	lead   int32              // the newest input_lead reported
	trough float64            // mean of mins
	mins   [leadBuckets]int32 // the least of the last closed buckets, oldest overwritten first
	closed int                // buckets closed so far
	from   uint32             // the tick the open bucket began at
	least  int32              // the least in the open bucket
	heard  bool               // a report has come
}

func newInputClock(tickRate int) inputClock {
	return inputClock{tickNs: float64(time.Second) / float64(tickRate)}
}

// due returns how many inputs are due at now, at most limit (the rest are
// due at the next call), and moves the clock past them. The first call
// starts the clock and makes none, nor do others at the same time; the
// next makes those due since, and targetLead more, so that the server
// holds its margin from the first input on, whatever the caller's rhythm
// (a 20 fps game sends three at a time). A clock more than maxBacklog
// inputs behind drops the rest: the server stands in for them, and the
// lead it reports speeds the clock up.
//
// The first overdue of them are so late that they will arrive after their
// slots (later than the caller's usual frame, by more than the lead the
// server holds): the server stands them in with the input before, so the
// Client makes them as that input again, which the server then applies or
// stands in alike, and the new wish takes over from the first in time.
func (k *inputClock) due(now time.Time, limit int) (n, overdue int) {
	if !k.started {
		k.started, k.epoch = true, now
		k.next = (1 - targetLead) * k.tickNs
		return 0, 0
	}
	at := float64(now.Sub(k.epoch))
	if at <= 0 {
		return 0, 0 // another update of the first frame
	}
	period := k.tickNs / (1 + k.dilation)
	if behind := at - k.next; behind > maxBacklog*period {
		k.next = at - maxBacklog*period
	}
	late := k.sendGap + max(k.trough, 0)*k.tickNs
	for k.next <= at && n < limit {
		if n == overdue && at-k.next > late && k.closed > 0 {
			overdue++
		}
		n++
		k.next += period
	}
	if n > 0 && at > k.madeAt {
		if k.madeAt > 0 {
			k.sendGap += sendGapGain * (at - k.madeAt - k.sendGap)
		}
		k.madeAt = at
	}
	return n, overdue
}

// bucketTicks is how many ticks a bucket of leads spans: leadBucketTicks,
// or two of the caller's frames if longer (below 7.5 fps).
func (k *inputClock) bucketTicks() uint32 {
	return max(leadBucketTicks, uint32(math.Ceil(2*k.sendGap/k.tickNs)))
}

// report takes the input_lead of the snapshot of tick. Each bucket that
// closes steers the clock: faster when the trough is short of targetLead,
// slower when over it, dilationGain per tick, within maxDilation. Buckets
// no snapshot reached count for nothing; until four have closed, the
// trough is over those that have.
func (k *inputClock) report(tick uint32, lead int32) {
	k.lead = lead
	switch {
	case !k.heard:
		k.heard, k.from, k.least = true, tick, lead
		return
	case tick-k.from < k.bucketTicks():
		k.least = min(k.least, lead)
		return
	}
	k.mins[k.closed%leadBuckets] = k.least
	k.closed++
	k.from, k.least = tick, lead
	n := min(k.closed, leadBuckets)
	sum := int32(0)
	for _, m := range k.mins[:n] {
		sum += m
	}
	k.trough = float64(sum) / float64(n)
	k.dilation = min(max(-dilationGain*(k.trough-targetLead), -maxDilation), maxDilation)
}
