// clock.go — the time model: which server tick it is now, as far as
// snapshot arrivals tell, and which tick the other players are drawn at.
// client.go feeds it every snapshot's arrival, and asks how far behind an
// input's tick the render tick is (a firing input's render lag); view.go
// asks it for the render tick once per Advance; interp.go draws at that tick.

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
)

// clock maps server ticks to local time and runs the render clock. Times
// are float64 nanoseconds since epoch, the first arrival; ticks are
// float64 so that the render tick can fall between two.
type clock struct {
	tickNs             float64 // nanoseconds per tick
	minDelay, maxDelay float64 // ns, from Options

	started     bool
	epoch       time.Time
	origin      float64 // when tick 0 would have arrived, on the smoothed mapping
	lastArrival float64
	lastTick    uint32
	interval    float64 // running mean of the time between two snapshots
	jitter      float64 // running mean absolute deviation of that time from the ticks it spans

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

// arrive records that the snapshot of tick arrived at now.
func (k *clock) arrive(tick uint32, now time.Time) {
	if !k.started {
		k.started, k.epoch = true, now
		k.origin = -float64(tick) * k.tickNs
		k.lastTick = tick
		k.render = float64(tick) - k.delay()/k.tickNs
		return
	}
	at := k.since(now)
	innovation := at - float64(tick)*k.tickNs - k.origin
	limit := maxInnovation * k.tickNs
	k.origin += originGain * min(max(innovation, -limit), limit)
	if ticks := tick - k.lastTick; ticks > 0 {
		gap := at - k.lastArrival
		k.interval += gapGain * (gap - k.interval)
		k.jitter += gapGain * (math.Abs(gap-float64(ticks)*k.tickNs) - k.jitter)
	}
	k.lastArrival, k.lastTick = at, tick
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

// lagBehind is how many whole ticks (rounded, within [0, 255]) the render
// tick, as the last advance left it, lies behind tick: the render_lag of a
// firing input that lands on tick.
func (k *clock) lagBehind(tick uint32) uint8 {
	return uint8(min(max(math.Round(float64(tick)-k.render), 0), math.MaxUint8))
}

// renderDelay is how far the render clock runs behind serverTick at now.
func (k *clock) renderDelay(now time.Time) time.Duration {
	return time.Duration((k.serverTick(now) - k.render) * k.tickNs)
}
