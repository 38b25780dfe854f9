// slots_test.go covers slots.go: one slot per tick, the held input
// standing in for late ones, late inputs dropped when a later one is
// queued behind them (their fire carried over) or applied late when they
// come alone, and how far ahead the queue runs.

package simwire_test

import (
	"testing"

	pb "skirmish/proto"
	"skirmish/simwire"
)

// fifo is a Queue over a slice.
type fifo struct{ in []pb.InputMsg }

func (q *fifo) Pop() (pb.InputMsg, bool) {
	if len(q.in) == 0 {
		return pb.InputMsg{}, false
	}
	in := q.in[0]
	q.in = q.in[1:]
	return in, true
}

func (q *fifo) Len() int { return len(q.in) }

func TestSlots(t *testing.T) {
	var s simwire.Slots
	var q fifo
	// tick queues the given inputs (fire on odd ones) and fills one slot.
	tick := func(seqs ...uint32) simwire.Slot {
		for _, n := range seqs {
			q.in = append(q.in, pb.InputMsg{Seq: n, Move: 8, Buttons: n % 2})
		}
		return s.Fill(&q)
	}
	check := func(what string, sl simwire.Slot, wantSeq, wantAck, wantOwed uint32) {
		t.Helper()
		if wantSeq == 0 && sl.Applied() {
			t.Errorf("%s: applied seq %d, want the held input to stand in", what, sl.Input.Seq)
		}
		if wantSeq != 0 && (!sl.Applied() || sl.Input.Seq != wantSeq) {
			t.Errorf("%s: applied seq %d (from %d), want %d", what, sl.Input.Seq, sl.From, wantSeq)
		}
		if s.Ack() != wantAck || s.Owed() != wantOwed {
			t.Errorf("%s: ack %d owed %d, want ack %d owed %d", what, s.Ack(), s.Owed(), wantAck, wantOwed)
		}
	}
	// from checks how the slot was filled.
	from := func(what string, sl simwire.Slot, from simwire.From, dropped, ahead uint32) {
		t.Helper()
		if sl.From != from || sl.Dropped != dropped || sl.Ahead != ahead {
			t.Errorf("%s: from %d, %d dropped, %d ahead; want from %d, %d dropped, %d ahead",
				what, sl.From, sl.Dropped, sl.Ahead, from, dropped, ahead)
		}
	}

	sl := tick()
	check("before any input", sl, 0, 0, 0)
	from("before any input: nothing stands in", sl, simwire.FromHeld, 0, 0)
	sl = tick(1)
	check("on time", sl, 1, 1, 0)
	from("on time", sl, simwire.FromQueue, 0, 0)
	check("on time", tick(2), 2, 2, 0)
	sl = tick()
	check("input 3 late: the held input fills its slot", sl, 0, 3, 1)
	from("input 3 late", sl, simwire.FromStandIn, 0, 0)
	sl = tick(3, 4)
	check("3 arrives with 4 behind it", sl, 4, 4, 0)
	from("3 arrives with 4 behind it", sl, simwire.FromQueue, 1, 0)
	if sl.Input.Buttons != 1 {
		t.Errorf("the dropped input's fire button was lost: buttons %d", sl.Input.Buttons)
	}
	check("input 5 late", tick(), 0, 5, 1)
	sl = tick(5)
	check("5 arrives alone: applied in a later slot", sl, 5, 5, 0)
	from("5 arrives alone", sl, simwire.FromLate, 0, 0)
	check("back on time", tick(6), 6, 6, 0)
	for range 2 * simwire.MaxOwed {
		tick()
	}
	if s.Owed() != simwire.MaxOwed || s.Ack() != 6+simwire.MaxOwed {
		t.Errorf("after a long silence ack %d owed %d, want the cap: ack %d owed %d", s.Ack(), s.Owed(), 6+simwire.MaxOwed, simwire.MaxOwed)
	}
	from("past MaxOwed the held input no longer stands in", tick(), simwire.FromHeld, 0, 0)
	sl = tick(7, 8, 9)
	check("a burst after silence: all stale, the newest is applied", sl, 9, 6+simwire.MaxOwed, 0)
	from("a burst after silence", sl, simwire.FromLate, 2, 0)
	if sl.Input.Buttons != 1 {
		t.Errorf("fire of 7 and 9 lost: buttons %d", sl.Input.Buttons)
	}
	check("the stream catches up with the ack", tick(13), 13, 13, 0)

	// Inputs that arrive early wait their slots, one a tick; Ahead counts
	// the ones behind.
	sl = tick(14, 15, 16)
	check("three arrive at once", sl, 14, 14, 0)
	from("three arrive at once", sl, simwire.FromQueue, 0, 2)
	from("then one is left behind", tick(), simwire.FromQueue, 0, 1)
	from("then none", tick(), simwire.FromQueue, 0, 0)
	check("after the early ones", tick(), 0, 17, 1)
}

func TestSlotsFillAllocatesNothing(t *testing.T) {
	var s simwire.Slots
	q := fifo{in: make([]pb.InputMsg, 0, 200)}
	seq := uint32(0)
	allocs := testing.AllocsPerRun(100, func() {
		seq++
		q.in = append(q.in[:0], pb.InputMsg{Seq: seq})
		s.Fill(&q)
	})
	if allocs != 0 {
		t.Errorf("Fill allocates %v times", allocs)
	}
}
