// behavior.go — what a bot does each update. A Behavior sees the picture
// the bot last drew (screen.go) and the arena it was welcomed into
// (arena.go), and picks an input, as a player would from the screen.

package bots

import (
	"math"
	"math/rand/v2"

	pb "skirmish/proto"
	"skirmish/sim"
)

// Behavior picks the input of bot self for the next update. s is the
// picture the last frame drew, as a State: self where the netcode
// predicts it, the others where they are drawn (interpolated), no shot
// velocities. It is called under the bot's lock, from the goroutine that
// plays the bot's frames (Run's, or a swarm's). a is nil until the
// Welcome has arrived.
type Behavior func(self uint32, s *pb.State, a *Arena, rng *rand.Rand) pb.InputMsg

// Idle stands still.
func Idle(uint32, *pb.State, *Arena, *rand.Rand) pb.InputMsg { return pb.InputMsg{} }

// directions are the eight move bit sets, clockwise from up on screen.
var directions = [...]uint32{
	uint32(sim.MoveUp), uint32(sim.MoveUp | sim.MoveRight), uint32(sim.MoveRight), uint32(sim.MoveDown | sim.MoveRight),
	uint32(sim.MoveDown), uint32(sim.MoveDown | sim.MoveLeft), uint32(sim.MoveLeft), uint32(sim.MoveUp | sim.MoveLeft),
}

// Wander walks in a direction and changes it now and then, and at once
// when a wall is in the way.
func Wander() Behavior {
	dir, left := 0, 0
	return func(self uint32, s *pb.State, a *Arena, rng *rand.Rand) pb.InputMsg {
		if left <= 0 {
			dir, left = rng.IntN(len(directions)), 30+rng.IntN(60)
		}
		left--
		if me := s.Player(self); me != nil && me.F[pb.FieldAlive] != 0 && !progresses(a, me, dir) {
			for range len(directions) {
				if dir = rng.IntN(len(directions)); progresses(a, me, dir) {
					break
				}
			}
		}
		return pb.InputMsg{Move: directions[dir]}
	}
}

// Fight seeks the nearest live enemy, aims at it and fires when no wall is
// in the way, circles it when close, and steers around walls; with nobody
// to fight it wanders.
func Fight() Behavior {
	f := &fighter{wander: Wander(), strafe: -1}
	return f.input
}

// fighter is Fight's memory between ticks.
type fighter struct {
	wander    Behavior
	strafe    int // direction circled in while close; -1: none yet
	side      int // +1: detours turn clockwise first; -1: counterclockwise; 0: not chosen yet
	detour    int // ticks left on the detour
	detourDir int
}

// detourTicks is how long a bot keeps to a way around a wall before it
// tries another, unless the way it wants opens first.
const detourTicks = 30

func (f *fighter) input(self uint32, s *pb.State, a *Arena, rng *rand.Rand) pb.InputMsg {
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
		return f.wander(self, s, a, rng)
	}
	x, y, tx, ty := me.F[pb.FieldX], me.F[pb.FieldY], target.F[pb.FieldX], target.F[pb.FieldY]
	dx, dy := float64(tx-x), float64(ty-y)
	in := pb.InputMsg{Aim: AimAt(dx, dy)}
	if a.Clear(x, y, tx, ty) {
		in.Buttons = uint32(sim.ButtonFire)
	}
	const close = 250 * sim.UnitsPerPixel
	want := octant(dx, dy)
	if best <= close*close && in.Buttons != 0 {
		if f.strafe < 0 || rng.IntN(90) == 0 {
			f.strafe = rng.IntN(len(directions))
		}
		want = f.strafe
		if !free(a, me, want) {
			f.strafe = -1 // circle another way from the next tick
		}
	}
	in.Move = directions[f.steer(a, me, want, rng)]
	return in
}

// steer returns want when the way is free; otherwise the detour it is on,
// or a new one: the nearest free move, turning to the same side as last
// time first, so that the bot follows a wall rather than bouncing off it.
func (f *fighter) steer(a *Arena, me *pb.PlayerState, want int, rng *rand.Rand) int {
	if free(a, me, want) {
		f.detour = 0
		return want
	}
	if f.detour > 0 && progresses(a, me, f.detourDir) {
		f.detour--
		return f.detourDir
	}
	if f.side == 0 {
		f.side = 1 - 2*rng.IntN(2)
	}
	for _, ok := range [...]func(*Arena, *pb.PlayerState, int) bool{free, progresses} {
		for _, side := range [...]int{f.side, -f.side} {
			for turn := 1; turn <= 3; turn++ {
				if d := (want + side*turn + 8) % 8; ok(a, me, d) {
					f.side, f.detour, f.detourDir = side, detourTicks, d
					return d
				}
			}
		}
	}
	return want
}

// free reports whether moving p along directions[dir] for a tick moves it
// on every axis the move asks for: no wall in the way.
func free(a *Arena, p *pb.PlayerState, dir int) bool {
	if a == nil {
		return true
	}
	x, y := p.F[pb.FieldX], p.F[pb.FieldY]
	nx, ny := a.Step(x, y, directions[dir])
	m := uint8(directions[dir])
	return (m&sim.MoveRight == 0 || nx > x) && (m&sim.MoveLeft == 0 || nx < x) &&
		(m&sim.MoveDown == 0 || ny > y) && (m&sim.MoveUp == 0 || ny < y)
}

// progresses reports whether moving p along directions[dir] for a tick
// gets it at least half a step away from where it is, sliding along a
// wall if need be.
func progresses(a *Arena, p *pb.PlayerState, dir int) bool {
	if a == nil {
		return true
	}
	x, y := p.F[pb.FieldX], p.F[pb.FieldY]
	nx, ny := a.Step(x, y, directions[dir])
	dx, dy, half := int64(nx-x), int64(ny-y), int64(a.Speed()/2)
	return dx*dx+dy*dy >= half*half
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

// octant is the index in directions of the 8-way move closest to the
// direction dx, dy.
func octant(dx, dy float64) int {
	o := int(math.Round(math.Atan2(dy, dx)/(math.Pi/4))+8) % 8
	// o counts clockwise on screen (+Y is down) from +X, directions from up.
	return (o + 2) % 8
}
