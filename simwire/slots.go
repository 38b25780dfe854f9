// slots.go — the input-slot rule: one input per player per tick, input
// seq n in the player's n-th slot. server/tick.go's collectInputs fills
// every player's slot with Fill once a tick from the queue
// server/inbound.go pushes to; the netcode's test server fills its
// player's the same way. Input (input.go) turns the result into the sim's.

package simwire

import (
	pb "skirmish/proto"
	"skirmish/sim"
)

// MaxOwed bounds how many slots stand-ins may fill beyond the newest input
// a player sent: 100 ms at 60 Hz. A player silent for longer is idle, not
// late: it stops (no move, no fire) and its ack waits.
const MaxOwed = 6

// MaxAmendBack is how many of the last slots stand-ins filled an input
// that comes late may still amend: the most Steps back the game can redo
// a player's moves (sim.World.Amend).
const MaxAmendBack = sim.MaxAmendBack

// Queue is where one player's inputs wait for their slots, oldest first:
// the server's lock-free ring or a test's slice. Fill calls it on the
// goroutine that fills the slots; it must not block. Pop never fails
// right after Len reported inputs waiting.
type Queue interface {
	// Pop takes the oldest input into dst and returns when it arrived, in
	// nanoseconds on the clock of the times Fill is given; ok is false
	// when there is none (dst is left as it was).
	Pop(dst *pb.InputMsg) (at int64, ok bool)
	// Len is the number of inputs waiting.
	Len() int
}

// Slots is one player's input slots: which input the last one filled, the
// newest input received (what stands in), what dropped inputs carry,
// whether the last slot may be amended, and when it was last filled.
// The zero value is a player who has sent nothing yet. Not safe for
// concurrent use: one goroutine (a room's) fills them.
type Slots struct {
	ack   uint32      // seq of the last slot filled, by its input or a stand-in
	last  uint32      // seq of the newest input taken from the queue
	lead  int32       // newest seq received minus ack, once the last slot was filled
	held  pb.InputMsg // the newest input taken from the queue: it stands in
	carry pb.InputMsg // fire and render lag of dropped inputs, for the next applied

	// next is an input taken from the queue behind a late one, which waits
	// for the next tick (waiting); nextAt is when it arrived.
	next    pb.InputMsg
	nextAt  int64
	waiting bool

	// amendable is how many of the last slots filled (at most
	// MaxAmendBack) stand-ins filled, right after the newest input
	// received, in the game's last Steps (no idle tick between): an input
	// of theirs that comes before the next slot is filled amends its slot.
	// standIns counts the last Fills that stood in, back to back.
	amendable, standIns int

	filledAt int64 // when the last Fill filled its slot: its at
}

// Slot is how Fill filled one tick's slot. The room fills every player's
// slot every tick, and an input of five fields is more than Go keeps in
// registers: every copy of one goes through memory. So Fill fills the
// caller's Slot, and inputs go by pointer, queue to slot.
type Slot struct {
	// Input is the player's input for this tick, unless From is FromNone.
	// It carries the fire button (and render lag) of every input dropped
	// since the last one applied.
	Input pb.InputMsg
	// From says where this tick's input came from.
	From From
	// Dropped counts the inputs whose slot was past, taken out of the queue
	// and dropped this tick.
	Dropped uint32
	// Lead is Slots.Lead once this slot was filled.
	Lead int32
	// Amend[:Amends] are the inputs of the last slots, which stand-ins
	// filled, that arrived since, oldest first: for each, in order, the
	// game is to redo the player's moves from its slot on, and the shot it
	// may fire, with it (sim.World.Amend) before this tick's.
	Amend  [MaxAmendBack]Amendment
	Amends int
	// Margin is the least margin, in nanoseconds, of the inputs Fill took
	// this tick, when Timed (none arrived: a stand-in's or an idle slot's
	// has not). An input's margin is how long before its slot was filled
	// it arrived: the time of the Fill that filled its slot (at) minus its
	// arrival (as its Queue's Pop said). More than a tick: it waited in
	// the queue. Negative: it came after its slot was filled, by a
	// stand-in: by less than MaxAmendBack ticks when it amends the slot,
	// by about that or more when it is dropped, its slot past (the fill
	// time of a slot before the last one is estimated a tick apart from the
	// last two fills). The server counts it (input_margin_seconds): how much input
	// delay the jitter costs.
	Margin int64
	Timed  bool
}

// Amendment is an input that came after a stand-in had filled its slot,
// before MaxAmendBack more slots were: it amends its slot.
type Amendment struct {
	Input pb.InputMsg
	// Back is how many slots back its slot is, the last one filled being
	// 1: how many of the game's last Steps are redone.
	Back int
}

// timed keeps m as the slot's margin if it is the least so far.
func (sl *Slot) timed(m int64) {
	if !sl.Timed || m < sl.Margin {
		sl.Margin, sl.Timed = m, true
	}
}

// From says where a slot's input came from.
type From uint8

const (
	// FromNone: the player has sent no input yet; the game has none for it.
	FromNone From = iota
	// FromQueue: Input is the input whose slot this is.
	FromQueue
	// FromStandIn: this slot's input has not arrived; Input is the newest
	// one received, standing in for it, without its fire (the fire of
	// dropped inputs aside): the ack moved on. A stand-in moves and aims;
	// whether the slot fires is the late input's to say, when it amends
	// the slot (a shot it fires is fired as of the slot's tick).
	FromStandIn
	// FromIdle: Input is an idle one (no move, the newest aim, and the fire
	// of inputs dropped this tick) and the ack waits: either a late input
	// arrived and was dropped this tick (the slots fall a tick behind, in
	// step with a client that runs late; its shot goes now, as near its
	// own tick as can be), or the player has been silent for MaxOwed
	// stand-ins beyond its newest input.
	FromIdle
)

