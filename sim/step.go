// Stage: the tick. Step runs the stages of one tick in order; each stage lives in the file
// named after it: input.go, move.go, projectile.go, spawn.go, match.go, and lagcomp.go,
// which records where everyone ended up.

package sim

// Step advances the World by exactly one tick (see the package documentation for the
// stages). inputs may come in any order; an input for an unknown player is ignored, and if
// a player has several the last one wins. A player without input this tick holds its last
// one; held Fire still waits for the cooldown. Step does not allocate once the World's
// slices have grown to their working size.
func (w *World) Step(inputs []PlayerInput) {
	w.Tick++
	w.Events = append(w.Events[:0], w.pending...)
	w.pending = w.pending[:0]

	w.takeInputs(inputs)
	if w.Match.Phase == PhasePlaying {
		w.movePlayers()
	}
	w.moveProjectiles()
	w.respawnPlayers()
	w.updateMatch()
	w.record()
}

// takeInputs stores each player's new input, sanitized, as its held input.
func (w *World) takeInputs(inputs []PlayerInput) {
	for _, pi := range inputs {
		if p := w.Player(pi.ID); p != nil {
			p.Input, _ = pi.Input.Sanitize()
		}
	}
}

// movePlayers moves, turns and fires every live player, in ID order.
func (w *World) movePlayers() {
	for i := range w.Players {
		p := &w.Players[i]
		if !p.Alive {
			continue
		}
		MovePlayer(w.cfg.Map, &w.cfg, p, p.Input)
		p.Aim = p.Input.Aim
		w.fire(p, w.Tick)
	}
}
