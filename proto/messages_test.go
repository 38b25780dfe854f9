// messages_test.go covers messages.go: SplitServerMessage tells every ServerMessage kind apart and returns its body; MarshalServer;
// what MarshalServer and AppendWelcomeMessage write, ReadWelcome, ReadPong, ReadKick and ReadNotice read back.

package pb_test

import (
	"errors"
	"fmt"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
)

func TestSplitServerMessage(t *testing.T) {
	cases := []struct {
		kind pb.ServerKind
		msg  *pb.ServerMessage
		body proto.Message
	}{
		{pb.ServerWelcome, &pb.ServerMessage{Msg: &pb.ServerMessage_Welcome{Welcome: &pb.Welcome{ProtocolVersion: 1, PlayerId: 3, Room: "r1", TickRate: 60}}}, &pb.Welcome{}},
		{pb.ServerSnapshot, &pb.ServerMessage{Msg: &pb.ServerMessage_Snapshot{Snapshot: &pb.Snapshot{Tick: 9, Ack: 2}}}, &pb.Snapshot{}},
		{pb.ServerPong, &pb.ServerMessage{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTime: 1 << 40, Tick: 7}}}, &pb.Pong{}},
		{pb.ServerKick, &pb.ServerMessage{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Reason: pb.KickReason_KICK_REASON_FLOOD, Message: "slow down"}}}, &pb.Kick{}},
		{pb.ServerPong, &pb.ServerMessage{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{}}}, &pb.Pong{}}, // empty body
		{pb.ServerNotice, &pb.ServerMessage{Msg: &pb.ServerMessage_Notice{Notice: &pb.Notice{Message: "This server is shutting down after this match."}}}, &pb.Notice{}},
	}
	for _, c := range cases {
		b, err := pb.MarshalServer(c.msg)
		if err != nil {
			t.Fatal(err)
		}
		b = unknowns(b)
		kind, body, err := pb.SplitServerMessage(b)
		if err != nil || kind != c.kind {
			t.Fatalf("%v: kind %d, %v; want %d", c.msg, kind, err, c.kind)
		}
		if err := proto.Unmarshal(body, c.body); err != nil {
			t.Fatal(err)
		}
		if want := inner(c.msg); !proto.Equal(c.body, want) {
			t.Errorf("body %v, want %v", c.body, want)
		}
	}

	for name, b := range map[string][]byte{
		"empty":            nil,
		"only unknowns":    unknowns(nil),
		"snapshot varint":  field(nil, 2, 1),
		"truncated":        sub(nil, 2, []byte{8, 1})[:3],
		"field number 0":   {0, 0},
		"field above 2^29": field(sub(nil, 3, nil), 1<<29, 1),
	} {
		if _, _, err := pb.SplitServerMessage(b); !errors.Is(err, pb.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

func inner(m *pb.ServerMessage) proto.Message {
	switch x := m.GetMsg().(type) {
	case *pb.ServerMessage_Welcome:
		return x.Welcome
	case *pb.ServerMessage_Snapshot:
		return x.Snapshot
	case *pb.ServerMessage_Pong:
		return x.Pong
	case *pb.ServerMessage_Kick:
		return x.Kick
	case *pb.ServerMessage_Notice:
		return x.Notice
	}
	return nil
}

func TestMarshalServerInvalidUTF8(t *testing.T) {
	_, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Message: "\xff"}}})
	if err == nil {
		t.Fatal("MarshalServer accepted a string that is not UTF-8")
	}
}

// welcomeHead is a room's shared Welcome fields, marshalled, as
// AppendWelcomeMessage takes them.
func welcomeHead(tb testing.TB) []byte {
	tb.Helper()
	head, err := proto.Marshal(&pb.Welcome{ProtocolVersion: 1, Room: "room-7", TickRate: 60,
		Arena: &pb.Arena{Width: 100, Height: 50, Walls: []int32{1, 2, 3, 4}, Spawns: []int32{5, 6}},
		Rules: &pb.Rules{PlayerSpeed: 48, MaxHealth: 100}})
	if err != nil {
		tb.Fatal(err)
	}
	return head
}

// TestAppendWelcomeMessage reads AppendWelcomeMessage's frame the way a
// client using the generated code would, and applies its state, at tick 0
// (which proto3 leaves out when re-marshalling) and later.
func TestAppendWelcomeMessage(t *testing.T) {
	head := welcomeHead(t)
	var enc pb.Encoder
	for _, tick := range []uint32{0, 1234} {
		w := newWorld(uint64(tick))
		server := snapshotOf(&w.st)
		server.Tick = tick
		frame := pb.AppendWelcomeMessage([]byte{0xEE}, head, 9, 31, enc.AppendSnapshot(nil, nil, server, nil, true))[1:]

		kind, _, err := pb.SplitServerMessage(frame)
		if err != nil || kind != pb.ServerWelcome {
			t.Fatalf("SplitServerMessage: %d, %v", kind, err)
		}
		var sm pb.ServerMessage
		if err := proto.Unmarshal(frame, &sm); err != nil {
			t.Fatal(err)
		}
		wel := sm.GetWelcome()
		if wel.GetPlayerId() != 9 || wel.GetRoom() != "room-7" || wel.GetTickRate() != 60 || wel.GetArena().GetWidth() != 100 ||
			wel.GetRules().GetPlayerSpeed() != 48 || wel.GetState().GetAck() != 31 || !wel.GetState().GetFull() || wel.GetState().GetTick() != tick {
			t.Fatalf("welcome read as %v", wel)
		}
		state, err := proto.Marshal(wel.GetState())
		if err != nil {
			t.Fatal(err)
		}
		var client pb.State
		info, _, err := client.Apply(state, nil)
		if err != nil {
			t.Fatalf("tick %d: Apply of the re-marshalled Welcome.state: %v", tick, err)
		}
		sameState(t, "welcome state", &client, server)
		if info.Checksum != server.Hash() || info.Ack != 31 {
			t.Fatalf("info %+v", info)
		}
	}
}

