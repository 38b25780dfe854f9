// Tests of spawn.go: respawn delay and choice of spawn point.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

// kill makes killer shoot victim, placed point-blank with 1 health, dead in one Step.
func kill(t *testing.T, w *sim.World, killer, victim sim.PlayerID) {
	t.Helper()
	k, v := w.Player(killer), w.Player(victim)
	v.X, v.Y = k.X+px(35), k.Y
	k.Aim, k.NextFire = 0, 0
	v.Health = 1
	w.Step([]sim.PlayerInput{{ID: killer, Input: sim.Input{Buttons: sim.ButtonFire}}, {ID: victim}})
	if w.Player(victim).Alive {
		t.Fatalf("tick %d: %d did not kill %d", w.Tick, killer, victim)
	}
}

func TestRespawnAfterDelayAtFreeSpawn(t *testing.T) {
	for seed := range uint64(20) {
		m := openMap()
		w := newWorld(t, sim.Config{Seed: seed, Map: m}, 1, 2)
		place(w, 1, px(640), px(480), 0)
		kill(t, w, 1, 2)
		respawnAt := w.Player(2).RespawnAt
		// Park the killer next to spawn point 0: the respawn must avoid it.
		k := w.Player(1)
		k.X, k.Y = m.Spawns[0].X+px(10), m.Spawns[0].Y
		for w.Tick < respawnAt-1 {
			w.Step(nil)
			if w.Player(2).Alive {
				t.Fatalf("respawned at tick %d, before %d", w.Tick, respawnAt)
			}
		}
		w.Step(nil)
		v := w.Player(2)
		if !v.Alive || v.Health != w.Config().MaxHealth || countEvents(w, sim.EventSpawn, 2, 0) != 1 {
			t.Fatalf("tick %d: not respawned: %+v, events %+v", w.Tick, v, w.Events)
		}
		if !isSpawn(m, v.X, v.Y) || v.X == m.Spawns[0].X && v.Y == m.Spawns[0].Y {
			t.Fatalf("seed %d: respawned at (%d, %d), not on a free spawn point", seed, v.X, v.Y)
		}
	}
}

func TestSpawnFarthestWhenNoneFree(t *testing.T) {
	m := openMap()
	m.Spawns = []sim.Point{{px(100), px(100)}, {px(300), px(100)}, {px(1000), px(100)}}
	w := newWorld(t, sim.Config{Map: m}, 1, 2, 3, 4)
	place(w, 1, px(100), px(100), 0)
	place(w, 2, px(300)+px(10), px(100), 0)
	place(w, 3, px(1000)-px(5), px(100), 0) // closest of all, so spawn 1 (10 px away) wins
	w.RemovePlayer(4)
	if err := w.AddPlayer(4); err != nil {
		t.Fatal(err)
	}
	if p := w.Player(4); p.X != px(300) || p.Y != px(100) {
		t.Fatalf("spawned at (%d, %d); want the farthest taken point (%d, %d)", p.X, p.Y, px(300), px(100))
	}
}

func TestSpawnChoiceIsSeeded(t *testing.T) {
	spawnsOf := func(seed uint64) []sim.Point {
		w := newWorld(t, sim.Config{Seed: seed}, 1, 2, 3, 4, 5, 6)
		var at []sim.Point
		for _, p := range w.Players {
			at = append(at, sim.Point{X: p.X, Y: p.Y})
		}
		return at
	}
	a, b := spawnsOf(7), spawnsOf(7)
	differs := false
	for seed := uint64(8); seed < 16 && !differs; seed++ {
		c := spawnsOf(seed)
		for i := range a {
			differs = differs || a[i] != c[i]
		}
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different spawns: %v vs %v", a, b)
		}
	}
	if !differs {
		t.Fatal("eight other seeds all chose the same spawn points")
	}
	for i := range a {
		for j := range i {
			if a[i] == a[j] {
				t.Fatalf("two players spawned on the same free point: %v", a)
			}
		}
	}
}

func isSpawn(m *sim.Map, x, y int32) bool {
	for _, s := range m.Spawns {
		if s.X == x && s.Y == y {
			return true
		}
	}
	return false
}
