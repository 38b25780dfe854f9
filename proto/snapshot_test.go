// snapshot_test.go covers the Snapshot codec (snapshot.go): random state sequences through Encoder.AppendSnapshot and State.Apply, the same bytes through the generated code, skipped snapshots, size, allocations and hostile snapshots.

package pb_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
)

// world makes a random sequence of server States: players join, leave and
// have their seat reused, fields change, shots appear, fly and disappear.
type world struct {
	rng        *rand.Rand
	st         pb.State
	nextShot   uint32
	nextSerial uint32
	events     []pb.EventInfo // since the previous step
	shotBorn   map[uint32]shotOrigin
}

// shotOrigin is where and when a shot appeared: at tick t it must be at
// X0 + VX·(t − T0).
type shotOrigin struct {
	T0     uint32
	X0, Y0 int32
}

func newWorld(seed uint64) *world {
	w := &world{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), shotBorn: map[uint32]shotOrigin{}}
	w.st.Tick = uint32(w.rng.IntN(1000))
	w.st.Match = pb.MatchInfo{Number: 1, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: w.st.Tick + 3600}
	for range 1 + w.rng.IntN(6) {
		w.join(w.freeID())
	}
	for range w.rng.IntN(4) {
		w.fire()
	}
	return w
}

var names = []string{"ann", "bob", "", "zoë", "a-much-longer-name-than-usual", "bob"}

func (w *world) freeID() uint32 {
	for {
		id := 1 + uint32(w.rng.IntN(24))
		if w.st.Player(id) == nil {
			return id
		}
	}
}

func (w *world) join(id uint32) {
	w.nextSerial++
	p := pb.PlayerState{ID: id, Name: names[w.rng.IntN(len(names))], Serial: w.nextSerial}
	for f := range p.F {
		if w.rng.IntN(3) > 0 {
			p.F[f] = w.rng.Int32N(4000) - 500
		}
	}
	i, _ := slices.BinarySearchFunc(w.st.Players, id, func(p pb.PlayerState, id uint32) int { return int(p.ID) - int(id) })
	w.st.Players = slices.Insert(w.st.Players, i, p)
}

func (w *world) leave(i int) {
	w.st.Players = slices.Delete(w.st.Players, i, i+1)
}

func (w *world) fire() {
	w.nextShot += 1 + uint32(w.rng.IntN(3))
	s := pb.ShotState{ID: w.nextShot, Owner: 1 + uint32(w.rng.IntN(24)),
		X: w.rng.Int32N(30000) - 1000, Y: w.rng.Int32N(20000) - 1000,
		VX: w.rng.Int32N(257) - 128, VY: w.rng.Int32N(257) - 128}
	w.shotBorn[s.ID] = shotOrigin{T0: w.st.Tick, X0: s.X, Y0: s.Y}
	w.st.Shots = append(w.st.Shots, s) // ids only grow, as in sim
}

func (w *world) event() {
	w.events = append(w.events, pb.EventInfo{Tick: w.st.Tick, Kind: pb.EventKind(w.rng.IntN(6)),
		A: uint32(w.rng.IntN(25)), B: uint32(w.rng.IntN(25)), Value: w.rng.Int32N(2000) - 1000})
}

// step advances one or a few ticks and changes things at random.
func (w *world) step() {
	w.events = w.events[:0]
	dt := uint32(1)
	if w.rng.IntN(5) == 0 {
		dt += uint32(w.rng.IntN(4))
	}
	w.st.Tick += dt
	for i := range w.st.Shots {
		s := &w.st.Shots[i]
		s.X += s.VX * int32(dt)
		s.Y += s.VY * int32(dt)
	}
	r := w.rng.IntN
	if r(8) == 0 && len(w.st.Players) > 0 {
		w.leave(r(len(w.st.Players)))
	}
	if r(6) == 0 && len(w.st.Players) < 20 {
		w.join(w.freeID())
	}
	if r(6) == 0 && len(w.st.Players) > 0 { // seat reused within one delta
		i := r(len(w.st.Players))
		id, name := w.st.Players[i].ID, w.st.Players[i].Name
		w.leave(i)
		w.join(id)
		if r(2) == 0 { // same name, told apart only by Serial
			w.st.Player(id).Name = name
		}
	}
	for i := range w.st.Players {
		p := &w.st.Players[i]
		for f := range p.F {
			switch r(6) {
			case 0:
				p.F[f] += w.rng.Int32N(97) - 48
			case 1:
				if r(10) == 0 {
					p.F[f] = w.rng.Int32() - w.rng.Int32() // large jumps, both signs
				}
			}
		}
	}
	for i := 0; i < len(w.st.Shots); i++ {
		if r(6) == 0 {
			w.st.Shots = slices.Delete(w.st.Shots, i, i+1)
			i--
		}
	}
	for range r(3) {
		w.fire()
	}
	if r(15) == 0 {
		w.st.Match.Number++
		w.st.Match.Phase = pb.MatchPhase(r(3))
		w.st.Match.EndTick = w.st.Tick + uint32(r(5000))
	}
	for range r(3) {
		w.event()
	}
	w.check()
}

