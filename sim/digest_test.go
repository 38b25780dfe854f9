// Digest covers what Hash covers: a change to any part of the state
// changes it, and two Worlds with equal Hashes have equal Digests.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

func TestDigestCoversTheState(t *testing.T) {
	base := newWorld(t, sim.Config{Seed: 5}, 1, 2, 3)
	for range 40 {
		base.Step([]sim.PlayerInput{{ID: 2, Input: sim.Input{Buttons: sim.ButtonFire, Aim: 100, RenderLag: 3}}})
	}
	base.AddPlayer(9) // a pending spawn
	var s sim.Saved
	base.Save(&s)
	if len(s.Projectiles) == 0 || len(s.Pending) == 0 {
		t.Fatal("no projectile or pending event to change")
	}
	d0 := base.Digest()
	for _, c := range []struct {
		name   string
		change func(s *sim.Saved)
	}{
		{"tick", func(s *sim.Saved) { s.Tick++; s.Past = nil }},
		{"match", func(s *sim.Saved) { s.Match.EndTick++ }},
		{"rng", func(s *sim.Saved) { s.RNG ^= 1 << 63 }},
		{"last projectile", func(s *sim.Saved) { s.LastProjectileID++ }},
		{"player y", func(s *sim.Saved) { s.Players[1].Y++ }},
		{"player deaths", func(s *sim.Saved) { s.Players[0].Deaths++ }},
		{"player aim", func(s *sim.Saved) { s.Players[2].Aim++ }},
		{"player alive", func(s *sim.Saved) { s.Players[2].Alive = !s.Players[2].Alive }},
		{"held render lag", func(s *sim.Saved) { s.Players[1].Input.RenderLag++ }},
		{"projectile vy", func(s *sim.Saved) { s.Projectiles[0].VY++ }},
		{"projectile rewind", func(s *sim.Saved) { s.Projectiles[0].Rewind = 0 }},
		{"pending event", func(s *sim.Saved) { s.Pending[0].A = 8 }},
	} {
		var m sim.Saved
		base.Save(&m)
		c.change(&m)
		w, err := sim.Restore(sim.Config{Seed: 5}, &m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if w.Digest() == d0 || uint32(w.Digest()) == uint32(d0) {
			t.Errorf("%s: the digest (or its low 32 bits) did not change", c.name)
		}
	}
	same, err := sim.Restore(sim.Config{Seed: 5}, &s)
	if err != nil || same.Digest() != d0 || same.Hash() != base.Hash() {
		t.Fatalf("a restored World: digest %x, want %x (%v)", same.Digest(), d0, err)
	}
}