// Applied reports whether the slot has an input for the game.
func (sl Slot) Applied() bool { return sl.From != FromNone }

// Ack is the seq of the input whose slot was filled last (by it or by a
// stand-in): what a snapshot acks. 0 before any input.
func (s *Slots) Ack() uint32 { return s.ack }

// Lead is how early the player's inputs arrive, once the last slot was
// filled: the newest seq received minus the ack. n > 0: the next n inputs
// wait in the queue; 0: the next has not arrived; −n: stand-ins filled n
// slots whose inputs have not arrived. A snapshot carries it as
// input_lead, and the client's input clock steers its least to 0.
func (s *Slots) Lead() int32 { return s.lead }

// Fill fills this tick's slot from q into sl, and keeps the ack a promise the
// client's prediction can replay by: the state after the slot acked n
// holds exactly inputs 1..n, each by itself or by a stand-in, and nothing
// else that moves the player.
//
// The oldest input whose slot has not passed fills it. When no input has
// arrived, the newest one received stands in, without its fire (held keys
// thus give the moves the client predicted), and the ack moves on, for at
// most MaxOwed slots beyond the newest input; then the player idles. An
// input that comes late, for one of the last MaxAmendBack slots stand-ins
// filled after the input before, amends it (sl.Amend): the game redoes the
// player's moves from that slot on with it (the later slots standing in
// with it, as the newest received), so an input up to two ticks late
// costs nothing but as many ticks of the others' view, and the slots stay
// in step; but not over an idle tick (a Step no slot's). Any other input whose slot has passed is dropped; that tick the
// player idles, firing if a dropped input fired, and the ack waits (an
// input behind the late one waits for the next tick), so that the slots
// fall one tick behind, in step with the client. A game that cannot amend
// (sim.World.Amend refuses: the player died or spawned) leaves the
// stand-in: that input is lost, as a dropped one.
//
// at is when this slot is filled, in nanoseconds on the clock of q's
// arrival times: each input's margin (sl.Margin) is taken against it, or
// against the last Fill's (a tick apart each further back) for an input
// that amends or is dropped. Fill
// allocates nothing.
func (s *Slots) Fill(q Queue, sl *Slot, at int64) {
	sl.From, sl.Dropped, sl.Amends, sl.Timed = FromNone, 0, 0, false
	late, amendable := false, s.amendable
	s.amendable = 0
	for {
		// The newest input taken from the queue is the one that stands in:
		// the queue hands it straight to held.
		in, arrived := &s.held, int64(0)
		if s.waiting {
			s.waiting, in, arrived = false, &s.next, s.nextAt
		} else {
			var ok bool
			if arrived, ok = q.Pop(&s.held); !ok {
				break
			}
		}
		s.last = max(s.last, s.held.Seq)
		if in.Seq > s.ack && late {
			s.next, s.nextAt, s.waiting = *in, arrived, true
			break
		}
		// Slot ack is taken to have been filled by the last Fill, and the
		// ones before it a tick apart each.
		passed := s.filledAt - int64(s.ack-in.Seq)*(at-s.filledAt)
		if back := int(s.ack-in.Seq) + 1; in.Seq <= s.ack && back <= amendable {
			amendable = back - 1 // the slots after its own may still be amended
			sl.Amend[sl.Amends] = Amendment{Input: *in, Back: back}
			sl.Amends++
			sl.timed(passed - arrived)
			continue
		}
		if in.Seq > s.ack {
			s.ack = in.Seq
			sl.Input, sl.From = *in, FromQueue
			s.carried(&sl.Input)
			sl.timed(at - arrived)
			s.filled(sl, q, at)
			return
		}
		if s.ack > 0 { // else its seq is 0, which has no slot
			sl.timed(passed - arrived)
		}
		s.carry.Buttons |= in.Buttons
		s.carry.RenderLag = max(s.carry.RenderLag, in.RenderLag) // a carried shot keeps its render lag
		sl.Dropped++
		late = true
	}
	switch {
	case s.ack == 0:
		sl.Input = pb.InputMsg{}
	case !late && s.ack-s.last < MaxOwed:
		s.ack++
		sl.Input, sl.From = s.held, FromStandIn
		sl.Input.Buttons = 0 // the fire waits for the input itself
		s.carried(&sl.Input)
		s.standIns++
		s.amendable = min(int(s.ack-s.last), s.standIns, MaxAmendBack)
	default:
		sl.Input, sl.From = pb.InputMsg{Aim: s.held.Aim}, FromIdle
		s.carried(&sl.Input)
	}
	s.filled(sl, q, at)
}

// carried adds to in what dropped inputs carry, which it takes.
func (s *Slots) carried(in *pb.InputMsg) {
	in.Buttons |= s.carry.Buttons
	in.RenderLag = max(in.RenderLag, s.carry.RenderLag)
	s.carry = pb.InputMsg{}
}

// filled records the lead once sl was filled, into sl too, and when it
// was filled; a slot not stood in for ends the run of stand-ins.
func (s *Slots) filled(sl *Slot, q Queue, at int64) {
	if sl.From != FromStandIn {
		s.standIns = 0
	}
	s.lead = int32(s.last-s.ack) + int32(q.Len())
	sl.Lead = s.lead
	s.filledAt = at
}
