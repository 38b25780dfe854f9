// snapshot.go — the Snapshot codec, both sides of the wire side by side:
// Encoder.AppendSnapshot (server/snapshot.go calls it once per room and
// baseline) writes what State.Apply (the client's reader) reads.
// AppendSnapshotMessage wraps a shared body with one client's ack.

package pb

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
)

// Snapshot field numbers, as in skirmish.proto.
const (
	snapTick         protowire.Number = 1
	snapFull         protowire.Number = 2
	snapAck          protowire.Number = 3
	snapMatch        protowire.Number = 4
	snapLeft         protowire.Number = 5
	snapJoined       protowire.Number = 6
	snapPlayerKeys   protowire.Number = 7
	snapPlayerValues protowire.Number = 8
	snapShots        protowire.Number = 9
	snapShotsGone    protowire.Number = 10
	snapEvents       protowire.Number = 11
	snapChecksum     protowire.Number = 12
	snapInputLead    protowire.Number = 13

	serverSnapshot protowire.Number = 2 // ServerMessage.snapshot

	keyMaskBits = 7 // a player key is (id gap) << keyMaskBits | mask
	shotFields  = 6 // numbers per new shot in Snapshot.shots
)

// ErrMalformed is wrapped by every decoding error: the bytes are not the
// message they claim to be, or contradict the state they are applied to.
var ErrMalformed = errors.New("pb: malformed message")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// consumeTag is protowire.ConsumeTag that also refuses field numbers above
// protowire.MaxValidNumber, as the generated code does. Every first read of
// untrusted bytes uses it.
func consumeTag(b []byte) (protowire.Number, protowire.Type, int) {
	num, typ, n := protowire.ConsumeTag(b)
	if n >= 0 && num > protowire.MaxValidNumber {
		return 0, 0, -1
	}
	return num, typ, n
}

// Encoder writes Snapshot bodies. The zero value is ready to use; it keeps
// scratch buffers between calls so that steady-state encoding allocates
// nothing. It is not safe for concurrent use: each room owns one.
type Encoder struct {
	left, joined, keys, values, shots, gone []byte
}

// AppendSnapshot appends to dst the fields of a Snapshot message, all but
// ack, that turn base into cur, and returns the extended buffer. A nil base
// makes a full snapshot. events are copied as they are; checksum adds
// cur.Hash().
func (e *Encoder) AppendSnapshot(dst []byte, base, cur *State, events []EventInfo, checksum bool) []byte {
	var empty State
	full := base == nil
	if full {
		base = &empty
	}
	e.diffPlayers(base, cur)
	e.diffShots(base, cur)

	dst = protowire.AppendTag(dst, snapTick, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(cur.Tick))
	if full {
		dst = protowire.AppendTag(dst, snapFull, protowire.VarintType)
		dst = protowire.AppendVarint(dst, 1)
	}
	if full || base.Match != cur.Match {
		dst = protowire.AppendTag(dst, snapMatch, protowire.BytesType)
		dst = appendMatch(dst, cur.Match)
	}
	dst = appendPacked(dst, snapLeft, e.left)
	dst = append(dst, e.joined...)
	dst = appendPacked(dst, snapPlayerKeys, e.keys)
	dst = appendPacked(dst, snapPlayerValues, e.values)
	dst = appendPacked(dst, snapShots, e.shots)
	dst = appendPacked(dst, snapShotsGone, e.gone)
	for i := range events {
		dst = protowire.AppendTag(dst, snapEvents, protowire.BytesType)
		dst = appendEvent(dst, &events[i])
	}
	if checksum {
		dst = protowire.AppendTag(dst, snapChecksum, protowire.VarintType)
		dst = protowire.AppendVarint(dst, cur.Hash())
	}
	return dst
}

