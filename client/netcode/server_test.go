// server_test.go — the tests' game server, without sockets: a real
// sim.World stepped once per tick, its state captured and delta-encoded
// with pb.Encoder against what the client holds (as server/game.go and
// server/snapshot.go do), and the input slots of server/tick.go (seat).
// link_test.go carries its frames to and from the Client under test.

package netcode_test

import (
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
	"skirmish/server"
	"skirmish/sim"
)

// meID is the player under test; bots take the ids after it.
const meID sim.PlayerID = 1

// seat is one player's input slots, as collectInputs in server/tick.go
// fills them: one slot per tick, input seq n in the n-th. When the next
// input has not arrived, the game's held input stands in for it and the ack
// moves on (at most maxOwed times in a row, and only once an input has
// come). An input whose slot is past is dropped (its fire button carried
// over) when a later one is queued behind it; one that comes alone is
// applied in this later slot: a one-tick divergence the client corrects.
type seat struct {
	queue     []pb.InputMsg
	ack, owed uint32

	standIns, dropped, lateAlone int
}

// maxOwed mirrors server/tick.go.
const maxOwed = 6

// take returns the input for this tick's slot; false: the held one stands in.
func (s *seat) take() (pb.InputMsg, bool) {
	if len(s.queue) == 0 {
		if s.ack > 0 && s.owed < maxOwed {
			s.standIns++
			s.owed++
			s.ack++
		}
		return pb.InputMsg{}, false
	}
	in := s.queue[0]
	s.queue = s.queue[1:]
	for in.Seq <= s.ack && len(s.queue) > 0 {
		next := s.queue[0]
		s.queue = s.queue[1:]
		next.Buttons |= in.Buttons
		in = next
		s.dropped++
	}
	if in.Seq <= s.ack {
		s.lateAlone++
	}
	s.owed = 0
	s.ack = max(s.ack, in.Seq)
	return in, true
}

// bot is a server-side player that wanders: a new direction every 20 to 80
// ticks, its aim sweeping, firing now and then if fire is set.
type bot struct {
	id   sim.PlayerID
	rng  *rand.Rand
	in   sim.Input
	next int32 // tick of the next change of direction
	fire bool
}

func (b *bot) input(tick int32) sim.Input {
	if tick >= b.next {
		b.in.Move = uint8(b.rng.IntN(16))
		b.next = tick + 20 + b.rng.Int32N(60)
	}
	b.in.Aim = uint16((int(b.in.Aim) + 7) % sim.AimSteps)
	b.in.Buttons = 0
	if b.fire && b.rng.IntN(8) == 0 {
		b.in.Buttons = sim.ButtonFire
	}
	return b.in
}

// testServer runs one room with the player under test and some bots.
type testServer struct {
	w    *sim.World
	seat seat
	bots []*bot

	enc      pb.Encoder
	prev     pb.State // what the client holds
	cur      pb.State
	welcomed bool
	head     []byte // the room's Welcome fields
	body     []byte
	frame    []byte
	events   []pb.EventInfo
	inputs   []sim.PlayerInput

	checksumEvery uint32
	// states, if not nil, records every captured state by tick.
	states map[uint32]*pb.State
	// afterStep, if set, runs after every Step, before the capture: tests
	// move or kill players there.
	afterStep func(w *sim.World)
}

// newTestServer returns a room with the player under test and n bots
// (firing if fire), seeded with seed.
func newTestServer(tb testing.TB, seed uint64, n int, fire bool) *testServer {
	cfg := sim.DefaultConfig()
	cfg.Seed = seed
	s := &testServer{w: sim.New(cfg), checksumEvery: 10}
	for id := meID; id <= meID+sim.PlayerID(n); id++ {
		if err := s.w.AddPlayer(id); err != nil {
			tb.Fatal(err)
		}
		if id != meID {
			s.bots = append(s.bots, &bot{id: id, rng: rand.New(rand.NewPCG(seed, uint64(id))), fire: fire})
		}
	}
	wel := &pb.Welcome{ProtocolVersion: 1, Room: "test-room", TickRate: sim.TickRate}
	server.NewSimGame(s.w.Config()).Describe(wel) // the Welcome's arena and rules, as the real server sends them
	head, err := proto.Marshal(wel)
	if err != nil {
		tb.Fatal(err)
	}
	s.head = head
	return s
}

