// conformance_script_test.go — the scripted match behind the conformance
// corpus (testdata/conformance/), played by the functions a room composes
// (server/tick.go, server/snapshot.go): simwire.Slots fills each player's
// input slot, sim.World steps, simwire.Capture replicates, Encoder encodes
// one client's delta against its baseline from a 16-tick history, and
// AppendSnapshotMessage / AppendWelcomeMessage frame it. The client
// recorded, "Zoë", makes its inputs as the netcode does (stand-ins numbered
// after the ack, two inputs in one go). conformance_test.go writes and
// checks the files; movement vectors are in conformance_move_test.go.

package pb_test

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// The script's room: what a server with default options and these rules
// would run. Short matches, respawns and intermissions keep the corpus
// small; the Welcome carries the rules a client needs.
const (
	scriptTicks        = 760
	scriptHistory      = 16 // server.Options.History's default
	scriptChecksum     = 60 // server.Options.ChecksumEvery's default
	scriptCapacity     = 16
	scriptRoomName     = "r1"
	observerRenderLag  = 4
	observerHoldTicks  = 23 // each of the observer's key sets is held this long
	scriptSeed         = 17
	scriptMatchTicks   = 420
	scriptScoreLimit   = 3
	scriptIntermission = 45
	scriptRespawn      = 30
)

// scriptConfig is the sim configuration of the scripted room.
func scriptConfig() sim.Config {
	c := sim.DefaultConfig()
	c.Seed = scriptSeed
	c.MatchTicks = scriptMatchTicks
	c.ScoreLimit = scriptScoreLimit
	c.IntermissionTicks = scriptIntermission
	c.RespawnTicks = scriptRespawn
	return c
}

// seat is one connected player of the scripted room.
type seat struct {
	id     uint32
	name   string
	serial uint32
	slots  simwire.Slots
	queue  testkit.Inputs
	seq    uint32
}

// joinAt and leaveAt say who joins and leaves at the start of which tick
// (leaves are evicted after the joins of the same tick are admitted, as
// server/tick.go does). The observer joins first and stays.
var (
	joinAt = map[int32][]string{
		1:   {"Zoë"},
		4:   {"東京"},
		9:   {"ada"},
		231: {"Bob-π"}, // takes id 2, freed at tick 230, in the snapshot the observer skips
		300: {"d.e_v"},
		340: {"ada"}, // id 3 again, a tick after ada left: left and joined in separate snapshots
		520: {"Ünal 7"},
	}
	leaveAt = map[int32][]string{
		230: {"東京"},
		339: {"ada"},
		600: {"d.e_v"},
	}
)

// Observer behaviour by tick, as a slow or bursty client shows it.
var (
	// skipped are the ticks whose snapshot the observer is not sent (its
	// writes had not finished): 230 puts a reused id into one delta, 150–152
	// make a delta over several ticks, 380–399 push its baseline out of the
	// history, so that tick 400 is a full snapshot (and the match
	// end at 420 arrives tick by tick).
	skipped = func(t int32) bool { return t == 230 || t >= 150 && t <= 152 || t >= 380 && t <= 399 }
	// silent ticks: the observer makes no input (a long frame); the server
	// stands in, and the observer numbers its next input after the ack.
	silent = func(t int32) bool { return t >= 100 && t <= 103 || t >= 470 && t <= 471 }
	// burst ticks: the observer makes this tick's input and the next one's
	// in one go (an Inputs message), then none the next tick.
	burst = func(t int32) bool { return t == 60 || t == 62 || t == 250 }
)

// observerMoves are the observer's key sets, each held observerHoldTicks:
// the eight directions, opposing keys, and none.
var observerMoves = []uint8{
	sim.MoveRight, sim.MoveRight | sim.MoveDown, sim.MoveDown, sim.MoveDown | sim.MoveLeft,
	sim.MoveLeft, sim.MoveLeft | sim.MoveUp, sim.MoveUp, sim.MoveUp | sim.MoveRight,
	sim.MoveUp | sim.MoveDown, sim.MoveLeft | sim.MoveRight | sim.MoveUp, 0,
}

