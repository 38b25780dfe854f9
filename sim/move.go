// Stage: player movement. The one implementation of how a player moves in a tick: Step
// (step.go) runs it on the server, and the browser client runs it to predict its own
// player between snapshots.

package sim

// The two axes of MovePlayer's axis-separated movement.
const (
	axisX = iota
	axisY
)

// MovePlayer moves p by one tick of in.Move on map m. cfg must have its defaults filled in,
// as returned by World.Config or DefaultConfig. Aim and firing are not its business.
//
// The player is a box of half-size cfg.PlayerRadius around (p.X, p.Y). It moves
// cfg.PlayerSpeed along each pressed axis; opposing keys cancel, and on a diagonal each
// axis moves round(PlayerSpeed·sin 45°) (34 for the default 48, so the diagonal speed is
// 48.08), which keeps every axis step within MaxPlayerSpeed and one signed byte. X moves
// first, then Y from the new X: a player pushing diagonally into a wall stops on that axis
// and slides along the wall on the other. The box may touch walls and the arena bounds
// but never crosses them; the whole path of a move is checked, so no wall is skipped.
func MovePlayer(m *Map, cfg *Config, p *Player, in Input) {
	dx, dy := moveAxis(in.Move, MoveLeft, MoveRight), moveAxis(in.Move, MoveUp, MoveDown)
	step := cfg.PlayerSpeed
	if dx != 0 && dy != 0 {
		step = scale(sine(quarterTurn/2), step)
	}
	r := cfg.PlayerRadius
	if dx != 0 {
		p.X = slide(m.Walls, axisX, p.X, p.Y, dx*step, r, m.Width)
	}
	if dy != 0 {
		p.Y = slide(m.Walls, axisY, p.Y, p.X, dy*step, r, m.Height)
	}
}

// moveAxis returns -1, 0 or +1 for one axis of a Move bit set.
func moveAxis(move, neg, pos uint8) int32 {
	var d int32
	if move&neg != 0 {
		d--
	}
	if move&pos != 0 {
		d++
	}
	return d
}

// slide moves a box of half-size r, centred at pos on axis and at other on the other axis,
// by v along axis, and returns its new position: inside [r, limit-r], and stopped flush
// against the first wall in its way. Walls the box already overlaps do not hold it, so a
// player misplaced into a wall can walk out.
func slide(walls []Rect, axis int, pos, other, v, r, limit int32) int32 {
	next := min(max(pos+v, r), limit-r)
	for _, w := range walls {
		lo, hi, otherLo, otherHi := span(w, axis)
		if other+r <= otherLo || other-r >= otherHi {
			continue // beside the wall, not facing it
		}
		if v > 0 && lo >= pos+r && lo < next+r {
			next = lo - r
		}
		if v < 0 && hi <= pos-r && hi > next-r {
			next = hi + r
		}
	}
	return next
}

// span returns a wall's extent along axis, then along the other axis.
func span(w Rect, axis int) (lo, hi, otherLo, otherHi int32) {
	if axis == axisX {
		return w.MinX, w.MaxX, w.MinY, w.MaxY
	}
	return w.MinY, w.MaxY, w.MinX, w.MaxX
}
