// rewind.go — lag compensation as the client takes part in it: the render
// lag a firing input carries (the picture's, as the last Advance drew it,
// view.go), and the other players where the server will judge an own shot
// against them, render lag ticks before each tick of its flight, read from
// the ring of snapshots (interp.go) for shots.go's flights.

package netcode

import (
	"math"

	"skirmish/sim"
)

// renderLag is a render lag as the wire carries it: lag ticks, rounded to
// the nearest, within [0, 255].
func renderLag(lag float64) int32 {
	return int32(min(max(math.Round(lag), 0), math.MaxUint8))
}

// pastTargets are the other players, alive, as the snapshots held have
// them at one tick: where the server's lag compensation tests an own shot
// in tick t with render lag R, at t − R (sim/lagcomp.go). The players of
// the last tick asked for are kept until a snapshot comes.
type pastTargets struct {
	ring  *samples
	me    *uint32 // the local player, not a target
	speed *int32  // the players' speed, for interpolation

	tick  int32
	valid bool
	list  []sim.Player
}

// at returns the other players alive at tick (between two snapshots,
// interpolated; before the oldest or after the newest, as that one has
// them), valid until the next call.
func (p *pastTargets) at(tick int32) []sim.Player {
	if p.valid && p.tick == tick {
		return p.list
	}
	p.tick, p.valid = tick, true
	p.list = p.list[:0]
	if p.ring.n == 0 {
		return p.list
	}
	a, b, frac := p.ring.bracket(float64(tick))
	p.list = appendTargets(p.list, a, b, frac, *p.me, *p.speed)
	return p.list
}

// changed forgets the players kept: a snapshot came.
func (p *pastTargets) changed() { p.valid = false }
