// hostile_test.go — hostile frames over real sockets (inbound.go, conn.go): oversized, not protobuf, text, out-of-range inputs, input and ping floods.

package server_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/sim"
)

// paddedInput is a valid ClientMessage of exactly n bytes: in, followed by
// an unknown field the server must skip.
func paddedInput(in pb.InputMsg, n int) []byte {
	b := pb.AppendInput(nil, in)
	for pad := n - len(b) - 1; pad >= 0; pad-- {
		if protowire.SizeBytes(pad)+1 == n-len(b) {
			b = protowire.AppendTag(b, 15, protowire.BytesType)
			return protowire.AppendBytes(b, make([]byte, pad))
		}
	}
	panic("paddedInput: no fit")
}

// TestOversizedFrame: ReadMaxPayload's default is 1 KiB. A frame of exactly
// 1024 bytes is read and applied; one byte more, or 4 KiB, closes the
// connection with 1009 and counts disconnects{reason="too_big"}.
func TestOversizedFrame(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)

	edge := dialPlay(t, st, "edge")
	in := paddedInput(pb.InputMsg{Seq: 1, Move: uint32(sim.MoveRight)}, 1024)
	if len(in) != 1024 {
		t.Fatalf("padded input is %d bytes", len(in))
	}
	edge.send(t, in)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var ack uint32
		edge.view(func(c *wsClient) { ack = c.ack })
		// ≥: once the input is in, stand-ins may fill (and ack) the slots after it.
		return ack >= 1, fmt.Sprintf("ack %d, want at least 1", ack)
	})

	for i, size := range []int{1025, 4096} {
		c := edge
		if i > 0 {
			c = dialPlay(t, st, "big")
		}
		c.send(t, make([]byte, size))
		err, _ := c.closed(t, 5*time.Second)
		if code := closeCode(err); code != 1009 {
			t.Errorf("%d-byte frame: close %d (%v), want 1009", size, code, err)
		}
	}
	st.WaitMetric(t, disconnects("too_big"), 5*time.Second, eq(2))
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(0))
}

// TestMalformedFrames: bytes that are not a ClientMessage get a Kick with
// KICK_REASON_PROTOCOL and close 1007; a text frame gets the same Kick and
// 1003. Each counts.
func TestMalformedFrames(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	for _, tc := range []struct {
		name    string
		text    bool
		payload []byte
		code    uint16
	}{
		{"not protobuf", false, []byte{0xff, 0xff, 0xff}, 1007},
		{"empty", false, nil, 1007},
		{"truncated input", false, []byte{0x0a, 0x05, 0x08, 0x01}, 1007},
		{"unknown fields only", false, []byte{0x78, 0x01}, 1007},
		{"inputs without an input", false, pb.AppendInputs(nil, nil), 1007},
		{"too many inputs in one", false, pb.AppendInputs(nil, make([]pb.InputMsg, pb.MaxInputs+1)), 1007},
		{"text frame", true, []byte("hello"), 1003},
	} {
		c := dialPlay(t, st, "rude")
		op := gws.OpcodeBinary
		if tc.text {
			op = gws.OpcodeText
		}
		if err := c.conn.WriteMessage(op, tc.payload); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err, kick := c.closed(t, 5*time.Second)
		if code := closeCode(err); code != tc.code {
			t.Errorf("%s: close %d (%v), want %d", tc.name, code, err, tc.code)
		}
		if kick.GetReason() != pb.KickReason_KICK_REASON_PROTOCOL {
			t.Errorf("%s: kick %v before the close, want KICK_REASON_PROTOCOL", tc.name, kick)
		}
	}
	st.WaitMetric(t, "skirmish_malformed_messages_total", 5*time.Second, eq(6))
	st.WaitMetric(t, disconnects("protocol"), 5*time.Second, eq(7))
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(0))
}