// check holds the world to its own rules, so that the tests below test the
// codec and not the generator.
func (w *world) check() {
	for i, s := range w.st.Shots {
		o := w.shotBorn[s.ID]
		dt := int32(w.st.Tick - o.T0)
		if s.X != o.X0+s.VX*dt || s.Y != o.Y0+s.VY*dt {
			panic(fmt.Sprintf("shot %d off its line", s.ID))
		}
		if i > 0 && w.st.Shots[i-1].ID >= s.ID {
			panic("shots unsorted")
		}
	}
	for i := 1; i < len(w.st.Players); i++ {
		if w.st.Players[i-1].ID >= w.st.Players[i].ID {
			panic("players unsorted")
		}
	}
}

func snapshotOf(s *pb.State) *pb.State {
	var c pb.State
	c.CopyFrom(s)
	return &c
}

// clientOf is s as a client holds it: without Serials.
func clientOf(s *pb.State) *pb.State {
	c := snapshotOf(s)
	for i := range c.Players {
		c.Players[i].Serial = 0
	}
	return c
}

// samePlayers compares two states' contents, ignoring Serial.
func sameState(t *testing.T, what string, got, want *pb.State) {
	t.Helper()
	if got.Tick != want.Tick || got.Match != want.Match {
		t.Fatalf("%s: tick/match %d %+v, want %d %+v", what, got.Tick, got.Match, want.Tick, want.Match)
	}
	if len(got.Players) != len(want.Players) {
		t.Fatalf("%s: %d players, want %d\n got %+v\nwant %+v", what, len(got.Players), len(want.Players), got.Players, want.Players)
	}
	for i := range got.Players {
		g, w := got.Players[i], want.Players[i]
		g.Serial, w.Serial = 0, 0
		if g != w {
			t.Fatalf("%s: player %d is %+v, want %+v", what, i, g, w)
		}
	}
	if !slices.Equal(got.Shots, want.Shots) {
		t.Fatalf("%s: shots\n got %+v\nwant %+v", what, got.Shots, want.Shots)
	}
	if got.Hash() != want.Hash() {
		t.Fatalf("%s: hash %x, want %x", what, got.Hash(), want.Hash())
	}
}

// deliver encodes cur against base (nil: full) for a client with the given
// ack (and an input lead made from it, 0 among them), applies it to client
// and checks everything the client sees. It returns the message.
func deliver(t *testing.T, enc *pb.Encoder, client, base, cur *pb.State, events []pb.EventInfo, ack uint32, checksum bool) []byte {
	t.Helper()
	body := enc.AppendSnapshot(nil, base, cur, events, checksum)
	lead := int32(ack%15) - 7
	msg := pb.AppendSnapshotMessage([]byte{0xEE}, ack, lead, body)
	if msg[0] != 0xEE {
		t.Fatal("AppendSnapshotMessage overwrote its prefix")
	}
	msg = msg[1:]

	kind, sb, err := pb.SplitServerMessage(msg)
	if err != nil || kind != pb.ServerSnapshot {
		t.Fatalf("SplitServerMessage: %v, %v", kind, err)
	}
	info, evs, err := client.Apply(sb, []pb.EventInfo{{Tick: 42}})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	for _, p := range client.Players {
		if p.Serial != 0 {
			t.Fatalf("client player %d has Serial %d", p.ID, p.Serial)
		}
	}
	sameState(t, "client after Apply", client, cur)
	wantSum := uint64(0)
	if checksum {
		wantSum = cur.Hash()
	}
	if want := (pb.SnapshotInfo{Tick: cur.Tick, Full: base == nil, Ack: ack, Lead: lead, Checksum: wantSum}); info != want {
		t.Fatalf("info %+v, want %+v", info, want)
	}
	if len(evs) != len(events)+1 || evs[0] != (pb.EventInfo{Tick: 42}) || !slices.Equal(evs[1:], events) {
		t.Fatalf("events %+v, want %+v appended", evs, events)
	}
	checkGenerated(t, msg, base, cur, events, ack, lead, checksum)
	return msg
}

