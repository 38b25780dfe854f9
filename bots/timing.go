// timing.go — when a bot's snapshots arrive: the gap since the previous
// one, how late each is against the server's tick schedule, the round
// trip of pings (to their arrival, and as the HUD shows it), how long an
// input takes from being made to being acknowledged, and how long an own
// shot takes to be drawn (screen.go). bot.go records with each frame's
// arrival time, when the netcode takes it; a swarm (collect.go) takes the
// samples once a second into its histograms.

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

	madeAt [inputRing]time.Duration // when input seq s was made, at s % inputRing

	gaps, late, rtt, input []time.Duration
	hud, shot              []time.Duration // HUD round trips; own shots' latency
}

// inputRing is how many inputs' making times a bot remembers: an ack
// further behind than that is not measured.
const inputRing = 64

// made records that input seq was made at now.
func (t *timing) made(seq uint32, now time.Duration) { t.madeAt[seq%inputRing] = now }

// acked records that a snapshot arriving at now acknowledged input seq
// (the first snapshot to, with seq itself applied: a slot the server stood
// in for is acked by the snapshot after the input amends it): the input's
// delay, from being made to the player seeing the server apply it. Every input pays a round trip and a
// wait for the tick; one sent a tick after it was made (two to a frame)
// pays that tick too.
func (t *timing) acked(seq uint32, now time.Duration) {
	if at := t.madeAt[seq%inputRing]; at > 0 && now >= at && now-at < inputRing*t.period && len(t.input) < maxSamples {
		t.input = append(t.input, now-at)
	}
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

// roundTrip records a ping's round trip to the pong's arrival, and as
// the netcode measured it, the HUD's.
func (t *timing) roundTrip(d, hud time.Duration) {
	if len(t.rtt) < maxSamples {
		t.rtt = append(t.rtt, d)
		t.hud = append(t.hud, hud)
	}
}

// ownShot records how long an own shot took from the input that fired it
// to the first frame that drew it (the netcode's Stats.OwnShotLatency).
func (t *timing) ownShot(d time.Duration) {
	if len(t.shot) < maxSamples {
		t.shot = append(t.shot, max(d, 0))
	}
}

// takeInto records the samples into the histograms and forgets them.
func (t *timing) takeInto(gaps, late, rtt, input, hud, shot *Histogram) {
	for _, d := range t.gaps {
		gaps.Record(d)
	}
	for _, d := range t.late {
		late.Record(d)
	}
	for _, d := range t.rtt {
		rtt.Record(d)
	}
	for _, d := range t.input {
		input.Record(d)
	}
	for _, d := range t.hud {
		hud.Record(d)
	}
	for _, d := range t.shot {
		shot.Record(d)
	}
	t.gaps, t.late, t.rtt, t.input = t.gaps[:0], t.late[:0], t.rtt[:0], t.input[:0]
	t.hud, t.shot = t.hud[:0], t.shot[:0]
}
