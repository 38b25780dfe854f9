// input_test.go covers the ClientMessage codec (input.go) against the generated code: round trips both ways, hostile bytes, saturation and allocations.

package pb_test

import (
	"errors"
	"math"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
)

var sampleInputs = []pb.InputMsg{
	{},
	{Seq: 1},
	{Move: 8},
	{Aim: 1023},
	{Buttons: 1},
	{Seq: 300, Move: 5, Aim: 700, Buttons: 1},
	{Seq: 300, Move: 5, Aim: 700, Buttons: 1, RenderLag: 11},
	{RenderLag: 255},
	{Seq: 1 << 20, Move: 0, Aim: 0, Buttons: 3},
	{Seq: math.MaxUint32, Move: math.MaxUint32, Aim: math.MaxUint32, Buttons: math.MaxUint32, RenderLag: math.MaxUint32},
}

var samplePings = []uint64{0, 1, 127, 128, 1_700_000_000_000, 1 << 63, math.MaxUint64}

// genClient is what the generated code makes of b, as a ClientMsg.
func genClient(b []byte) (pb.ClientMsg, error) {
	var m pb.ClientMessage
	if err := proto.Unmarshal(b, &m); err != nil {
		return pb.ClientMsg{}, err
	}
	switch x := m.GetMsg().(type) {
	case *pb.ClientMessage_Input:
		in := x.Input
		return pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{
			Seq: in.GetSeq(), Move: in.GetMove(), Aim: in.GetAim(), Buttons: in.GetButtons(), RenderLag: in.GetRenderLag()}}, nil
	case *pb.ClientMessage_Ping:
		return pb.ClientMsg{Kind: pb.ClientPing, PingTime: x.Ping.GetClientTime()}, nil
	case *pb.ClientMessage_Inputs:
		// NInputs counts them all; the first MaxInputs are copied.
		m := pb.ClientMsg{Kind: pb.ClientInputs, NInputs: len(x.Inputs.GetInputs())}
		for i, in := range x.Inputs.GetInputs() {
			if i < pb.MaxInputs {
				m.Inputs[i] = pb.InputMsg{Seq: in.GetSeq(), Move: in.GetMove(), Aim: in.GetAim(), Buttons: in.GetButtons(), RenderLag: in.GetRenderLag()}
			}
		}
		return m, nil
	}
	return pb.ClientMsg{}, nil
}

// inputsMsg is the ClientMsg holding ins as an Inputs message.
func inputsMsg(ins []pb.InputMsg) pb.ClientMsg {
	m := pb.ClientMsg{Kind: pb.ClientInputs, NInputs: len(ins)}
	copy(m.Inputs[:], ins)
	return m
}

func TestAppendInputsReadByGenerated(t *testing.T) {
	for n := 1; n <= pb.MaxInputs; n++ {
		ins := sampleInputs[:n]
		b := pb.AppendInputs([]byte{9}, ins)
		got, err := genClient(b[1:])
		if err != nil {
			t.Fatalf("%d inputs: generated code rejects % x: %v", n, b[1:], err)
		}
		if want := inputsMsg(ins); got != want {
			t.Errorf("generated code read %+v, want %+v", got, want)
		}
		var m pb.ClientMsg
		if err := pb.DecodeClientMessage(b[1:], &m); err != nil || m != inputsMsg(ins) {
			t.Errorf("%d inputs: decoded %+v, %v", n, m, err)
		}
		var pbIns []*pb.Input
		for _, in := range ins {
			pbIns = append(pbIns, &pb.Input{Seq: in.Seq, Move: in.Move, Aim: in.Aim, Buttons: in.Buttons, RenderLag: in.RenderLag})
		}
		g, err := proto.Marshal(&pb.ClientMessage{Msg: &pb.ClientMessage_Inputs{Inputs: &pb.Inputs{Inputs: pbIns}}})
		if err != nil || string(g) != string(b[1:]) {
			t.Errorf("%d inputs: AppendInputs % x, proto.Marshal % x (%v)", n, b[1:], g, err)
		}
	}
}

