// capture.go — a sim.World as the wire replicates it: Capture writes the
// pb.State and events that proto/snapshot.go's Encoder delta-encodes.
// server/game.go's Game.Capture (and the netcode's test server) call it
// once per tick; server/snapshot.go adds the names.

package simwire

import (
	pb "skirmish/proto"
	"skirmish/sim"
)

// Capture writes w's replicated state into s (players and shots sorted by
// id, as the World keeps them; names and serials left empty) and appends
// the last Step's events to events. It allocates only when s or events
// must grow.
func Capture(w *sim.World, s *pb.State, events []pb.EventInfo) []pb.EventInfo {
	s.Tick = uint32(w.Tick)
	s.Match = pb.MatchInfo{Number: uint32(w.Match.Number), Phase: MatchPhase(w.Match.Phase), EndTick: uint32(w.Match.EndTick)}
	s.Players = s.Players[:0]
	for i := range w.Players {
		p := &w.Players[i]
		alive := int32(0)
		if p.Alive {
			alive = 1
		}
		s.Players = append(s.Players, pb.PlayerState{ID: uint32(p.ID), F: [pb.NumPlayerFields]int32{
			pb.FieldX: p.X, pb.FieldY: p.Y, pb.FieldAim: int32(p.Aim), pb.FieldHealth: p.Health,
			pb.FieldAlive: alive, pb.FieldKills: p.Kills, pb.FieldDeaths: p.Deaths,
		}})
	}
	s.Shots = s.Shots[:0]
	for i := range w.Projectiles {
		pr := &w.Projectiles[i]
		s.Shots = append(s.Shots, pb.ShotState{ID: pr.ID, Owner: uint32(pr.Owner), X: pr.X, Y: pr.Y, VX: pr.VX, VY: pr.VY})
	}
	for _, ev := range w.Events {
		events = append(events, pb.EventInfo{Tick: s.Tick, Kind: EventKind(ev.Kind), A: uint32(ev.A), B: uint32(ev.B), Value: ev.Value})
	}
	return events
}

// MatchPhase is the wire's name for a sim phase.
func MatchPhase(p sim.Phase) pb.MatchPhase {
	if p == sim.PhaseIntermission {
		return pb.MatchPhase_MATCH_PHASE_INTERMISSION
	}
	return pb.MatchPhase_MATCH_PHASE_PLAYING
}

// EventKind is the wire's name for a sim event kind; a kind the wire does
// not know is EVENT_KIND_UNSPECIFIED.
func EventKind(k sim.EventKind) pb.EventKind {
	switch k {
	case sim.EventHit:
		return pb.EventKind_EVENT_KIND_HIT
	case sim.EventKill:
		return pb.EventKind_EVENT_KIND_KILL
	case sim.EventSpawn:
		return pb.EventKind_EVENT_KIND_SPAWN
	case sim.EventMatchEnd:
		return pb.EventKind_EVENT_KIND_MATCH_END
	case sim.EventMatchStart:
		return pb.EventKind_EVENT_KIND_MATCH_START
	}
	return pb.EventKind_EVENT_KIND_UNSPECIFIED
}
