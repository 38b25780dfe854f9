// Stage: amendment, between Steps. A server that stood in for a player's input that had not
// arrived in time (it applied the input before it again) may redo that player's move of the
// last Step with the input that has arrived since, before the next Step: Amend.

package sim

// Amend redoes the last Step's move of player id with in, the input that Step should have
// had, and reports whether it could. A server calls it between Steps, for a player whose
// input of the last Step came too late for it: Step held the player's input before
// (stood in with it), and in has arrived since. The player goes back to where it was at the
// end of the Step before, moves by in and aims by in, and in becomes its held input. If in
// fires and the cooldown allows (the held input did not fire in that Step), the shot is
// fired as that Step would have fired it and flown its first tick; a hit it makes there is
// reported by the next Step, with its events. A shot the held input fired stays fired.
//
// Amend refuses (and changes nothing) unless the last Step moved the player from where the
// Step before left it, in the same life and in play: the player is alive, the match is
// being played, and lag compensation (lagcomp.go) holds the player's positions at the end
// of both Steps, which needs a window of at least two ticks. So whether it can amend, and
// what, depends only on the World's state, which a keyframe keeps: a replay that is handed
// the same amendments between the same Steps stays bit-identical (ticklog records them).
func (w *World) Amend(id PlayerID, in Input) bool {
	p := w.Player(id)
	if w.cfg.LagCompTicks < 2 || p == nil || !p.Alive || w.Match.Phase != PhasePlaying {
		return false
	}
	was, now := w.frameAt(w.Tick-1), w.frameAt(w.Tick)
	x, y, ok := was.at(id)
	if _, _, okNow := now.at(id); !ok || !okNow {
		return false
	}
	in, _ = in.Sanitize()
	p.X, p.Y = x, y
	MovePlayer(w.cfg.Map, &w.cfg, p, in)
	p.Aim, p.Input = in.Aim, in
	now.row[id-1] = pastPos{X: p.X, Y: p.Y, Tick: w.Tick}
	shots := len(w.Projectiles)
	if w.fire(p); len(w.Projectiles) > shots {
		w.flyAmended(shots)
	}
	return true
}

// flyAmended flies the projectile at index i, which Amend just fired, for the tick of the
// last Step, as its projectile stage would have; its hit's events go to pending.
func (w *World) flyAmended(i int) {
	pr := &w.Projectiles[i]
	var then *frame
	if pr.Rewind > 0 {
		f := w.frameAt(w.Tick - pr.Rewind)
		then = &f
	}
	victim, flies := fly(w.cfg.Map, w.cfg.PlayerRadius, pr, w.Players, w.Tick, then)
	if victim >= 0 {
		events := w.Events
		w.Events = w.pending
		w.damage(&w.Players[victim], pr.Owner)
		w.pending, w.Events = w.Events, events
	}
	if !flies {
		w.Projectiles = w.Projectiles[:i]
	}
}