// checkGenerated reads msg with the generated code and rebuilds cur from
// base by hand, following skirmish.proto, with no help from the codec.
func checkGenerated(t *testing.T, msg []byte, base, cur *pb.State, events []pb.EventInfo, ack uint32, lead int32, checksum bool) {
	t.Helper()
	var sm pb.ServerMessage
	if err := proto.Unmarshal(msg, &sm); err != nil {
		t.Fatalf("generated code rejects the message: %v", err)
	}
	sn := sm.GetSnapshot()
	if sn == nil {
		t.Fatalf("generated code sees no snapshot in %v", &sm)
	}
	full := base == nil
	if full {
		base = &pb.State{}
	}
	if sn.Tick != cur.Tick || sn.Full != full || sn.Ack != ack || sn.InputLead != lead {
		t.Fatalf("generated: tick %d full %v ack %d input lead %d, want %d %v %d %d", sn.Tick, sn.Full, sn.Ack, sn.InputLead, cur.Tick, full, ack, lead)
	}
	if checksum != (sn.Checksum != 0) || checksum && sn.Checksum != cur.Hash() {
		t.Fatalf("generated: checksum %x, want %v %x", sn.Checksum, checksum, cur.Hash())
	}
	switch {
	case full || base.Match != cur.Match:
		m := sn.GetMatch()
		if m == nil || (pb.MatchInfo{Number: m.Number, Phase: m.Phase, EndTick: m.EndTick}) != cur.Match {
			t.Fatalf("generated: match %v, want %+v", m, cur.Match)
		}
	case sn.Match != nil:
		t.Fatalf("generated: match %v sent though unchanged", sn.Match)
	}
	if len(sn.Events) != len(events) {
		t.Fatalf("generated: %d events, want %d", len(sn.Events), len(events))
	}
	for i, e := range sn.Events {
		if got := (pb.EventInfo{Tick: e.Tick, Kind: e.Kind, A: e.A, B: e.B, Value: e.Value}); got != events[i] {
			t.Fatalf("generated: event %d %+v, want %+v", i, got, events[i])
		}
	}

	// What must have left and joined: a player is the same one only with the
	// same id, Serial and name.
	var wantLeft, wantJoined []uint32
	for _, b := range base.Players {
		if c := cur.Player(b.ID); c == nil || c.Serial != b.Serial || c.Name != b.Name {
			wantLeft = append(wantLeft, b.ID)
		}
	}
	for _, c := range cur.Players {
		if b := base.Player(c.ID); b == nil || c.Serial != b.Serial || c.Name != b.Name {
			wantJoined = append(wantJoined, c.ID)
		}
	}
	left := slices.Sorted(slices.Values(sn.Left))
	if !slices.Equal(left, wantLeft) {
		t.Fatalf("generated: left %v, want %v", sn.Left, wantLeft)
	}
	var joined []uint32
	for _, j := range sn.Joined {
		joined = append(joined, j.Id)
		if c := cur.Player(j.Id); c == nil || c.Name != j.Name {
			t.Fatalf("generated: joined %v, not in cur", j)
		}
	}
	if !slices.Equal(joined, wantJoined) {
		t.Fatalf("generated: joined %v, want %v", joined, wantJoined)
	}

	// Rebuild by hand.
	var m pb.State
	m.CopyFrom(base)
	m.Tick, m.Match = cur.Tick, cur.Match
	dt := int32(cur.Tick - base.Tick)
	for i := range m.Shots {
		m.Shots[i].X += m.Shots[i].VX * dt
		m.Shots[i].Y += m.Shots[i].VY * dt
	}
	m.Players = slices.DeleteFunc(m.Players, func(p pb.PlayerState) bool { return slices.Contains(sn.Left, p.ID) })
	for _, j := range sn.Joined {
		m.Players = append(m.Players, pb.PlayerState{ID: j.Id, Name: j.Name})
	}
	slices.SortFunc(m.Players, func(a, b pb.PlayerState) int { return int(a.ID) - int(b.ID) })
	id, vi, prevID := uint32(0), 0, -1
	for _, key := range sn.PlayerKeys {
		id += key>>7 + 1
		if int(id) <= prevID {
			t.Fatalf("generated: keys not ascending")
		}
		prevID = int(id)
		mask := key & 0x7f
		if mask == 0 {
			t.Fatalf("generated: key %d for player %d with an empty mask", key, id)
		}
		p := m.Player(id)
		if p == nil {
			t.Fatalf("generated: key for absent player %d", id)
		}
		for f := range pb.NumPlayerFields {
			if mask&(1<<f) != 0 {
				if p.F[f]+sn.PlayerValues[vi] == p.F[f] {
					t.Fatalf("generated: player %d field %d sent unchanged", id, f)
				}
				p.F[f] += sn.PlayerValues[vi]
				vi++
			}
		}
	}
	if vi != len(sn.PlayerValues) {
		t.Fatalf("generated: %d player values, %d used", len(sn.PlayerValues), vi)
	}
	gone, sid := map[uint32]bool{}, uint32(0)
	for _, g := range sn.ShotsGone {
		sid += g
		gone[sid] = true
	}
	m.Shots = slices.DeleteFunc(m.Shots, func(s pb.ShotState) bool { return gone[s.ID] })
	if len(sn.Shots)%6 != 0 {
		t.Fatalf("generated: %d shot numbers", len(sn.Shots))
	}
	sid = 0
	for i := 0; i < len(sn.Shots); i += 6 {
		v := sn.Shots[i : i+6]
		sid += uint32(v[0])
		m.Shots = append(m.Shots, pb.ShotState{ID: sid, Owner: uint32(v[1]), X: v[2], Y: v[3], VX: v[4], VY: v[5]})
	}
	slices.SortFunc(m.Shots, func(a, b pb.ShotState) int { return int(a.ID) - int(b.ID) })
	sameState(t, "generated rebuild", &m, cur)
}

