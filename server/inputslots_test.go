// inputslots_test.go — the input-slot accounting of collectInputs (tick.go):
// one slot per player per tick, held input standing in for late ones, late
// inputs acked and dropped when a later one is queued behind them.

package server

import (
	"testing"

	pb "skirmish/proto"
)

func TestInputSlots(t *testing.T) {
	r := newTestRoom(t, nil)
	c := newTestClient(t, r, "slots", &countingWriter{})
	r.admit()
	if c.id == 0 {
		t.Fatal("client not admitted")
	}
	// tick pushes the given inputs, fills the slots and returns what the
	// game was handed for c (ok false: the held input stood in).
	tick := func(seqs ...uint32) (pb.InputMsg, bool) {
		t.Helper()
		for _, s := range seqs {
			if !c.queue.push(pb.InputMsg{Seq: s, Move: 8, Buttons: uint32(s % 2)}) {
				t.Fatalf("queue refused seq %d", s)
			}
		}
		r.collectInputs()
		for _, in := range r.inputs {
			if in.ID == c.id {
				return in.Input, true
			}
		}
		return pb.InputMsg{}, false
	}
	check := func(what string, got pb.InputMsg, ok bool, wantSeq, wantAck, wantOwed uint32) {
		t.Helper()
		if wantSeq == 0 && ok {
			t.Errorf("%s: applied seq %d, want the held input to stand in", what, got.Seq)
		}
		if wantSeq != 0 && (!ok || got.Seq != wantSeq) {
			t.Errorf("%s: applied seq %d (ok %v), want %d", what, got.Seq, ok, wantSeq)
		}
		if c.ack != wantAck || c.owed != wantOwed {
			t.Errorf("%s: ack %d owed %d, want ack %d owed %d", what, c.ack, c.owed, wantAck, wantOwed)
		}
	}

	in, ok := tick()
	check("before any input", in, ok, 0, 0, 0)
	in, ok = tick(1)
	check("on time", in, ok, 1, 1, 0)
	in, ok = tick(2)
	check("on time", in, ok, 2, 2, 0)
	in, ok = tick()
	check("input 3 late: the held input fills its slot", in, ok, 0, 3, 1)
	in, ok = tick(3, 4)
	check("3 arrives with 4 behind it", in, ok, 4, 4, 0)
	if in.Buttons != 1 {
		t.Errorf("the dropped input's fire button was lost: buttons %d", in.Buttons)
	}
	in, ok = tick()
	check("input 5 late", in, ok, 0, 5, 1)
	in, ok = tick(5)
	check("5 arrives alone: applied in a later slot", in, ok, 5, 5, 0)
	in, ok = tick(6)
	check("back on time", in, ok, 6, 6, 0)
	for range 2 * maxOwed {
		tick()
	}
	if c.owed != maxOwed || c.ack != 6+maxOwed {
		t.Errorf("after a long silence ack %d owed %d, want the cap: ack %d owed %d", c.ack, c.owed, 6+maxOwed, maxOwed)
	}
	in, ok = tick(7, 8, 9)
	check("a burst after silence: all stale, the newest is applied", in, ok, 9, 6+maxOwed, 0)
	in, ok = tick(13)
	check("the stream catches up with the ack", in, ok, 13, 13, 0)
}
