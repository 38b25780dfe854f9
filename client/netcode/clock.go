// clock.go — the time model: which server tick it is now, as far as
// snapshot arrivals tell, and which tick the other players are drawn at.
// client.go feeds it every snapshot's arrival; view.go asks it for the
// render tick once per Advance; interp.go draws at that tick.

package netcode

import (
	"math"
	"time"
)

// Tuning of the clock. Gains are the weight one snapshot gets in a running
// average: 1/32 averages over about half a second at 60 Hz.
const (
	// originGain weighs one arrival in the tick-to-time mapping.
	originGain = 1.0 / 32
	// maxInnovation, in ticks, caps how far one arrival may pull that
	// mapping before weighting, so that a burst after a stall does not drag
	// it along.
	maxInnovation = 2
	// gapGain weighs one arrival in the snapshot interval and jitter.
	gapGain = 1.0 / 16
	// jitterFactor is how many mean deviations of the arrival gaps the
	// interpolation delay adds to two snapshot intervals.
	jitterFactor = 2
	// slewGain is how much faster or slower than real time the render
	// clock runs per tick it is off its target; maxSlew caps it, so the
	// render clock always runs between 0.9 and 1.1 times real time.
	slewGain = 0.05
	maxSlew  = 0.1
	// snapBehind is how far behind its target the render clock may fall
	// (a hidden browser tab, a long stall) before it jumps forward instead
	// of catching up.
	snapBehind = time.Second
	// together is, in ticks, how close after the first of a batch a
	// snapshot must arrive to count as arriving with it, for a caller that
	// has not advanced the render clock yet: snapshots that one TCP segment
	// brought, or that one drain handled at one time.
	together = 0.25
)

// clock maps server ticks to local time and runs the render clock. Times
// are float64 nanoseconds since epoch, the first arrival; ticks are
// float64 so that the render tick can fall between two.
type clock struct {
	tickNs             float64 // nanoseconds per tick
	minDelay, maxDelay float64 // ns, from Options

	started  bool
	epoch    time.Time
	origin   float64 // when tick 0 would have arrived, on the smoothed mapping
	interval float64 // running mean of the time between two snapshots
	jitter   float64 // running mean absolute deviation of the time between two batches from the ticks it spans

	// Snapshots that arrive between the same two advances of the render
	// clock (before the first, within together ticks of each other) make a
	// batch: the picture can show them from the same frame on, however far
	// apart they came. The gaps between the newest arrivals of two batches
	// measure the interval and the jitter, so that a 20 fps game, which
	// sees three snapshots a frame, is not taken for a jittery link, nor a
	// game whose frames come irregularly; a snapshot that comes late still
	// shows as late.
	batchFrom           float64 // when the open batch began
	batchAt, prevAt     float64 // when the newest snapshot of the open batch, and of the one before, came
	batchTick, prevTick uint32  // that snapshot's tick, in each
	batchLen            int     // snapshots in the open batch
	advances, batchAdv  int     // advances of the render clock, so far and when the open batch began

	render   float64 // the render tick
	renderAt float64 // when it was last advanced
}

func newClock(tickRate int, opts *Options) clock {
	tickNs := float64(time.Second) / float64(tickRate)
	return clock{
		tickNs:   tickNs,
		minDelay: float64(opts.InterpDelayMin),
		maxDelay: float64(opts.InterpDelayMax),
		interval: tickNs,
	}
}

// since returns t in nanoseconds since the epoch.
func (k *clock) since(t time.Time) float64 { return float64(t.Sub(k.epoch)) }

// arrive records that the snapshot of tick arrived at now. A snapshot
// that opens a new batch closes the one before: the gap from the batch
// before that, over the ticks it brought, is one sample of the interval
// (per snapshot) and of the jitter.
func (k *clock) arrive(tick uint32, now time.Time) {
	if !k.started {
		k.started, k.epoch = true, now
		k.origin = -float64(tick) * k.tickNs
		k.batchTick, k.prevTick, k.batchLen = tick, tick, 1
		k.prevAt = math.NaN()
		k.render = float64(tick) - k.delay()/k.tickNs
		return
	}
	at := k.since(now)
	innovation := at - float64(tick)*k.tickNs - k.origin
	limit := maxInnovation * k.tickNs
	k.origin += originGain * min(max(innovation, -limit), limit)
	if k.advances == k.batchAdv && (k.advances > 0 || at-k.batchFrom < together*k.tickNs) {
		k.batchAt, k.batchTick, k.batchLen = at, tick, k.batchLen+1
		return
	}
	if ticks := k.batchTick - k.prevTick; ticks > 0 && !math.IsNaN(k.prevAt) {
		gap := k.batchAt - k.prevAt
		// Weighed as the batch's snapshots, each a gap/batchLen apart.
		k.interval += min(gapGain*float64(k.batchLen), 1) * (gap/float64(k.batchLen) - k.interval)
		k.jitter += gapGain * (math.Abs(gap-float64(ticks)*k.tickNs) - k.jitter)
	}
	k.prevAt, k.prevTick = k.batchAt, k.batchTick
	k.batchFrom, k.batchAt, k.batchTick, k.batchLen, k.batchAdv = at, at, tick, 1, k.advances
}

// serverTick estimates the tick whose snapshot would arrive at now.
func (k *clock) serverTick(now time.Time) float64 {
	return (k.since(now) - k.origin) / k.tickNs
}

// delay is the target interpolation delay in nanoseconds: two snapshot
// intervals and jitterFactor mean deviations, within the Options' bounds.
func (k *clock) delay() float64 {
	return min(max(2*k.interval+jitterFactor*k.jitter, k.minDelay), k.maxDelay)
}

// advance moves the render clock to now and returns the render tick,
// which lies in [oldest, newest], the ticks of the snapshots held. The
// render clock runs at real time, a little faster or slower to reach its
// target (serverTick − delay) without jumps, and holds at newest while a
// snapshot is late. It never goes backwards.
func (k *clock) advance(now time.Time, oldest, newest uint32) float64 {
	k.advances++
	at := k.since(now)
	elapsed := max(at-k.renderAt, 0)
	k.renderAt = max(at, k.renderAt)
	target := (at - k.origin - k.delay()) / k.tickNs
	step := elapsed / k.tickNs
	behind := target - (k.render + step) // had it run at real time
	if behind*k.tickNs > float64(snapBehind) {
		k.render = target
	} else {
		k.render += step * (1 + min(max(behind*slewGain, -maxSlew), maxSlew))
	}
	k.render = min(k.render, float64(newest))
	return max(k.render, float64(oldest))
}

// renderDelay is how far the render clock ran behind serverTick when the
// last advance moved it: the delay the last Frame drew with, however long
// ago that was.
func (k *clock) renderDelay() time.Duration {
	return time.Duration(k.renderAt - k.origin - k.render*k.tickNs)
}
