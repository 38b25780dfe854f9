// input_test.go covers input.go: an input goes to the wire and back
// unchanged, and Sanitize makes of a wire input what the sim makes of it,
// on the wire's wider fields.

package simwire_test

import (
	"testing"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

func TestInputRoundTrip(t *testing.T) {
	for _, in := range []sim.Input{{}, {Move: sim.MoveUp | sim.MoveLeft, Aim: sim.AimSteps - 1, Buttons: sim.ButtonFire}, {Move: sim.MoveMask, Aim: 1234}} {
		m := simwire.InputMsg(77, in)
		if m.Seq != 77 {
			t.Errorf("seq %d, want 77", m.Seq)
		}
		if back := simwire.Input(m); back != in {
			t.Errorf("%+v went to the wire as %+v and came back %+v", in, m, back)
		}
	}
}

func TestSanitize(t *testing.T) {
	for _, c := range []struct {
		in, want pb.InputMsg
		changed  bool
	}{
		{pb.InputMsg{Seq: 1, Move: uint32(sim.MoveDown), Aim: 10, Buttons: uint32(sim.ButtonFire)}, pb.InputMsg{Seq: 1, Move: uint32(sim.MoveDown), Aim: 10, Buttons: uint32(sim.ButtonFire)}, false},
		{pb.InputMsg{Seq: 2, Move: 0xfff0 | uint32(sim.MoveUp), Aim: sim.AimSteps, Buttons: 0xfe}, pb.InputMsg{Seq: 2, Move: uint32(sim.MoveUp), Aim: sim.AimSteps - 1}, true},
		// 70000 is past the largest aim, not 70000 mod 65536.
		{pb.InputMsg{Seq: 3, Aim: 70000}, pb.InputMsg{Seq: 3, Aim: sim.AimSteps - 1}, true},
	} {
		got, changed := simwire.Sanitize(c.in)
		if got != c.want || changed != c.changed {
			t.Errorf("Sanitize(%+v) = %+v, %v; want %+v, %v", c.in, got, changed, c.want, c.changed)
		}
		// What it lets through, the sim keeps as it is.
		if s, fixed := simwire.Input(got).Sanitize(); fixed || s != simwire.Input(got) {
			t.Errorf("the sim changes %+v again to %+v", got, s)
		}
	}
}
