// Tests of step.go as a whole: no allocation, ordering, and Hash (hash.go) coverage.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

func TestStepDoesNotAllocate(t *testing.T) {
	w, cycle := busyWorld(t)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		w.Step(cycle[i%len(cycle)])
		i++
	})
	if allocs != 0 {
		t.Fatalf("Step allocates %.2f times per call in steady state; want 0", allocs)
	}
	if len(w.Projectiles) < 100 {
		t.Fatalf("only %d projectiles: the world is not busy", len(w.Projectiles))
	}

	// A full room whose shots are judged in the past.
	w, cycle = busyWorldOf(t, 16, 1, true)
	before := w.Rewinds
	allocs = testing.AllocsPerRun(1000, func() {
		w.Step(cycle[i%len(cycle)])
		i++
	})
	if allocs != 0 {
		t.Fatalf("Step with rewinds allocates %.2f times per call in steady state; want 0", allocs)
	}
	if w.Rewinds.Shots[5] == before.Shots[5] || w.Rewinds.Clamped == before.Clamped {
		t.Fatalf("no rewound or clamped shots: %+v", w.Rewinds)
	}
}

func TestStepKeepsOrder(t *testing.T) {
	w, cycle := busyWorld(t)
	for i := range 600 {
		w.Step(cycle[i%len(cycle)])
		for j := 1; j < len(w.Projectiles); j++ {
			if w.Projectiles[j].ID <= w.Projectiles[j-1].ID {
				t.Fatalf("tick %d: projectiles out of ID order", w.Tick)
			}
		}
		for j := 1; j < len(w.Players); j++ {
			if w.Players[j].ID <= w.Players[j-1].ID {
				t.Fatalf("tick %d: players out of ID order", w.Tick)
			}
		}
	}
}

func TestHashCoversState(t *testing.T) {
	w, cycle := busyWorld(t)
	w.Step(cycle[0])
	base := w.Hash()
	if w.Hash() != base {
		t.Fatal("Hash is not stable")
	}
	for _, tc := range []struct {
		name   string
		change func()
	}{
		{"Tick", func() { w.Tick++ }},
		{"Match.Phase", func() { w.Match.Phase = sim.PhaseIntermission }},
		{"Player.X", func() { w.Players[5].X++ }},
		{"Player.Alive", func() { w.Players[5].Alive = !w.Players[5].Alive }},
		{"Player.NextFire", func() { w.Players[5].NextFire++ }},
		{"Player.RespawnAt", func() { w.Players[5].RespawnAt++ }},
		{"Player.Input.Buttons", func() { w.Players[5].Input.Buttons ^= sim.ButtonFire }},
		{"Player.Input.RenderLag", func() { w.Players[5].Input.RenderLag++ }},
		{"Projectile.VY", func() { w.Projectiles[0].VY++ }},
		{"Projectile.ExpiresAt", func() { w.Projectiles[len(w.Projectiles)-1].ExpiresAt++ }},
		{"Projectile.Rewind", func() { w.Projectiles[0].Rewind++ }},
		{"projectile count", func() { w.Projectiles = w.Projectiles[1:] }},
	} {
		saved := *w
		players := append([]sim.Player(nil), w.Players...)
		projectiles := append([]sim.Projectile(nil), w.Projectiles...)
		tc.change()
		if w.Hash() == base {
			t.Errorf("changing %s does not change Hash", tc.name)
		}
		*w = saved
		copy(w.Players, players)
		copy(w.Projectiles, projectiles)
		if w.Hash() != base {
			t.Fatalf("test bug: state not restored after %s", tc.name)
		}
	}
}