// diffPlayers fills e.left, e.joined (as whole fields), e.keys and e.values.
func (e *Encoder) diffPlayers(base, cur *State) {
	e.left, e.joined, e.keys, e.values = e.left[:0], e.joined[:0], e.keys[:0], e.values[:0]
	var zero [NumPlayerFields]int32
	prev := uint32(0)
	i, j := 0, 0
	for j < len(cur.Players) {
		c := &cur.Players[j]
		if i < len(base.Players) && base.Players[i].ID < c.ID {
			e.left = protowire.AppendVarint(e.left, uint64(base.Players[i].ID))
			i++
			continue
		}
		from := &zero
		if i < len(base.Players) && base.Players[i].ID == c.ID {
			b := &base.Players[i]
			i++
			if b.Serial == c.Serial && b.Name == c.Name {
				from = &b.F
			} else {
				e.left = protowire.AppendVarint(e.left, uint64(b.ID))
			}
		}
		if from == &zero {
			e.joined = protowire.AppendTag(e.joined, snapJoined, protowire.BytesType)
			e.joined = appendJoin(e.joined, c)
		}
		j++
		var mask uint64
		for f := range c.F {
			if c.F[f] != from[f] {
				mask |= 1 << f
			}
		}
		if mask == 0 {
			continue
		}
		e.keys = protowire.AppendVarint(e.keys, uint64(c.ID-prev-1)<<keyMaskBits|mask)
		prev = c.ID
		for f := range c.F {
			if mask&(1<<f) != 0 {
				e.values = appendSint32(e.values, c.F[f]-from[f])
			}
		}
	}
	for ; i < len(base.Players); i++ {
		e.left = protowire.AppendVarint(e.left, uint64(base.Players[i].ID))
	}
}

// diffShots fills e.shots and e.gone. Shots never change after they appear,
// so a shot is either new, gone, or left out.
func (e *Encoder) diffShots(base, cur *State) {
	e.shots, e.gone = e.shots[:0], e.gone[:0]
	prevNew, prevGone := uint32(0), uint32(0)
	i, j := 0, 0
	for i < len(base.Shots) || j < len(cur.Shots) {
		switch {
		case j == len(cur.Shots) || (i < len(base.Shots) && base.Shots[i].ID < cur.Shots[j].ID):
			id := base.Shots[i].ID
			e.gone = protowire.AppendVarint(e.gone, uint64(id-prevGone))
			prevGone = id
			i++
		case i == len(base.Shots) || cur.Shots[j].ID < base.Shots[i].ID:
			s := &cur.Shots[j]
			e.shots = appendSint32(e.shots, int32(s.ID-prevNew))
			e.shots = appendSint32(e.shots, int32(s.Owner))
			e.shots = appendSint32(e.shots, s.X)
			e.shots = appendSint32(e.shots, s.Y)
			e.shots = appendSint32(e.shots, s.VX)
			e.shots = appendSint32(e.shots, s.VY)
			prevNew = s.ID
			j++
		default:
			i++
			j++
		}
	}
}

// AppendSnapshotMessage appends a whole ServerMessage frame that carries a
// snapshot: body (from Encoder.AppendSnapshot, shared by every client with
// the same baseline) plus this client's ack and input lead (left out when 0).
func AppendSnapshotMessage(dst []byte, ack uint32, lead int32, body []byte) []byte {
	n := protowire.SizeTag(snapAck) + protowire.SizeVarint(uint64(ack)) + len(body)
	if lead != 0 {
		n += protowire.SizeTag(snapInputLead) + protowire.SizeVarint(zigzag32(lead))
	}
	dst = protowire.AppendTag(dst, serverSnapshot, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(n))
	dst = protowire.AppendTag(dst, snapAck, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(ack))
	if lead != 0 {
		dst = protowire.AppendTag(dst, snapInputLead, protowire.VarintType)
		dst = appendSint32(dst, lead)
	}
	return append(dst, body...)
}

func appendPacked(dst []byte, num protowire.Number, packed []byte) []byte {
	if len(packed) == 0 {
		return dst
	}
	dst = protowire.AppendTag(dst, num, protowire.BytesType)
	return protowire.AppendBytes(dst, packed)
}

func appendSint32(dst []byte, v int32) []byte {
	return protowire.AppendVarint(dst, zigzag32(v))
}