// TestOutOfRangeInputsAreClamped: a ClientMessage that decodes but holds
// values out of range is not an error: it is brought into range (unknown
// move and button bits dropped, aim clamped to 1023), applied, acked and
// counted, and the connection stays open.
func TestOutOfRangeInputsAreClamped(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	c := dialPlay(t, st, "wild")
	var spawn pb.PlayerState
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var p *pb.PlayerState
		c.view(func(c *wsClient) {
			if p = c.state.Player(c.id); p != nil {
				spawn = *p
			}
		})
		return p != nil, "no Welcome with the player in it"
	})

	const n = 10
	c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: 1, Move: 0xffff, Aim: 5000, Buttons: 0xff}))
	for seq := uint32(2); seq <= n; seq++ {
		c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: seq, Move: 0xff00 | uint32(sim.MoveRight), Aim: 0xffffffff, Buttons: 0xfe01}))
	}
	arena := sim.DefaultMap()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var ok bool
		var last string
		c.view(func(c *wsClient) {
			p := c.state.Player(c.id)
			if p == nil {
				last = "player gone"
				return
			}
			shots := 0
			for _, s := range c.state.Shots {
				if s.Owner == c.id {
					shots++
				}
			}
			x, y := p.F[pb.FieldX], p.F[pb.FieldY]
			ok = c.ack >= n && p.F[pb.FieldAim] == sim.AimSteps-1 && x > spawn.F[pb.FieldX] &&
				x <= arena.Width && y >= 0 && y <= arena.Height && shots > 0
			last = fmt.Sprintf("ack %d, aim %d, at (%d,%d) from (%d,%d), %d shots", c.ack, p.F[pb.FieldAim], x, y,
				spawn.F[pb.FieldX], spawn.F[pb.FieldY], shots)
		})
		return ok, last
	})
	select {
	case <-c.done:
		t.Fatalf("connection closed: %v", c.err)
	default:
	}
	st.WaitMetric(t, "skirmish_inputs_clamped_total", 5*time.Second, eq(n))
	if v := st.Metric("skirmish_malformed_messages_total"); v != 0 {
		t.Errorf("malformed_messages_total = %v, want 0", v)
	}
}

// TestBatchedInputs: inputs sent two to a frame (an Inputs message) fill
// one slot each, in order: every one is acked and the player walks.
func TestBatchedInputs(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	c := dialPlay(t, st, "batcher")
	var spawnX int32
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var p *pb.PlayerState
		c.view(func(c *wsClient) {
			if p = c.state.Player(c.id); p != nil {
				spawnX = p.F[pb.FieldX]
			}
		})
		return p != nil, "no Welcome with the player in it"
	})
	const n = 20
	for seq := uint32(1); seq < n; seq += 2 {
		right := pb.InputMsg{Move: uint32(sim.MoveRight)}
		a, b := right, right
		a.Seq, b.Seq = seq, seq+1
		c.send(t, pb.AppendInputs(nil, []pb.InputMsg{a, b}))
	}
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var ok bool
		var last string
		c.view(func(c *wsClient) {
			if p := c.state.Player(c.id); p != nil {
				ok = c.ack >= n && p.F[pb.FieldX] > spawnX
				last = fmt.Sprintf("ack %d, x %d from %d", c.ack, p.F[pb.FieldX], spawnX)
			}
		})
		return ok, last
	})
	if v := st.Metric("skirmish_messages_in_total"); v < n/2 || v >= n {
		t.Errorf("messages_in_total = %v for %d inputs two to a frame", v, n)
	}
	if v := st.Metric("skirmish_malformed_messages_total"); v != 0 {
		t.Errorf("malformed_messages_total = %v, want 0", v)
	}
}

// TestBatchedInputsCountAgainstTheFloodLimit: 40 frames of 8 inputs at
// once are within the burst as frames (120) but not as inputs (320): the
// excess is dropped as a flood.
func TestBatchedInputsCountAgainstTheFloodLimit(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	a := play(t, st, "batchflood")
	conn, _ := rawDial(t, a.DialURL(), nil)
	defer conn.Close()
	var burst []byte
	ins := make([]pb.InputMsg, pb.MaxInputs)
	for seq := uint32(1); seq <= 40*pb.MaxInputs; seq += pb.MaxInputs {
		for i := range ins {
			ins[i] = pb.InputMsg{Seq: seq + uint32(i), Move: uint32(sim.MoveLeft)}
		}
		burst = appendFrame(burst, 0x2, pb.AppendInputs(nil, ins))
	}
	if _, err := conn.Write(burst); err != nil {
		t.Fatal(err)
	}
	st.WaitMetric(t, `skirmish_inputs_dropped_total{reason="flood"}`, 5*time.Second, gt(0))
}

