// inputclock.go — when the local player's inputs are made: the input
// clock, which ticks at the server's tick rate, a few percent fast or slow
// so that the inputs arrive just before the server needs them, with the
// margin the link's jitter and the client's own bursts have shown they
// need (time dilation). client.go's Inputs asks it how many inputs are
// due, and feeds it every snapshot's input_lead; predict.go numbers what
// it makes.

package netcode

import (
	"math"
	"time"
)

// Tuning of the input clock.
const (
	// targetLead is the least input lead, in ticks, the clock steers to:
	// −1, now and then a tick's input came after its slot, a tick late at
	// most, and amended it (simwire.Slots amends up to MaxAmendBack, two,
	// ticks back). An input is acked by the first snapshot after it
	// arrives whether it came in time or amended its slot, so an input
	// clock that keeps every input in time holds some of them through a
	// tick for nothing; only the inputs that wait in the queue through a
	// tick (lead 1 and over) cost input delay, and only a drop (three ticks
	// late) costs a move. The lead is read in buckets of leadBucketTicks
	// ticks (a bucket spans two frames of a game drawing fewer than 7.5 a
	// second, so that each holds a trough of its bursts), each keeping its
	// least lead and its mean. The trough is the mean of the last
	// leadBuckets leasts (about half a second): short of the target (inputs
	// two ticks late), or a bucket that saw one, and the clock runs fast.
	// The floor is the least of the last floorBuckets (about two seconds):
	// the clock gives up a tick of lead (runs slow) only while the floor is
	// over the target, when every input of the last two seconds would still
	// have come at most a tick late a tick later, and inputs waited in the
	// queue (a mean lead over the trough's buckets waitingLead more than
	// the caller's bursts make: a frame's b inputs keep (b−1)/2 waiting
	// however they are timed, and a clock whose inputs all come just in
	// time loses nothing by keeping them so), and at once when the trough
	// is more than a tick over 0 (a surplus). So the lead keeps the margin the link's jitter
	// and the caller's frames have needed lately, and no more: on a clean
	// link an input waits less than a tick after it arrives.
	targetLead      = -1
	waitingLead     = 0.5
	leadBucketTicks = 8
	leadBuckets     = 4
	floorBuckets    = 16
	// sendGapGain weighs one gap between two calls that made inputs in
	// their running mean.
	sendGapGain = 1.0 / 8
	// dilationGain is how much faster (or slower) than the tick rate the
	// clock runs per tick the trough is short of the target (or the lead
	// is over it); maxDilation caps it. At the cap a surplus of six ticks
	// goes in about two seconds, and nobody sees a player walk 5 % faster
	// for that long.
	dilationGain = 0.02
	maxDilation  = 0.05
	// maxBacklog is, in ticks, how far behind the clock may fall and still
	// make up the inputs it owes, a call at a time: a frame of up to a
	// quarter second, whose updates (Ebiten runs up to five) each make
	// pb.MaxInputs. Beyond it (a hidden tab, a long stall) the rest are not
	// made, and the server stands in for them; the server's queue (32)
	// holds a backlog and the lead on top.
	maxBacklog = 16
	// stallGaps is how many times longer than the mean gap between two
	// calls that made inputs a call must come to be a stall of the
	// caller's own (excuse): a busy page, not the jitter of its frames,
	// which the lead covers.
	stallGaps = 2
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
	// game; the first gap as it is), which sets how long a bucket of leads
	// must be to hold one of the troughs its bursts leave, and how late an
	// input may be made and still be in time.
	madeAt, sendGap float64
	stalled         bool // the last call that made inputs came after a stall (stalledAt)

	lead   int32                 // the newest input_lead reported
	trough float64               // mean of the last leadBuckets mins
	floor  int32                 // least of the last floorBuckets mins
	mins   [floorBuckets]int32   // the least of the last closed buckets, oldest overwritten first
	means  [floorBuckets]float64 // and their mean leads
	mean   float64               // the mean lead of the trough's buckets
	closed int                   // buckets closed so far
	from   uint32                // the tick the open bucket began at
	least  int32                 // the least in the open bucket
	sum, n int32                 // the sum and count of the leads in the open bucket
	heard  bool                  // a report has come
	// After the caller's own stall (excuse): giveBack while the spare
	// tick it left is to be given back; before, the floor before it; since,
	// the least of the buckets closed since.
	giveBack      bool
	before, since int32
}

func newInputClock(tickRate int) inputClock {
	return inputClock{tickNs: float64(time.Second) / float64(tickRate)}
}