func TestDecodeInputsRefusesEmptyAndOverlong(t *testing.T) {
	var m pb.ClientMsg
	for name, b := range map[string][]byte{
		"no input":            pb.AppendInputs(nil, nil),
		"MaxInputs+1 inputs":  pb.AppendInputs(nil, make([]pb.InputMsg, pb.MaxInputs+1)),
		"two halves too many": append(pb.AppendInputs(nil, make([]pb.InputMsg, 5)), pb.AppendInputs(nil, make([]pb.InputMsg, 4))...),
	} {
		if err := pb.DecodeClientMessage(b, &m); !errors.Is(err, pb.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	// Twice the member: the repeated field concatenates, as protobuf says.
	b := append(pb.AppendInputs(nil, sampleInputs[:2]), pb.AppendInputs(nil, sampleInputs[2:3])...)
	if err := pb.DecodeClientMessage(b, &m); err != nil || m != inputsMsg(sampleInputs[:3]) {
		t.Errorf("two Inputs members: decoded %+v, %v; want the three inputs", m, err)
	}
	if gen, _ := genClient(b); gen != m {
		t.Errorf("generated code read %+v, we %+v", gen, m)
	}
	// Then an Input: the last member wins.
	b = pb.AppendInput(b, pb.InputMsg{Seq: 5})
	if err := pb.DecodeClientMessage(b, &m); err != nil || m != (pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 5}}) {
		t.Errorf("Inputs then Input: decoded %+v, %v", m, err)
	}
}