// corpusInput is one of the observer's inputs, as its prediction counts on
// it: sent, or a stand-in the server made for it (the last input, held).
type corpusInput struct {
	Seq       uint32 `json:"seq"`
	Move      uint32 `json:"move"`
	Aim       uint32 `json:"aim"`
	Buttons   uint32 `json:"buttons"`
	RenderLag uint32 `json:"render_lag"`
	Sent      bool   `json:"sent"`
}

// corpusFrame is one ServerMessage the observer received, and the hash of
// its state after it.
type corpusFrame struct {
	Kind  string `json:"kind"`
	Tick  uint32 `json:"tick"`
	Frame string `json:"frame"` // hex
	Hash  string `json:"hash"`  // 16 hex digits
	bytes []byte
}

// stream is the scripted match's record.
type stream struct {
	Frames []corpusFrame
	Inputs []corpusInput
}

// scriptRoom is the scripted room.
type scriptRoom struct {
	w       *sim.World
	enc     pb.Encoder
	head    []byte
	seats   [scriptCapacity + 1]*seat
	serial  uint32
	states  [scriptHistory]pb.State
	events  [scriptHistory][]pb.EventInfo
	tick    uint32
	inputs  []sim.PlayerInput
	scratch []pb.EventInfo

	obs     *seat
	obsBase uint32 // the observer's baseline: the tick of the last snapshot it was sent; 0 before its Welcome
	obsSeen uint32 // the ack of the newest snapshot the observer has, as its client knows it
	obsLast corpusInput
	held    pb.State // the observer's state, rebuilt by State.Apply
	rec     stream
}

// playScript runs the scripted match and returns the observer's record.
func playScript() (*stream, error) {
	cfg := scriptConfig()
	r := &scriptRoom{w: sim.New(cfg)}
	wel := &pb.Welcome{ProtocolVersion: 1, Room: scriptRoomName, TickRate: sim.TickRate}
	wcfg := r.w.Config()
	simwire.Describe(wel, &wcfg)
	var err error
	if r.head, err = proto.Marshal(wel); err != nil {
		return nil, err
	}
	for t := int32(1); t <= scriptTicks; t++ {
		if err := r.step(t); err != nil {
			return nil, fmt.Errorf("tick %d: %w", t, err)
		}
	}
	kick, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{
		Reason: pb.KickReason_KICK_REASON_SHUTDOWN, Message: "The match is over and this server is shutting down: queue again."}}})
	if err != nil {
		return nil, err
	}
	if err := r.record("kick", kick); err != nil {
		return nil, err
	}
	return &r.rec, nil
}

// step is one tick of the room: admit, evict, inputs, Step, capture, send.
func (r *scriptRoom) step(t int32) error {
	for _, name := range joinAt[t] {
		r.admit(name)
	}
	for _, name := range leaveAt[t] {
		r.evict(name)
	}
	r.makeInputs(t)
	r.inputs = r.inputs[:0]
	for _, s := range r.seats {
		if s == nil {
			continue
		}
		var sl simwire.Slot
		if s.slots.Fill(&s.queue, &sl, 0); sl.Applied() { // no clock: the corpus carries no input margins
			r.inputs = append(r.inputs, sim.PlayerInput{ID: sim.PlayerID(s.id), Input: simwire.Input(sl.Input)})
		}
	}
	r.w.Step(r.inputs)
	r.capture()
	if skipped(t) {
		return nil
	}
	return r.send()
}

func (r *scriptRoom) admit(name string) {
	for id := uint32(1); id <= scriptCapacity; id++ {
		if r.seats[id] != nil {
			continue
		}
		if err := r.w.AddPlayer(sim.PlayerID(id)); err != nil {
			panic(err)
		}
		r.serial++
		r.seats[id] = &seat{id: id, name: name, serial: r.serial}
		if r.obs == nil {
			r.obs = r.seats[id]
		}
		return
	}
}