// due returns how many inputs are due at now, at most limit (the rest are
// due at the next call), and moves the clock past them. The first call
// starts the clock and makes none, nor do others at the same time; the
// next makes those due since, whatever the caller's rhythm (a 20 fps game
// sends three at a time). The clock starts half a tick out
// of step with the first call, so that a caller calling at the tick rate
// makes one input a call even when a call comes a little early or late
// (in step, such a call makes none, and the next two). A clock more than
// maxBacklog inputs behind drops the rest: the server stands in for them,
// and the lead it reports speeds the clock up.
//
// The first overdue of them are so late that they will arrive after their
// slots (later than the caller's usual frame, by more than the lead the
// server holds): the server stands them in with the input before, so the
// Client makes them as that input again, which the server then applies or
// stands in alike, and the new wish takes over from the first in time.
func (k *inputClock) due(now time.Time, limit int) (n, overdue int) {
	if !k.started {
		k.started, k.epoch = true, now
		k.next = 0.5 * k.tickNs
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
		k.stalled = k.stalledAt(at)
		switch {
		case k.sendGap > 0:
			k.sendGap += sendGapGain * (at - k.madeAt - k.sendGap)
		case k.madeAt > 0:
			k.sendGap = at - k.madeAt
		}
		k.madeAt = at
	}
	return n, overdue
}

// stalledAt reports whether a call at at (since epoch) comes after a stall
// of the caller's own: more than stallGaps mean gaps after the last call
// that made inputs.
func (k *inputClock) stalledAt(at float64) bool {
	return k.sendGap > 0 && at-k.madeAt > stallGaps*k.sendGap
}

// stalling reports whether the caller, at now, is in a stall of its own:
// no call has made inputs for stallGaps mean gaps.
func (k *inputClock) stalling(now time.Time) bool {
	return k.started && k.stalledAt(float64(now.Sub(k.epoch)))
}

// bucketTicks is how many ticks a bucket of leads spans: leadBucketTicks,
// or two of the caller's frames if longer (below 7.5 fps).
func (k *inputClock) bucketTicks() uint32 {
	return max(leadBucketTicks, uint32(math.Ceil(2*k.sendGap/k.tickNs)))
}

// report takes the input_lead of the snapshot of tick. Each bucket that
// closes steers the clock: faster when the trough is short of targetLead
// or the bucket's least was, slower when the floor is over it and inputs
// waited, or the trough more than a tick over 0, dilationGain per tick,
// within maxDilation. Buckets no snapshot
// reached count for nothing; until enough have closed, the trough and the
// floor are over those that have.
func (k *inputClock) report(tick uint32, lead int32) {
	k.lead = lead
	switch {
	case !k.heard:
		k.heard, k.from, k.least, k.sum, k.n = true, tick, lead, lead, 1
		return
	case tick-k.from < k.bucketTicks():
		k.least = min(k.least, lead)
		k.sum += lead
		k.n++
		return
	}
	newest := k.least
	k.mins[k.closed%floorBuckets] = newest
	k.means[k.closed%floorBuckets] = float64(k.sum) / float64(k.n)
	k.closed++
	k.from, k.least, k.sum, k.n = tick, lead, lead, 1
	sum, mean, floor := int32(0), 0.0, newest
	for i := range min(k.closed, floorBuckets) {
		j := (k.closed - 1 - i) % floorBuckets
		if i < leadBuckets {
			sum += k.mins[j]
			mean += k.means[j]
		}
		floor = min(floor, k.mins[j])
	}
	recent := float64(min(k.closed, leadBuckets))
	k.trough, k.mean = float64(sum)/recent, mean/recent
	k.floor = floor
	over := k.trough - targetLead // short of the target: run fast
	if newest < targetLead {
		over = min(over, -1) // an input came two ticks late: at once, before one is dropped
	}
	if over >= 0 {
		release := 0.0
		// A caller that sends a burst of b inputs a frame keeps a mean
		// lead of (b−1)/2 with none waiting longer than the burst makes
		// it.
		burst := max(math.Round(k.sendGap/k.tickNs), 1)
		if floor > targetLead && k.mean >= waitingLead+(burst-1)/2 {
			release = float64(floor) - targetLead
		}
		over = max(release, k.trough-1, 0)
	}
	k.dilation = min(max(-dilationGain*over, -maxDilation), maxDilation)
	if k.giveBack {
		k.since = min(k.since, k.mins[(k.closed-1)%floorBuckets])
		if k.since > k.before {
			k.dilation = -maxDilation
		} else {
			k.giveBack = false
		}
	}
}

// excuse takes the place of report for a snapshot whose stand-ins the
// caller caused (Client.ownLate): its own frames came so late that the
// inputs could not arrive in time, whatever the lead. The server stood in
// with the input the caller then made again (due's overdue), so nobody saw
// it. A margin kept for such stalls would cost every input a tick or more
// between them and cover the next no better: so these leads do not make
// the clock run fast. And when the late inputs came, the server dropped
// them and fell a tick behind, leaving a spare tick of lead: the clock
// gives it back at maxDilation once the leads since the stall show it over
// the floor before it, not two seconds later. The bucket open at the
// stall is dropped: it spans it.
func (k *inputClock) excuse() {
	if !k.giveBack {
		// Back to the floor before it, but not below in time (0): the
		// spare tick is given back, not the target's tolerance of inputs
		// a tick late, which the stall says nothing about.
		k.giveBack, k.before, k.since = true, max(k.floor, 0), math.MaxInt32
	}
	k.heard = false
}
