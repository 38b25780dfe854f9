// messages.go — the rare server messages (Welcome, Pong, Kick) and the
// client's dispatch of what arrives. These go through the generated code:
// they are a handful per connection, not per tick.

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
)

// SplitServerMessage tells which message b holds and returns its body: for
// ServerSnapshot, the bytes State.Apply takes. It does not allocate.
func SplitServerMessage(b []byte) (ServerKind, []byte, error) {
	kind, body := ServerNone, []byte(nil)
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return ServerNone, nil, malformed("server message: bad tag")
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return ServerNone, nil, malformed("server message: bad field %d", num)
		}
		if typ == protowire.BytesType && num >= 1 && num <= 4 {
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
