// encode.go — the writing half of the format (proto/ticklog.proto), by
// hand with protowire into reused buffers so that recording allocates
// nothing per tick: the Recorder (recorder.go) appends ticks, keyframes and
// the header with these; decode.go reads the same records with the
// generated code, and encode_test.go checks that the two agree.

package ticklog

import (
	"encoding/binary"

	"google.golang.org/protobuf/encoding/protowire"

	"skirmish/sim"
)

// Field numbers of proto/ticklog.proto.
const (
	recordHeader protowire.Number = 1
	recordChunk  protowire.Number = 2

	chunkFirstTick protowire.Number = 1
	chunkKeyframe  protowire.Number = 2
	chunkTicks     protowire.Number = 3

	tickHash    protowire.Number = 1
	tickRoster  protowire.Number = 2
	tickNames   protowire.Number = 3
	tickChanges protowire.Number = 4
	tickAmends  protowire.Number = 5
)

// scratch is the nested buffers one encoding needs: a message's body is
// built in the next level before it is appended, with its length, to the
// level above.
type scratch struct {
	l [4][]byte
}

// appendBytes appends field n as a length-delimited field holding b.
func appendBytes(dst []byte, n protowire.Number, b []byte) []byte {
	dst = protowire.AppendTag(dst, n, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// appendUint appends field n as a varint, or nothing for 0 (proto3).
func appendUint(dst []byte, n protowire.Number, v uint64) []byte {
	if v == 0 {
		return dst
	}
	dst = protowire.AppendTag(dst, n, protowire.VarintType)
	return protowire.AppendVarint(dst, v)
}

// appendInt appends an int32 field (negative values take ten bytes, as
// proto3 has them).
func appendInt(dst []byte, n protowire.Number, v int32) []byte {
	return appendUint(dst, n, uint64(int64(v)))
}

// appendSint appends a sint32 field (zigzag).
func appendSint(dst []byte, n protowire.Number, v int32) []byte {
	return appendUint(dst, n, protowire.EncodeZigZag(int64(v)))
}

func appendBool(dst []byte, n protowire.Number, v bool) []byte {
	if !v {
		return dst
	}
	return appendUint(dst, n, 1)
}

func appendFixed32(dst []byte, n protowire.Number, v uint32) []byte {
	if v == 0 {
		return dst
	}
	dst = protowire.AppendTag(dst, n, protowire.Fixed32Type)
	return protowire.AppendFixed32(dst, v)
}

func appendFixed64(dst []byte, n protowire.Number, v uint64) []byte {
	if v == 0 {
		return dst
	}
	dst = protowire.AppendTag(dst, n, protowire.Fixed64Type)
	return protowire.AppendFixed64(dst, v)
}

func appendString(dst []byte, n protowire.Number, s string) []byte {
	if s == "" {
		return dst
	}
	dst = protowire.AppendTag(dst, n, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Bits of a change's fields (Tick.changes).
const (
	changeMove      = 1
	changeAim       = 2
	changeButtons   = 4
	changeRenderLag = 8
)

// amendBack2 is the bit of an amendment's leading number (Tick.amends,
// version 3 on) that says it redid the last two Steps (sim.World.Amend
// back 2), not the last one. It lies above the player's six bits, where a
// change has none.
const amendBack2 = 1 << 10

// appendChange appends one element run of Tick.changes: player's input
// from held to in, which differ.
func appendChange(dst []byte, player sim.PlayerID, held, in sim.Input) []byte {
	return appendRun(dst, uint64(player-1)<<4, held, in)
}

// appendAmend appends one element run of Tick.amends: player's input from
// held to in, amended back Steps (1 or 2). A back-1 amendment's inputs
// differ; a back-2 one's may not (its run then has no fields).
func appendAmend(dst []byte, player sim.PlayerID, back int, held, in sim.Input) []byte {
	head := uint64(player-1) << 4
	if back == 2 {
		head |= amendBack2
	}
	return appendRun(dst, head, held, in)
}

// appendRun appends a change's run: head with the bits of the fields that
// differ from held to in, then their values.
func appendRun(dst []byte, head uint64, held, in sim.Input) []byte {
	var fields uint64
	if in.Move != held.Move {
		fields |= changeMove
	}
	if in.Aim != held.Aim {
		fields |= changeAim
	}
	if in.Buttons != held.Buttons {
		fields |= changeButtons
	}
	if in.RenderLag != held.RenderLag {
		fields |= changeRenderLag
	}
	dst = protowire.AppendVarint(dst, head|fields)
	if fields&changeMove != 0 {
		dst = protowire.AppendVarint(dst, uint64(in.Move))
	}
	if fields&changeAim != 0 {
		dst = protowire.AppendVarint(dst, protowire.EncodeZigZag(int64(aimTurn(held.Aim, in.Aim))))
	}
	if fields&changeButtons != 0 {
		dst = protowire.AppendVarint(dst, uint64(in.Buttons))
	}
	if fields&changeRenderLag != 0 {
		dst = protowire.AppendVarint(dst, uint64(in.RenderLag))
	}
	return dst
}

// aimTurn is to minus from, wrapped into [-AimSteps/2, AimSteps/2).
func aimTurn(from, to uint16) int32 {
	d := (int32(to) - int32(from)) % sim.AimSteps
	if d >= sim.AimSteps/2 {
		d -= sim.AimSteps
	} else if d < -sim.AimSteps/2 {
		d += sim.AimSteps
	}
	return d
}

// appendName appends a Name message's fields.
func appendName(dst []byte, player sim.PlayerID, name string) []byte {
	dst = appendUint(dst, 1, uint64(player))
	return appendString(dst, 2, name)
}

// appendKeyframe appends the fields of a Keyframe of s, with the names of
// its players, using levels 1 and up of sc.
func appendKeyframe(dst []byte, sc *scratch, s *sim.Saved, names *[sim.MaxPlayers + 1]string) []byte {
	dst = appendInt(dst, 1, s.Tick)
	dst = appendUint(dst, 2, uint64(s.Match.Number))
	dst = appendUint(dst, 3, uint64(s.Match.Phase))
	dst = appendInt(dst, 4, s.Match.EndTick)
	dst = appendFixed64(dst, 5, s.RNG)
	dst = appendUint(dst, 6, uint64(s.LastProjectileID))
	for i := range s.Players {
		p := &s.Players[i]
		b := sc.l[1][:0]
		b = appendUint(b, 1, uint64(p.ID))
		b = appendSint(b, 2, p.X)
		b = appendSint(b, 3, p.Y)
		b = appendUint(b, 4, uint64(p.Aim))
		b = appendInt(b, 5, p.Health)
		b = appendBool(b, 6, p.Alive)
		b = appendInt(b, 7, p.Kills)
		b = appendInt(b, 8, p.Deaths)
		b = appendInt(b, 9, p.NextFire)
		b = appendInt(b, 10, p.RespawnAt)
		b = appendUint(b, 11, uint64(p.Input.Move))
		b = appendUint(b, 12, uint64(p.Input.Aim))
		b = appendUint(b, 13, uint64(p.Input.Buttons))
		b = appendUint(b, 14, uint64(p.Input.RenderLag))
		sc.l[1] = b
		dst = appendBytes(dst, 7, b)
	}
	for i := range s.Projectiles {
		pr := &s.Projectiles[i]
		b := sc.l[1][:0]
		b = appendUint(b, 1, uint64(pr.ID))
		b = appendUint(b, 2, uint64(pr.Owner))
		b = appendSint(b, 3, pr.X)
		b = appendSint(b, 4, pr.Y)
		b = appendSint(b, 5, pr.VX)
		b = appendSint(b, 6, pr.VY)
		b = appendInt(b, 7, pr.ExpiresAt)
		b = appendInt(b, 8, pr.Rewind)
		sc.l[1] = b
		dst = appendBytes(dst, 8, b)
	}
	for _, e := range s.Pending {
		b := sc.l[1][:0]
		b = appendUint(b, 1, uint64(e.Kind))
		b = appendUint(b, 2, uint64(e.A))
		b = appendUint(b, 3, uint64(e.B))
		b = appendInt(b, 4, e.Value)
		sc.l[1] = b
		dst = appendBytes(dst, 9, b)
	}
	for _, e := range s.Past {
		b := sc.l[1][:0]
		b = appendUint(b, 1, uint64(e.ID))
		b = appendInt(b, 2, e.Tick)
		b = appendSint(b, 3, e.X)
		b = appendSint(b, 4, e.Y)
		sc.l[1] = b
		dst = appendBytes(dst, 10, b)
	}
	for i := range s.Players {
		id := s.Players[i].ID
		sc.l[1] = appendName(sc.l[1][:0], id, names[id])
		dst = appendBytes(dst, 11, sc.l[1])
	}
	return dst
}

// appendConfig appends the fields of a Config of c, using level 3 of sc
// for its map.
func appendConfig(dst []byte, sc *scratch, c *sim.Config) []byte {
	dst = appendUint(dst, 1, c.Seed)
	if m := c.Map; m != nil {
		b := sc.l[3][:0]
		b = appendInt(b, 1, m.Width)
		b = appendInt(b, 2, m.Height)
		if len(m.Walls) > 0 {
			b = protowire.AppendTag(b, 3, protowire.BytesType)
			n := 0
			for _, r := range m.Walls {
				n += protowire.SizeVarint(protowire.EncodeZigZag(int64(r.MinX))) + protowire.SizeVarint(protowire.EncodeZigZag(int64(r.MinY))) +
					protowire.SizeVarint(protowire.EncodeZigZag(int64(r.MaxX))) + protowire.SizeVarint(protowire.EncodeZigZag(int64(r.MaxY)))
			}
			b = protowire.AppendVarint(b, uint64(n))
			for _, r := range m.Walls {
				for _, v := range [4]int32{r.MinX, r.MinY, r.MaxX, r.MaxY} {
					b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(v)))
				}
			}
		}
		if len(m.Spawns) > 0 {
			b = protowire.AppendTag(b, 4, protowire.BytesType)
			n := 0
			for _, p := range m.Spawns {
				n += protowire.SizeVarint(protowire.EncodeZigZag(int64(p.X))) + protowire.SizeVarint(protowire.EncodeZigZag(int64(p.Y)))
			}
			b = protowire.AppendVarint(b, uint64(n))
			for _, p := range m.Spawns {
				b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(p.X)))
				b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(p.Y)))
			}
		}
		sc.l[3] = b
		dst = appendBytes(dst, 2, b)
	}
	dst = appendInt(dst, 3, c.MatchTicks)
	dst = appendInt(dst, 4, c.ScoreLimit)
	dst = appendInt(dst, 5, c.IntermissionTicks)
	dst = appendInt(dst, 6, c.RespawnTicks)
	dst = appendInt(dst, 7, c.PlayerSpeed)
	dst = appendInt(dst, 8, c.PlayerRadius)
	dst = appendInt(dst, 9, c.MaxHealth)
	dst = appendInt(dst, 10, c.FireCooldownTicks)
	dst = appendInt(dst, 11, c.ProjectileSpeed)
	dst = appendInt(dst, 12, c.ProjectileDamage)
	dst = appendInt(dst, 13, c.ProjectileLifetimeTicks)
	return appendInt(dst, 14, c.LagCompTicks)
}

