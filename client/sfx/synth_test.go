package sfx_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"skirmish/client/sfx"
)

const rate = 48000

func TestSynthCues(t *testing.T) {
	for _, c := range sfx.Cues {
		pcm := sfx.Synth(c, rate)
		if len(pcm)%4 != 0 {
			t.Fatalf("%v: %d bytes, not whole stereo frames", c, len(pcm))
		}
		frames := len(pcm) / 4
		if d := float64(frames) / rate; d < 0.05 || d > 1 {
			t.Errorf("%v lasts %.2f s, want a short effect", c, d)
		}
		peak, energy := 0.0, 0.0
		for i := range frames {
			l := int16(binary.LittleEndian.Uint16(pcm[4*i:]))
			r := int16(binary.LittleEndian.Uint16(pcm[4*i+2:]))
			if l != r {
				t.Fatalf("%v: frame %d is %d/%d, want the same both sides", c, i, l, r)
			}
			s := math.Abs(float64(l)) / math.MaxInt16
			peak, energy = max(peak, s), energy+s*s
		}
		if peak < 0.1 || peak > 0.95 {
			t.Errorf("%v peaks at %.2f of full scale, want audible and unclipped", c, peak)
		}
		if rms := math.Sqrt(energy / float64(frames)); rms < 0.01 {
			t.Errorf("%v: rms %.3f, nearly silent", c, rms)
		}
		// It ends at silence: no click when it stops.
		if last := int16(binary.LittleEndian.Uint16(pcm[len(pcm)-4:])); math.Abs(float64(last)) > 0.01*math.MaxInt16 {
			t.Errorf("%v ends at %d, not near silence", c, last)
		}
		if !bytes.Equal(pcm, sfx.Synth(c, rate)) {
			t.Errorf("%v: two renderings differ", c)
		}
	}
	if bytes.Equal(sfx.Synth(sfx.Fire, rate), sfx.Synth(sfx.Hit, rate)) {
		t.Error("fire and hit sound the same")
	}
}
