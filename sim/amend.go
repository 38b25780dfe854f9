// Stage: amendment, between Steps. A server that stood in for a player's input that had not
// arrived in time (it applied the input before, without its fire) may redo that player's
// moves of the last Steps, up to MaxAmendBack of them, with the input that has arrived
// since, before the next Step: Amend. It replays move.go and projectile.go for one player
// and rewrites its lag compensation frames (lagcomp.go).

package sim

// MaxAmendBack is the most Steps back Amend can redo: an input two ticks late (30 ms at
// 60 Hz) can still be amended; one later cannot.
const MaxAmendBack = 2

// Amend redoes the last back Steps' moves of player id with in, the input the first of
// them should have had, and reports whether it could. A server calls it between Steps, for
// a player whose input of tick w.Tick-back+1 came too late for it: those Steps stood in
// for it (each moved the player with its held input, without fire), and in has arrived
// since.
//
// The player goes back to where the Step before them left it (the end of tick
// w.Tick-back), moves and aims by in for the first of them, and in becomes its held input.
// If in fires and the cooldown allows at that tick, the shot is fired as of that tick (its
// rewind from in.RenderLag, as fire does) and flown each tick from then to w.Tick as the
// projectile stage would have (flyAmended says against what); a hit it makes is reported
// by the next Step, with its events, and takes effect now. A shot a stand-in fired stays
// fired, and its cooldown stands. For each later Step (back 2: tick w.Tick) the player
// moves and aims by in without its fire: that is the server's stand-in rule, the newest
// input received standing in with its fire waiting. The lag compensation frames of the
// redone ticks get the new positions.
//
// Between two Steps a server may amend one player twice, back 2 first (input n-1), then
// back 1 (input n), when both late inputs came in one tick: the second redoes the last
// Step from where the first left the player, so the World is as if both Steps had had their
// inputs in time. The other order is no such World, and a tick log refuses it.
//
// Amend refuses (and changes nothing) unless 1 <= back <= MaxAmendBack and the Steps moved
// the player from where the Step before left them, in the same life and in play: the
// player is alive, the match is being played, and lag compensation holds the player's
// positions at the end of each of ticks w.Tick-back .. w.Tick, which needs a window
// (Config.LagCompTicks) of at least back+1 ticks. So whether it can amend, and what,
// depends only on the World's state, which a keyframe keeps: a replay that is handed the
// same amendments between the same Steps, in the same order, stays bit-identical (ticklog
// records them).
func (w *World) Amend(id PlayerID, back int, in Input) bool {
	p := w.Player(id)
	if back < 1 || back > MaxAmendBack || int(w.cfg.LagCompTicks) < back+1 ||
		p == nil || !p.Alive || w.Match.Phase != PhasePlaying {
		return false
	}
	first := w.Tick - int32(back) + 1 // the first tick redone
	x, y, ok := w.frameAt(first - 1).at(id)
	for t := first; ok && t <= w.Tick; t++ {
		_, _, ok = w.frameAt(t).at(id)
	}
	if !ok {
		return false
	}
	in, _ = in.Sanitize()
	p.X, p.Y, p.Input = x, y, in
	for t := first; t <= w.Tick; t++ {
		move := in
		if t > first {
			move.Buttons &^= ButtonFire
		}
		MovePlayer(w.cfg.Map, &w.cfg, p, move)
		p.Aim = move.Aim
		w.frameAt(t).row[id-1] = pastPos{X: p.X, Y: p.Y, Tick: t}
		if t == first {
			shots := len(w.Projectiles)
			if w.fire(p, t); len(w.Projectiles) > shots {
				w.flyAmended(shots, t)
			}
		}
	}
	return true
}

// flyAmended flies the projectile at index i, which Amend just fired as of tick from, for
// each tick from then to w.Tick, as the projectile stage of those ticks would have; its
// hit's events go to pending, and the hit, and the kill it may be, happen now (as a rewound
// hit does, lagcomp.go).
//
// In tick t, a projectile with Rewind R > 0 is tested against the frame of tick t-R, as
// the projectile stage does. With R = 0 it is tested against where the players are in the
// tick of the flight: for the last Step, where they are now; for a tick before it, where
// its frame has them at its end (those alive then in their current life, each as amended
// so far), as a rewound shot is. A frame the window no longer holds (t-R at or before
// w.Tick-LagCompTicks, which only a RenderLag at the window's edge reaches) holds nobody,
// and the projectile passes everyone in that tick; it flies on as usual after.
func (w *World) flyAmended(i int, from int32) {
	pr := &w.Projectiles[i]
	for t := from; t <= w.Tick; t++ {
		var then *frame
		if pr.Rewind > 0 || t < w.Tick {
			f := w.frameAt(t - pr.Rewind)
			then = &f
		}
		victim, flies := fly(w.cfg.Map, w.cfg.PlayerRadius, pr, w.Players, t, then)
		if victim >= 0 {
			events := w.Events
			w.Events = w.pending
			w.damage(&w.Players[victim], pr.Owner)
			w.pending, w.Events = w.Events, events
		}
		if !flies {
			w.Projectiles = w.Projectiles[:i]
			return
		}
	}
}
