// input.go — the ClientMessage codec, both sides of the wire side by side:
// AppendInput, AppendInputs and AppendPing (the client's writer) write what
// DecodeClientMessage (server/inbound.go's reader) reads.

package pb

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// ClientMessage and Input field numbers, as in skirmish.proto.
const (
	clientInput  protowire.Number = 1
	clientPing   protowire.Number = 2
	clientInputs protowire.Number = 3

	inputsInput protowire.Number = 1

	inputSeq     protowire.Number = 1
	inputMove    protowire.Number = 2
	inputAim     protowire.Number = 3
	inputButtons protowire.Number = 4
	inputLag     protowire.Number = 5

	pingClientTime protowire.Number = 1
)

// InputMsg mirrors the Input message.
type InputMsg struct {
	Seq, Move, Aim, Buttons uint32
	RenderLag               uint32 // render_lag: ticks the other players were drawn behind this input's tick
}

// ClientKind says which message a ClientMsg holds.
type ClientKind uint8

// The kinds of ClientMessage.
const (
	ClientNone ClientKind = iota
	ClientInput
	ClientPing
	ClientInputs
)

// MaxInputs is the most inputs one Inputs message may carry: a client that
// runs 8 ticks behind sends more frames instead.
const MaxInputs = 8

// ClientMsg is a decoded ClientMessage.
type ClientMsg struct {
	Kind     ClientKind
	Input    InputMsg // ClientInput
	PingTime uint64   // ClientPing
	// ClientInputs: the first NInputs, oldest first.
	Inputs  [MaxInputs]InputMsg
	NInputs int
}

// AppendInput appends a ClientMessage holding in.
func AppendInput(dst []byte, in InputMsg) []byte {
	return appendInputBody(protowire.AppendTag(dst, clientInput, protowire.BytesType), in)
}

// appendInputBody appends the length and fields of the Input message in.
func appendInputBody(dst []byte, in InputMsg) []byte {
	dst = protowire.AppendVarint(dst, uint64(sizeInput(in)))
	dst = appendVarintField(dst, inputSeq, uint64(in.Seq))
	dst = appendVarintField(dst, inputMove, uint64(in.Move))
	dst = appendVarintField(dst, inputAim, uint64(in.Aim))
	dst = appendVarintField(dst, inputButtons, uint64(in.Buttons))
	return appendVarintField(dst, inputLag, uint64(in.RenderLag))
}

func sizeInput(in InputMsg) int {
	return sizeVarintField(inputSeq, uint64(in.Seq)) + sizeVarintField(inputMove, uint64(in.Move)) +
		sizeVarintField(inputAim, uint64(in.Aim)) + sizeVarintField(inputButtons, uint64(in.Buttons)) +
		sizeVarintField(inputLag, uint64(in.RenderLag))
}

// AppendInputs appends a ClientMessage holding an Inputs message with ins,
// oldest first (at most MaxInputs).
func AppendInputs(dst []byte, ins []InputMsg) []byte {
	n := 0
	for _, in := range ins {
		k := sizeInput(in)
		n += protowire.SizeTag(inputsInput) + protowire.SizeVarint(uint64(k)) + k
	}
	dst = protowire.AppendTag(dst, clientInputs, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(n))
	for _, in := range ins {
		dst = appendInputBody(protowire.AppendTag(dst, inputsInput, protowire.BytesType), in)
	}
	return dst
}

// AppendPing appends a ClientMessage holding a Ping.
func AppendPing(dst []byte, clientTime uint64) []byte {
	dst = protowire.AppendTag(dst, clientPing, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(sizeVarintField(pingClientTime, clientTime)))
	return appendVarintField(dst, pingClientTime, clientTime)
}

// proto3 leaves zero scalars out.
func appendVarintField(dst []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return dst
	}
	dst = protowire.AppendTag(dst, num, protowire.VarintType)
	return protowire.AppendVarint(dst, v)
}

func sizeVarintField(num protowire.Number, v uint64) int {
	if v == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeVarint(v)
}

