// inputslots_test.go — collectInputs (tick.go) fills every admitted
// client's input slot from its inbound queue by simwire.Slots's rule (the
// rule itself is tested in simwire/slots_test.go): one input a tick each,
// the held input standing in for a late one, a late one dropped when a
// later one is queued behind it, and admit starting a client's slots
// afresh.

package server

import (
	"testing"

	pb "skirmish/proto"
	"skirmish/simwire"
)

func TestInputSlots(t *testing.T) {
	r := newTestRoom(t, nil)
	a := newTestClient(t, r, "slots-a", &countingWriter{})
	b := newTestClient(t, r, "slots-b", &countingWriter{})
	r.admit()
	if a.id == 0 || b.id == 0 {
		t.Fatal("clients not admitted")
	}
	push := func(c *client, seqs ...uint32) {
		t.Helper()
		for _, s := range seqs {
			if !c.queue.push(pb.InputMsg{Seq: s, Move: 8, Buttons: s % 2}) {
				t.Fatalf("queue refused seq %d", s)
			}
		}
	}
	// tick fills the slots and returns what the game was handed for each
	// client (ok false: the held input stood in).
	tick := func() map[uint32]pb.InputMsg {
		r.collectInputs()
		got := map[uint32]pb.InputMsg{}
		for _, in := range r.inputs {
			if _, twice := got[in.ID]; twice {
				t.Fatalf("player %d handed two inputs in one tick", in.ID)
			}
			got[in.ID] = in.Input
		}
		return got
	}
	check := func(what string, c *client, got map[uint32]pb.InputMsg, wantSeq, wantAck, wantOwed uint32) {
		t.Helper()
		in, ok := got[c.id]
		switch {
		case wantSeq == 0 && ok:
			t.Errorf("%s: applied seq %d, want the held input to stand in", what, in.Seq)
		case wantSeq != 0 && (!ok || in.Seq != wantSeq):
			t.Errorf("%s: applied seq %d (ok %v), want %d", what, in.Seq, ok, wantSeq)
		}
		if c.slots.Ack() != wantAck || c.slots.Owed() != wantOwed {
			t.Errorf("%s: ack %d owed %d, want ack %d owed %d", what, c.slots.Ack(), c.slots.Owed(), wantAck, wantOwed)
		}
	}

	got := tick()
	check("a before any input", a, got, 0, 0, 0)
	check("b before any input", b, got, 0, 0, 0)
	push(a, 1)
	push(b, 1)
	got = tick()
	check("a on time", a, got, 1, 1, 0)
	check("b on time", b, got, 1, 1, 0)
	push(a, 2)
	got = tick()
	check("a on time", a, got, 2, 2, 0)
	check("b's input 2 late: the held input fills its slot", b, got, 0, 2, 1)
	push(a, 3)
	push(b, 2, 3)
	got = tick()
	check("a on time", a, got, 3, 3, 0)
	check("b's 2 arrives with 3 behind it", b, got, 3, 3, 0)
	if got[b.id].Buttons != 1 {
		t.Errorf("b's fire was lost: buttons %d", got[b.id].Buttons)
	}
	for range 2 * simwire.MaxOwed {
		tick()
	}
	if a.slots.Owed() != simwire.MaxOwed || a.slots.Ack() != 3+simwire.MaxOwed {
		t.Errorf("after a long silence ack %d owed %d, want the cap: ack %d owed %d", a.slots.Ack(), a.slots.Owed(), 3+simwire.MaxOwed, simwire.MaxOwed)
	}

	// A client admitted again (a new seat in this room) starts afresh.
	r.game.RemovePlayer(b.id)
	r.clients[b.id] = nil
	r.joins <- b
	r.admit()
	if b.slots.Ack() != 0 || b.slots.Owed() != 0 {
		t.Errorf("readmitted with ack %d owed %d, want a fresh start", b.slots.Ack(), b.slots.Owed())
	}
}