// zigzag32 is v as a sint32 field carries it.
func zigzag32(v int32) uint64 { return uint64(uint32(v<<1) ^ uint32(v>>31)) }

func decodeSint32(v uint64) int32 {
	u := uint32(v)
	return int32(u>>1) ^ -int32(u&1)
}

func appendMatch(dst []byte, m MatchInfo) []byte {
	n := protowire.SizeTag(1)*3 + protowire.SizeVarint(uint64(m.Number)) +
		protowire.SizeVarint(uint64(m.Phase)) + protowire.SizeVarint(uint64(m.EndTick))
	dst = protowire.AppendVarint(dst, uint64(n))
	dst = protowire.AppendTag(dst, 1, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(m.Number))
	dst = protowire.AppendTag(dst, 2, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(m.Phase))
	dst = protowire.AppendTag(dst, 3, protowire.VarintType)
	return protowire.AppendVarint(dst, uint64(m.EndTick))
}

func appendJoin(dst []byte, p *PlayerState) []byte {
	n := protowire.SizeTag(1) + protowire.SizeVarint(uint64(p.ID)) +
		protowire.SizeTag(2) + protowire.SizeBytes(len(p.Name))
	dst = protowire.AppendVarint(dst, uint64(n))
	dst = protowire.AppendTag(dst, 1, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(p.ID))
	dst = protowire.AppendTag(dst, 2, protowire.BytesType)
	return protowire.AppendString(dst, p.Name)
}

func appendEvent(dst []byte, ev *EventInfo) []byte {
	value := uint64(int64(ev.Value)) // int32 on the wire: negative values take ten bytes
	n := protowire.SizeTag(1)*5 + protowire.SizeVarint(uint64(ev.Tick)) +
		protowire.SizeVarint(uint64(ev.Kind)) + protowire.SizeVarint(uint64(ev.A)) +
		protowire.SizeVarint(uint64(ev.B)) + protowire.SizeVarint(value)
	dst = protowire.AppendVarint(dst, uint64(n))
	dst = protowire.AppendTag(dst, 1, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(ev.Tick))
	dst = protowire.AppendTag(dst, 2, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(ev.Kind))
	dst = protowire.AppendTag(dst, 3, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(ev.A))
	dst = protowire.AppendTag(dst, 4, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(ev.B))
	dst = protowire.AppendTag(dst, 5, protowire.VarintType)
	return protowire.AppendVarint(dst, value)
}

// SnapshotInfo is what a Snapshot says besides the state change.
type SnapshotInfo struct {
	Tick     uint32
	Full     bool
	Ack      uint32
	Lead     int32  // input_lead: how early this client's inputs arrive
	Checksum uint64 // 0: none sent
}

// Apply applies a Snapshot message (its bytes, as inside ServerMessage) to
// s, appending its events to events. It is the reader of what
// Encoder.AppendSnapshot writes, and it allocates only for joined players'
// names and for growth. It reads any protobuf encoding of a Snapshot: absent
// scalars are zero (proto3 leaves out a tick of 0), unknown fields are
// skipped and a match sent twice is merged. On error s is left part-way and
// must be dropped, with the connection.
func (s *State) Apply(b []byte, events []EventInfo) (SnapshotInfo, []EventInfo, error) {
	var info SnapshotInfo
	var at windows
	hasMatch := false
	for rest := b; len(rest) > 0; {
		num, typ, n := consumeTag(rest)
		if n < 0 {
			return info, events, malformed("snapshot: bad tag")
		}
		start := len(b) - len(rest)
		rest = rest[n:]
		if typ == protowire.VarintType {
			v, m := consumeVarint(rest)
			if m < 0 {
				return info, events, malformed("snapshot: bad varint")
			}
			switch num {
			case snapTick:
				info.Tick = uint32(v)
			case snapFull:
				info.Full = v != 0
			case snapAck:
				info.Ack = uint32(v)
			case snapInputLead:
				info.Lead = decodeSint32(v)
			case snapChecksum:
				info.Checksum = v
			}
			rest = rest[m:]
			at.add(num, start, len(b)-len(rest))
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, rest)
		if m < 0 {
			return info, events, malformed("snapshot: bad field %d", num)
		}
		if num == snapMatch && typ == protowire.BytesType {
			hasMatch = true
		}
		rest = rest[m:]
		at.add(num, start, len(b)-len(rest))
	}
	if info.Full {
		s.Reset()
	} else if info.Tick < s.Tick {
		return info, events, malformed("snapshot: tick %d before held tick %d", info.Tick, s.Tick)
	}
	dt := int32(info.Tick - s.Tick)
	for i := range s.Shots {
		s.Shots[i].X += s.Shots[i].VX * dt
		s.Shots[i].Y += s.Shots[i].VY * dt
	}
	s.Tick = info.Tick
	if hasMatch {
		if err := s.applyMatch(at.of(b, snapMatch)); err != nil {
			return info, events, err
		}
	}
	err := s.applyLeft(at.of(b, snapLeft))
	if err == nil {
		err = s.applyJoined(at.of(b, snapJoined))
	}
	if err == nil {
		err = s.applyPlayers(at.of(b, snapPlayerKeys), at.of(b, snapPlayerValues))
	}
	if err == nil {
		err = s.applyGone(at.of(b, snapShotsGone))
	}
	if err == nil {
		err = s.applyShots(at.of(b, snapShots))
	}
	if err == nil {
		events, err = appendEvents(events, at.of(b, snapEvents))
	}
	return info, events, err
}