func (r *scriptRoom) evict(name string) {
	for id, s := range r.seats {
		if s != nil && s.name == name {
			r.w.RemovePlayer(sim.PlayerID(id))
			r.seats[id] = nil
			return
		}
	}
}

// makeInputs queues the inputs that reach the server before tick t: the
// observer's as its client makes them, one for each other player.
func (r *scriptRoom) makeInputs(t int32) {
	for _, s := range r.seats {
		if s == nil || s == r.obs {
			continue
		}
		s.seq++
		s.queue.Push(0, simwire.InputMsg(s.seq, r.botInput(s, t)))
	}
	o := r.obs
	if o == nil || r.obsBase == 0 || silent(t) || burst(t-1) {
		return
	}
	// An ack beyond the inputs made: the server stood in for them with the
	// last input; the client counts on that and numbers on after the ack.
	for o.seq < r.obsSeen {
		o.seq++
		in := r.obsLast
		in.Seq, in.Sent = o.seq, false
		r.rec.Inputs = append(r.rec.Inputs, in)
	}
	r.observerInput(t)
	if burst(t) {
		r.observerInput(t + 1)
	}
}

// observerInput makes the observer's input meant for tick t.
func (r *scriptRoom) observerInput(t int32) {
	o := r.obs
	o.seq++
	move := observerMoves[int(t/observerHoldTicks)%len(observerMoves)]
	me := r.w.Player(sim.PlayerID(o.id))
	in := sim.Input{Move: move}
	if target := r.nearest(me); target != nil {
		in.Aim = aimAt(target.X-me.X, target.Y-me.Y)
		if t%40 < 25 {
			in.Buttons, in.RenderLag = sim.ButtonFire, observerRenderLag
		}
	}
	msg := simwire.InputMsg(o.seq, in)
	o.queue.Push(0, msg)
	r.obsLast = corpusInput{Seq: msg.Seq, Move: msg.Move, Aim: msg.Aim, Buttons: msg.Buttons, RenderLag: msg.RenderLag, Sent: true}
	r.rec.Inputs = append(r.rec.Inputs, r.obsLast)
}

// botInput is another player's input for tick t: face the nearest live
// player and fire; close in when far, circle when near.
func (r *scriptRoom) botInput(s *seat, t int32) sim.Input {
	me := r.w.Player(sim.PlayerID(s.id))
	target := r.nearest(me)
	if me == nil || target == nil {
		return sim.Input{}
	}
	dx, dy := target.X-me.X, target.Y-me.Y
	in := sim.Input{Aim: aimAt(dx, dy), Buttons: sim.ButtonFire, RenderLag: uint8(t % 3)}
	far := int64(dx)*int64(dx)+int64(dy)*int64(dy) > 300*300*sim.UnitsPerPixel*sim.UnitsPerPixel
	switch {
	case far && dx > 0:
		in.Move |= sim.MoveRight
	case far && dx < 0:
		in.Move |= sim.MoveLeft
	}
	switch {
	case far && dy > 0 || !far && (t/30+int32(s.id))%2 == 0:
		in.Move |= sim.MoveDown
	case far && dy < 0 || !far:
		in.Move |= sim.MoveUp
	}
	return in
}

// nearest is the live player nearest to p other than p, or nil.
func (r *scriptRoom) nearest(p *sim.Player) *sim.Player {
	if p == nil {
		return nil
	}
	var best *sim.Player
	var bestD int64
	for i := range r.w.Players {
		q := &r.w.Players[i]
		if q.ID == p.ID || !q.Alive {
			continue
		}
		dx, dy := int64(q.X-p.X), int64(q.Y-p.Y)
		if d := dx*dx + dy*dy; best == nil || d < bestD {
			best, bestD = q, d
		}
	}
	return best
}

// aimAt is the aim step whose direction is nearest to (dx, dy).
func aimAt(dx, dy int32) uint16 {
	best, bestDot := uint16(0), int64(-1<<62)
	for a := uint16(0); a < sim.AimSteps; a++ {
		ux, uy := sim.Dir(a)
		if dot := int64(ux)*int64(dx) + int64(uy)*int64(dy); dot > bestDot {
			best, bestDot = a, dot
		}
	}
	return best
}

