// input.go — the ClientMessage codec, both sides of the wire side by side:
// AppendInput and AppendPing (the client's writer) write what
// DecodeClientMessage (server/inbound.go's reader) reads.

package pb

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// ClientMessage and Input field numbers, as in skirmish.proto.
const (
	clientInput protowire.Number = 1
	clientPing  protowire.Number = 2

	inputSeq     protowire.Number = 1
	inputMove    protowire.Number = 2
	inputAim     protowire.Number = 3
	inputButtons protowire.Number = 4

	pingClientTime protowire.Number = 1
)

// InputMsg mirrors the Input message.
type InputMsg struct {
	Seq, Move, Aim, Buttons uint32
}

// ClientKind says which message a ClientMsg holds.
type ClientKind uint8

// The kinds of ClientMessage.
const (
	ClientNone ClientKind = iota
	ClientInput
	ClientPing
)

// ClientMsg is a decoded ClientMessage.
type ClientMsg struct {
	Kind     ClientKind
	Input    InputMsg
	PingTime uint64
}

// AppendInput appends a ClientMessage holding in.
func AppendInput(dst []byte, in InputMsg) []byte {
	n := sizeVarintField(inputSeq, uint64(in.Seq)) + sizeVarintField(inputMove, uint64(in.Move)) +
		sizeVarintField(inputAim, uint64(in.Aim)) + sizeVarintField(inputButtons, uint64(in.Buttons))
	dst = protowire.AppendTag(dst, clientInput, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(n))
	dst = appendVarintField(dst, inputSeq, uint64(in.Seq))
	dst = appendVarintField(dst, inputMove, uint64(in.Move))
	dst = appendVarintField(dst, inputAim, uint64(in.Aim))
	return appendVarintField(dst, inputButtons, uint64(in.Buttons))
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
		num, typ, n := consumeTag(b)
		if n < 0 {
			return malformed("client message: bad tag")
		}
		b = b[n:]
		m2 := protowire.ConsumeFieldValue(num, typ, b)
		if m2 < 0 {
			return malformed("client message: bad field %d", num)
		}
		field := b[:m2]
		b = b[m2:]
		if typ != protowire.BytesType || (num != clientInput && num != clientPing) {
			continue
		}
		body, _ := protowire.ConsumeBytes(field)
		var err error
		if num == clientInput {
			if m.Kind != ClientInput {
				m.Kind, m.Input, m.PingTime = ClientInput, InputMsg{}, 0
			}
			err = decodeInput(body, &m.Input)
		} else {
			if m.Kind != ClientPing {
				m.Kind, m.Input, m.PingTime = ClientPing, InputMsg{}, 0
			}
			err = decodePing(body, &m.PingTime)
		}
		if err != nil {
			return err
		}
	}
	if m.Kind == ClientNone {
		return malformed("client message: neither input nor ping")
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