// windows says where in a Snapshot message each field Apply reads after
// its first pass lies: from the first occurrence's tag to the end of the
// last. Each later pass walks only its field's window, whole fields from
// tag to end (none at all for a field absent), and sees the same
// occurrences in the same order as it would in the whole message.
type windows [snapEvents + 1]struct{ lo, hi int }

// add records the occurrence of field num at b[lo:hi].
func (w *windows) add(num protowire.Number, lo, hi int) {
	if num < snapMatch || num > snapEvents {
		return
	}
	if f := &w[num]; f.hi == 0 {
		f.lo, f.hi = lo, hi
	} else {
		f.hi = hi
	}
}

// of is field num's window in b, the message add was given.
func (w *windows) of(b []byte, num protowire.Number) []byte { return b[w[num].lo:w[num].hi] }

// applyMatch replaces s.Match with the match field, merging its occurrences
// as protobuf does.
func (s *State) applyMatch(b []byte) error {
	s.Match = MatchInfo{}
	for rest := b; len(rest) > 0; {
		num, typ, n := protowire.ConsumeTag(rest)
		rest = rest[n:]
		m := protowire.ConsumeFieldValue(num, typ, rest)
		if num == snapMatch && typ == protowire.BytesType {
			msg, _ := protowire.ConsumeBytes(rest)
			if err := decodeMatch(msg, &s.Match); err != nil {
				return err
			}
		}
		rest = rest[m:]
	}
	return nil
}

func (s *State) applyLeft(b []byte) error {
	it := varints{msg: b, num: snapLeft}
	for v, ok := it.next(); ok; v, ok = it.next() {
		i := s.playerIndex(uint32(v))
		if i < 0 {
			return malformed("snapshot: unknown player %d left", v)
		}
		s.Players = append(s.Players[:i], s.Players[i+1:]...)
	}
	return it.err
}

func (s *State) applyJoined(b []byte) error {
	for rest := b; ; {
		msg, ok := nextMessage(&rest, snapJoined)
		if !ok {
			return nil
		}
		var p PlayerState
		for len(msg) > 0 {
			fnum, ftyp, k := consumeTag(msg)
			if k < 0 {
				return malformed("snapshot: bad join")
			}
			msg = msg[k:]
			switch {
			case fnum == 1 && ftyp == protowire.VarintType:
				v, k := protowire.ConsumeVarint(msg)
				if k < 0 {
					return malformed("snapshot: bad join id")
				}
				p.ID, msg = uint32(v), msg[k:]
			case fnum == 2 && ftyp == protowire.BytesType:
				v, k := protowire.ConsumeBytes(msg)
				if k < 0 {
					return malformed("snapshot: bad join name")
				}
				p.Name, msg = string(v), msg[k:]
			default:
				k := protowire.ConsumeFieldValue(fnum, ftyp, msg)
				if k < 0 {
					return malformed("snapshot: bad join field")
				}
				msg = msg[k:]
			}
		}
		if p.ID == 0 || s.playerIndex(p.ID) >= 0 {
			return malformed("snapshot: join of player %d", p.ID)
		}
		i := s.insertionIndex(p.ID)
		s.Players = append(s.Players, PlayerState{})
		copy(s.Players[i+1:], s.Players[i:])
		s.Players[i] = p
	}
}

