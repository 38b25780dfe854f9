// client_test.go covers client.go: the Welcome sets the
// client up, every malformed frame is an error and never a panic, kicks
// and notices and events are kept, and checksums are checked.

package netcode_test

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// welcomed returns a client that took the test server's Welcome, and the server.
func welcomed(t testing.TB) (*netcode.Client, *testServer) {
	t.Helper()
	srv := newTestServer(t, 9, 2, false)
	c := netcode.New(netcode.Options{})
	if err := c.Handle(srv.step(), t0); err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func marshal(t testing.TB, m *pb.ServerMessage) []byte {
	t.Helper()
	b, err := pb.MarshalServer(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func snapshotMsg(s *pb.Snapshot) *pb.ServerMessage {
	return &pb.ServerMessage{Msg: &pb.ServerMessage_Snapshot{Snapshot: s}}
}

func welcomeMsg(w *pb.Welcome) *pb.ServerMessage {
	return &pb.ServerMessage{Msg: &pb.ServerMessage_Welcome{Welcome: w}}
}

// wrap puts body in field num of a ServerMessage by hand, for bodies the
// generated code refuses to write.
func wrap(num protowire.Number, body []byte) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendBytes(b, body)
}

func TestWelcome(t *testing.T) {
	c := netcode.New(netcode.Options{})
	var v netcode.View
	drawFrame(c, t0, &v)
	if c.Welcomed() || c.Input(sim.Input{Move: sim.MoveUp}, t0) != nil || c.Inputs(sim.Input{Move: sim.MoveUp}, t0) != nil || c.Map() != nil || len(v.Players) != 0 {
		t.Fatal("a client before its Welcome is welcomed, sends input, has a map or draws players")
	}
	srv := newTestServer(t, 9, 2, false)
	if err := c.Handle(srv.step(), t0); err != nil {
		t.Fatal(err)
	}
	if !c.Welcomed() || c.PlayerID() != uint32(meID) || c.Room() != "test-room" || c.TickRate() != sim.TickRate || c.Resumed() {
		t.Errorf("welcomed %v as player %d in room %q at %d Hz, resumed %v", c.Welcomed(), c.PlayerID(), c.Room(), c.TickRate(), c.Resumed())
	}
	want := sim.DefaultConfig()
	m, cfg := c.Map(), c.Config()
	if m.Width != want.Map.Width || m.Height != want.Map.Height || len(m.Walls) != len(want.Map.Walls) || len(m.Spawns) != len(want.Map.Spawns) {
		t.Fatalf("map %d×%d with %d walls and %d spawns", m.Width, m.Height, len(m.Walls), len(m.Spawns))
	}
	for i := range m.Walls {
		if m.Walls[i] != want.Map.Walls[i] {
			t.Errorf("wall %d is %v, want %v", i, m.Walls[i], want.Map.Walls[i])
		}
	}
	for i := range m.Spawns {
		if m.Spawns[i] != want.Map.Spawns[i] {
			t.Errorf("spawn %d is %v, want %v", i, m.Spawns[i], want.Map.Spawns[i])
		}
	}
	cfg.Map, want.Map = nil, nil
	if cfg != want {
		t.Errorf("config %+v, want %+v", cfg, want)
	}

	drawFrame(c, t0, &v)
	if len(v.Players) != 3 || v.Me != uint32(meID) || v.Match.Number != 1 || v.Match.Phase != pb.MatchPhase_MATCH_PHASE_PLAYING {
		t.Fatalf("view: %d players, me %d, match %+v", len(v.Players), v.Me, v.Match)
	}
	me, p := local(t, &v), srv.me()
	if me.ID != uint32(meID) || me.Name != "me" || me.X != float64(p.X) || me.Y != float64(p.Y) || !me.Alive || me.Health != 100 || me.MaxHealth != 100 {
		t.Errorf("local player %+v, server has %+v", *me, *p)
	}
	if want := int32(sim.DefaultConfig().MatchTicks - 1); v.TicksLeft != want {
		t.Errorf("%d ticks left, want %d", v.TicksLeft, want)
	}

	ev := c.Events()
	spawns, starts := 0, 0
	for _, e := range ev {
		switch e.Kind {
		case pb.EventKind_EVENT_KIND_SPAWN:
			spawns++
		case pb.EventKind_EVENT_KIND_MATCH_START:
			starts++
		}
	}
	if spawns != 3 || starts != 1 {
		t.Errorf("events %v: want 3 spawns and a match start", ev)
	}
	if ev := c.Events(); len(ev) != 0 {
		t.Errorf("events %v again", ev)
	}

	f := c.Input(sim.Input{Move: sim.MoveRight | 0x70, Aim: 5000, Buttons: 0xff}, t0)
	var msg pb.ClientMsg
	if err := pb.DecodeClientMessage(f, &msg); err != nil {
		t.Fatal(err)
	}
	// It fires, so it carries its render lag: 0, since the only snapshot held is the
	// Welcome's, and the picture drew the present and the others at its tick.
	if want := (pb.InputMsg{Seq: 1, Move: uint32(sim.MoveRight), Aim: sim.AimSteps - 1, Buttons: uint32(sim.ButtonFire), RenderLag: 0}); msg.Kind != pb.ClientInput || msg.Input != want {
		t.Errorf("input frame %+v, want %+v sanitized", msg, want)
	}
	drawFrame(c, t0, &v)
	if me := local(t, &v); me.X != float64(p.X+sim.DefaultConfig().PlayerSpeed) || me.Aim != sim.AimSteps-1 {
		t.Errorf("after one step right the local player is drawn at x %v aiming %v; want x %d", me.X, me.Aim, p.X+sim.DefaultConfig().PlayerSpeed)
	}
}

// TestWelcomeAnyEncoding reads a Welcome written as another encoder may:
// walls unpacked, the arena and the state each split in two (which
// protobuf merges), an unknown field; it says resumed (a held player
// taken over).
func TestWelcomeAnyEncoding(t *testing.T) {
	srv := newTestServer(t, 9, 2, false)
	srv.step()
	body := srv.body // the full snapshot the Welcome carried
	_, _, n := protowire.ConsumeField(body)

	var arena1, arena2, rules, w []byte
	arena1 = protowire.AppendTag(arena1, 1, protowire.VarintType)
	arena1 = protowire.AppendVarint(arena1, 4000)
	for _, v := range []int32{100, 200, 300, 400} {
		arena1 = protowire.AppendTag(arena1, 3, protowire.VarintType)
		arena1 = protowire.AppendVarint(arena1, uint64(v))
	}
	arena2 = protowire.AppendTag(arena2, 2, protowire.VarintType)
	arena2 = protowire.AppendVarint(arena2, 3000)
	arena2 = protowire.AppendTag(arena2, 4, protowire.BytesType)
	arena2 = protowire.AppendBytes(arena2, protowire.AppendVarint(protowire.AppendVarint(nil, 50), 60))
	rules = protowire.AppendTag(rules, 1, protowire.VarintType)
	rules = protowire.AppendVarint(rules, 20)
	for _, f := range []struct {
		num protowire.Number
		b   []byte
	}{{5, arena1}, {6, rules}, {7, body[:n]}, {5, arena2}, {7, body[n:]}, {99, []byte("future")}} {
		w = protowire.AppendTag(w, f.num, protowire.BytesType)
		w = protowire.AppendBytes(w, f.b)
	}
	for _, f := range [][2]uint64{{1, 1}, {2, uint64(meID)}, {4, 30}, {8, 1}} {
		w = protowire.AppendTag(w, protowire.Number(f[0]), protowire.VarintType)
		w = protowire.AppendVarint(w, f[1])
	}

	c := netcode.New(netcode.Options{})
	if err := c.Handle(wrap(1, w), t0); err != nil {
		t.Fatal(err)
	}
	m, cfg := c.Map(), c.Config()
	if m.Width != 4000 || m.Height != 3000 || len(m.Walls) != 1 || m.Walls[0] != (sim.Rect{MinX: 100, MinY: 200, MaxX: 300, MaxY: 400}) ||
		len(m.Spawns) != 1 || m.Spawns[0] != (sim.Point{X: 50, Y: 60}) {
		t.Errorf("map %+v", *m)
	}
	if cfg.PlayerSpeed != 20 || cfg.PlayerRadius != sim.DefaultConfig().PlayerRadius || c.TickRate() != 30 || c.Room() != "" || !c.Resumed() {
		t.Errorf("speed %d, radius %d, %d Hz, room %q, resumed %v", cfg.PlayerSpeed, cfg.PlayerRadius, c.TickRate(), c.Room(), c.Resumed())
	}
	var v netcode.View
	drawFrame(c, t0, &v)
	if st := c.Stats(); len(v.Players) != 3 || st.Checksums != 1 || st.Desyncs != 0 {
		t.Errorf("%d players, %d checksums, %d desyncs", len(v.Players), st.Checksums, st.Desyncs)
	}
}

func TestMalformedFrames(t *testing.T) {
	arena := &pb.Arena{Width: 100, Height: 100}
	state := &pb.Snapshot{Tick: 1, Full: true}
	cases := []struct {
		name    string
		welcome bool // handled after a good Welcome
		frame   func(t *testing.T, srv *testServer) []byte
	}{
		{"empty", false, func(*testing.T, *testServer) []byte { return nil }},
		{"garbage", false, func(*testing.T, *testServer) []byte { return []byte{0xff, 0xff, 0xff} }},
		{"snapshot before the welcome", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, snapshotMsg(&pb.Snapshot{Tick: 1, Full: true}))
		}},
		{"welcome truncated", false, func(_ *testing.T, srv *testServer) []byte {
			f := srv.step()
			return f[:len(f)-3]
		}},
		{"welcome cut inside", false, func(_ *testing.T, srv *testServer) []byte {
			f := srv.step()
			_, body, _ := pb.SplitServerMessage(f)
			return wrap(1, body[:20])
		}},
		{"welcome without player", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 1, TickRate: 60, Arena: arena, State: state}))
		}},
		{"welcome without state", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 1, PlayerId: 1, TickRate: 60, Arena: arena}))
		}},
		{"welcome without arena", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 1, PlayerId: 1, TickRate: 60, State: state}))
		}},
		{"welcome with three numbers of a wall", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 1, PlayerId: 1, TickRate: 60, State: state,
				Arena: &pb.Arena{Width: 100, Height: 100, Walls: []int32{1, 2, 3}}}))
		}},
		{"welcome at 10 kHz", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 1, PlayerId: 1, TickRate: 10000, Arena: arena, State: state}))
		}},
		{"welcome with a bad state", false, func(t *testing.T, _ *testServer) []byte {
			return marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 1, PlayerId: 1, TickRate: 60, Arena: arena,
				State: &pb.Snapshot{Tick: 1, Full: true, Left: []uint32{4}}}))
		}},
		{"welcome room not UTF-8", false, func(*testing.T, *testServer) []byte {
			b := protowire.AppendTag(nil, 3, protowire.BytesType)
			return wrap(1, protowire.AppendString(b, "\xff"))
		}},
		{"welcome with a group", false, func(*testing.T, *testServer) []byte {
			return wrap(1, protowire.AppendTag(nil, 9, protowire.StartGroupType))
		}},
		{"second welcome", true, func(_ *testing.T, srv *testServer) []byte {
			srv.welcomed = false
			return srv.step()
		}},
		{"unknown player left", true, func(t *testing.T, srv *testServer) []byte {
			return marshal(t, snapshotMsg(&pb.Snapshot{Tick: uint32(srv.w.Tick) + 1, Left: []uint32{60}}))
		}},
		{"tick going back", true, func(t *testing.T, srv *testServer) []byte {
			srv.step()
			return marshal(t, snapshotMsg(&pb.Snapshot{Tick: uint32(srv.w.Tick) - 2}))
		}},
		{"full snapshot going back", true, func(t *testing.T, srv *testServer) []byte {
			srv.step()
			return marshal(t, snapshotMsg(&pb.Snapshot{Tick: uint32(srv.w.Tick) - 2, Full: true}))
		}},
		{"pong truncated", true, func(*testing.T, *testServer) []byte { return wrap(3, []byte{0x08}) }},
		{"kick not UTF-8", false, func(*testing.T, *testServer) []byte {
			b := protowire.AppendTag(nil, 2, protowire.BytesType)
			return wrap(4, protowire.AppendString(b, "\xc3"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c *netcode.Client
			var srv *testServer
			if tc.welcome {
				c, srv = welcomed(t)
			} else {
				c, srv = netcode.New(netcode.Options{}), newTestServer(t, 9, 2, false)
			}
			err := c.Handle(tc.frame(t, srv), t0.Add(time.Second))
			if !errors.Is(err, pb.ErrMalformed) {
				t.Fatalf("error %v, want one wrapping pb.ErrMalformed", err)
			}
			if again := c.Handle(srv.step(), t0.Add(2*time.Second)); !errors.Is(again, pb.ErrMalformed) {
				t.Errorf("the next frame after a bad one: %v, want the same error", again)
			}
			var v netcode.View
			drawFrame(c, t0.Add(2*time.Second), &v)
			c.Input(sim.Input{Move: sim.MoveLeft}, t0.Add(2*time.Second))
			c.Stats()
		})
	}

	t.Run("protocol version 2", func(t *testing.T) {
		c := netcode.New(netcode.Options{})
		err := c.Handle(marshal(t, welcomeMsg(&pb.Welcome{ProtocolVersion: 2, PlayerId: 1, TickRate: 60, Arena: arena, State: state})), t0)
		if err == nil || c.Welcomed() {
			t.Fatalf("welcomed %v by protocol version 2: %v", c.Welcomed(), err)
		}
	})
}