func marshalInput(t *testing.T, in pb.InputMsg) []byte {
	t.Helper()
	b, err := proto.Marshal(&pb.ClientMessage{Msg: &pb.ClientMessage_Input{Input: &pb.Input{
		Seq: in.Seq, Move: in.Move, Aim: in.Aim, Buttons: in.Buttons, RenderLag: in.RenderLag}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func marshalPing(t *testing.T, ct uint64) []byte {
	t.Helper()
	b, err := proto.Marshal(&pb.ClientMessage{Msg: &pb.ClientMessage_Ping{Ping: &pb.Ping{ClientTime: ct}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAppendInputReadByGenerated(t *testing.T) {
	prefix := []byte{0xAA, 0xBB}
	for _, in := range sampleInputs {
		b := pb.AppendInput(append([]byte(nil), prefix...), in)
		if string(b[:2]) != string(prefix) {
			t.Fatalf("AppendInput overwrote the prefix: % x", b)
		}
		got, err := genClient(b[2:])
		if err != nil {
			t.Fatalf("%+v: generated code rejects % x: %v", in, b[2:], err)
		}
		if want := (pb.ClientMsg{Kind: pb.ClientInput, Input: in}); got != want {
			t.Errorf("generated code read %+v, want %+v", got, want)
		}
		// Same bytes as the generated marshaller: proto3 leaves zeros out.
		if g := marshalInput(t, in); string(g) != string(b[2:]) {
			t.Errorf("%+v: AppendInput % x, proto.Marshal % x", in, b[2:], g)
		}
	}
}

func TestAppendPingReadByGenerated(t *testing.T) {
	for _, ct := range samplePings {
		b := pb.AppendPing([]byte{7}, ct)
		got, err := genClient(b[1:])
		if err != nil {
			t.Fatalf("%d: generated code rejects % x: %v", ct, b[1:], err)
		}
		if want := (pb.ClientMsg{Kind: pb.ClientPing, PingTime: ct}); got != want {
			t.Errorf("generated code read %+v, want %+v", got, want)
		}
		if b[0] != 7 {
			t.Errorf("AppendPing overwrote the prefix")
		}
	}
}

func TestDecodeGeneratedClientMessages(t *testing.T) {
	var m pb.ClientMsg
	for _, in := range sampleInputs {
		if err := pb.DecodeClientMessage(marshalInput(t, in), &m); err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		if want := (pb.ClientMsg{Kind: pb.ClientInput, Input: in}); m != want {
			t.Errorf("decoded %+v, want %+v", m, want)
		}
	}
	for _, ct := range samplePings {
		if err := pb.DecodeClientMessage(marshalPing(t, ct), &m); err != nil {
			t.Fatalf("ping %d: %v", ct, err)
		}
		if want := (pb.ClientMsg{Kind: pb.ClientPing, PingTime: ct}); m != want {
			t.Errorf("decoded %+v, want %+v", m, want)
		}
	}
}

func field(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func sub(b []byte, num protowire.Number, body []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, body)
}

// unknowns appends one field of every wire type, with numbers no message uses.
func unknowns(b []byte) []byte {
	b = field(b, 90, 12345)
	b = protowire.AppendTag(b, 91, protowire.Fixed32Type)
	b = protowire.AppendFixed32(b, 0xdeadbeef)
	b = protowire.AppendTag(b, 92, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, 1)
	b = sub(b, 93, []byte("not a message \xff"))
	b = protowire.AppendTag(b, 94, protowire.StartGroupType)
	b = field(b, 1, 3)
	return protowire.AppendTag(b, 94, protowire.EndGroupType)
}

// TestDecodeHandBuiltClientMessages checks messages the generated marshaller
// would not write but any protobuf writer may: unknown fields, other orders,
// repeated oneof members, non-minimal but valid encodings. The generated code
// is the reference.
func TestDecodeHandBuiltClientMessages(t *testing.T) {
	input := func(fields ...uint64) []byte { // pairs of number, value
		var b []byte
		for i := 0; i < len(fields); i += 2 {
			b = field(b, protowire.Number(fields[i]), fields[i+1])
		}
		return b
	}
	cases := []struct {
		name string
		b    []byte
		want pb.ClientMsg
	}{
		{"reversed order", sub(nil, 1, input(4, 1, 3, 700, 2, 5, 1, 300)),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 300, Move: 5, Aim: 700, Buttons: 1}}},
		{"explicit zeros", sub(nil, 1, input(1, 0, 2, 0, 3, 0, 4, 0)),
			pb.ClientMsg{Kind: pb.ClientInput}},
		{"repeated scalar: last wins", sub(nil, 1, input(1, 5, 1, 6)),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 6}}},
		{"unknown fields inside and around", unknowns(sub(unknowns(nil), 1, unknowns(input(1, 9, 3, 10)))),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 9, Aim: 10}}},
		{"known number, other wire type, inside", sub(nil, 1, sub(input(2, 4), 1, []byte{1})),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Move: 4}}},
		{"ping with unknowns", sub(unknowns(nil), 2, unknowns(field(nil, 1, 77))),
			pb.ClientMsg{Kind: pb.ClientPing, PingTime: 77}},
		{"input then ping: last wins", sub(sub(nil, 1, input(1, 3)), 2, field(nil, 1, 8)),
			pb.ClientMsg{Kind: pb.ClientPing, PingTime: 8}},
		{"ping then input: last wins", sub(sub(nil, 2, field(nil, 1, 8)), 1, input(1, 3)),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 3}}},
		{"input twice: merged", sub(sub(nil, 1, input(1, 3, 3, 9)), 1, input(2, 4, 3, 10)),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 3, Move: 4, Aim: 10}}},
		{"ping twice: merged", sub(sub(nil, 2, field(nil, 1, 8)), 2, nil),
			pb.ClientMsg{Kind: pb.ClientPing, PingTime: 8}},
		{"non-minimal varint", sub(nil, 1, append(protowire.AppendTag(nil, 1, protowire.VarintType), 0x85, 0x80, 0x80, 0x00)),
			pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Seq: 5}}},
	}
	for _, c := range cases {
		gen, err := genClient(c.b)
		if err != nil {
			t.Fatalf("%s: generated code rejects it: %v", c.name, err)
		}
		if gen != c.want {
			t.Fatalf("%s: test expectation %+v disagrees with generated code %+v", c.name, c.want, gen)
		}
		var m pb.ClientMsg
		if err := pb.DecodeClientMessage(c.b, &m); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if m != c.want {
			t.Errorf("%s: decoded %+v, want %+v", c.name, m, c.want)
		}
	}
}