// me is the player under test in the server's world.
func (s *testServer) me() *sim.Player { return s.w.Player(meID) }

// step runs one tick and returns the frame for the client: the Welcome on
// the first tick, a delta snapshot after. The frame is valid until the
// next step.
func (s *testServer) step() []byte {
	s.inputs = s.inputs[:0]
	if in, ok := s.seat.take(); ok {
		s.inputs = append(s.inputs, sim.PlayerInput{ID: meID, Input: sim.Input{Move: uint8(in.Move), Aim: uint16(in.Aim), Buttons: uint8(in.Buttons)}})
	}
	for _, b := range s.bots {
		s.inputs = append(s.inputs, sim.PlayerInput{ID: b.id, Input: b.input(s.w.Tick + 1)})
	}
	s.w.Step(s.inputs)
	if s.afterStep != nil {
		s.afterStep(s.w)
	}
	s.capture()
	if s.states != nil {
		st := &pb.State{}
		st.CopyFrom(&s.cur)
		s.states[st.Tick] = st
	}
	if !s.welcomed {
		s.welcomed = true
		s.body = s.enc.AppendSnapshot(s.body[:0], nil, &s.cur, s.events, true)
		s.frame = pb.AppendWelcomeMessage(s.frame[:0], s.head, uint32(meID), s.seat.ack, s.body)
	} else {
		s.body = s.enc.AppendSnapshot(s.body[:0], &s.prev, &s.cur, s.events, s.cur.Tick%s.checksumEvery == 0)
		s.frame = pb.AppendSnapshotMessage(s.frame[:0], s.seat.ack, s.body)
	}
	s.prev.CopyFrom(&s.cur)
	return s.frame
}

// capture writes the world's replicated state and this tick's events, as
// server/game.go's Capture and server/snapshot.go's capture do.
func (s *testServer) capture() {
	w := s.w
	st := &s.cur
	st.Tick = uint32(w.Tick)
	phase := pb.MatchPhase_MATCH_PHASE_PLAYING
	if w.Match.Phase == sim.PhaseIntermission {
		phase = pb.MatchPhase_MATCH_PHASE_INTERMISSION
	}
	st.Match = pb.MatchInfo{Number: uint32(w.Match.Number), Phase: phase, EndTick: uint32(w.Match.EndTick)}
	st.Players = st.Players[:0]
	for i := range w.Players {
		p := &w.Players[i]
		alive := int32(0)
		if p.Alive {
			alive = 1
		}
		st.Players = append(st.Players, pb.PlayerState{ID: uint32(p.ID), Name: playerName(p.ID), F: [pb.NumPlayerFields]int32{
			pb.FieldX: p.X, pb.FieldY: p.Y, pb.FieldAim: int32(p.Aim), pb.FieldHealth: p.Health,
			pb.FieldAlive: alive, pb.FieldKills: p.Kills, pb.FieldDeaths: p.Deaths,
		}})
	}
	st.Shots = st.Shots[:0]
	for i := range w.Projectiles {
		pr := &w.Projectiles[i]
		st.Shots = append(st.Shots, pb.ShotState{ID: pr.ID, Owner: uint32(pr.Owner), X: pr.X, Y: pr.Y, VX: pr.VX, VY: pr.VY})
	}
	s.events = s.events[:0]
	for _, ev := range w.Events {
		s.events = append(s.events, pb.EventInfo{Tick: st.Tick, Kind: pb.EventKind(ev.Kind), A: uint32(ev.A), B: uint32(ev.B), Value: ev.Value})
	}
}

// playerName is the display name of a player; constant strings, so that
// capturing allocates nothing.
func playerName(id sim.PlayerID) string {
	names := [...]string{"", "me", "ada", "bob", "cy", "di", "ed", "flo", "gus", "hal", "ivy", "jo", "kim", "lu", "mo", "ned", "oz"}
	if int(id) < len(names) {
		return names[id]
	}
	return "bot"
}

// pong answers a Ping as server/inbound.go does.
func (s *testServer) pong(clientTime uint64) []byte {
	b, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTime: clientTime, Tick: uint32(s.w.Tick)}}})
	if err != nil {
		panic(err)
	}
	return b
}