// FuzzHandle feeds a welcomed client any frame: it may refuse it, never panic.
func FuzzHandle(f *testing.F) {
	srv := newTestServer(f, 9, 3, true)
	srv.step()
	for range 30 {
		f.Add(append([]byte(nil), srv.step()...))
	}
	f.Add(wrap(3, []byte{0x08, 0x05}))
	f.Add(wrap(4, []byte{0x08, 0x01, 0x12, 0x01, 'x'}))
	f.Add(wrap(5, []byte{0x0a, 0x01, 'x'}))
	f.Fuzz(func(t *testing.T, frame []byte) {
		c, _ := welcomed(t)
		now := t0.Add(time.Second)
		_ = c.Handle(frame, now)
		var v netcode.View
		drawFrame(c, now, &v)
		c.Input(sim.Input{Move: sim.MoveDown}, now)
		c.Events()
		c.Stats()
	})
}

func TestKick(t *testing.T) {
	kick := marshal(t, &pb.ServerMessage{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Reason: pb.KickReason_KICK_REASON_ROOM_CLOSED, Message: "room is full"}}})
	t.Run("before the welcome", func(t *testing.T) {
		c := netcode.New(netcode.Options{})
		if _, _, ok := c.Kick(); ok {
			t.Fatal("kicked before any frame")
		}
		if err := c.Handle(kick, t0); err != nil {
			t.Fatal(err)
		}
		reason, msg, ok := c.Kick()
		if !ok || reason != pb.KickReason_KICK_REASON_ROOM_CLOSED || msg != "room is full" || c.Welcomed() {
			t.Errorf("kick %v %q %v, welcomed %v", reason, msg, ok, c.Welcomed())
		}
	})
	t.Run("while playing", func(t *testing.T) {
		c, _ := welcomed(t)
		k := marshal(t, &pb.ServerMessage{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Reason: pb.KickReason_KICK_REASON_SHUTDOWN, Message: "server shutting down"}}})
		if err := c.Handle(k, t0); err != nil {
			t.Fatal(err)
		}
		if reason, msg, ok := c.Kick(); !ok || reason != pb.KickReason_KICK_REASON_SHUTDOWN || msg != "server shutting down" {
			t.Errorf("kick %v %q %v", reason, msg, ok)
		}
	})
}