func TestSnapshotRandomSequences(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			w := newWorld(seed)
			var enc pb.Encoder
			var client, lossy pb.State          // lossy receives only some snapshots
			client.Tick, lossy.Tick = 77, 99999 // junk that a full snapshot must drop
			client.Players = []pb.PlayerState{{ID: 3, Name: "stale"}}
			history := map[uint32]*pb.State{}
			var lossyBase *pb.State
			var prev *pb.State
			ack := uint32(0)
			for step := range 200 {
				cur := snapshotOf(&w.st)
				history[cur.Tick] = cur
				if w.rng.IntN(3) == 0 {
					ack += uint32(w.rng.IntN(3))
				}
				// Every client but the first gets a delta; a full one now and then.
				base := prev
				if step > 0 && w.rng.IntN(40) == 0 {
					base = nil
				}
				deliver(t, &enc, &client, base, cur, w.events, ack, w.rng.IntN(2) == 0)

				// The lossy client: deltas against a baseline several ticks old.
				if step == 0 || w.rng.IntN(4) == 0 {
					if lossyBase != nil && history[lossyBase.Tick] != lossyBase {
						t.Fatal("history lost the baseline")
					}
					deliver(t, &enc, &lossy, lossyBase, cur, w.events, ack, true)
					lossyBase = cur
				}
				prev = cur
				w.step()
			}
		})
	}
}

// TestSnapshotSkipGaps encodes against every older baseline, so that deltas
// spanning many ticks (shots far along their line, players gone and back)
// are checked on their own.
func TestSnapshotSkipGaps(t *testing.T) {
	w := newWorld(7)
	var states []*pb.State
	for range 30 {
		states = append(states, snapshotOf(&w.st))
		w.step()
	}
	var enc pb.Encoder
	for i := range states {
		for j := i + 1; j < len(states); j++ {
			deliver(t, &enc, clientOf(states[i]), states[i], states[j], nil, uint32(j), j%2 == 0)
		}
	}
}

// move16 is 16 players at play and a few shots; moved makes every player
// step by at most 48 units on each axis.
func move16(rng *rand.Rand) (base, moved *pb.State) {
	base = &pb.State{Tick: 18_000, Match: pb.MatchInfo{Number: 3, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: 30_000}}
	for id := uint32(1); id <= 16; id++ {
		p := pb.PlayerState{ID: id, Name: fmt.Sprint("player", id), Serial: id}
		p.F = [pb.NumPlayerFields]int32{rng.Int32N(30000), rng.Int32N(20000), rng.Int32N(1024), 100, 1, rng.Int32N(20), rng.Int32N(20)}
		base.Players = append(base.Players, p)
	}
	for id := uint32(100); id < 104; id++ {
		base.Shots = append(base.Shots, pb.ShotState{ID: id, Owner: id - 99, X: 5000, Y: 6000, VX: 96, VY: -40})
	}
	moved = snapshotOf(base)
	moved.Tick++
	for i := range moved.Shots {
		moved.Shots[i].X += moved.Shots[i].VX
		moved.Shots[i].Y += moved.Shots[i].VY
	}
	for i := range moved.Players {
		f := &moved.Players[i].F
		f[pb.FieldX] += rng.Int32N(97) - 48
		f[pb.FieldY] += rng.Int32N(97) - 48
		if f[pb.FieldX] == base.Players[i].F[pb.FieldX] {
			f[pb.FieldX] += 48
		}
	}
	return base, moved
}

