// Benchmarks of Step (step.go) on a busy world; step_test.go reuses busyWorld.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

// busyWorld returns a World with 32 players in an arena four times the default size (the
// default obstacles, scaled), every one walking in a slow circle and holding Fire (cooldown
// 8 ticks) while its aim sweeps round, and one Step's inputs for each tick of a 256-tick
// cycle. Warmed up, it keeps about 200 projectiles in the air, with hits, kills and
// respawns going on.
func busyWorld(tb testing.TB) (*sim.World, [][]sim.PlayerInput) {
	return busyWorldOf(tb, 32, 4, false)
}

// busyWorldOf is busyWorld with the given number of players in the default arena scaled
// by zoom: 16 in the default arena (zoom 1) is a full room of the server's default size.
// With lag, player i fires with a render lag of i mod 16 ticks (the window is 12): most
// shots are judged in the past, some clamped.
func busyWorldOf(tb testing.TB, players, zoom int32, lag bool) (*sim.World, [][]sim.PlayerInput) {
	base := sim.DefaultMap()
	m := &sim.Map{Width: base.Width * zoom, Height: base.Height * zoom}
	for _, r := range base.Walls {
		m.Walls = append(m.Walls, sim.Rect{MinX: r.MinX * zoom, MinY: r.MinY * zoom, MaxX: r.MaxX * zoom, MaxY: r.MaxY * zoom})
	}
	for _, s := range base.Spawns {
		m.Spawns = append(m.Spawns, sim.Point{X: s.X * zoom, Y: s.Y * zoom})
	}
	w := sim.New(sim.Config{Seed: 1, Map: m, MatchTicks: 1 << 30, ScoreLimit: 1 << 30, FireCooldownTicks: 8})
	for id := sim.PlayerID(1); id <= sim.PlayerID(players); id++ {
		if err := w.AddPlayer(id); err != nil {
			tb.Fatal(err)
		}
	}
	circle := []uint8{sim.MoveRight, sim.MoveRight | sim.MoveDown, sim.MoveDown, sim.MoveDown | sim.MoveLeft,
		sim.MoveLeft, sim.MoveLeft | sim.MoveUp, sim.MoveUp, sim.MoveUp | sim.MoveRight}
	cycle := make([][]sim.PlayerInput, 256)
	for tick := range cycle {
		for id := sim.PlayerID(1); id <= sim.PlayerID(players); id++ {
			phase := tick + int(id)*37
			in := sim.Input{
				Move:    circle[phase/32%len(circle)],
				Aim:     uint16(phase * 4 % sim.AimSteps),
				Buttons: sim.ButtonFire,
			}
			if lag {
				in.RenderLag = uint8(id % 16)
			}
			cycle[tick] = append(cycle[tick], sim.PlayerInput{ID: id, Input: in})
		}
	}
	for tick := range 16 * len(cycle) {
		w.Step(cycle[tick%len(cycle)])
	}
	return w, cycle
}

func BenchmarkStep(b *testing.B) {
	w, cycle := busyWorld(b)
	benchStep(b, w, cycle)
}

// BenchmarkStep16 is a full room of the server's default size: 16 players firing in the
// default arena.
func BenchmarkStep16(b *testing.B) {
	w, cycle := busyWorldOf(b, 16, 1, false)
	benchStep(b, w, cycle)
}

// BenchmarkStep16Rewind is BenchmarkStep16 with every shot judged up to the window in the
// past (lagcomp.go).
func BenchmarkStep16Rewind(b *testing.B) {
	w, cycle := busyWorldOf(b, 16, 1, true)
	benchStep(b, w, cycle)
}

func benchStep(b *testing.B, w *sim.World, cycle [][]sim.PlayerInput) {
	live := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w.Step(cycle[i%len(cycle)])
		live += len(w.Projectiles)
	}
	b.ReportMetric(float64(live)/float64(b.N), "projectiles")
}