// applyPlayers applies the player keys in keys and their values in
// values (two windows of the message). The keys' ids ascend, as the
// encoder writes them, so each is looked for from the last one's index on
// (from the start when an id wraps round, as a hostile server may make
// it).
func (s *State) applyPlayers(keys, values []byte) error {
	ks := varints{msg: keys, num: snapPlayerKeys}
	vs := varints{msg: values, num: snapPlayerValues}
	id := uint32(0)
	from := 0
	for key, ok := ks.next(); ok; key, ok = ks.next() {
		next := id + uint32(key>>keyMaskBits) + 1
		if next <= id {
			from = 0
		}
		id = next
		i := from + insertionIndex(s.Players[from:], id)
		if i == len(s.Players) || s.Players[i].ID != id || key&(1<<keyMaskBits-1) == 0 {
			return malformed("snapshot: bad key for player %d", id)
		}
		from = i
		p := &s.Players[i]
		for f := range p.F {
			if key&(1<<f) == 0 {
				continue
			}
			v, ok := vs.next()
			if !ok {
				return malformed("snapshot: player values run short")
			}
			p.F[f] += decodeSint32(v)
		}
	}
	if _, extra := vs.next(); extra {
		return malformed("snapshot: player values left over")
	}
	if ks.err != nil {
		return ks.err
	}
	return vs.err
}

func (s *State) applyGone(b []byte) error {
	it := varints{msg: b, num: snapShotsGone}
	id := uint32(0)
	for v, ok := it.next(); ok; v, ok = it.next() {
		id += uint32(v)
		i := s.shotIndex(id)
		if i < 0 {
			return malformed("snapshot: unknown shot %d gone", id)
		}
		s.Shots = append(s.Shots[:i], s.Shots[i+1:]...)
	}
	return it.err
}

func (s *State) applyShots(b []byte) error {
	it := varints{msg: b, num: snapShots}
	var nums [shotFields]int32
	id := uint32(0)
	for {
		for k := range nums {
			v, ok := it.next()
			if !ok {
				if it.err != nil {
					return it.err
				}
				if k != 0 {
					return malformed("snapshot: shots run short")
				}
				return nil
			}
			nums[k] = decodeSint32(v)
		}
		id += uint32(nums[0])
		if n := len(s.Shots); n > 0 && s.Shots[n-1].ID >= id {
			return malformed("snapshot: shot %d not after %d", id, s.Shots[n-1].ID)
		}
		s.Shots = append(s.Shots, ShotState{ID: id, Owner: uint32(nums[1]),
			X: nums[2], Y: nums[3], VX: nums[4], VY: nums[5]})
	}
}

func appendEvents(events []EventInfo, b []byte) ([]EventInfo, error) {
	for rest := b; ; {
		msg, ok := nextMessage(&rest, snapEvents)
		if !ok {
			return events, nil
		}
		var ev EventInfo
		err := eachVarint(msg, "snapshot event", func(num protowire.Number, v uint64) {
			switch num {
			case 1:
				ev.Tick = uint32(v)
			case 2:
				ev.Kind = EventKind(int32(v))
			case 3:
				ev.A = uint32(v)
			case 4:
				ev.B = uint32(v)
			case 5:
				ev.Value = int32(v)
			}
		})
		if err != nil {
			return events, err
		}
		events = append(events, ev)
	}
}

