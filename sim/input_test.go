// Tests of input.go: Sanitize, and sanitizing in Step.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

func TestSanitize(t *testing.T) {
	for _, tc := range []struct {
		in      sim.Input
		want    sim.Input
		changed bool
	}{
		{sim.Input{}, sim.Input{}, false},
		{sim.Input{Move: sim.MoveUp | sim.MoveRight, Aim: 1023, Buttons: sim.ButtonFire},
			sim.Input{Move: sim.MoveUp | sim.MoveRight, Aim: 1023, Buttons: sim.ButtonFire}, false},
		{sim.Input{Move: 0xff}, sim.Input{Move: sim.MoveMask}, true},
		{sim.Input{Move: 0xf0}, sim.Input{}, true},
		{sim.Input{Buttons: 0xfe}, sim.Input{}, true},
		{sim.Input{Buttons: 0xff}, sim.Input{Buttons: sim.ButtonFire}, true},
		{sim.Input{Aim: sim.AimSteps}, sim.Input{Aim: sim.AimSteps - 1}, true},
		{sim.Input{Aim: 0xffff}, sim.Input{Aim: sim.AimSteps - 1}, true},
		{sim.Input{Buttons: sim.ButtonFire, RenderLag: 255}, sim.Input{Buttons: sim.ButtonFire, RenderLag: 255}, false},
	} {
		got, changed := tc.in.Sanitize()
		if got != tc.want || changed != tc.changed {
			t.Errorf("%+v.Sanitize() = %+v, %v; want %+v, %v", tc.in, got, changed, tc.want, tc.changed)
		}
	}
}

func TestStepSanitizesHeldInput(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: 0xf0 | sim.MoveRight, Aim: 5000, Buttons: 0x80}}})
	p := w.Player(1)
	want := sim.Input{Move: sim.MoveRight, Aim: sim.AimSteps - 1}
	if p.Input != want || p.Aim != sim.AimSteps-1 {
		t.Fatalf("held input %+v, aim %d; want %+v, aim %d", p.Input, p.Aim, want, sim.AimSteps-1)
	}
}
