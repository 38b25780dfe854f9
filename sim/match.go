// Stage: matches. The last stage of Step: a match ends on time or on the score limit,
// an intermission follows, then the next match starts with scores reset.

package sim

// Phase is the part of a match cycle the World is in.
type Phase uint8

const (
	// PhasePlaying: players move, fire and score.
	PhasePlaying Phase = iota
	// PhaseIntermission: the scores of the match that ended stand; nobody moves or fires.
	PhaseIntermission
)

// Match is the current match.
type Match struct {
	Number  int32 // 1, 2, ...
	Phase   Phase
	EndTick int32 // tick at which the current phase ends
}

// updateMatch ends the match or starts the next one when their time has come.
func (w *World) updateMatch() {
	switch w.Match.Phase {
	case PhasePlaying:
		if w.Tick >= w.Match.EndTick || w.scoreLimitReached() {
			w.endMatch()
		}
	case PhaseIntermission:
		if w.Tick >= w.Match.EndTick {
			w.startMatch()
		}
	}
}

func (w *World) scoreLimitReached() bool {
	for i := range w.Players {
		if w.Players[i].Kills >= w.cfg.ScoreLimit {
			return true
		}
	}
	return false
}

// endMatch enters the intermission, reports the winner and clears the projectiles.
func (w *World) endMatch() {
	w.Match.Phase = PhaseIntermission
	w.Match.EndTick = w.Tick + w.cfg.IntermissionTicks
	w.Projectiles = w.Projectiles[:0]
	w.Events = append(w.Events, Event{Kind: EventMatchEnd, A: w.winner()})
}

// winner returns the player with the most kills, then the fewest deaths, then the lowest
// ID; or 0 if nobody has a kill.
func (w *World) winner() PlayerID {
	var best *Player
	for i := range w.Players {
		p := &w.Players[i]
		if p.Kills > 0 && (best == nil || p.Kills > best.Kills || p.Kills == best.Kills && p.Deaths < best.Deaths) {
			best = p
		}
	}
	if best == nil {
		return 0
	}
	return best.ID
}

// startMatch begins the next match: scores reset and everyone respawns, in ID order, each
// at a spawn point clear of those placed before.
func (w *World) startMatch() {
	w.Match.Number++
	w.Match.Phase = PhasePlaying
	w.Match.EndTick = w.Tick + w.cfg.MatchTicks
	w.Events = append(w.Events, Event{Kind: EventMatchStart, Value: w.Match.Number})
	for i := range w.Players {
		p := &w.Players[i]
		p.Kills, p.Deaths = 0, 0
		p.Alive = false
		p.NextFire = 0
	}
	for i := range w.Players {
		w.spawn(&w.Players[i])
		w.Events = append(w.Events, Event{Kind: EventSpawn, A: w.Players[i].ID})
	}
}
