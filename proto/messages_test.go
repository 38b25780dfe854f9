// messages_test.go covers messages.go: SplitServerMessage tells every ServerMessage kind apart and returns its body; MarshalServer.

package pb_test

import (
	"errors"
	"testing"

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

// TestAppendWelcomeMessage reads AppendWelcomeMessage's frame the way a
// client using the generated code would, and applies its state, at tick 0
// (which proto3 leaves out when re-marshalling) and later.
func TestAppendWelcomeMessage(t *testing.T) {
	head, err := proto.Marshal(&pb.Welcome{ProtocolVersion: 1, Room: "room-7", TickRate: 60,
		Arena: &pb.Arena{Width: 100, Height: 50, Walls: []int32{1, 2, 3, 4}, Spawns: []int32{5, 6}},
		Rules: &pb.Rules{PlayerSpeed: 48, MaxHealth: 100}})
	if err != nil {
		t.Fatal(err)
	}
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
