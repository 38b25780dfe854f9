// matchreport.go — match starts and ends, told to whoever asked
// (Options.OnMatchStart, OnMatchEnd: the lobby, for its room directory
// and its ratings). The registry (registry.go) wraps the Game of each room
// it opens in a reportingGame, which watches the events Capture returns on
// the room's goroutine (tick.go, snapshot.go) and hands each report to a
// goroutine of its own, so a slow listener never holds up a tick.

package server

import (
	"time"

	pb "skirmish/proto"
	"skirmish/ticket"
)

// reportingGame is a room's Game that reports its matches. Only the
// room's goroutine calls it, like any Game.
type reportingGame struct {
	Game
	room *room
}

// Capture captures as the wrapped game does and reports the match starts
// and ends among the events.
func (g *reportingGame) Capture(s *pb.State, events []pb.EventInfo) []pb.EventInfo {
	n := len(events)
	events = g.Game.Capture(s, events)
	for _, ev := range events[n:] {
		switch ev.Kind {
		case pb.EventKind_EVENT_KIND_MATCH_START:
			g.started(s)
		case pb.EventKind_EVENT_KIND_MATCH_END:
			g.ended(s)
		}
	}
	return events
}

// started reports when the match that just started ends at the latest.
func (g *reportingGame) started(s *pb.State) {
	report := g.room.s.opts.OnMatchStart
	if report == nil {
		return
	}
	ticks := time.Duration(int64(s.Match.EndTick) - int64(s.Tick))
	ends := g.room.s.opts.Now().Add(ticks * time.Second / time.Duration(g.room.s.opts.TickRate))
	go report(g.room.id, ends)
}

// ended reports the result of every connected player, by the id in their
// ticket, as the final state has it.
func (g *reportingGame) ended(s *pb.State) {
	report := g.room.s.opts.OnMatchEnd
	if report == nil {
		return
	}
	results := make([]ticket.MatchResult, 0, len(s.Players))
	for _, p := range s.Players {
		if int(p.ID) >= len(g.room.clients) || g.room.clients[p.ID] == nil {
			continue
		}
		results = append(results, ticket.MatchResult{
			PlayerID: g.room.clients[p.ID].ticket.PlayerID,
			Kills:    int(p.F[pb.FieldKills]),
			Deaths:   int(p.F[pb.FieldDeaths]),
		})
	}
	go report(g.room.id, results)
}
