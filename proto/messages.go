// messages.go — the rare server messages (Welcome, Pong, Kick, Notice),
// both sides: the server writes them (MarshalServer, AppendWelcomeMessage),
// a client tells them apart (SplitServerMessage) and reads them
// (ReadWelcome, ReadPong, ReadKick, ReadNotice). These go through the
// generated code: they are a handful per connection, not per tick.
// client/netcode and bots read with these; simwire maps a Welcome's arena
// and rules onto the sim's.

package pb

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// ServerKind says which message a ServerMessage holds.
type ServerKind uint8

// The kinds of ServerMessage.
const (
	ServerNone ServerKind = iota
	ServerWelcome
	ServerSnapshot
	ServerPong
	ServerKick
	ServerNotice
)

// SplitServerMessage tells which message b holds and returns its body: for
// ServerSnapshot, the bytes State.Apply takes. It does not allocate.
func SplitServerMessage(b []byte) (ServerKind, []byte, error) {
	kind, body := ServerNone, []byte(nil)
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return ServerNone, nil, malformed("server message: bad tag")
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return ServerNone, nil, malformed("server message: bad field %d", num)
		}
		if typ == protowire.BytesType && num >= protowire.Number(ServerWelcome) && num <= protowire.Number(ServerNotice) {
			kind = ServerKind(num)
			body, _ = protowire.ConsumeBytes(b)
		}
		b = b[m:]
	}
	if kind == ServerNone {
		return ServerNone, nil, malformed("server message: empty")
	}
	return kind, body, nil
}

// MarshalServer encodes a ServerMessage holding one of the rare messages.
// It fails only on invalid UTF-8 in a string field.
func MarshalServer(m *ServerMessage) ([]byte, error) {
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("pb: marshal %T: %w", m.GetMsg(), err)
	}
	return b, nil
}

// Welcome field numbers, as in skirmish.proto.
const (
	serverWelcome   protowire.Number = 1
	welcomePlayerID protowire.Number = 2
	welcomeState    protowire.Number = 7
)

// AppendWelcomeMessage appends a whole ServerMessage frame holding a
// Welcome: head is a marshalled Welcome with the fields every player of a
// room shares, to which it adds the player's id and its first state, a full
// snapshot body from Encoder.AppendSnapshot acked at ack.
func AppendWelcomeMessage(dst, head []byte, playerID, ack uint32, fullBody []byte) []byte {
	state := protowire.SizeTag(snapAck) + protowire.SizeVarint(uint64(ack)) + len(fullBody)
	n := len(head) + protowire.SizeTag(welcomePlayerID) + protowire.SizeVarint(uint64(playerID)) +
		protowire.SizeTag(welcomeState) + protowire.SizeBytes(state)
	dst = protowire.AppendTag(dst, serverWelcome, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(n))
	dst = append(dst, head...)
	dst = protowire.AppendTag(dst, welcomePlayerID, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(playerID))
	dst = protowire.AppendTag(dst, welcomeState, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(state))
	dst = protowire.AppendTag(dst, snapAck, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(ack))
	return append(dst, fullBody...)
}

// ReadWelcome reads a Welcome, the body SplitServerMessage returns for
// ServerWelcome, and returns it with its state encoded again for
// State.Apply (nil when the Welcome carries none; w.State stays in place).
// Bytes the generated code refuses are an error wrapping ErrMalformed.
func ReadWelcome(body []byte) (w *Welcome, state []byte, err error) {
	w = &Welcome{}
	if err := unmarshal("welcome", body, w); err != nil {
		return nil, nil, err
	}
	if w.State == nil {
		return w, nil, nil
	}
	if state, err = proto.Marshal(w.State); err != nil {
		return nil, nil, malformed("welcome: state: %w", err)
	}
	return w, state, nil
}

// ReadPong reads a Pong, the body SplitServerMessage returns for
// ServerPong.
func ReadPong(body []byte) (*Pong, error) {
	p := &Pong{}
	return p, unmarshal("pong", body, p)
}

// ReadKick reads a Kick, the body SplitServerMessage returns for
// ServerKick.
func ReadKick(body []byte) (*Kick, error) {
	k := &Kick{}
	return k, unmarshal("kick", body, k)
}

// ReadNotice reads a Notice, the body SplitServerMessage returns for
// ServerNotice.
func ReadNotice(body []byte) (*Notice, error) {
	n := &Notice{}
	return n, unmarshal("notice", body, n)
}

// unmarshal decodes b into m with the generated code; its refusal (bad
// wire data, a string that is not UTF-8) wraps ErrMalformed.
func unmarshal(what string, b []byte, m proto.Message) error {
	if err := proto.Unmarshal(b, m); err != nil {
		return malformed("%s: %w", what, err)
	}
	return nil
}
