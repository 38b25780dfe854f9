// arena.go — the arena as a bot sees it: the Welcome's walls and rules as
// the sim's own map and config, read by simwire as the browser's netcode
// reads them, so that a behaviour (behavior.go) predicts a move with
// sim.MovePlayer, the movement code the server runs, and checks a line of
// fire against the walls.

package bots

import (
	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// Arena is the playing field a bot was welcomed into. A nil *Arena is an
// open field: nothing blocks a move or a shot.
type Arena struct {
	m   sim.Map
	cfg sim.Config
}

// NewArena builds the arena described by a Welcome: nil when it has none
// (the bare-gws floor sends none), an error wrapping pb.ErrMalformed when
// simwire.Config refuses it.
func NewArena(w *pb.Welcome) (*Arena, error) {
	if w.GetArena() == nil {
		return nil, nil
	}
	a := &Arena{}
	cfg, err := simwire.Config(w, &a.m)
	if err != nil {
		return nil, err
	}
	a.cfg = cfg
	return a, nil
}

// Step is where a player at x, y ends after one tick of move, as the server
// will move it.
func (a *Arena) Step(x, y int32, move uint32) (int32, int32) {
	if a == nil {
		return x, y
	}
	p := sim.Player{X: x, Y: y}
	sim.MovePlayer(&a.m, &a.cfg, &p, sim.Input{Move: uint8(move) & sim.MoveMask})
	return p.X, p.Y
}

// Speed is how far a player moves in a tick along one axis.
func (a *Arena) Speed() int32 {
	if a == nil {
		return sim.DefaultConfig().PlayerSpeed
	}
	return a.cfg.PlayerSpeed
}

// Clear reports whether a shot from x0, y0 to x1, y1 meets no wall.
func (a *Arena) Clear(x0, y0, x1, y1 int32) bool {
	if a == nil {
		return true
	}
	for _, w := range a.m.Walls {
		if segmentHitsRect(float64(x0), float64(y0), float64(x1), float64(y1), w) {
			return false
		}
	}
	return true
}

// segmentHitsRect is the Liang–Barsky test: does the segment from (x0, y0)
// to (x1, y1) touch r?
func segmentHitsRect(x0, y0, x1, y1 float64, r sim.Rect) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = min(t1, t)
		}
		return true
	}
	return clip(-dx, x0-float64(r.MinX)) && clip(dx, float64(r.MaxX)-x0) &&
		clip(-dy, y0-float64(r.MinY)) && clip(dy, float64(r.MaxY)-y0) && t0 <= t1
}
