// messages.go — the rare server messages, Welcome, Pong, Kick and Notice, read
// with the standard library alone (this package does not import the
// protobuf runtime: proto/messages.go's generated types need it). They are
// a handful of varint, string and packed fields, per skirmish.proto. The
// Welcome's state and every Snapshot go to pb.State.Apply (client.go).

package netcode

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	pb "skirmish/proto"
)

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// maxFieldNumber is the largest valid protobuf field number.
const maxFieldNumber = 1<<29 - 1

// field is one protobuf field: a varint's value v, or a length-delimited
// field's bytes b.
type field struct {
	num uint64
	typ uint64
	v   uint64
	b   []byte
}

// malformed returns an error wrapping pb.ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf("netcode: %w: "+format, append([]any{pb.ErrMalformed}, args...)...)
}

// nextField reads the field at the start of *b and moves *b past it.
// Groups, deprecated since proto2 and absent from skirmish.proto, are
// refused.
func nextField(b *[]byte, what string) (field, error) {
	var f field
	key, n := binary.Uvarint(*b)
	if n <= 0 {
		return f, malformed("%s: bad tag", what)
	}
	*b = (*b)[n:]
	f.num, f.typ = key>>3, key&7
	if f.num == 0 || f.num > maxFieldNumber {
		return f, malformed("%s: bad field number %d", what, f.num)
	}
	switch f.typ {
	case wireVarint:
		f.v, n = binary.Uvarint(*b)
		if n <= 0 {
			return f, malformed("%s: bad varint", what)
		}
	case wireBytes:
		var size uint64
		size, n = binary.Uvarint(*b)
		if n <= 0 || size > uint64(len(*b)-n) {
			return f, malformed("%s: bad length", what)
		}
		f.b = (*b)[n : n+int(size)]
		n += int(size)
	case wireFixed64:
		n = 8
	case wireFixed32:
		n = 4
	default:
		return f, malformed("%s: wire type %d", what, f.typ)
	}
	if n > len(*b) {
		return f, malformed("%s: truncated field %d", what, f.num)
	}
	*b = (*b)[n:]
	return f, nil
}

// eachField calls fn for every field of the message b, stopping at the
// first error.
func eachField(b []byte, what string, fn func(f field) error) error {
	for len(b) > 0 {
		f, err := nextField(&b, what)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// appendInt32s appends the values of a repeated int32 field, packed or
// not. A field of another wire type is skipped, as protobuf skips it.
func appendInt32s(dst []int32, f field) ([]int32, error) {
	switch f.typ {
	case wireVarint:
		dst = append(dst, int32(f.v))
	case wireBytes:
		for b := f.b; len(b) > 0; {
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return dst, malformed("arena: bad packed varint in field %d", f.num)
			}
			dst, b = append(dst, int32(v)), b[n:]
		}
	}
	return dst, nil
}

// text returns a string field, which protobuf requires to be UTF-8.
func text(f field, what string) (string, error) {
	if !utf8.Valid(f.b) {
		return "", malformed("%s: field %d is not UTF-8", what, f.num)
	}
	return string(f.b), nil
}

// welcomeMsg is a decoded Welcome. Nested messages that appear more than
// once are merged, as protobuf requires: scalars last wins, lists append,
// and the state's bytes are concatenated (which merges a Snapshot).
type welcomeMsg struct {
	version, playerID, tickRate uint32
	room                        string
	width, height               int32
	walls, spawns               []int32
	rules                       [8]int32 // by Rules field number
	state                       []byte
	hasState                    bool
}

// Field numbers, as in skirmish.proto.
const (
	welcomeVersion  = 1
	welcomePlayerID = 2
	welcomeRoom     = 3
	welcomeTickRate = 4
	welcomeArena    = 5
	welcomeRules    = 6
	welcomeState    = 7

	arenaWidth  = 1
	arenaHeight = 2
	arenaWalls  = 3
	arenaSpawns = 4

	rulesPlayerSpeed       = 1
	rulesPlayerRadius      = 2
	rulesMaxHealth         = 3
	rulesProjectileSpeed   = 4
	rulesFireCooldownTicks = 5
	rulesMatchTicks        = 6
	rulesScoreLimit        = 7

	pongClientTime = 1

	kickReason  = 1
	kickMessage = 2

	noticeMessage = 1
)

// decodeWelcome decodes the body of a ServerMessage's welcome.
func decodeWelcome(b []byte) (*welcomeMsg, error) {
	w := &welcomeMsg{}
	err := eachField(b, "welcome", func(f field) error {
		switch {
		case f.typ == wireVarint && f.num == welcomeVersion:
			w.version = uint32(f.v)
		case f.typ == wireVarint && f.num == welcomePlayerID:
			w.playerID = uint32(f.v)
		case f.typ == wireVarint && f.num == welcomeTickRate:
			w.tickRate = uint32(f.v)
		case f.typ == wireBytes && f.num == welcomeRoom:
			s, err := text(f, "welcome")
			w.room = s
			return err
		case f.typ == wireBytes && f.num == welcomeArena:
			return w.decodeArena(f.b)
		case f.typ == wireBytes && f.num == welcomeRules:
			return eachField(f.b, "rules", func(f field) error {
				if f.typ == wireVarint && f.num < uint64(len(w.rules)) {
					w.rules[f.num] = int32(f.v)
				}
				return nil
			})
		case f.typ == wireBytes && f.num == welcomeState:
			w.state, w.hasState = append(w.state, f.b...), true
		}
		return nil
	})
	return w, err
}

func (w *welcomeMsg) decodeArena(b []byte) error {
	return eachField(b, "arena", func(f field) error {
		var err error
		switch {
		case f.typ == wireVarint && f.num == arenaWidth:
			w.width = int32(f.v)
		case f.typ == wireVarint && f.num == arenaHeight:
			w.height = int32(f.v)
		case f.num == arenaWalls:
			w.walls, err = appendInt32s(w.walls, f)
		case f.num == arenaSpawns:
			w.spawns, err = appendInt32s(w.spawns, f)
		}
		return err
	})
}

// decodePong returns a Pong's client_time.
func decodePong(b []byte) (clientTime uint64, err error) {
	err = eachField(b, "pong", func(f field) error {
		if f.typ == wireVarint && f.num == pongClientTime {
			clientTime = f.v
		}
		return nil
	})
	return clientTime, err
}

// decodeKick returns a Kick's reason and message.
func decodeKick(b []byte) (reason pb.KickReason, message string, err error) {
	err = eachField(b, "kick", func(f field) error {
		switch {
		case f.typ == wireVarint && f.num == kickReason:
			reason = pb.KickReason(int32(f.v))
		case f.typ == wireBytes && f.num == kickMessage:
			s, err := text(f, "kick")
			message = s
			return err
		}
		return nil
	})
	return reason, message, err
}

// decodeNotice returns a Notice's message.
func decodeNotice(b []byte) (message string, err error) {
	err = eachField(b, "notice", func(f field) error {
		if f.typ == wireBytes && f.num == noticeMessage {
			s, err := text(f, "notice")
			message = s
			return err
		}
		return nil
	})
	return message, err
}
