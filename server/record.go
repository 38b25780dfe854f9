// record.go — each match of a room recorded as its tick log (package
// ticklog), when Options.Replays is set: newRoom (room.go) wraps the
// room's Skirmish sim in a recordingGame, which tells the room's
// ticklog.Recorder of every join and leave and of every Step the tick
// (tick.go) takes, after the input slots filled it; the Recorder reads
// the applied inputs, the hash and the match's start and end from the
// World. When the room ends (room.go) the Recorder writes the match as it
// stands. Recording never blocks the tick and allocates nothing per tick
// (ticklog's doc says how).

package server

import (
	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/ticklog"
)

// recordingGame is a room's sim that records what it is handed. Only the
// room's goroutine calls it, like any Game.
type recordingGame struct {
	Game
	w   *sim.World
	rec *ticklog.Recorder
}

// recorded returns g, recording, when the server keeps replays and g is
// the Skirmish sim (another Game's matches are not recorded).
func (r *room) recorded(g Game) Game {
	sg, ok := g.(*simGame)
	if r.s.opts.Replays == nil || !ok {
		return g
	}
	r.rec = &recordingGame{Game: g, w: sg.w}
	r.rec.rec = r.s.opts.Replays.Recorder(r.id, sg.w, r.s.opts.TickRate, r.playerName, r.s.opts.Now)
	return r.rec
}

// playerName is the name in the ticket of the player id ("" once gone).
func (r *room) playerName(id sim.PlayerID) string {
	if int(id) < len(r.clients) && r.clients[id] != nil {
		return r.clients[id].ticket.Name
	}
	return ""
}

func (g *recordingGame) AddPlayer(id uint32) error {
	if err := g.Game.AddPlayer(id); err != nil {
		return err
	}
	g.rec.Joined(sim.PlayerID(id))
	return nil
}

func (g *recordingGame) RemovePlayer(id uint32) {
	if g.w.Player(sim.PlayerID(id)) != nil {
		g.rec.Leaving(sim.PlayerID(id))
	}
	g.Game.RemovePlayer(id)
}

func (g *recordingGame) Amend(id uint32, back int, in pb.InputMsg) bool {
	if !g.Game.Amend(id, back, in) {
		return false
	}
	g.rec.Amended(sim.PlayerID(id), back)
	return true
}

func (g *recordingGame) Step(inputs []PlayerInput) {
	g.Game.Step(inputs)
	g.rec.Stepped()
}

// endRecording writes the match being played as it stands, or, after a
// crash, throws it away (the World may be half-way through a Step).
func (r *room) endRecording(crashed bool) {
	if r.rec == nil {
		return
	}
	if crashed {
		r.rec.rec.Abandon()
	} else {
		r.rec.rec.Close()
	}
}