func TestNotice(t *testing.T) {
	notice := func(msg string) []byte {
		return marshal(t, &pb.ServerMessage{Msg: &pb.ServerMessage_Notice{Notice: &pb.Notice{Message: msg}}})
	}
	c, srv := welcomed(t)
	if msg, ok := c.Notice(); ok || msg != "" {
		t.Fatalf("notice %q %v before any was sent", msg, ok)
	}
	if err := c.Handle(notice("This server is shutting down after this match."), t0); err != nil {
		t.Fatal(err)
	}
	if msg, ok := c.Notice(); !ok || msg != "This server is shutting down after this match." {
		t.Errorf("notice %q %v", msg, ok)
	}
	// The latest replaces the earlier one, and play goes on.
	if err := c.Handle(notice("second"), t0); err != nil {
		t.Fatal(err)
	}
	if err := c.Handle(srv.step(), t0.Add(tickDur)); err != nil {
		t.Fatalf("snapshot after a notice: %v", err)
	}
	if msg, ok := c.Notice(); !ok || msg != "second" {
		t.Errorf("notice %q %v; want the latest, \"second\"", msg, ok)
	}
	if _, _, kicked := c.Kick(); kicked {
		t.Error("a notice counted as a kick")
	}
	// An empty notice is a notice; text that is not UTF-8 is malformed.
	c, _ = welcomed(t)
	if err := c.Handle(wrap(5, nil), t0); err != nil {
		t.Fatal(err)
	}
	if msg, ok := c.Notice(); !ok || msg != "" {
		t.Errorf("empty notice read as %q %v", msg, ok)
	}
	if err := c.Handle(wrap(5, []byte{0x0a, 0x01, 0xff}), t0); !errors.Is(err, pb.ErrMalformed) {
		t.Errorf("notice that is not UTF-8: %v, want ErrMalformed", err)
	}
}

