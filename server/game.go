// game.go — the narrow interface between a room (room.go, tick.go) and the
// simulation it runs, and its implementation over sim.World, which maps
// between the sim and the wire with simwire. Another game plugs in here.

package server

import (
	"hash/fnv"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// maxPlayers bounds RoomCapacity: player ids are 1..RoomCapacity.
const maxPlayers = 64

// Game is one room's simulation. Only the room's goroutine calls its
// methods, except Sanitize.
type Game interface {
	// AddPlayer puts a player with the given id (1..capacity) into the world.
	AddPlayer(id uint32) error
	// RemovePlayer takes the player out.
	RemovePlayer(id uint32)
	// Step advances one tick. A player without an input repeats its last.
	Step(inputs []PlayerInput)
	// Amend redoes the last back Steps' moves of player id from the first
	// of them on with in, the input that came late for it (the slots stood
	// in with the one before: simwire.Slot.Amend), and reports whether it
	// could; a game that cannot leaves the stand-ins' moves.
	Amend(id uint32, back int, in pb.InputMsg) bool
	// Capture writes the replicated state into s (players and shots sorted by
	// id, names left empty) and appends the last Step's events to events.
	Capture(s *pb.State, events []pb.EventInfo) []pb.EventInfo
	// Describe fills the map and the rules of a Welcome.
	Describe(w *pb.Welcome)
	// Sanitize brings an input into range and reports whether it had to.
	// Connections' read goroutines call it concurrently: it must not touch
	// the game's state.
	Sanitize(in pb.InputMsg) (pb.InputMsg, bool)
	// Rewinds writes into r what lag compensation did since the game
	// began (lagcomp.go); a game without it leaves r zero.
	Rewinds(r *Rewinds)
}

// PlayerInput is one player's input for one tick.
type PlayerInput struct {
	ID    uint32
	Input pb.InputMsg
}

// simGame adapts sim.World to Game.
type simGame struct {
	w      *sim.World
	inputs []sim.PlayerInput
}

// SimGames makes the Skirmish sim with the rules of cfg for each room,
// seeded from the room's name (cfg.Seed is ignored): an Options.NewGame.
func SimGames(cfg sim.Config) func(room string) Game {
	return func(room string) Game {
		h := fnv.New64a()
		h.Write([]byte(room))
		c := cfg
		c.Seed = h.Sum64()
		return NewSimGame(c)
	}
}

// NewSimGame is the Skirmish sim as a Game, with the given rules.
func NewSimGame(cfg sim.Config) Game { return &simGame{w: sim.New(cfg)} }

func (g *simGame) AddPlayer(id uint32) error { return g.w.AddPlayer(sim.PlayerID(id)) }

func (g *simGame) RemovePlayer(id uint32) { g.w.RemovePlayer(sim.PlayerID(id)) }

func (g *simGame) Amend(id uint32, back int, in pb.InputMsg) bool {
	return g.w.Amend(sim.PlayerID(id), back, simwire.Input(in))
}

func (g *simGame) Step(inputs []PlayerInput) {
	g.inputs = g.inputs[:0]
	for i := range inputs {
		in := &inputs[i]
		g.inputs = append(g.inputs, sim.PlayerInput{ID: sim.PlayerID(in.ID), Input: simwire.Input(in.Input)})
	}
	g.w.Step(g.inputs)
}

func (g *simGame) Capture(s *pb.State, events []pb.EventInfo) []pb.EventInfo {
	return simwire.Capture(g.w, s, events)
}

func (g *simGame) Describe(wel *pb.Welcome) {
	cfg := g.w.Config()
	simwire.Describe(wel, &cfg)
}

func (g *simGame) Sanitize(in pb.InputMsg) (pb.InputMsg, bool) { return simwire.Sanitize(in) }

func (g *simGame) Rewinds(r *Rewinds) {
	r.Shots, r.Clamped = g.w.Rewinds.Shots, g.w.Rewinds.Clamped
}
