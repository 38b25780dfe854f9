// server_test.go — the tests' game server, without sockets: a real
// sim.World stepped once per tick, its state captured (simwire.Capture, as
// server/game.go does) and delta-encoded with pb.Encoder against what the
// client holds (as server/snapshot.go does), and the input slots of
// server/tick.go (simwire.Slots, in seat, and the amendments it hands on). link_test.go carries its frames
// to and from the Client under test.

package netcode_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// meID is the player under test; bots take the ids after it.
const meID sim.PlayerID = 1

// seat is the player under test's input queue and slots, filled once a
// tick as server/tick.go fills every player's, and what the filling
// counted.
type seat struct {
	queue testkit.Inputs // arrived, oldest first: tests push to it
	slots simwire.Slots
	took  uint32 // seq of the input the last fill took for its own slot; 0: none
	// amending holds the seqs of the inputs the last fill handed on to
	// amend the slots before (applied by the game's Amend); 0: none
	amending [simwire.MaxAmendBack]uint32

	standIns, dropped, idle, amended int
}

// take fills this tick's slot at at (Unix nanoseconds) and counts how.
func (s *seat) take(at int64) simwire.Slot {
	var sl simwire.Slot
	s.slots.Fill(&s.queue, &sl, at)
	s.dropped += int(sl.Dropped)
	s.took, s.amending = 0, [simwire.MaxAmendBack]uint32{}
	for i, a := range sl.Amend[:sl.Amends] {
		s.amending[i] = a.Input.Seq
	}
	switch sl.From {
	case simwire.FromQueue:
		s.took = sl.Input.Seq
	case simwire.FromStandIn:
		s.standIns++
	case simwire.FromIdle:
		s.idle++
	}
	return sl
}

// ack and lead are what the snapshots carry.
func (s *seat) ack() uint32 { return s.slots.Ack() }

func (s *seat) lead() int32 { return s.slots.Lead() }

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
	// clock, if set, is the server's clock, which the player's inputs are
	// stamped by as they arrive and its slots filled at (the link
	// harness's made-up time); unset, tick n is filled at n ticks after
	// the Unix epoch (now).
	clock func() time.Time
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
	cfg = s.w.Config()
	simwire.Describe(wel, &cfg) // the Welcome's arena and rules, as the real server sends them
	head, err := proto.Marshal(wel)
	if err != nil {
		tb.Fatal(err)
	}
	s.head = head
	return s
}

// now is the server's clock in Unix nanoseconds: what the slots are filled
// at, and what inputs are stamped with as they arrive (arrive).
func (s *testServer) now() int64 {
	if s.clock != nil {
		return s.clock().UnixNano()
	}
	return int64(s.w.Tick+1) * int64(tickDur)
}

// arrive queues inputs for the player under test, as arrived now.
func (s *testServer) arrive(ins ...pb.InputMsg) { s.seat.queue.Push(s.now(), ins...) }

// me is the player under test in the server's world.
func (s *testServer) me() *sim.Player { return s.w.Player(meID) }

// step runs one tick and returns the frame for the client: the Welcome on
// the first tick, a delta snapshot after. The frame is valid until the
// next step.
func (s *testServer) step() []byte {
	s.inputs = s.inputs[:0]
	sl := s.seat.take(s.now())
	amended := false
	for i, a := range sl.Amend[:sl.Amends] {
		if !s.w.Amend(meID, a.Back, simwire.Input(a.Input)) {
			s.seat.amending[i] = 0
			continue
		}
		s.seat.amended++
		amended = true
	}
	if amended && s.states != nil { // what the server holds of the amended tick now
		st := &pb.State{}
		simwire.Capture(s.w, st, nil)
		s.states[st.Tick] = st
	}
	if sl.Applied() {
		s.inputs = append(s.inputs, sim.PlayerInput{ID: meID, Input: simwire.Input(sl.Input)})
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
		s.frame = pb.AppendWelcomeMessage(s.frame[:0], s.head, uint32(meID), s.seat.ack(), s.body)
	} else {
		s.body = s.enc.AppendSnapshot(s.body[:0], &s.prev, &s.cur, s.events, s.cur.Tick%s.checksumEvery == 0)
		s.frame = pb.AppendSnapshotMessage(s.frame[:0], s.seat.ack(), s.seat.lead(), s.body)
	}
	s.prev.CopyFrom(&s.cur)
	return s.frame
}

// capture writes the world's replicated state and this tick's events, as
// server/game.go's Capture and server/snapshot.go's capture do.
func (s *testServer) capture() {
	s.events = simwire.Capture(s.w, &s.cur, s.events[:0])
	for i := range s.cur.Players {
		s.cur.Players[i].Name = playerName(sim.PlayerID(s.cur.Players[i].ID))
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