func TestSnapshotSize16Moving(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		base, moved := move16(rng)
		// The worst case the test allows: every player ±48 on both axes.
		worst := snapshotOf(moved)
		for i := range worst.Players {
			worst.Players[i].F[pb.FieldX] = base.Players[i].F[pb.FieldX] - 48
			worst.Players[i].F[pb.FieldY] = base.Players[i].F[pb.FieldY] + 48
		}
		for _, cur := range []*pb.State{moved, worst} {
			var enc pb.Encoder
			msg := deliver(t, &enc, clientOf(base), base, cur, nil, 17_999, false)
			if len(msg) > 64 {
				t.Fatalf("16 moving players: %d-byte message, want ≤ 64", len(msg))
			}
			withSum := pb.AppendSnapshotMessage(nil, 17_999, -3, enc.AppendSnapshot(nil, base, cur, nil, true))
			if cur == worst && i == 0 {
				t.Logf("16 players moving ±48: %d B per client message (%d B with checksum)", len(msg), len(withSum))
			}
		}
	}
}

func TestSnapshotAllocs(t *testing.T) {
	base, cur := move16(rand.New(rand.NewPCG(3, 4)))
	cur.Shots = cur.Shots[1:] // one gone
	cur.Shots = append(cur.Shots, pb.ShotState{ID: 200, Owner: 2, X: 1, Y: 2, VX: 3, VY: 4})
	cur.Match.EndTick++
	events := []pb.EventInfo{{Tick: cur.Tick, Kind: pb.EventKind_EVENT_KIND_HIT, A: 1, B: 2, Value: -20}}

	var enc pb.Encoder
	buf := enc.AppendSnapshot(nil, base, cur, events, true)
	buf = enc.AppendSnapshot(buf[:0], nil, cur, events, true)
	if n := testing.AllocsPerRun(100, func() {
		buf = enc.AppendSnapshot(buf[:0], base, cur, events, true)
	}); n != 0 {
		t.Errorf("Encoder.AppendSnapshot (delta) allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		buf = enc.AppendSnapshot(buf[:0], nil, cur, events, true)
	}); n != 0 {
		t.Errorf("Encoder.AppendSnapshot (full) allocates %v times, want 0", n)
	}
	msgBuf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() {
		msgBuf = pb.AppendSnapshotMessage(msgBuf[:0], 9, 1, buf)
	}); n != 0 {
		t.Errorf("AppendSnapshotMessage allocates %v times, want 0", n)
	}

	body := enc.AppendSnapshot(nil, base, cur, events, true)
	msg := pb.AppendSnapshotMessage(nil, 9, 1, body)
	var client pb.State
	client.CopyFrom(base)
	evs := make([]pb.EventInfo, 0, 8)
	var err error
	if n := testing.AllocsPerRun(100, func() {
		client.CopyFrom(base)
		var sb []byte
		_, sb, err = pb.SplitServerMessage(msg)
		_, evs, err = client.Apply(sb, evs[:0])
	}); n != 0 {
		t.Errorf("SplitServerMessage + State.Apply of a delta without joins allocate %v times, want 0", n)
	}
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, "after Apply", &client, cur)
}

