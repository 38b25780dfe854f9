// behavior_test.go — the behaviours' geometry agrees with sim's conventions
// (aim clockwise from east on screen, +Y down), Fight targets enemies, and
// both Fight and Wander keep out of walls (arena.go).

package bots

import (
	"errors"
	"math/rand/v2"
	"testing"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

func TestAimAtMatchesSimDirections(t *testing.T) {
	for aim := uint16(0); aim < sim.AimSteps; aim += 16 {
		dx, dy := sim.Dir(aim)
		got := AimAt(float64(dx), float64(dy))
		if d := (int(got) - int(aim) + sim.AimSteps) % sim.AimSteps; d > 1 && d < sim.AimSteps-1 {
			t.Fatalf("AimAt(Dir(%d)) = %d", aim, got)
		}
	}
}

func TestOctantPicksTheClosestOfEightMoves(t *testing.T) {
	cases := []struct {
		dx, dy float64
		want   uint8
	}{
		{1, 0, sim.MoveRight}, {-1, 0, sim.MoveLeft}, {0, 1, sim.MoveDown}, {0, -1, sim.MoveUp},
		{1, 1, sim.MoveDown | sim.MoveRight}, {-1, -1, sim.MoveUp | sim.MoveLeft},
		{10, -1, sim.MoveRight}, {-1, 10, sim.MoveDown},
	}
	for _, c := range cases {
		if got := directions[octant(c.dx, c.dy)]; got != uint32(c.want) {
			t.Errorf("directions[octant(%v, %v)] = %04b, want %04b", c.dx, c.dy, got, c.want)
		}
	}
}

func player(id uint32, x, y int32, alive int32) pb.PlayerState {
	return pb.PlayerState{ID: id, F: [pb.NumPlayerFields]int32{pb.FieldX: x, pb.FieldY: y, pb.FieldAlive: alive}}
}

func TestFightAimsAtTheNearestLiveEnemyAndFires(t *testing.T) {
	s := &pb.State{Players: []pb.PlayerState{
		player(1, 1000, 1000, 1),
		player(2, 1000, 900, 0),  // nearer, but dead
		player(3, 1000, 9000, 1), // straight down (south on screen)
		player(4, 30000, 1000, 1),
	}}
	in := Fight()(1, s, nil, rand.New(rand.NewPCG(1, 2)))
	if in.Buttons&uint32(sim.ButtonFire) == 0 {
		t.Error("Fight does not fire at an enemy")
	}
	if in.Aim != sim.AimSteps/4 {
		t.Errorf("aim = %d, want %d (south)", in.Aim, sim.AimSteps/4)
	}
	if in.Move != uint32(sim.MoveDown) {
		t.Errorf("move = %04b, want down toward the far enemy", in.Move)
	}
}

// defaultArena is the arena a Welcome for sim's default map and rules
// describes, as the server describes it.
func defaultArena(t *testing.T) *Arena {
	t.Helper()
	var w pb.Welcome
	cfg := sim.DefaultConfig()
	simwire.Describe(&w, &cfg)
	a, err := NewArena(&w)
	if err != nil || a == nil {
		t.Fatalf("arena %v, %v", a, err)
	}
	return a
}

// TestNewArena: no arena is an open field (the floor's Welcome); a
// malformed one is refused.
func TestNewArena(t *testing.T) {
	if a, err := NewArena(&pb.Welcome{}); a != nil || err != nil {
		t.Errorf("a Welcome without an arena: %v, %v; want an open field", a, err)
	}
	bad := &pb.Welcome{Arena: &pb.Arena{Width: 100, Height: 100, Walls: []int32{1, 2, 3}}}
	if a, err := NewArena(bad); a != nil || !errors.Is(err, pb.ErrMalformed) {
		t.Errorf("three numbers of a wall: %v, %v; want ErrMalformed", a, err)
	}
}

func px(v int32) int32 { return v * sim.UnitsPerPixel }

func TestArenaClearSeesWalls(t *testing.T) {
	a := defaultArena(t)
	// The west bar spans x 400..432 px, y 384..576 px.
	if a.Clear(px(300), px(480), px(500), px(480)) {
		t.Error("a shot straight through the west bar is clear")
	}
	if !a.Clear(px(300), px(300), px(500), px(300)) {
		t.Error("a shot above the west bar is blocked")
	}
	if !a.Clear(px(300), px(480), px(390), px(480)) {
		t.Error("a shot that stops short of the west bar is blocked")
	}
	if (*Arena)(nil).Clear(0, 0, px(1000), px(1000)) != true {
		t.Error("an open field blocks a shot")
	}
}

// TestFightGoesAroundAWall: a bot flush against the west bar with its
// enemy straight behind it holds its fire, slides along the wall instead
// of pushing into it, and gets a line of fire within a few seconds.
func TestFightGoesAroundAWall(t *testing.T) {
	a := defaultArena(t)
	for seed := range uint64(8) {
		me := player(1, px(386), px(480), 1) // the bar's west face is at 400 px; radius 14 px
		enemy := player(2, px(520), px(480), 1)
		s := &pb.State{Players: []pb.PlayerState{me, enemy}}
		fight, rng := Fight(), rand.New(rand.NewPCG(seed, 9))
		in := fight(1, s, a, rng)
		if in.Buttons != 0 {
			t.Fatalf("seed %d: fires into the wall", seed)
		}
		clearAt := -1
		for tick := range 4 * sim.TickRate {
			p := &s.Players[0]
			x, y := a.Step(p.F[pb.FieldX], p.F[pb.FieldY], in.Move)
			if x == p.F[pb.FieldX] && y == p.F[pb.FieldY] {
				t.Fatalf("seed %d tick %d: move %04b does not move the bot at (%d, %d) px", seed, tick, in.Move, x/px(1), y/px(1))
			}
			p.F[pb.FieldX], p.F[pb.FieldY] = x, y
			if in = fight(1, s, a, rng); in.Buttons != 0 {
				clearAt = tick
				break
			}
		}
		if clearAt < 0 {
			t.Errorf("seed %d: no line of fire after 4 s; the bot ended at (%d, %d) px", seed, s.Players[0].F[pb.FieldX]/px(1), s.Players[0].F[pb.FieldY]/px(1))
		}
	}
}

// TestWanderDoesNotPushIntoWalls: over a minute of wandering from a spawn
// point, a bot is almost never stopped by a wall or the arena's edge.
func TestWanderDoesNotPushIntoWalls(t *testing.T) {
	a := defaultArena(t)
	s := &pb.State{Players: []pb.PlayerState{player(1, px(80), px(80), 1)}}
	wander, rng := Wander(), rand.New(rand.NewPCG(3, 4))
	stuck := 0
	for range 60 * sim.TickRate {
		p := &s.Players[0]
		in := wander(1, s, a, rng)
		x, y := a.Step(p.F[pb.FieldX], p.F[pb.FieldY], in.Move)
		if x == p.F[pb.FieldX] && y == p.F[pb.FieldY] {
			stuck++
		}
		p.F[pb.FieldX], p.F[pb.FieldY] = x, y
	}
	if stuck > 0 {
		t.Errorf("stopped by a wall in %d of %d ticks", stuck, 60*sim.TickRate)
	}
}
