// slots.go — the input-slot rule: one input per player per tick, input
// seq n in the player's n-th slot. server/tick.go's collectInputs fills
// every player's slot with Fill once a tick from the queue
// server/inbound.go pushes to; the netcode's test server fills its
// player's the same way. Input (input.go) turns the result into the sim's.

package simwire

import (
	pb "skirmish/proto"
)

// MaxOwed bounds how many ticks in a row the held input may stand in for
// inputs still to arrive: 100 ms at 60 Hz. A player silent for longer is
// idle, not late, and its held input no longer takes their slots.
const MaxOwed = 6

// Queue is where one player's inputs wait for their slots, oldest first:
// the server's lock-free ring or a test's slice. Fill calls it on the
// goroutine that fills the slots; it must not block. Pop never fails
// right after Len reported inputs waiting.
type Queue interface {
	// Pop takes the oldest input; false when there is none.
	Pop() (pb.InputMsg, bool)
	// Len is the number of inputs waiting.
	Len() int
}

// Slots is one player's input slots: which input the last one filled. The
// zero value is a player who has sent nothing yet. Not safe for concurrent
// use: one goroutine (a room's) fills them.
type Slots struct {
	ack  uint32 // seq of the last slot filled, by its input or a stand-in
	owed uint32 // ticks in a row the held input stood in
}

// Slot is how Fill filled one tick's slot. The room fills every player's
// slot every tick, so Slot stays within four fields and 32 bytes, which Go
// returns in registers: a Slot of six fields went through the stack and
// made Fill four times slower.
type Slot struct {
	// Input is the input for this tick when From is FromQueue or FromLate;
	// it carries the fire button of every input Dropped for it.
	Input pb.InputMsg
	// From says where this tick's input came from.
	From From
	// Dropped counts the inputs whose slot was past, taken out of the queue
	// for a later one.
	Dropped uint32
	// Ahead is how many inputs were still waiting once the slot was filled:
	// how many ticks early this player's inputs arrive (0: just in time).
	Ahead uint32
}

// From says where a slot's input came from.
type From uint8

const (
	// FromHeld: no input was taken and none is owed (the player has sent
	// none yet, or has been silent past MaxOwed): the game holds the last.
	FromHeld From = iota
	// FromStandIn: no input was taken; the held input stood in for the
	// missing one, whose slot this was: the ack moved on.
	FromStandIn
	// FromQueue: Input, the input whose slot this is.
	FromQueue
	// FromLate: Input, whose own slot a stand-in took, came with nothing
	// behind it and is applied in this later slot: a one-time divergence
	// the client's reconciliation corrects.
	FromLate
)

// Applied reports whether the slot took an input from the queue: Input is
// for the game.
func (sl Slot) Applied() bool { return sl.From >= FromQueue }

// Ack is the seq of the input whose slot was filled last (by it or by a
// stand-in): what a snapshot acks. 0 before any input.
func (s *Slots) Ack() uint32 { return s.ack }

// Owed is how many ticks in a row the held input has stood in.
func (s *Slots) Owed() uint32 { return s.owed }

// Fill fills this tick's slot from q. The oldest input is taken; while its
// slot is past (a stand-in filled it) and another waits behind it, it is
// dropped for that one, its fire button carried over. When q is empty and
// the player has sent an input before, the held input stands in for the
// missing one (at most MaxOwed ticks in a row) and the ack moves on. Held
// keys thus give the client's prediction, which replays the inputs after
// the ack, exactly the moves the server made. Fill allocates nothing.
func (s *Slots) Fill(q Queue) Slot {
	in, ok := q.Pop()
	dropped := uint32(0)
	for ok && in.Seq <= s.ack && q.Len() > 0 {
		next, _ := q.Pop()
		next.Buttons |= in.Buttons
		next.RenderLag = max(next.RenderLag, in.RenderLag) // a carried shot keeps its render lag
		in = next
		dropped++
	}
	if !ok {
		if s.ack > 0 && s.owed < MaxOwed {
			s.owed++
			s.ack++
			return Slot{From: FromStandIn}
		}
		return Slot{From: FromHeld}
	}
	from := FromQueue
	if in.Seq <= s.ack {
		from = FromLate
	}
	s.owed = 0
	s.ack = max(s.ack, in.Seq)
	return Slot{Input: in, From: from, Dropped: dropped, Ahead: uint32(q.Len())}
}
