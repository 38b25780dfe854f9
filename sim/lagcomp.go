// Stage: lag compensation. Where every player was at the end of each of the last
// Config.LagCompTicks Steps (recorded by the last stage of Step, step.go; forgotten at each
// spawn, spawn.go), the rewind fire gives a projectile (projectile.go), and where fly finds
// its targets in that past.

package sim

// Lag compensation favours the shooter, within a window. A client draws the other players
// a little in the past, interpolated between snapshots, so its player aims at where they
// were some ticks before: Input.RenderLag says how many ticks before the tick of the input
// that fired. fire clamps it to the window, Config.LagCompTicks (200 ms by default), into
// the projectile's Rewind, and counts in World.Rewinds the rewinds used and the claims
// clamped. In each tick t of its flight, a projectile with Rewind R > 0 is tested against
// the targets where they were at the end of Step t−R, which is the picture its shooter had
// of that tick of the shot; with R = 0 against where they are now, as without lag
// compensation. Walls are the present ones (they never move): the tick's segment is cut
// where it first touches a wall, and a target, wherever it was, is never hit through one.
//
// Who can be hit, in tick t, by a projectile with Rewind R:
//   - never its shooter, which is not rewound either: the shot starts where the shooter is
//     now, which is where the shooter's own prediction drew it;
//   - only a player that was alive at the end of Step t−R, in its current life: one that had
//     not joined yet, was dead, or has spawned since (a respawn, a new match) was not where
//     the shooter saw it, and the projectile passes it in that tick;
//   - a player that was, and has been killed since by another shot: the shot stops on it,
//     as it did on its shooter's screen, and the hit is reported, but the dead take no
//     damage (EventHit with Value 0; player.go). With R = 0, only the living are hit.
//
// The hit, and the kill it may be, happen now, in tick t: a target can be hit up to the
// window after it ran behind a wall on its own screen, never later.
//
// The kill race is why a dead target stops a rewound shot: the shooter's screen shows its
// target alive for R ticks after another player's shot killed it on the server, and a shot
// that struck it there has hit, as far as its shooter could see. Flying on through the body
// would hit, or kill, someone behind it whom that screen never showed hit.
//
// The history is not part of Hash: it is a function of the states of the last window of
// ticks, so two runs whose Hash agree at every tick hold the same history.

// pastPos is a player's position at the end of one Step.
type pastPos struct {
	X, Y int32
	Tick int32 // the Step it is from; an entry from any other Step is no position
}

// RewindStats counts, since New, what lag compensation did with the projectiles fired.
// They are bookkeeping for the server's metrics, not part of Hash.
type RewindStats struct {
	// Shots counts the projectiles fired by the rewind they were given: Shots[r] were
	// judged r ticks in the past (Shots[0] against the present).
	Shots [MaxLagCompTicks + 1]uint64
	// Clamped counts the projectiles whose shooter's RenderLag was beyond the window: they
	// were judged at its edge.
	Clamped uint64
}

// rewind returns the rewind of a projectile fired with render lag lag: lag, at most the
// window. It counts both.
func (w *World) rewind(lag uint8) int32 {
	r := int32(lag)
	if r > w.cfg.LagCompTicks {
		r = w.cfg.LagCompTicks
		w.Rewinds.Clamped++
	}
	w.Rewinds.Shots[r]++
	return r
}

// record keeps where every live player is at the end of this Step, in the tick's row of
// w.past (one row per tick of the window, one entry per player ID).
func (w *World) record() {
	n := w.cfg.LagCompTicks
	if n == 0 {
		return
	}
	row := w.past[int(w.Tick%n)*MaxPlayers:][:MaxPlayers]
	for i := range w.Players {
		if p := &w.Players[i]; p.Alive {
			row[p.ID-1] = pastPos{X: p.X, Y: p.Y, Tick: w.Tick}
		}
	}
}

// forget drops the recorded positions of id, which is spawning: they are of another life.
func (w *World) forget(id PlayerID) {
	for i := int(id) - 1; i < len(w.past); i += MaxPlayers {
		w.past[i].Tick = 0
	}
}

// frame is where the players were at the end of Step tick, which must lie within the
// window before the current one.
type frame struct {
	tick int32
	row  []pastPos // by player ID - 1; nil before the first Step
}

// frameAt returns the frame of Step tick.
func (w *World) frameAt(tick int32) frame {
	if tick < 1 {
		return frame{tick: tick}
	}
	return frame{tick: tick, row: w.past[int(tick%w.cfg.LagCompTicks)*MaxPlayers:][:MaxPlayers]}
}

// at returns where id was, and whether it was alive then in its current life.
func (f frame) at(id PlayerID) (x, y int32, ok bool) {
	if f.row == nil {
		return 0, 0, false
	}
	e := &f.row[id-1]
	return e.X, e.Y, e.Tick == f.tick
}