// DecodeClientMessage decodes b into m without allocating. Bytes that are
// not protobuf, and a message that holds neither an input nor a ping, are
// errors wrapping ErrMalformed. Unknown fields are skipped, as protobuf
// requires. A uint32 field given a larger value saturates at MaxUint32, so
// that the range checks that follow see it as out of range. When both
// oneof members appear, the last wins, and a member that appears twice is
// merged field by field, as protobuf requires.
func DecodeClientMessage(b []byte, m *ClientMsg) error {
	*m = ClientMsg{}
	for len(b) > 0 {
		num, body, isBytes, rest, err := nextField(b, "client message")
		if err != nil {
			return err
		}
		b = rest
		if !isBytes {
			continue
		}
		switch num {
		case clientInput:
			m.become(ClientInput)
			err = decodeInput(body, &m.Input)
		case clientPing:
			m.become(ClientPing)
			err = decodePing(body, &m.PingTime)
		case clientInputs:
			m.become(ClientInputs)
			err = decodeInputs(body, m)
		}
		if err != nil {
			return err
		}
	}
	if m.Kind == ClientInputs && m.NInputs == 0 {
		return malformed("client message: inputs without an input")
	}
	if m.Kind == ClientNone {
		return malformed("client message: neither input nor ping")
	}
	return nil
}

// nextField splits the first field off the message b: its number, its
// body and true when it is length-delimited, and the rest of b. what names
// the message in errors.
func nextField(b []byte, what string) (num protowire.Number, body []byte, isBytes bool, rest []byte, err error) {
	num, typ, n := consumeTag(b)
	if n < 0 {
		return 0, nil, false, nil, malformed("%s: bad tag", what)
	}
	b = b[n:]
	k := protowire.ConsumeFieldValue(num, typ, b)
	if k < 0 {
		return 0, nil, false, nil, malformed("%s: bad field %d", what, num)
	}
	if typ == protowire.BytesType {
		body, _ = protowire.ConsumeBytes(b[:k])
	}
	return num, body, typ == protowire.BytesType, b[k:], nil
}

// become switches m to the oneof member kind, clearing the others: the
// last member seen wins.
func (m *ClientMsg) become(kind ClientKind) {
	if m.Kind != kind {
		*m = ClientMsg{Kind: kind}
	}
}

// decodeInputs appends the inputs of the Inputs message b to m's (a member
// that appears twice concatenates its repeated field, as protobuf
// requires).
func decodeInputs(b []byte, m *ClientMsg) error {
	for len(b) > 0 {
		num, body, isBytes, rest, err := nextField(b, "inputs")
		if err != nil {
			return err
		}
		b = rest
		if num != inputsInput || !isBytes {
			continue
		}
		if m.NInputs == MaxInputs {
			return malformed("inputs: more than %d", MaxInputs)
		}
		if err := decodeInput(body, &m.Inputs[m.NInputs]); err != nil {
			return err
		}
		m.NInputs++
	}
	return nil
}

// decodeInput merges the fields of the Input message b into in.
func decodeInput(b []byte, in *InputMsg) error {
	return eachVarint(b, "input", func(num protowire.Number, v uint64) {
		u := uint32(min(v, math.MaxUint32))
		switch num {
		case inputSeq:
			in.Seq = u
		case inputMove:
			in.Move = u
		case inputAim:
			in.Aim = u
		case inputButtons:
			in.Buttons = u
		case inputLag:
			in.RenderLag = u
		}
	})
}

// decodePing merges the Ping message b into t.
func decodePing(b []byte, t *uint64) error {
	return eachVarint(b, "ping", func(num protowire.Number, v uint64) {
		if num == pingClientTime {
			*t = v
		}
	})
}

// eachVarint calls f for every varint field of the message b and checks that
// the other fields are well formed; what names the message in errors.
func eachVarint(b []byte, what string, f func(protowire.Number, uint64)) error {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return malformed("%s: bad tag", what)
		}
		b = b[n:]
		if typ == protowire.VarintType {
			v, k := protowire.ConsumeVarint(b)
			if k < 0 {
				return malformed("%s: bad varint", what)
			}
			f(num, v)
			b = b[k:]
			continue
		}
		k := protowire.ConsumeFieldValue(num, typ, b)
		if k < 0 {
			return malformed("%s: bad field %d", what, num)
		}
		b = b[k:]
	}
	return nil
}
