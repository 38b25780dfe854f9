// behavior.go — what a bot does each tick. A Behavior sees the state the bot
// rebuilt (bot.go) and picks an input, as a player would from the screen.

package bots

import (
	"math"
	"math/rand/v2"

	pb "skirmish/proto"
	"skirmish/sim"
)

// Behavior picks the input of bot self for the next tick. It is called under
// the bot's lock, from Run's goroutine.
type Behavior func(self uint32, s *pb.State, rng *rand.Rand) pb.InputMsg

// Idle stands still.
func Idle(uint32, *pb.State, *rand.Rand) pb.InputMsg { return pb.InputMsg{} }

// directions are the eight move bit sets.
var directions = [...]uint32{
	uint32(sim.MoveUp), uint32(sim.MoveUp | sim.MoveRight), uint32(sim.MoveRight), uint32(sim.MoveDown | sim.MoveRight),
	uint32(sim.MoveDown), uint32(sim.MoveDown | sim.MoveLeft), uint32(sim.MoveLeft), uint32(sim.MoveUp | sim.MoveLeft),
}

// Wander walks in a direction and changes it now and then.
func Wander() Behavior {
	move, left := uint32(0), 0
	return func(_ uint32, _ *pb.State, rng *rand.Rand) pb.InputMsg {
		if left <= 0 {
			move, left = directions[rng.IntN(len(directions))], 30+rng.IntN(60)
		}
		left--
		return pb.InputMsg{Move: move}
	}
}

// Fight seeks the nearest live enemy, aims at it and fires, circling it
// when close; with nobody to fight it wanders.
func Fight() Behavior {
	wander := Wander()
	strafe := uint32(0)
	return func(self uint32, s *pb.State, rng *rand.Rand) pb.InputMsg {
		me := s.Player(self)
		if me == nil || me.F[pb.FieldAlive] == 0 {
			return pb.InputMsg{}
		}
		var target *pb.PlayerState
		best := int64(math.MaxInt64)
		for i := range s.Players {
			p := &s.Players[i]
			if p.ID == self || p.F[pb.FieldAlive] == 0 {
				continue
			}
			dx, dy := int64(p.F[pb.FieldX]-me.F[pb.FieldX]), int64(p.F[pb.FieldY]-me.F[pb.FieldY])
			if d := dx*dx + dy*dy; d < best {
				best, target = d, p
			}
		}
		if target == nil {
			return wander(self, s, rng)
		}
		dx := float64(target.F[pb.FieldX] - me.F[pb.FieldX])
		dy := float64(target.F[pb.FieldY] - me.F[pb.FieldY])
		in := pb.InputMsg{Aim: AimAt(dx, dy), Buttons: uint32(sim.ButtonFire)}
		const close = 250 * sim.UnitsPerPixel
		if best > close*close {
			in.Move = toward(dx, dy)
		} else {
			if strafe == 0 || rng.IntN(90) == 0 {
				strafe = directions[rng.IntN(len(directions))]
			}
			in.Move = strafe
		}
		return in
	}
}

// AimAt is the aim (sim.AimSteps to the turn, clockwise from +X on screen)
// that looks along dx, dy.
func AimAt(dx, dy float64) uint32 {
	a := math.Atan2(dy, dx) / (2 * math.Pi)
	if a < 0 {
		a++
	}
	return uint32(a*sim.AimSteps+0.5) % sim.AimSteps
}

// toward is the 8-way move closest to the direction dx, dy.
func toward(dx, dy float64) uint32 {
	octant := int(math.Round(math.Atan2(dy, dx)/(math.Pi/4))+8) % 8
	// octant 0 is +X (right), counting clockwise on screen (+Y is down).
	return directions[(octant+2)%8]
}