// TestApplyGeneratedSnapshot checks the other direction: a Snapshot written
// by proto.Marshal, which leaves zero scalars (such as tick 0) out.
func TestApplyGeneratedSnapshot(t *testing.T) {
	sn := &pb.Snapshot{
		Full:         true,
		Match:        &pb.MatchState{Number: 1, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: 3600},
		Joined:       []*pb.PlayerJoin{{Id: 2, Name: "bob"}, {Id: 1, Name: ""}},
		PlayerKeys:   []uint32{0<<7 | 1<<pb.FieldHealth, 0<<7 | 1<<pb.FieldX | 1<<pb.FieldAlive},
		PlayerValues: []int32{100, -5, 1},
		Shots:        []int32{4, 2, 10, 20, -3, 0},
		Events:       []*pb.Event{{Kind: pb.EventKind_EVENT_KIND_SPAWN, A: 2}, {Tick: 0, Value: -7}},
	}
	want := pb.State{Match: pb.MatchInfo{Number: 1, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: 3600},
		Players: []pb.PlayerState{{ID: 1, F: [7]int32{pb.FieldHealth: 100}}, {ID: 2, Name: "bob", F: [7]int32{pb.FieldX: -5, pb.FieldAlive: 1}}},
		Shots:   []pb.ShotState{{ID: 4, Owner: 2, X: 10, Y: 20, VX: -3}}}
	sn.Checksum = want.Hash()
	for _, tick := range []uint32{0, 5} {
		sn.Tick = tick
		want.Tick = tick
		sn.Checksum = want.Hash()
		b, err := proto.Marshal(sn)
		if err != nil {
			t.Fatal(err)
		}
		var s pb.State
		s.Tick = 50
		info, evs, err := s.Apply(b, nil)
		if err != nil {
			t.Fatalf("tick %d: Apply of proto.Marshal output: %v", tick, err)
		}
		sameState(t, "generated full", &s, &want)
		if info.Checksum != s.Hash() || !info.Full || info.Tick != tick || len(evs) != 2 || evs[1].Value != -7 || evs[0].A != 2 {
			t.Fatalf("info %+v events %+v", info, evs)
		}

		// A delta at the same tick, also from the generated code.
		d := &pb.Snapshot{Tick: tick, Left: []uint32{1}, PlayerKeys: []uint32{1<<7 | 1<<pb.FieldKills}, PlayerValues: []int32{1},
			ShotsGone: []uint32{4}, Match: &pb.MatchState{}}
		b, _ = proto.Marshal(d)
		if _, _, err := s.Apply(b, nil); err != nil {
			t.Fatalf("tick %d: delta: %v", tick, err)
		}
		if len(s.Players) != 1 || s.Players[0].F[pb.FieldKills] != 1 || len(s.Shots) != 0 || s.Match != (pb.MatchInfo{}) {
			t.Fatalf("after generated delta: %+v", s)
		}
	}
}

// TestApplyProtobufMerging checks what any protobuf reader does with bytes
// the encoder never writes: the match field twice is merged, unpacked
// repeated fields, repeated fields split in several runs, unknown fields
// (at the top and inside match, joins and events), fields out of order.
func TestApplyProtobufMerging(t *testing.T) {
	var b []byte
	b = unknowns(b)
	b = protowire.AppendTag(b, 9, protowire.BytesType) // shots, first run
	b = protowire.AppendBytes(b, zig(nil, 3, 1, 10, 20, 1))
	b = sub(b, 4, field(unknowns(nil), 1, 7)) // match.number, with unknowns
	b = field(b, 1, 10)                       // tick
	b = sub(b, 6, unknowns(sub(field(nil, 1, 5), 2, []byte("eve"))))
	b = protowire.AppendTag(b, 9, protowire.BytesType) // shots, second run
	b = protowire.AppendBytes(b, zig(nil, -1))
	b = sub(b, 11, unknowns(field(field(nil, 2, 1), 5, uint64(^uint64(0)-8)))) // event hit, value -9
	b = field(b, 7, 4<<7|1<<pb.FieldY)                                         // key for player 5, unpacked
	b = sub(b, 4, field(nil, 3, 99))                                           // match.end_tick, merged
	b = field(b, 8, protowire.EncodeZigZag(-6))                                // value -6, unpacked
	b = field(b, 2, 1)                                                         // full
	// match with the wrong wire type, unknown to protobuf; its payload reads
	// as a MatchState with number 42 to a reader that ignores the type.
	b = protowire.AppendTag(b, 4, protowire.Fixed64Type)
	b = append(b, 0x02, 0x08, 0x2a, 0, 0, 0, 0, 0)

	var gen pb.Snapshot
	if err := proto.Unmarshal(b, &gen); err != nil {
		t.Fatalf("generated code rejects the test input: %v", err)
	}
	if gen.Match.Number != 7 || gen.Match.EndTick != 99 || len(gen.Shots) != 6 || gen.Events[0].Value != -9 {
		t.Fatalf("test input misread by the generated code: %v", &gen)
	}
	var s pb.State
	_, evs, err := s.Apply(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := pb.State{Tick: 10, Match: pb.MatchInfo{Number: 7, EndTick: 99},
		Players: []pb.PlayerState{{ID: 5, Name: "eve", F: [7]int32{pb.FieldY: -6}}},
		Shots:   []pb.ShotState{{ID: 3, Owner: 1, X: 10, Y: 20, VX: 1, VY: -1}}}
	sameState(t, "merged", &s, &want)
	if len(evs) != 1 || evs[0] != (pb.EventInfo{Kind: pb.EventKind_EVENT_KIND_HIT, Value: -9}) {
		t.Fatalf("events %+v", evs)
	}
}

func zig(b []byte, vs ...int32) []byte {
	for _, v := range vs {
		b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(v)))
	}
	return b
}

