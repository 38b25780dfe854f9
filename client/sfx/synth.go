// synth.go — the cues and their recipes: a cue is a list of voices (a
// sine, square or noise source sweeping from one pitch to another) mixed
// under an attack-decay envelope, then written as PCM. client/sound.go
// decides when each plays.

package sfx

import (
	"encoding/binary"
	"math"
)

// Cue is one sound effect.
type Cue int

// The cues, in the order of Cues.
const (
	Fire     Cue = iota // the local player fires
	Hit                 // the local player is hit
	Kill                // the local player killed someone
	Death               // the local player was killed
	Respawn             // the local player is back
	MatchEnd            // the match is over
	numCues
)

// Cues lists every cue.
var Cues = [...]Cue{Fire, Hit, Kill, Death, Respawn, MatchEnd}

// String is the cue's name, as window.skirmish.sounds counts it.
func (c Cue) String() string {
	return [...]string{"fire", "hit", "kill", "death", "respawn", "matchEnd"}[c]
}

type wave int

const (
	sine wave = iota
	square
	noise
)

// voice is one source: from start to start+dur seconds into the cue, a
// wave sweeping exponentially from f0 to f1 Hz, at gain, with an attack
// then an exponential decay to silence at its end.
type voice struct {
	w             wave
	start, dur    float64
	f0, f1        float64
	gain          float64
	attack, decay float64 // seconds; decay is the time constant
}

var recipes = [numCues][]voice{
	Fire:    {{w: square, dur: 0.09, f0: 880, f1: 260, gain: 0.16, attack: 0.002, decay: 0.035}},
	Hit:     {{w: sine, dur: 0.14, f0: 160, f1: 70, gain: 0.5, attack: 0.002, decay: 0.05}, {w: noise, dur: 0.06, gain: 0.2, attack: 0.001, decay: 0.02}},
	Kill:    {{w: sine, dur: 0.1, f0: 660, f1: 660, gain: 0.35, attack: 0.004, decay: 0.08}, {w: sine, start: 0.08, dur: 0.2, f0: 990, f1: 990, gain: 0.35, attack: 0.004, decay: 0.1}},
	Death:   {{w: square, dur: 0.55, f0: 440, f1: 70, gain: 0.18, attack: 0.005, decay: 0.25}, {w: noise, dur: 0.25, gain: 0.12, attack: 0.002, decay: 0.1}},
	Respawn: {{w: sine, dur: 0.28, f0: 300, f1: 900, gain: 0.35, attack: 0.02, decay: 0.15}},
	MatchEnd: {{w: sine, dur: 0.3, f0: 523, f1: 523, gain: 0.3, attack: 0.005, decay: 0.2}, {w: sine, start: 0.15, dur: 0.3, f0: 659, f1: 659, gain: 0.3, attack: 0.005, decay: 0.2},
		{w: sine, start: 0.3, dur: 0.5, f0: 784, f1: 784, gain: 0.3, attack: 0.005, decay: 0.3}},
}

// fadeOut is the last stretch of every voice, ramped to zero so that no
// cue ends on a click.
const fadeOut = 0.004

// Synth renders c at sampleRate as 16-bit little-endian stereo PCM.
func Synth(c Cue, sampleRate int) []byte {
	vs := recipes[c]
	end := 0.0
	for _, v := range vs {
		end = max(end, v.start+v.dur)
	}
	n := int(end * float64(sampleRate))
	mix := make([]float64, n)
	rng := uint32(0x9e3779b9) ^ uint32(c)
	for _, v := range vs {
		phase := 0.0
		first := int(v.start * float64(sampleRate))
		last := min(int((v.start+v.dur)*float64(sampleRate)), n)
		for i := first; i < last; i++ {
			t := float64(i-first) / float64(sampleRate)
			f := v.f0 * math.Pow(v.f1/max(v.f0, 1), t/v.dur)
			phase += f / float64(sampleRate)
			var s float64
			switch v.w {
			case sine:
				s = math.Sin(2 * math.Pi * phase)
			case square:
				s = 1
				if math.Mod(phase, 1) >= 0.5 {
					s = -1
				}
			case noise:
				rng = rng*1664525 + 1013904223
				s = float64(int32(rng)) / math.MaxInt32
			}
			env := math.Min(t/v.attack, 1) * math.Exp(-t/v.decay)
			if left := v.dur - t; left < fadeOut {
				env *= left / fadeOut
			}
			mix[i] += s * env * v.gain
		}
	}
	out := make([]byte, 4*n)
	for i, s := range mix {
		q := int16(math.Round(math.Max(-1, math.Min(1, s)) * math.MaxInt16))
		binary.LittleEndian.PutUint16(out[4*i:], uint16(q))
		binary.LittleEndian.PutUint16(out[4*i+2:], uint16(q))
	}
	return out
}
