// timing.go — when a bot's snapshots arrive: the gap since the previous
// one, how late each is against the server's tick schedule, and the round
// trip of pings. bot.go records on the read goroutine; a swarm
// (collect.go) takes the samples once a second into its histograms.

package bots

import "time"

// epoch is the origin of the bots' monotonic clock.
var epoch = time.Now()

// sinceEpoch reads the monotonic clock.
func sinceEpoch() time.Duration { return time.Since(epoch) }

// maxSamples bounds each kind of sample a bot keeps until they are taken:
// a swarm takes them every second (about 60); a bot nobody takes them
// from stops recording there.
const maxSamples = 1024

// timing is a bot's arrival record since the samples were last taken.
// Lateness needs no clock shared with the server: a room's tick t is due
// at start + t·period, so arrival − t·period is the same for every
// snapshot that arrives on time, and more for a late one. The least value
// seen stands for "on time"; each snapshot's lateness is its excess over
// it.
type timing struct {
	period time.Duration // between ticks
	last   time.Duration // arrival of the previous snapshot; 0: none yet
	onTime time.Duration // least arrival − tick·period seen

	gaps, late, rtt []time.Duration
}

// arrived records a snapshot of tick that arrived at now.
func (t *timing) arrived(now time.Duration, tick uint32) {
	d := now - time.Duration(tick)*t.period
	if t.last == 0 {
		t.last, t.onTime = now, d
		return
	}
	gap := now - t.last
	t.last = now
	t.onTime = min(t.onTime, d)
	if len(t.gaps) < maxSamples {
		t.gaps = append(t.gaps, gap)
		t.late = append(t.late, d-t.onTime)
	}
}

// roundTrip records a ping's round trip.
func (t *timing) roundTrip(d time.Duration) {
	if len(t.rtt) < maxSamples {
		t.rtt = append(t.rtt, d)
	}
}

// takeInto records the samples into the histograms and forgets them.
func (t *timing) takeInto(gaps, late, rtt *Histogram) {
	for _, d := range t.gaps {
		gaps.Record(d)
	}
	for _, d := range t.late {
		late.Record(d)
	}
	for _, d := range t.rtt {
		rtt.Record(d)
	}
	t.gaps, t.late, t.rtt = t.gaps[:0], t.late[:0], t.rtt[:0]
}
