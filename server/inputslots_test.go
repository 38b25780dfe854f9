// inputslots_test.go — collectInputs (tick.go) fills every admitted
// client's input slot from its inbound queue by simwire.Slots's rule (the
// rule itself is tested in simwire/slots_test.go): one input a tick each,
// the newest standing in for a late one, one up to two ticks late amending
// the game's last moves (counted), a later one dropped and its player idling
// that tick, a silent one idling, and admit starting a client's slots
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
			if !c.queue.push(&pb.InputMsg{Seq: s, Move: 8, Buttons: s % 2}, r.s.opts.Now().UnixNano()) {
				t.Fatalf("queue refused seq %d", s)
			}
		}
	}
	// tick fills the slots and returns what the game was handed for each
	// client: every player who has sent an input gets one every tick (its
	// own, a stand-in or an idle one).
	tick := func() map[uint32]pb.InputMsg {
		r.collectInputs()
		r.game.Step(r.inputs)
		got := map[uint32]pb.InputMsg{}
		for _, in := range r.inputs {
			if _, twice := got[in.ID]; twice {
				t.Fatalf("player %d handed two inputs in one tick", in.ID)
			}
			got[in.ID] = in.Input
		}
		return got
	}
	// check checks the seq (0: none) and move of what c was handed, and its
	// ack and lead after.
	check := func(what string, c *client, got map[uint32]pb.InputMsg, wantSeq, wantMove, wantAck uint32, wantLead int32) {
		t.Helper()
		in, ok := got[c.id]
		switch {
		case wantSeq == 0 && ok:
			t.Errorf("%s: handed seq %d, want nothing", what, in.Seq)
		case wantSeq != 0 && (!ok || in.Seq != wantSeq || in.Move != wantMove):
			t.Errorf("%s: handed seq %d move %d (ok %v), want seq %d move %d", what, in.Seq, in.Move, ok, wantSeq, wantMove)
		}
		if c.slots.Ack() != wantAck || c.slots.Lead() != wantLead {
			t.Errorf("%s: ack %d lead %d, want ack %d lead %d", what, c.slots.Ack(), c.slots.Lead(), wantAck, wantLead)
		}
	}

	got := tick()
	check("a before any input", a, got, 0, 0, 0, 0)
	check("b before any input", b, got, 0, 0, 0, 0)
	push(a, 1)
	push(b, 1)
	got = tick()
	check("a on time", a, got, 1, 8, 1, 0)
	check("b on time", b, got, 1, 8, 1, 0)
	push(a, 2, 3)
	got = tick()
	check("a early", a, got, 2, 8, 2, 1)
	check("b's input 2 late: its newest stands in", b, got, 1, 8, 2, -1)
	push(b, 2, 3)
	got = tick()
	check("a from its queue", a, got, 3, 8, 3, 0)
	check("b's 2, a tick late, amends its slot; 3 is in time", b, got, 3, 8, 3, 0)
	if r.stats.amended != 1 || r.stats.late != 0 {
		t.Errorf("%d inputs amended, %d dropped late; want b's 2 amending", r.stats.amended, r.stats.late)
	}
	got = tick()
	check("b's 4 late", b, got, 3, 8, 4, -1)
	got = tick()
	check("b's 4 two ticks late", b, got, 3, 8, 5, -2)
	push(b, 4, 5)
	got = tick()
	check("b's 4 and 5, two and one tick late, amend their slots; 5 stands in for 6", b, got, 5, 8, 6, -1)
	if r.stats.amended != 3 || r.stats.late != 0 {
		t.Errorf("%d inputs amended, %d dropped late; want b's 2, 4 and 5 amending", r.stats.amended, r.stats.late)
	}
	push(b, 6, 7, 8)
	check("b's 6 amends; 7 is in time, 8 early", b, tick(), 7, 8, 7, 1)
	check("b's 8 from its queue", b, tick(), 8, 8, 8, 0)
	for range 3 {
		got = tick()
	}
	check("b's 9 three ticks late", b, got, 8, 8, 11, -3)
	push(b, 9)
	got = tick()
	if in := got[b.id]; in.Move != 0 || in.Buttons != 1 || b.slots.Ack() != 11 || r.stats.late != 1 || r.stats.amended != 4 {
		t.Errorf("b's 9 after three stand-ins: handed move %d buttons %d, ack %d, %d dropped, %d amended; want an idle tick firing 9's shot, ack 11, 9 dropped, no amendment",
			in.Move, in.Buttons, b.slots.Ack(), r.stats.late, r.stats.amended)
	}
	push(b, 12)
	check("b's 12 in the slots a tick behind", b, tick(), 12, 8, 12, 0)
	for range 2 * simwire.MaxOwed {
		got = tick()
	}
	if in := got[a.id]; a.slots.Ack() != 3+simwire.MaxOwed || a.slots.Lead() != -simwire.MaxOwed || in.Move != 0 {
		t.Errorf("after a long silence ack %d lead %d, handed move %d; want ack %d lead %d, no move",
			a.slots.Ack(), a.slots.Lead(), in.Move, 3+simwire.MaxOwed, -simwire.MaxOwed)
	}

	// A client admitted again (a new seat in this room) starts afresh.
	r.game.RemovePlayer(b.id)
	r.clients[b.id] = nil
	r.joins <- b
	r.admit()
	if b.slots != (simwire.Slots{}) {
		t.Errorf("readmitted with slots %+v, want a fresh start", b.slots)
	}
}

// refusingGame refuses every amendment, and reports the match in phase.
type refusingGame struct {
	phaseGame
}

func (g *refusingGame) Amend(uint32, int, pb.InputMsg) bool { return false }

// TestRefusedAmendments: an amendment the game refuses costs the player its
// input's move while it is in play, and is counted late; out of play (here
// between matches) the input moved nothing either way, and is not.
func TestRefusedAmendments(t *testing.T) {
	r := newTestRoom(t, nil)
	game := &refusingGame{phaseGame{Game: r.game, phase: pb.MatchPhase_MATCH_PHASE_PLAYING}}
	r.game = game
	c := newTestClient(t, r, "refused", &countingWriter{})
	r.admit()
	seq := uint32(0)
	tick := func(send bool) {
		t.Helper()
		if send {
			seq++
			if !c.queue.push(&pb.InputMsg{Seq: seq, Move: 8}, r.s.opts.Now().UnixNano()) {
				t.Fatalf("queue refused seq %d", seq)
			}
		}
		r.collectInputs()
		r.game.Step(r.inputs)
		r.capture()
	}
	tick(true)
	tick(false) // a stand-in for input 2
	tick(true)  // input 2 amends: refused; a stand-in for 3
	if r.stats.late != 1 {
		t.Errorf("in play: %d inputs counted late, want the refused amendment", r.stats.late)
	}
	game.phase = pb.MatchPhase_MATCH_PHASE_INTERMISSION
	tick(false) // a stand-in for 4; the capture says intermission from here
	tick(true)  // input 3 amends two back: refused
	if r.stats.late != 1 {
		t.Errorf("between matches: %d inputs counted late, want still 1", r.stats.late)
	}
}