func TestDecodeClientMessageMalformed(t *testing.T) {
	valid := pb.AppendInput(nil, pb.InputMsg{Seq: 300, Move: 5, Aim: 700, Buttons: 1})
	cases := map[string][]byte{
		"nil":                     nil,
		"empty":                   {},
		"garbage":                 {0xff, 0xff, 0xff, 0xff},
		"only unknown fields":     unknowns(nil),
		"input as varint":         field(nil, 1, 5),
		"ping as varint":          field(nil, 2, 5),
		"input as fixed32":        protowire.AppendFixed32(protowire.AppendTag(nil, 1, protowire.Fixed32Type), 1),
		"ping as fixed64":         protowire.AppendFixed64(protowire.AppendTag(nil, 2, protowire.Fixed64Type), 1),
		"wire type 6":             {1<<3 | 6, 0},
		"wire type 7 inside":      sub(nil, 1, []byte{1<<3 | 7, 0}),
		"end group at top":        protowire.AppendTag(nil, 1, protowire.EndGroupType),
		"unterminated group":      protowire.AppendTag(nil, 5, protowire.StartGroupType),
		"field number 0":          {0x00, 0x01},
		"field number 2^29":       field(append([]byte(nil), valid...), 1<<29, 1),
		"field number 2^29 in":    sub(nil, 1, field(nil, 1<<29, 1)),
		"varint of 11 bytes":      append(protowire.AppendTag(nil, 9, protowire.VarintType), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
		"truncated varint inside": sub(nil, 1, []byte{1 << 3, 0x80}),
		"length past the end":     {1<<3 | 2, 10, 8, 1},
		"valid then garbage":      append(append([]byte(nil), valid...), 0xff),
		"valid then truncated":    append(append([]byte(nil), valid...), valid[:3]...),
	}
	for i := 1; i < len(valid); i++ {
		cases["truncated to "+string(rune('0'+i))] = valid[:i]
	}
	ping := pb.AppendPing(nil, math.MaxUint64)
	for i := 1; i < len(ping); i++ {
		cases["ping truncated to "+string(rune('0'+i))] = ping[:i]
	}
	for name, b := range cases {
		var m pb.ClientMsg
		err := pb.DecodeClientMessage(b, &m)
		if !errors.Is(err, pb.ErrMalformed) {
			t.Errorf("%s (% x): got %v, want ErrMalformed", name, b, err)
		}
	}
}

func TestDecodeClientMessageSaturates(t *testing.T) {
	for _, v := range []uint64{math.MaxUint32 + 1, 1 << 40, 1<<63 + 5, math.MaxUint64} {
		b := sub(nil, 1, field(field(field(field(field(nil, 1, v), 2, v), 3, v), 4, v), 5, v))
		var m pb.ClientMsg
		if err := pb.DecodeClientMessage(b, &m); err != nil {
			t.Fatalf("%d: %v", v, err)
		}
		max := uint32(math.MaxUint32)
		if want := (pb.InputMsg{Seq: max, Move: max, Aim: max, Buttons: max, RenderLag: max}); m.Input != want {
			t.Errorf("value %d decoded as %+v, want all MaxUint32", v, m.Input)
		}
	}
	// A value that fits is kept exactly.
	var m pb.ClientMsg
	if err := pb.DecodeClientMessage(sub(nil, 1, field(nil, 3, math.MaxUint32)), &m); err != nil || m.Input.Aim != math.MaxUint32 {
		t.Errorf("aim MaxUint32: got %+v, %v", m.Input, err)
	}
}

func TestDecodeClientMessageResetsOutput(t *testing.T) {
	m := pb.ClientMsg{Kind: pb.ClientPing, Input: pb.InputMsg{Seq: 1, Move: 2, Aim: 3, Buttons: 4}, PingTime: 99}
	if err := pb.DecodeClientMessage(pb.AppendInput(nil, pb.InputMsg{Aim: 5}), &m); err != nil {
		t.Fatal(err)
	}
	if want := (pb.ClientMsg{Kind: pb.ClientInput, Input: pb.InputMsg{Aim: 5}}); m != want {
		t.Errorf("got %+v, want %+v", m, want)
	}
}

func TestClientCodecAllocs(t *testing.T) {
	in := pb.AppendInput(nil, pb.InputMsg{Seq: 123456, Move: 9, Aim: 1000, Buttons: 1})
	ping := pb.AppendPing(nil, 1_700_000_000_000)
	buf := make([]byte, 0, 64)
	var m pb.ClientMsg
	cases := map[string]func(){
		"DecodeClientMessage(input)": func() { _ = pb.DecodeClientMessage(in, &m) },
		"DecodeClientMessage(ping)":  func() { _ = pb.DecodeClientMessage(ping, &m) },
		"AppendInput": func() {
			buf = pb.AppendInput(buf[:0], pb.InputMsg{Seq: 123456, Move: 9, Aim: 1000, Buttons: 1})
		},
		"AppendPing": func() { buf = pb.AppendPing(buf[:0], 1_700_000_000_000) },
	}
	for name, f := range cases {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", name, n)
		}
	}
	if err := pb.DecodeClientMessage(in, &m); err != nil || m.Input.Seq != 123456 {
		t.Errorf("decode: %+v, %v", m, err)
	}
}