func TestChecksums(t *testing.T) {
	c, srv := welcomed(t)
	if st := c.Stats(); st.Checksums != 1 || st.Desyncs != 0 {
		t.Fatalf("after the welcome: %d checksums, %d desyncs", st.Checksums, st.Desyncs)
	}
	srv.checksumEvery = 1
	now := t0
	for range 5 {
		now = now.Add(tickDur)
		if err := c.Handle(srv.step(), now); err != nil {
			t.Fatal(err)
		}
	}
	// A snapshot whose checksum is off by one.
	srv.checksumEvery = 1 << 30
	srv.step()
	body := protowire.AppendTag(srv.body, 12, protowire.VarintType)
	body = protowire.AppendVarint(body, srv.cur.Hash()+1)
	if err := c.Handle(pb.AppendSnapshotMessage(nil, srv.seat.ack(), 0, body), now.Add(tickDur)); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Checksums != 7 || st.Desyncs != 1 {
		t.Errorf("%d checksums, %d desyncs; want 7 and 1", st.Checksums, st.Desyncs)
	}
}

// TestStateAndLastSnapshot: State is the state the snapshots rebuilt, the
// server's own, LastSnapshot what the newest one said besides it, and
// Arrived its events, before the picture has reached them.
func TestStateAndLastSnapshot(t *testing.T) {
	c, srv := welcomed(t)
	if s := c.State(); s.Tick != srv.cur.Tick || s.Hash() != srv.cur.Hash() || !c.LastSnapshot().Full {
		t.Fatalf("after the welcome: tick %d, want %d; hashes equal %v; info %+v", s.Tick, srv.cur.Tick, s.Hash() == srv.cur.Hash(), c.LastSnapshot())
	}
	if ev := c.Arrived(); len(ev) != 4 || ev[0].Kind != pb.EventKind_EVENT_KIND_MATCH_START {
		t.Errorf("the welcome brought %v; want the match start and 3 spawns", ev)
	}
	if ev := c.Events(); len(ev) != 0 {
		t.Errorf("events %v told before any picture", ev)
	}
	srv.checksumEvery = 1
	now := t0
	for seq := uint32(1); seq <= 3; seq++ {
		now = now.Add(tickDur)
		srv.step()
		// An ack far ahead of the inputs the client numbered (none): no
		// server stands in for a client that has sent nothing, nor more than
		// simwire.MaxOwed past its inputs, so the client predicts no
		// stand-ins and its ack stays at its inputs.
		if err := c.Handle(pb.AppendSnapshotMessage(nil, seq*10, 0, srv.body), now); err != nil {
			t.Fatal(err)
		}
		if ev := c.Arrived(); len(ev) != 0 {
			t.Errorf("snapshot %d brought %v, want none", seq, ev)
		}
		info := c.LastSnapshot()
		if info.Tick != srv.cur.Tick || info.Ack != seq*10 || c.Stats().Ack != 0 || info.Full || info.Checksum != srv.cur.Hash() || c.State().Hash() != srv.cur.Hash() {
			t.Errorf("snapshot %d: info %+v, server at tick %d, hashes equal %v, stats ack %d", seq, info, srv.cur.Tick, c.State().Hash() == srv.cur.Hash(), c.Stats().Ack)
		}
	}
	c.Advance(now.Add(time.Second)) // the picture reaches them
	if ev := c.Events(); len(ev) != 4 || len(c.Arrived()) != 0 {
		t.Errorf("events %v told once the picture reached them, arrived still %v", ev, c.Arrived())
	}
}
