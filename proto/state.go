// state.go — State, the replicated world as a client holds it. The server
// keeps one per tick to encode deltas from (snapshot.go), the client rebuilds
// it by applying them, and both sides hash it to prove they agree.

package pb

import "encoding/binary"

// The player field table: the order of a Snapshot key's mask bits and of
// PlayerState.F. Writer and reader share it.
const (
	FieldX = iota
	FieldY
	FieldAim
	FieldHealth
	FieldAlive
	FieldKills
	FieldDeaths
	NumPlayerFields
)

// PlayerState is one player as replicated.
type PlayerState struct {
	ID   uint32
	Name string
	// F holds the numeric fields, indexed by FieldX … FieldDeaths.
	F [NumPlayerFields]int32
	// Serial tells two holders of one reused ID apart on the server. It is
	// never sent and is zero on clients.
	Serial uint32
}

// ShotState is one projectile as replicated. X and Y are its position at the
// State's Tick; it moves VX, VY units per tick in a straight line.
type ShotState struct {
	ID     uint32
	Owner  uint32
	X, Y   int32
	VX, VY int32
}

// MatchInfo mirrors the MatchState message.
type MatchInfo struct {
	Number  uint32
	Phase   MatchPhase
	EndTick uint32
}

// EventInfo mirrors the Event message.
type EventInfo struct {
	Tick  uint32
	Kind  EventKind
	A, B  uint32
	Value int32
}

// State is the replicated world at one tick. Players and Shots are sorted by
// ascending ID. The zero State is empty and valid.
type State struct {
	Tick    uint32
	Match   MatchInfo
	Players []PlayerState
	Shots   []ShotState
}

// Player returns the player with the given id, or nil.
func (s *State) Player(id uint32) *PlayerState {
	if i := s.playerIndex(id); i >= 0 {
		return &s.Players[i]
	}
	return nil
}

// CopyFrom makes s a deep copy of src, reusing s's slices.
func (s *State) CopyFrom(src *State) {
	s.Tick = src.Tick
	s.Match = src.Match
	s.Players = append(s.Players[:0], src.Players...)
	s.Shots = append(s.Shots[:0], src.Shots...)
}

// Reset empties s, keeping its slices for reuse.
func (s *State) Reset() {
	s.Tick = 0
	s.Match = MatchInfo{}
	s.Players = s.Players[:0]
	s.Shots = s.Shots[:0]
}

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// Hash is the state checksum that Snapshot.checksum carries: FNV-1a 64 over
// the little-endian bytes of, in order, tick, match number, phase and end
// tick (u32 each), the player count (u32), then per player its id (u32), the
// name's length (u32) and bytes, and its seven fields (i32 each), then the
// shot count (u32) and per shot id, owner, x, y, vx, vy (u32/i32 each).
// Serial is not part of it.
func (s *State) Hash() uint64 {
	h := uint64(fnvOffset64)
	h = hashU32(h, s.Tick)
	h = hashU32(h, s.Match.Number)
	h = hashU32(h, uint32(s.Match.Phase))
	h = hashU32(h, s.Match.EndTick)
	h = hashU32(h, uint32(len(s.Players)))
	for i := range s.Players {
		p := &s.Players[i]
		h = hashU32(h, p.ID)
		h = hashU32(h, uint32(len(p.Name)))
		for j := 0; j < len(p.Name); j++ {
			h = (h ^ uint64(p.Name[j])) * fnvPrime64
		}
		for _, f := range p.F {
			h = hashU32(h, uint32(f))
		}
	}
	h = hashU32(h, uint32(len(s.Shots)))
	for i := range s.Shots {
		sh := &s.Shots[i]
		h = hashU32(h, sh.ID)
		h = hashU32(h, sh.Owner)
		h = hashU32(h, uint32(sh.X))
		h = hashU32(h, uint32(sh.Y))
		h = hashU32(h, uint32(sh.VX))
		h = hashU32(h, uint32(sh.VY))
	}
	return h
}

func hashU32(h uint64, v uint32) uint64 {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime64
	}
	return h
}