// readBody reads a ServerMessage body of the given kind with its reader.
func readBody(kind pb.ServerKind, body []byte) (proto.Message, error) {
	switch kind {
	case pb.ServerWelcome:
		w, _, err := pb.ReadWelcome(body)
		return w, err
	case pb.ServerPong:
		return pb.ReadPong(body)
	case pb.ServerKick:
		return pb.ReadKick(body)
	case pb.ServerNotice:
		return pb.ReadNotice(body)
	}
	return nil, fmt.Errorf("no reader for kind %d", kind)
}

// rareMessages holds each rare message, some empty.
var rareMessages = []*pb.ServerMessage{
	{Msg: &pb.ServerMessage_Welcome{Welcome: &pb.Welcome{ProtocolVersion: 1, PlayerId: 3, Room: "r1", TickRate: 60,
		Arena: &pb.Arena{Width: 100, Height: 50, Walls: []int32{1, 2, 3, 4}, Spawns: []int32{5, 6}},
		Rules: &pb.Rules{PlayerSpeed: 48, ScoreLimit: 15}}}},
	{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTime: 1 << 40, Tick: 7}}},
	{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{}}},
	{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Reason: pb.KickReason_KICK_REASON_FLOOD, Message: "slow down"}}},
	{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Reason: pb.KickReason(99)}}}, // a reason this client does not know yet
	{Msg: &pb.ServerMessage_Notice{Notice: &pb.Notice{Message: "This server is shutting down after this match."}}},
	{Msg: &pb.ServerMessage_Notice{Notice: &pb.Notice{}}},
}

// TestReadServerMessages writes each rare message with MarshalServer and
// reads it back, as it is and with unknown fields (a newer server's)
// added.
func TestReadServerMessages(t *testing.T) {
	for _, m := range rareMessages {
		b, err := pb.MarshalServer(m)
		if err != nil {
			t.Fatal(err)
		}
		kind, body, err := pb.SplitServerMessage(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, extra := range []bool{false, true} {
			if extra {
				body = unknowns(append([]byte(nil), body...))
			}
			got, err := readBody(kind, body)
			if err != nil {
				t.Fatalf("%v (unknown fields %v): %v", m, extra, err)
			}
			got.ProtoReflect().SetUnknown(nil)
			if want := inner(m); !proto.Equal(got, want) {
				t.Errorf("read %v, want %v", got, want)
			}
		}
	}
}

// TestReadServerMessagesMalformed: what the generated code refuses, the
// readers refuse with ErrMalformed.
func TestReadServerMessagesMalformed(t *testing.T) {
	notUTF8 := func(num protowire.Number) []byte {
		b := protowire.AppendTag(nil, num, protowire.BytesType)
		return protowire.AppendString(b, "\xc3")
	}
	for name, c := range map[string]struct {
		kind pb.ServerKind
		body []byte
	}{
		"welcome room not UTF-8":     {pb.ServerWelcome, notUTF8(3)},
		"welcome cut inside":         {pb.ServerWelcome, sub(nil, 5, field(nil, 1, 100))[:3]},
		"welcome with an open group": {pb.ServerWelcome, protowire.AppendTag(nil, 9, protowire.StartGroupType)},
		"pong truncated":             {pb.ServerPong, []byte{0x08}},
		"pong field number 0":        {pb.ServerPong, []byte{0, 0}},
		"kick not UTF-8":             {pb.ServerKick, notUTF8(2)},
		"notice not UTF-8":           {pb.ServerNotice, notUTF8(1)},
		"notice bad length":          {pb.ServerNotice, []byte{0x0a, 0x05, 'x'}},
	} {
		if _, err := readBody(c.kind, c.body); !errors.Is(err, pb.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

// TestReadWelcomeState: the state ReadWelcome returns is what State.Apply
// takes; a Welcome without one has none, and an empty one is empty.
func TestReadWelcomeState(t *testing.T) {
	head := welcomeHead(t)
	var enc pb.Encoder
	w := newWorld(5)
	server := snapshotOf(&w.st)
	frame := pb.AppendWelcomeMessage(nil, head, 4, 17, enc.AppendSnapshot(nil, nil, server, nil, true))
	_, body, err := pb.SplitServerMessage(frame)
	if err != nil {
		t.Fatal(err)
	}
	wel, state, err := pb.ReadWelcome(body)
	if err != nil || wel.GetPlayerId() != 4 || wel.GetRoom() != "room-7" || wel.GetState().GetAck() != 17 {
		t.Fatalf("read %v, %v", wel, err)
	}
	var client pb.State
	info, _, err := client.Apply(state, nil)
	if err != nil || info.Ack != 17 || !info.Full || info.Checksum != server.Hash() {
		t.Fatalf("Apply of the welcome's state: %+v, %v", info, err)
	}
	sameState(t, "welcome state", &client, server)

	if _, state, err := pb.ReadWelcome(head); err != nil || state != nil {
		t.Errorf("a welcome without a state: state %v, %v", state, err)
	}
	if _, state, err := pb.ReadWelcome(sub(nil, 7, nil)); err != nil || state == nil || len(state) != 0 {
		t.Errorf("a welcome with an empty state: state %v (nil %v), %v", state, state == nil, err)
	}
}