func packed(b []byte, num protowire.Number, vs ...uint64) []byte {
	var p []byte
	for _, v := range vs {
		p = protowire.AppendVarint(p, v)
	}
	return sub(b, num, p)
}

// hostileBase is the state the hostile snapshots are applied to.
func hostileBase() *pb.State {
	return &pb.State{Tick: 100, Match: pb.MatchInfo{Number: 1},
		Players: []pb.PlayerState{{ID: 1, Name: "a"}, {ID: 2, Name: "b"}, {ID: 5, Name: "e"}},
		Shots:   []pb.ShotState{{ID: 10, VX: 1}, {ID: 12, VY: 2}}}
}

// applySafely applies b to a copy of hostileBase, turning a panic into a
// test failure.
func applySafely(t *testing.T, name string, b []byte) (s *pb.State, err error) {
	t.Helper()
	s = hostileBase()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: Apply(% x) panicked: %v", name, b, r)
			err = errors.New("panic")
		}
	}()
	_, _, err = s.Apply(b, nil)
	return s, err
}

func TestApplyHostile(t *testing.T) {
	tick := field(nil, 1, 101)
	cat := func(parts ...[]byte) []byte { return slices.Concat(parts...) }
	cases := map[string][]byte{
		"garbage":                     {0xff, 0xff, 0xff},
		"bad tag":                     cat(tick, []byte{0x80}),
		"field number 0":              cat(tick, []byte{0x00, 0x00}),
		"field number 2^29":           field(tick, 1<<29, 0),
		"field number 2^29 in join":   cat(tick, sub(nil, 6, field(field(nil, 1, 7), 1<<29, 0))),
		"field number 2^29 in event":  cat(tick, sub(nil, 11, field(nil, 1<<29, 0))),
		"field number 2^29 in match":  cat(tick, sub(nil, 4, field(nil, 1<<29, 0))),
		"wire type 6":                 cat(tick, []byte{1<<3 | 6}),
		"end group":                   cat(tick, protowire.AppendTag(nil, 3, protowire.EndGroupType)),
		"bytes past the end":          cat(tick, []byte{6<<3 | 2, 50, 1}),
		"tick backwards":              field(nil, 1, 99),
		"no tick, so tick 0":          packed(nil, 7, 0<<7|1),
		"unknown player key":          cat(tick, packed(nil, 7, 2<<7|1), packed(nil, 8, 2)),
		"key past the last player":    cat(tick, packed(nil, 7, 0<<7|1, 4<<7|1), packed(nil, 8, 2, 2)),
		"key with empty mask":         cat(tick, packed(nil, 7, 0<<7)),
		"key mask beyond fields":      cat(tick, packed(nil, 7, 0<<7|1<<7)),
		"values run short":            cat(tick, packed(nil, 7, 0<<7|3), packed(nil, 8, 2)),
		"values without keys":         cat(tick, packed(nil, 8, 2)),
		"values left over":            cat(tick, packed(nil, 7, 0<<7|1), packed(nil, 8, 2, 4)),
		"values truncated varint":     cat(tick, packed(nil, 7, 0<<7|1), sub(nil, 8, []byte{0x80})),
		"keys as fixed32":             cat(tick, protowire.AppendFixed32(protowire.AppendTag(nil, 7, protowire.Fixed32Type), 1)),
		"left of unknown player":      cat(tick, packed(nil, 5, 3)),
		"left twice":                  cat(tick, packed(nil, 5, 2, 2)),
		"left as fixed64":             cat(tick, protowire.AppendFixed64(protowire.AppendTag(nil, 5, protowire.Fixed64Type), 2)),
		"join of a held player":       cat(tick, sub(nil, 6, field(nil, 1, 2))),
		"join of id 0":                cat(tick, sub(nil, 6, sub(nil, 2, []byte("x")))),
		"join twice":                  cat(tick, sub(nil, 6, field(nil, 1, 7)), sub(nil, 6, field(nil, 1, 7))),
		"join truncated":              cat(tick, sub(nil, 6, []byte{1 << 3})),
		"join name truncated":         cat(tick, sub(nil, 6, []byte{2<<3 | 2, 5, 'a'})),
		"shots not ascending":         cat(tick, sub(nil, 9, zig(nil, 20, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0))),
		"shots going back":            cat(tick, sub(nil, 9, zig(nil, 20, 1, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0))),
		"new shot is a held one":      cat(tick, sub(nil, 9, zig(nil, 12, 1, 0, 0, 0, 0))),
		"shots run short":             cat(tick, sub(nil, 9, zig(nil, 20, 1, 0, 0, 0))),
		"unknown shot gone":           cat(tick, packed(nil, 10, 11)),
		"shot gone twice":             cat(tick, packed(nil, 10, 10, 0)),
		"event truncated":             cat(tick, sub(nil, 11, []byte{1 << 3})),
		"match truncated":             cat(tick, sub(nil, 4, []byte{1 << 3})),
		"full then trailing garbage":  cat(field(nil, 2, 1), tick, []byte{0x0a}),
		"valid then truncated varint": cat(tick, packed(nil, 7, 0<<7|1), packed(nil, 8, 4), []byte{8, 0x80}),
	}
	for name, b := range cases {
		_, err := applySafely(t, name, b)
		if !errors.Is(err, pb.ErrMalformed) {
			t.Errorf("%s (% x): got %v, want ErrMalformed", name, b, err)
		}
	}

	// The same things well formed are accepted, so the cases above fail
	// for the reason they name.
	ok := map[string][]byte{
		"empty delta":                tick,
		"same tick":                  field(nil, 1, 100),
		"tick backwards when full":   cat(field(nil, 1, 3), field(nil, 2, 1)),
		"key for player 5":           cat(tick, packed(nil, 7, 0<<7|1, 3<<7|1), packed(nil, 8, 2, 2)),
		"left then join of one seat": cat(tick, packed(nil, 5, 2), sub(nil, 6, field(nil, 1, 2))),
		"new shots ascending":        cat(tick, sub(nil, 9, zig(nil, 20, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0))),
		"shots gone ascending":       cat(tick, packed(nil, 10, 10, 2)),
	}
	for name, b := range ok {
		if _, err := applySafely(t, name, b); err != nil {
			t.Errorf("%s (% x): %v", name, b, err)
		}
	}
}

