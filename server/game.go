// game.go — the narrow interface between a room (room.go, tick.go) and the
// simulation it runs, and its implementation over sim.World. Another game
// plugs in here.

package server

import (
	"hash/fnv"
	"math"

	pb "skirmish/proto"
	"skirmish/sim"
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

func (g *simGame) Step(inputs []PlayerInput) {
	g.inputs = g.inputs[:0]
	for _, in := range inputs {
		g.inputs = append(g.inputs, sim.PlayerInput{ID: sim.PlayerID(in.ID), Input: sim.Input{
			Move: uint8(in.Input.Move), Aim: uint16(in.Input.Aim), Buttons: uint8(in.Input.Buttons),
			RenderLag: uint8(in.Input.RenderLag),
		}})
	}
	g.w.Step(g.inputs)
}

func (g *simGame) Capture(s *pb.State, events []pb.EventInfo) []pb.EventInfo {
	w := g.w
	s.Tick = uint32(w.Tick)
	s.Match = pb.MatchInfo{Number: uint32(w.Match.Number), Phase: matchPhase(w.Match.Phase), EndTick: uint32(w.Match.EndTick)}
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
		events = append(events, pb.EventInfo{Tick: s.Tick, Kind: eventKind(ev.Kind), A: uint32(ev.A), B: uint32(ev.B), Value: ev.Value})
	}
	return events
}

func (g *simGame) Describe(wel *pb.Welcome) {
	cfg := g.w.Config()
	m := cfg.Map
	arena := &pb.Arena{Width: m.Width, Height: m.Height}
	for _, r := range m.Walls {
		arena.Walls = append(arena.Walls, r.MinX, r.MinY, r.MaxX, r.MaxY)
	}
	for _, p := range m.Spawns {
		arena.Spawns = append(arena.Spawns, p.X, p.Y)
	}
	wel.Arena = arena
	wel.Rules = &pb.Rules{
		PlayerSpeed:       cfg.PlayerSpeed,
		PlayerRadius:      cfg.PlayerRadius,
		MaxHealth:         cfg.MaxHealth,
		ProjectileSpeed:   cfg.ProjectileSpeed,
		FireCooldownTicks: cfg.FireCooldownTicks,
		MatchTicks:        cfg.MatchTicks,
		ScoreLimit:        cfg.ScoreLimit,
	}
}

func (g *simGame) Sanitize(in pb.InputMsg) (pb.InputMsg, bool) {
	out := in
	out.Move &= uint32(sim.MoveMask)
	out.Buttons &= uint32(sim.ButtonMask)
	out.Aim = min(out.Aim, sim.AimSteps-1)
	out.RenderLag = min(out.RenderLag, math.MaxUint8) // the sim clamps it to the window, and counts
	return out, out != in
}

func (g *simGame) Rewinds(r *Rewinds) {
	r.Shots, r.Clamped = g.w.Rewinds.Shots, g.w.Rewinds.Clamped
}

func matchPhase(p sim.Phase) pb.MatchPhase {
	if p == sim.PhaseIntermission {
		return pb.MatchPhase_MATCH_PHASE_INTERMISSION
	}
	return pb.MatchPhase_MATCH_PHASE_PLAYING
}

func eventKind(k sim.EventKind) pb.EventKind {
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
