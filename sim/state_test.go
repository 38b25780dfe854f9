// Save and restore: a World restored from what Save wrote plays the golden replay on to
// the same hashes, and Restore refuses states no World can be in.

package sim_test

import (
	"errors"
	"testing"

	"skirmish/sim"
)

func TestSaveRestoreReplays(t *testing.T) {
	r := readReplay(t)
	want := readHashes(t)
	var saved sim.Saved
	restores := 0
	r.runSwap(t, func(w *sim.World) *sim.World {
		if got := w.Hash(); got != want[w.Tick-1] {
			t.Fatalf("tick %d: hash %016x, golden %016x (%d restores before)", w.Tick, got, want[w.Tick-1], restores)
		}
		if w.Tick%97 != 0 {
			return w
		}
		w.Save(&saved)
		nw, err := sim.Restore(r.config(), &saved)
		if err != nil {
			t.Fatalf("tick %d: Restore: %v", w.Tick, err)
		}
		if nw.Hash() != w.Hash() {
			t.Fatalf("tick %d: restored hash %016x, saved %016x", w.Tick, nw.Hash(), w.Hash())
		}
		restores++
		return nw
	})
	if restores < 10 {
		t.Fatalf("only %d restores", restores)
	}
}

func TestSaveAllocatesNothing(t *testing.T) {
	w := newWorld(t, sim.Config{Seed: 3}, 1, 2, 3)
	for range 30 {
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire}}})
	}
	var s sim.Saved
	w.Save(&s)
	if n := testing.AllocsPerRun(100, func() { w.Save(&s) }); n != 0 {
		t.Fatalf("Save allocates %v times", n)
	}
	if len(s.Past) != 3*12 || len(s.Players) != 3 {
		t.Fatalf("saved %d players and %d past positions; want 3 and 36", len(s.Players), len(s.Past))
	}
}

func TestRestoreRefuses(t *testing.T) {
	w := newWorld(t, sim.Config{Seed: 3}, 1, 2)
	for range 20 {
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire}}})
	}
	for _, c := range []struct {
		name   string
		mangle func(s *sim.Saved)
		want   error
	}{
		{"player order", func(s *sim.Saved) { s.Players[1].ID = 1 }, sim.ErrSavedPlayers},
		{"player id", func(s *sim.Saved) { s.Players[1].ID = sim.MaxPlayers + 1 }, sim.ErrSavedPlayers},
		{"player outside", func(s *sim.Saved) { s.Players[0].X = -1 }, sim.ErrSavedPlayer},
		{"aim", func(s *sim.Saved) { s.Players[0].Aim = sim.AimSteps }, sim.ErrSavedPlayer},
		{"input", func(s *sim.Saved) { s.Players[0].Input.Move = 0xff }, sim.ErrSavedPlayer},
		{"projectile id", func(s *sim.Saved) { s.Projectiles[0].ID = s.LastProjectileID + 1 }, sim.ErrSavedProjectiles},
		{"projectile speed", func(s *sim.Saved) { s.Projectiles[0].VX = -1 << 31 }, sim.ErrSavedProjectile},
		{"event", func(s *sim.Saved) { s.Pending = append(s.Pending, sim.Event{Kind: 99}) }, sim.ErrSavedEvent},
		{"past tick", func(s *sim.Saved) { s.Past[0].Tick = s.Tick + 1 }, sim.ErrSavedPast},
		{"past id", func(s *sim.Saved) { s.Past[0].ID = 0 }, sim.ErrSavedPast},
		{"match", func(s *sim.Saved) { s.Match.Number = 0 }, sim.ErrSavedMatch},
	} {
		var s sim.Saved
		w.Save(&s)
		if len(s.Projectiles) == 0 {
			t.Fatal("no projectile in flight to break")
		}
		c.mangle(&s)
		if _, err := sim.Restore(sim.Config{Seed: 3}, &s); !errors.Is(err, c.want) {
			t.Errorf("%s: Restore: %v; want %v", c.name, err, c.want)
		}
	}
}