// TestInputFlood: 2000 inputs at once. The first second's worth of burst
// is taken, the excess is dropped and counted, and a client that keeps
// flooding gets a Kick with KICK_REASON_FLOOD and close 1008. A bot in the
// same room plays on undisturbed.
func TestInputFlood(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	good := joinBot(t, st, "good", bots.Wander())
	a := play(t, st, "flood")
	if a.Room != good.Assignment().Room {
		t.Fatalf("flooder in room %s, bot in %s", a.Room, good.Assignment().Room)
	}
	conn, br := rawDial(t, a.DialURL(), nil)
	var burst []byte
	for seq := uint32(1); seq <= 2000; seq++ {
		burst = appendFrame(burst, 0x2, pb.AppendInput(nil, pb.InputMsg{Seq: seq, Move: uint32(sim.MoveLeft)}))
	}
	go func() {
		// The server may reset the connection before it has read it all.
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = conn.Write(burst)
	}()
	code, kick := readUntilClose(t, conn, br, 5*time.Second)
	if code != 1008 || kick.GetReason() != pb.KickReason_KICK_REASON_FLOOD {
		t.Errorf("flooder got close %d after kick %v; want 1008 after KICK_REASON_FLOOD", code, kick)
	}
	st.WaitMetric(t, disconnects("flood"), 5*time.Second, eq(1))
	if v := st.Metric(`skirmish_inputs_dropped_total{reason="flood"}`); v == 0 {
		t.Error(`inputs_dropped_total{reason="flood"} = 0`)
	}

	// The well-behaved bot keeps its snapshots and its acks.
	var ack0 uint32
	good.View(func(_ *pb.State, s *bots.Stats) { ack0 = s.LastAck })
	waitSnapshots(t, good, 60, 5*time.Second)
	good.View(func(_ *pb.State, s *bots.Stats) {
		if s.LastAck <= ack0 || s.Desyncs != 0 || s.TickRegressions != 0 {
			t.Errorf("bot after the flood: ack %d (was %d), stats %+v", s.LastAck, ack0, *s)
		}
	})
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(1))
}

// TestPingFlood: WebSocket ping frames are answered, as RFC 6455 asks, but
// they count against the same rate as messages: a client that floods pings
// gets a bounded number of pongs and is kicked like any flood.
//
// The Kick and close frame may not reach this client: gws closes the socket
// right after the close frame, and with the flood still unread the kernel
// resets the connection, dropping whatever pongs the client had no window
// for yet. So the client accepts a reset in their place.
func TestPingFlood(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	conn, br := rawDial(t, play(t, st, "pinger").DialURL(), nil)
	var burst []byte
	for range 2000 {
		burst = appendFrame(burst, 0x9, []byte("are you there?"))
	}
	go func() {
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = conn.Write(burst)
	}()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var kick *pb.Kick
	pongs := 0
	for {
		op, p, err := readFrame(br)
		if errors.Is(err, syscall.ECONNRESET) {
			t.Logf("connection reset after %d pongs", pongs)
			break
		}
		if err != nil {
			t.Fatalf("after %d pongs (kick %v), no close frame: %v", pongs, kick, err)
		}
		if op == 0xa {
			pongs++
		}
		if op == 0x2 {
			if kind, _, _ := pb.SplitServerMessage(p); kind == pb.ServerKick {
				var msg pb.ServerMessage
				if err := proto.Unmarshal(p, &msg); err != nil {
					t.Fatal(err)
				}
				kick = msg.GetKick()
			}
		}
		if op == 0x8 {
			if code := binary.BigEndian.Uint16(p); code != 1008 || kick.GetReason() != pb.KickReason_KICK_REASON_FLOOD {
				t.Errorf("close %d after kick %v; want 1008 after KICK_REASON_FLOOD", code, kick)
			}
			break
		}
	}
	// The default rate is FloodFactor × TickRate = 120 a second, with a
	// burst of one second's worth.
	if pongs > 240 {
		t.Errorf("%d pongs for 2000 pings; want at most 240", pongs)
	}
	st.WaitMetric(t, disconnects("flood"), 5*time.Second, eq(1))
	if v := st.Metric(`skirmish_inputs_dropped_total{reason="flood"}`); v == 0 {
		t.Error(`inputs_dropped_total{reason="flood"} = 0`)
	}
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(0))
}
