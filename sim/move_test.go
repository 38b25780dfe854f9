// Tests of move.go: eight-way movement, walls, sliding and the arena bounds.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

// mover returns a Config with defaults and a player at (x, y) on map m, for MovePlayer.
func mover(m *sim.Map, x, y int32) (*sim.Config, *sim.Player) {
	cfg := sim.New(sim.Config{Map: m}).Config()
	return &cfg, &sim.Player{ID: 1, X: x, Y: y, Alive: true}
}

func TestMoveEightWays(t *testing.T) {
	m := openMap()
	speed := sim.DefaultConfig().PlayerSpeed
	const diag = 34 // round(48·sin 45°)
	for _, tc := range []struct {
		move   uint8
		dx, dy int32
	}{
		{0, 0, 0},
		{sim.MoveUp, 0, -speed},
		{sim.MoveDown, 0, speed},
		{sim.MoveLeft, -speed, 0},
		{sim.MoveRight, speed, 0},
		{sim.MoveUp | sim.MoveRight, diag, -diag},
		{sim.MoveDown | sim.MoveLeft, -diag, diag},
		{sim.MoveUp | sim.MoveDown, 0, 0},
		{sim.MoveLeft | sim.MoveRight, 0, 0},
		{sim.MoveUp | sim.MoveDown | sim.MoveRight, speed, 0},
		{sim.MoveMask, 0, 0},
	} {
		cfg, p := mover(m, px(640), px(480))
		sim.MovePlayer(m, cfg, p, sim.Input{Move: tc.move})
		if p.X-px(640) != tc.dx || p.Y-px(480) != tc.dy {
			t.Errorf("move %04b went (%d, %d); want (%d, %d)", tc.move, p.X-px(640), p.Y-px(480), tc.dx, tc.dy)
		}
	}
}

func TestMoveDiagonalIsNormalised(t *testing.T) {
	m := openMap()
	for _, speed := range []int32{1, 16, 48, sim.MaxPlayerSpeed} {
		cfg, p := mover(m, px(640), px(480))
		cfg.PlayerSpeed = speed
		sim.MovePlayer(m, cfg, p, sim.Input{Move: sim.MoveDown | sim.MoveRight})
		dx, dy := p.X-px(640), p.Y-px(480)
		if dx != dy || dx > sim.MaxPlayerSpeed {
			t.Fatalf("speed %d: diagonal step (%d, %d)", speed, dx, dy)
		}
		// |(dx, dy)| within one unit of speed: (speed-1)² <= 2dx² <= (speed+1)².
		if l2 := 2 * dx * dx; l2 < (speed-1)*(speed-1) || l2 > (speed+1)*(speed+1) {
			t.Errorf("speed %d: diagonal step %d per axis has length² %d", speed, dx, l2)
		}
	}
}

func TestMoveStopsAtWall(t *testing.T) {
	wall := sim.Rect{MinX: px(700), MinY: px(400), MaxX: px(800), MaxY: px(600)}
	m := openMap(wall)
	cfg, p := mover(m, px(640), px(480))
	for range 100 {
		sim.MovePlayer(m, cfg, p, sim.Input{Move: sim.MoveRight})
	}
	if want := wall.MinX - cfg.PlayerRadius; p.X != want || p.Y != px(480) {
		t.Fatalf("player at (%d, %d); want flush against the wall at (%d, %d)", p.X, p.Y, want, px(480))
	}
	p.X = px(900) // and from the other side, moving left
	for range 100 {
		sim.MovePlayer(m, cfg, p, sim.Input{Move: sim.MoveLeft})
	}
	if want := wall.MaxX + cfg.PlayerRadius; p.X != want {
		t.Fatalf("player at x=%d; want flush against the wall's east face at %d", p.X, want)
	}
}

func TestMoveSlidesAlongWall(t *testing.T) {
	wall := sim.Rect{MinX: px(700), MinY: px(0), MaxX: px(800), MaxY: px(960)}
	m := openMap(wall)
	cfg, p := mover(m, px(640), px(480))
	p.X = wall.MinX - cfg.PlayerRadius // flush against the west face
	sim.MovePlayer(m, cfg, p, sim.Input{Move: sim.MoveRight | sim.MoveDown})
	if p.X != wall.MinX-cfg.PlayerRadius || p.Y != px(480)+34 {
		t.Fatalf("pushing diagonally into a wall: at (%d, %d); want x held at %d, y slid to %d",
			p.X, p.Y, wall.MinX-cfg.PlayerRadius, px(480)+34)
	}
}

func TestMoveNeverEntersWalls(t *testing.T) {
	m := sim.DefaultMap()
	cfg, p := mover(m, m.Spawns[3].X, m.Spawns[3].Y)
	moves := []uint8{sim.MoveRight, sim.MoveUp | sim.MoveLeft, sim.MoveDown, sim.MoveDown | sim.MoveRight, sim.MoveLeft, sim.MoveUp}
	for i := range 6000 {
		sim.MovePlayer(m, cfg, p, sim.Input{Move: moves[(i/97)%len(moves)]})
		r := cfg.PlayerRadius
		for _, w := range m.Walls {
			if p.X+r > w.MinX && p.X-r < w.MaxX && p.Y+r > w.MinY && p.Y-r < w.MaxY {
				t.Fatalf("step %d: player (%d, %d) overlaps wall %+v", i, p.X, p.Y, w)
			}
		}
	}
}

func TestMoveStaysInArena(t *testing.T) {
	m := openMap()
	cfg, p := mover(m, px(640), px(480))
	for range 1000 {
		sim.MovePlayer(m, cfg, p, sim.Input{Move: sim.MoveUp | sim.MoveLeft})
	}
	r := cfg.PlayerRadius
	if p.X != r || p.Y != r {
		t.Fatalf("player at (%d, %d); want in the top-left corner at (%d, %d)", p.X, p.Y, r, r)
	}
	for range 1000 {
		sim.MovePlayer(m, cfg, p, sim.Input{Move: sim.MoveDown | sim.MoveRight})
	}
	if p.X != m.Width-r || p.Y != m.Height-r {
		t.Fatalf("player at (%d, %d); want in the bottom-right corner at (%d, %d)", p.X, p.Y, m.Width-r, m.Height-r)
	}
}

func TestStepMovesAndHoldsInput(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight, Aim: 300}}})
	w.Step(nil) // held
	p := w.Player(1)
	if p.X != px(640)+2*48 || p.Aim != 300 {
		t.Fatalf("after one input and one held tick: x=%d aim=%d; want x=%d aim=300", p.X, p.Aim, px(640)+96)
	}
}