// header is what a log's Header holds, as the Recorder keeps it.
type header struct {
	room          string
	match         int32
	tickRate      int
	config        sim.Config
	first, last   int32
	startMs       int64
	endMs         int64
	complete      bool
	winner        sim.PlayerID
	players       []summary
	keyframeEvery int
}

// summary is one player of a log, a PlayerSummary.
type summary struct {
	id            sim.PlayerID
	name          string
	kills, deaths int32
	present       bool // still in the World: its score is read at the end
}

// appendHeader appends the fields of h's Header, using levels 1 and up of sc.
func appendHeader(dst []byte, sc *scratch, h *header) []byte {
	dst = appendUint(dst, 1, Version)
	dst = appendString(dst, 2, h.room)
	dst = appendUint(dst, 3, uint64(h.match))
	dst = appendUint(dst, 4, uint64(h.tickRate))
	sc.l[1] = appendConfig(sc.l[1][:0], sc, &h.config)
	dst = appendBytes(dst, 5, sc.l[1])
	dst = appendInt(dst, 6, h.first)
	dst = appendInt(dst, 7, h.last)
	dst = appendUint(dst, 8, uint64(h.startMs))
	dst = appendUint(dst, 9, uint64(h.endMs))
	dst = appendBool(dst, 10, h.complete)
	dst = appendUint(dst, 11, uint64(h.winner))
	for _, p := range h.players {
		b := sc.l[1][:0]
		b = appendUint(b, 1, uint64(p.id))
		b = appendString(b, 2, p.name)
		b = appendInt(b, 3, p.kills)
		b = appendInt(b, 4, p.deaths)
		sc.l[1] = b
		dst = appendBytes(dst, 12, b)
	}
	dst = appendUint(dst, 13, uint64(h.keyframeEvery))
	return appendUint(dst, 14, sim.RulesVersion)
}

// frameRoom is the room a buffer keeps before its record's body for the
// framing: the record's length, its tag and the body's length.
const frameRoom = 3 * binary.MaxVarintLen64

// buffer is one record on its way to the writer: the body of a Record's
// field starts at frameRoom, and frame writes the framing just before it.
type buffer struct {
	b   []byte
	off int // where the framed record starts, once framed
}

// reset empties b for a new body.
func (b *buffer) reset() {
	b.b = append(b.b[:0], make([]byte, frameRoom)...)
	b.off = 0
}

// frame puts the framing of field n of a Record holding the body before
// the body: b.b[b.off:] is then the framed record.
func (b *buffer) frame(n protowire.Number) {
	body := len(b.b) - frameRoom
	var pre [frameRoom]byte
	tag := protowire.AppendTag(pre[:0], n, protowire.BytesType)
	tag = protowire.AppendVarint(tag, uint64(body))
	rec := len(tag) + body
	var head [frameRoom]byte
	h := protowire.AppendVarint(head[:0], uint64(rec))
	h = append(h, tag...)
	b.off = frameRoom - len(h)
	copy(b.b[b.off:], h)
}
