// Tests of map.go: the default arena is clear, symmetric and sane.

package sim_test

import (
	"slices"
	"testing"

	"skirmish/sim"
)

func TestDefaultMapSpawnsAreClear(t *testing.T) {
	m := sim.DefaultMap()
	r := sim.DefaultConfig().PlayerRadius
	if len(m.Spawns) < 8 {
		t.Fatalf("only %d spawn points", len(m.Spawns))
	}
	for _, s := range m.Spawns {
		if s.X-r < 0 || s.Y-r < 0 || s.X+r > m.Width || s.Y+r > m.Height {
			t.Errorf("spawn %+v: a player there would stick out of the arena", s)
		}
		for _, w := range m.Walls {
			if s.X+r > w.MinX && s.X-r < w.MaxX && s.Y+r > w.MinY && s.Y-r < w.MaxY {
				t.Errorf("spawn %+v: a player there would overlap wall %+v", s, w)
			}
		}
	}
}

func TestDefaultMapIsSymmetric(t *testing.T) {
	m := sim.DefaultMap()
	for _, mirror := range []struct {
		name string
		f    func(sim.Rect) sim.Rect
	}{
		{"left-right", func(r sim.Rect) sim.Rect { return sim.Rect{m.Width - r.MaxX, r.MinY, m.Width - r.MinX, r.MaxY} }},
		{"top-bottom", func(r sim.Rect) sim.Rect { return sim.Rect{r.MinX, m.Height - r.MaxY, r.MaxX, m.Height - r.MinY} }},
	} {
		for _, w := range m.Walls {
			if !slices.Contains(m.Walls, mirror.f(w)) {
				t.Errorf("%s: wall %+v has no mirror image %+v", mirror.name, w, mirror.f(w))
			}
		}
		for _, s := range m.Spawns {
			r := mirror.f(sim.Rect{s.X, s.Y, s.X, s.Y})
			if !slices.Contains(m.Spawns, sim.Point{X: r.MinX, Y: r.MinY}) {
				t.Errorf("%s: spawn %+v has no mirror image", mirror.name, s)
			}
		}
	}
}

func TestDefaultMapWallsAreSane(t *testing.T) {
	m := sim.DefaultMap()
	if n := len(m.Walls); n < 8 || n > 12 {
		t.Errorf("%d walls; want 8..12", n)
	}
	speed := sim.DefaultConfig().ProjectileSpeed
	for _, w := range m.Walls {
		if w.MinX < 0 || w.MinY < 0 || w.MaxX > m.Width || w.MaxY > m.Height {
			t.Errorf("wall %+v is outside the arena", w)
		}
		// Not needed against tunnelling (projectiles are swept), but thin walls would
		// look like glitches on clients that render at lower precision.
		if w.MaxX-w.MinX < speed || w.MaxY-w.MinY < speed {
			t.Errorf("wall %+v is thinner than a projectile's tick (%d units)", w, speed)
		}
	}
}
