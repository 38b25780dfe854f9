// behavior_test.go — the behaviours' geometry agrees with sim's conventions
// (aim clockwise from east on screen, +Y down) and Fight targets enemies.

package bots

import (
	"math/rand/v2"
	"testing"

	pb "skirmish/proto"
	"skirmish/sim"
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

func TestTowardPicksTheClosestOfEightMoves(t *testing.T) {
	cases := []struct {
		dx, dy float64
		want   uint8
	}{
		{1, 0, sim.MoveRight}, {-1, 0, sim.MoveLeft}, {0, 1, sim.MoveDown}, {0, -1, sim.MoveUp},
		{1, 1, sim.MoveDown | sim.MoveRight}, {-1, -1, sim.MoveUp | sim.MoveLeft},
		{10, -1, sim.MoveRight}, {-1, 10, sim.MoveDown},
	}
	for _, c := range cases {
		if got := toward(c.dx, c.dy); got != uint32(c.want) {
			t.Errorf("toward(%v, %v) = %04b, want %04b", c.dx, c.dy, got, c.want)
		}
	}
}

func TestFightAimsAtTheNearestLiveEnemyAndFires(t *testing.T) {
	player := func(id uint32, x, y int32, alive int32) pb.PlayerState {
		return pb.PlayerState{ID: id, F: [pb.NumPlayerFields]int32{pb.FieldX: x, pb.FieldY: y, pb.FieldAlive: alive}}
	}
	s := &pb.State{Players: []pb.PlayerState{
		player(1, 1000, 1000, 1),
		player(2, 1000, 900, 0),  // nearer, but dead
		player(3, 1000, 9000, 1), // straight down (south on screen)
		player(4, 30000, 1000, 1),
	}}
	in := Fight()(1, s, rand.New(rand.NewPCG(1, 2)))
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