// decodeMatch merges the MatchState message b into m.
func decodeMatch(b []byte, m *MatchInfo) error {
	return eachVarint(b, "snapshot match", func(num protowire.Number, v uint64) {
		switch num {
		case 1:
			m.Number = uint32(v)
		case 2:
			m.Phase = MatchPhase(int32(v))
		case 3:
			m.EndTick = uint32(v)
		}
	})
}

// varints walks the values of one repeated varint field of a message that
// Apply has already checked field by field, whether packed (any number of
// runs) or not.
type varints struct {
	msg []byte
	num protowire.Number
	run []byte
	err error
}

// next returns the next value, if any: a one-byte varint of the run at
// hand inline (most of a snapshot's), the rest through more.
func (it *varints) next() (uint64, bool) {
	if r := it.run; len(r) > 0 && r[0] < 0x80 {
		it.run = r[1:]
		return uint64(r[0]), true
	}
	return it.more()
}

// more is next beyond a one-byte varint in the run at hand: a longer one,
// or the next run or varint field of the message.
func (it *varints) more() (uint64, bool) {
	for {
		if len(it.run) > 0 {
			v, n := protowire.ConsumeVarint(it.run)
			if n < 0 {
				it.err, it.run = malformed("snapshot: bad packed field %d", it.num), nil
				return 0, false
			}
			it.run = it.run[n:]
			return v, true
		}
		if len(it.msg) == 0 {
			return 0, false
		}
		num, typ, n := protowire.ConsumeTag(it.msg)
		it.msg = it.msg[n:]
		m := protowire.ConsumeFieldValue(num, typ, it.msg)
		field := it.msg[:m]
		it.msg = it.msg[m:]
		if num != it.num {
			continue
		}
		switch typ {
		case protowire.BytesType:
			it.run, _ = protowire.ConsumeBytes(field)
		case protowire.VarintType:
			v, _ := protowire.ConsumeVarint(field)
			return v, true
		default:
			it.err, it.msg = malformed("snapshot: field %d has wire type %d", num, typ), nil
			return 0, false
		}
	}
}

// nextMessage returns the next embedded message numbered num in *rest, a
// message Apply has already checked field by field, and moves *rest past it.
func nextMessage(rest *[]byte, num protowire.Number) ([]byte, bool) {
	for len(*rest) > 0 {
		n, typ, k := protowire.ConsumeTag(*rest)
		*rest = (*rest)[k:]
		m := protowire.ConsumeFieldValue(n, typ, *rest)
		field := (*rest)[:m]
		*rest = (*rest)[m:]
		if n == num && typ == protowire.BytesType {
			msg, _ := protowire.ConsumeBytes(field)
			return msg, true
		}
	}
	return nil, false
}

func (s *State) playerIndex(id uint32) int {
	i := s.insertionIndex(id)
	if i < len(s.Players) && s.Players[i].ID == id {
		return i
	}
	return -1
}

// insertionIndex is where id is or would go in the sorted Players. A plain
// search by index: slices.BinarySearchFunc copies each PlayerState it
// compares, which showed in the swarm's profile.
func (s *State) insertionIndex(id uint32) int { return insertionIndex(s.Players, id) }

// insertionIndex is where id is or would go in players, sorted by id. A
// room's seats are mostly ids without gaps, where id is as far from the
// first as its id: tried first, that is one probe, at the player the
// caller goes on to read, where a search reads four cold cache lines of
// a sixteen-player room (the swarm's profile showed them).
func insertionIndex(players []PlayerState, id uint32) int {
	if len(players) > 0 && id >= players[0].ID {
		if d := id - players[0].ID; d < uint32(len(players)) && players[d].ID == id {
			return int(d)
		}
	}
	lo, hi := 0, len(players)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if players[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// consumeVarint is protowire.ConsumeVarint with the one-byte varint, most
// of a snapshot's, read inline.
func consumeVarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return protowire.ConsumeVarint(b)
}

func (s *State) shotIndex(id uint32) int {
	i, ok := slices.BinarySearchFunc(s.Shots, id, func(sh ShotState, id uint32) int { return cmp.Compare(sh.ID, id) })
	if !ok {
		return -1
	}
	return i
}