// TestApplyTruncatedAndGarbage cuts real snapshots at every byte and flips
// bytes at random: Apply never panics, and a cut inside a field is an error.
func TestApplyTruncatedAndGarbage(t *testing.T) {
	w := newWorld(11)
	var enc pb.Encoder
	rng := rand.New(rand.NewPCG(5, 6))
	prev := snapshotOf(&w.st)
	for range 30 {
		w.step()
		cur := snapshotOf(&w.st)
		for _, base := range []*pb.State{nil, prev} {
			body := enc.AppendSnapshot(nil, base, cur, w.events, true)
			boundaries := map[int]bool{0: true}
			for rest, at := body, 0; len(rest) > 0; {
				_, _, n := protowire.ConsumeField(rest)
				rest, at = rest[n:], at+n
				boundaries[at] = true
			}
			for i := range len(body) {
				s := snapshotOf(prev)
				var err error
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("Apply of %d of %d bytes panicked: %v", i, len(body), r)
						}
					}()
					_, _, err = s.Apply(body[:i], nil)
				}()
				if err != nil && !errors.Is(err, pb.ErrMalformed) {
					t.Fatalf("cut at %d: %v does not wrap ErrMalformed", i, err)
				}
				if !boundaries[i] && err == nil {
					t.Fatalf("cut at %d, inside a field, accepted", i)
				}
			}
			for range 50 {
				g := slices.Clone(body)
				for range 1 + rng.IntN(4) {
					g[rng.IntN(len(g))] = byte(rng.Uint32())
				}
				s := snapshotOf(prev)
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("Apply(% x) panicked: %v", g, r)
						}
					}()
					if _, _, err := s.Apply(g, nil); err != nil && !errors.Is(err, pb.ErrMalformed) {
						t.Fatalf("%v does not wrap ErrMalformed", err)
					}
				}()
			}
		}
		prev = cur
	}
}