// capture records the tick's replicated state and events in the history,
// with the names and serials of the seats (server/snapshot.go's capture).
func (r *scriptRoom) capture() {
	tick := r.tick + 1
	i := tick % scriptHistory
	st := &r.states[i]
	r.events[i] = simwire.Capture(r.w, st, r.events[i][:0])
	for k := range st.Players {
		p := &st.Players[k]
		if s := r.seats[p.ID]; s != nil {
			p.Name, p.Serial = s.name, s.serial
		}
	}
	r.tick = st.Tick
}

// at is the history's state of tick t, or nil.
func (r *scriptRoom) at(t uint32) *pb.State {
	if t == 0 || t > r.tick || r.tick-t >= scriptHistory {
		return nil
	}
	if s := &r.states[t%scriptHistory]; s.Tick == t {
		return s
	}
	return nil
}

// send writes the observer's frame for this tick: its Welcome, or a delta
// against its baseline (a full snapshot when the history no longer holds
// it), with its ack and lead (server/snapshot.go's body and broadcast).
func (r *scriptRoom) send() error {
	cur := r.at(r.tick)
	from := r.at(r.obsBase)
	first := r.obsBase + 1
	if from == nil {
		first = cur.Tick
	}
	r.scratch = r.scratch[:0]
	for t := first; t <= cur.Tick; t++ {
		r.scratch = append(r.scratch, r.events[t%scriptHistory]...)
	}
	checksum := from == nil || cur.Tick%scriptChecksum == 0
	body := r.enc.AppendSnapshot(nil, from, cur, r.scratch, checksum)
	o := r.obs
	var frame []byte
	kind := "snapshot"
	if r.obsBase == 0 {
		frame, kind = pb.AppendWelcomeMessage(nil, r.head, o.id, o.slots.Ack(), body), "welcome"
	} else {
		frame = pb.AppendSnapshotMessage(nil, o.slots.Ack(), o.slots.Lead(), body)
	}
	r.obsBase = cur.Tick
	if err := r.record(kind, frame); err != nil {
		return err
	}
	if h := r.held.Hash(); h != cur.Hash() {
		return fmt.Errorf("the observer's state hashes %016x after tick %d, the room's %016x", h, cur.Tick, cur.Hash())
	}
	switch cur.Tick {
	case 200:
		return r.pong(cur.Tick)
	case 500:
		return r.notice()
	}
	return nil
}

// record appends frame to the record, applying it to the observer's state.
func (r *scriptRoom) record(kind string, frame []byte) error {
	k, body, err := pb.SplitServerMessage(frame)
	if err != nil {
		return err
	}
	switch k {
	case pb.ServerWelcome:
		_, state, err := pb.ReadWelcome(body)
		if err != nil {
			return err
		}
		body = state
		fallthrough
	case pb.ServerSnapshot:
		info, _, err := r.held.Apply(body, nil)
		if err != nil {
			return err
		}
		r.obsSeen = info.Ack
	}
	r.rec.Frames = append(r.rec.Frames, corpusFrame{Kind: kind, Tick: r.held.Tick,
		Frame: fmt.Sprintf("%x", frame), Hash: fmt.Sprintf("%016x", r.held.Hash()), bytes: frame})
	return nil
}

// pong is the answer to a Ping the observer sent: it changes no state.
func (r *scriptRoom) pong(tick uint32) error {
	b, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTime: 1_798_000_000_123, Tick: tick}}})
	if err != nil {
		return err
	}
	return r.record("pong", b)
}

// notice is what a draining server tells its players.
func (r *scriptRoom) notice() error {
	b, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Notice{Notice: &pb.Notice{
		Message: "This server is shutting down after this match: you will be asked to queue again."}}})
	if err != nil {
		return err
	}
	return r.record("notice", b)
}
