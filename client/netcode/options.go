// options.go — how a Client is tuned: Options, every default a named
// constant, filled in by withDefaults alone. New (client.go) calls it; the
// clock (clock.go), the predictor (predict.go) and the own shots
// (shots.go) read the result.

package netcode

import (
	"time"

	"skirmish/sim"
)

// Defaults of Options. A zero (or negative) field of Options means its default.
const (
	// DefaultInterpDelayMin is the least delay other players are drawn with:
	// two snapshot intervals at 60 Hz.
	DefaultInterpDelayMin = 34 * time.Millisecond
	// DefaultInterpDelayMax is the most: beyond it remote players would lag
	// their shots and the scoreboard too visibly.
	DefaultInterpDelayMax = 250 * time.Millisecond
	// DefaultSmoothSnap is the prediction error, in sim units, above which the
	// local player is moved at once instead of blended: 32 pixels, more than
	// ten ticks of walking, which the eye reads as a teleport anyway.
	DefaultSmoothSnap int32 = 32 * sim.UnitsPerPixel
	// DefaultSmoothTime is how long a smaller error takes to blend away.
	DefaultSmoothTime = 100 * time.Millisecond
	// DefaultShotFadeTime is how long an own shot the server did not fire
	// takes to fade out: long enough to read as "no" rather than a glitch.
	DefaultShotFadeTime = 150 * time.Millisecond
)

// Options tunes a Client. The zero value gives the defaults above.
type Options struct {
	// InterpDelayMin and InterpDelayMax bound how far in the past (behind
	// the newest snapshot's arrival) other players and shots are drawn. The
	// delay itself adapts to the measured snapshot rate and jitter. A Max
	// below Min is raised to Min.
	InterpDelayMin, InterpDelayMax time.Duration
	// SmoothSnap is, in sim units, the largest prediction error that is
	// blended away over SmoothTime; a larger one moves the local player at
	// once.
	SmoothSnap int32
	// SmoothTime is how long a corrected prediction error takes to blend
	// away completely; so does what a handover moves an own shot.
	SmoothTime time.Duration
	// ShotFadeTime is how long an own shot that the server did not fire
	// takes to fade out.
	ShotFadeTime time.Duration
}

// withDefaults returns o with every zero or negative field set to its default.
func (o Options) withDefaults() Options {
	if o.InterpDelayMin <= 0 {
		o.InterpDelayMin = DefaultInterpDelayMin
	}
	if o.InterpDelayMax <= 0 {
		o.InterpDelayMax = DefaultInterpDelayMax
	}
	o.InterpDelayMax = max(o.InterpDelayMax, o.InterpDelayMin)
	if o.SmoothSnap <= 0 {
		o.SmoothSnap = DefaultSmoothSnap
	}
	if o.SmoothTime <= 0 {
		o.SmoothTime = DefaultSmoothTime
	}
	if o.ShotFadeTime <= 0 {
		o.ShotFadeTime = DefaultShotFadeTime
	}
	return o
}
