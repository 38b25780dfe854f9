// slots_test.go covers slots.go: one slot per tick, the newest input
// standing in for late ones, an input up to two ticks late amending its
// slot, later ones dropped when they come (their fire carried over) and the player
// idling that tick, the silent player
// stopping after MaxOwed stand-ins, the lead, the inputs' margins; and,
// over random streams, the promise the ack makes: the moves up to it are
// exactly inputs 1..ack, each by itself or a stand-in.

package simwire_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/simwire"
)

func TestSlots(t *testing.T) {
	var s simwire.Slots
	var q testkit.Inputs
	tick := slotTicker(&s, &q)
	// check checks how the slot was filled: from, the seq of its input (the
	// one applied, or the one standing in), the ack and the lead after it.
	check := func(what string, sl simwire.Slot, from simwire.From, seq, ack uint32, lead int32) {
		t.Helper()
		if sl.From != from || sl.Input.Seq != seq || s.Ack() != ack || s.Lead() != lead || sl.Lead != lead {
			t.Errorf("%s: from %d, seq %d, ack %d, lead %d (slot's %d); want from %d, seq %d, ack %d, lead %d",
				what, sl.From, sl.Input.Seq, s.Ack(), s.Lead(), sl.Lead, from, seq, ack, lead)
		}
		if sl.From == simwire.FromIdle && sl.Input.Move != 0 {
			t.Errorf("%s: an idle tick moves %d", what, sl.Input.Move)
		}
	}
	// amends checks the slot's amendments: their seqs and how far back.
	type amendment struct {
		seq  uint32
		back int
	}
	amends := func(what string, sl simwire.Slot, want ...amendment) {
		t.Helper()
		got := make([]amendment, sl.Amends)
		for i, a := range sl.Amend[:sl.Amends] {
			got[i] = amendment{a.Input.Seq, a.Back}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: amendments (seq, back) %v; want %v", what, got, want)
		}
	}

	sl := tick()
	check("before any input", sl, simwire.FromNone, 0, 0, 0)
	if sl.Applied() {
		t.Error("before any input the game was handed one")
	}
	check("on time", tick(1), simwire.FromQueue, 1, 1, 0)
	check("on time", tick(2), simwire.FromQueue, 2, 2, 0)
	sl = tick()
	check("input 3 late: the newest, 2, stands in", sl, simwire.FromStandIn, 2, 3, -1)
	if sl.Input.Move != 10 || !sl.Applied() {
		t.Errorf("the stand-in moves %d (applied %v), want input 2's move", sl.Input.Move, sl.Applied())
	}
	sl = tick(3, 4)
	check("3 arrives with 4 behind it: 3 amends its slot, 4 fills its own", sl, simwire.FromQueue, 4, 4, 0)
	amends("3 amends", sl, amendment{3, 1})
	if sl.Dropped != 0 || sl.Amend[0].Input.Move != 11 {
		t.Errorf("amending with move %d, dropped %d; want 3's move, none dropped", sl.Amend[0].Input.Move, sl.Dropped)
	}
	if sl.Input.Buttons != 0 || sl.Amend[0].Input.Buttons != 1 {
		t.Errorf("buttons %d, amending with %d; want 4's none, 3's fire in the amendment", sl.Input.Buttons, sl.Amend[0].Input.Buttons)
	}
	check("5 late", tick(), simwire.FromStandIn, 4, 5, -1)
	sl = tick(5)
	check("5 arrives alone: it amends, and stands in for 6", sl, simwire.FromStandIn, 5, 6, -1)
	amends("5 amends", sl, amendment{5, 1})
	if sl.Input.Buttons != 0 || sl.Input.Move != 13 {
		t.Errorf("stands in with move %d and buttons %d; want 5's move, not its fire", sl.Input.Move, sl.Input.Buttons)
	}
	sl = tick(6)
	check("6 comes a tick late too: it amends, and stands in for 7", sl, simwire.FromStandIn, 6, 7, -1)
	amends("6 amends", sl, amendment{6, 1})
	sl = tick(7, 8)
	check("7 amends, 8 is in time", sl, simwire.FromQueue, 8, 8, 0)
	amends("7 amends", sl, amendment{7, 1})

	// Two ticks late: the input amends its slot two back, the one after it
	// its own, and the newest stands in for the next.
	check("9 late", tick(), simwire.FromStandIn, 8, 9, -1)
	check("9 two ticks late: a second stand-in", tick(), simwire.FromStandIn, 8, 10, -2)
	sl = tick(9, 10)
	check("9 and 10 come together, two and one late: they amend, 10 stands in for 11", sl, simwire.FromStandIn, 10, 11, -1)
	amends("9 and 10 amend", sl, amendment{9, 2}, amendment{10, 1})
	sl = tick(11, 12)
	check("11 amends, 12 is in time", sl, simwire.FromQueue, 12, 12, 0)
	amends("11 amends", sl, amendment{11, 1})

	// Two ticks late twice running: each amends its slot two back, the
	// slots staying in step with a client that stays that late (its input
	// clock runs it early again).
	check("13 late", tick(), simwire.FromStandIn, 12, 13, -1)
	check("13 two ticks late", tick(), simwire.FromStandIn, 12, 14, -2)
	sl = tick(13)
	check("13 amends two back, and stands in for 15", sl, simwire.FromStandIn, 13, 15, -2)
	amends("13 amends two back", sl, amendment{13, 2})
	sl = tick(14)
	check("14 two ticks late too: it amends two back", sl, simwire.FromStandIn, 14, 16, -2)
	amends("14 amends two back", sl, amendment{14, 2})
	sl = tick(15, 16, 17)
	check("15 and 16 amend, 17 is in time", sl, simwire.FromQueue, 17, 17, 0)
	amends("15 and 16 amend", sl, amendment{15, 2}, amendment{16, 1})

	// Inputs that arrive early wait their slots, one a tick; the lead
	// counts the ones behind.
	check("three arrive at once", tick(18, 19, 20), simwire.FromQueue, 18, 18, 2)
	check("then one is left behind", tick(), simwire.FromQueue, 19, 19, 1)
	check("then none", tick(), simwire.FromQueue, 20, 20, 0)

	// Silence: MaxOwed stand-ins, then the player stops.
	for i := range uint32(simwire.MaxOwed) {
		check("silent", tick(), simwire.FromStandIn, 20, 21+i, -int32(i)-1)
	}
	for range 3 {
		check("silent past MaxOwed: idle", tick(), simwire.FromIdle, 0, 20+simwire.MaxOwed, -simwire.MaxOwed)
	}
	sl = tick(22, 24)
	check("a burst after the silence, all stale", sl, simwire.FromIdle, 0, 20+simwire.MaxOwed, -2)
	if sl.Dropped != 2 || sl.Input.Buttons != 0 {
		t.Errorf("dropped %d, buttons %d; want 2, no fire", sl.Dropped, sl.Input.Buttons)
	}
	check("the stream comes back", tick(25, 26, 27), simwire.FromIdle, 0, 26, 1)
	check("and catches up with the ack", tick(), simwire.FromQueue, 27, 27, 0)
}

// TestSlotsAmendNotAcrossAnIdleTick: an amendment redoes the game's last
// Steps, so it reaches back only over the stand-ins since the last idle
// tick: a Step that filled no slot is not a stand-in's to redo.
func TestSlotsAmendNotAcrossAnIdleTick(t *testing.T) {
	var s simwire.Slots
	var q testkit.Inputs
	fill := slotTicker(&s, &q)
	fill(1)
	fill()
	fill()
	fill() // stand-ins for 2, 3 and 4
	if sl := fill(2, 3); sl.From != simwire.FromIdle || sl.Dropped != 1 || sl.Amends != 1 || sl.Amend[0] != (simwire.Amendment{Input: pb.InputMsg{Seq: 3, Move: 11, Aim: 3, Buttons: 1}, Back: 2}) {
		t.Fatalf("2 three slots late, 3 two: from %d, dropped %d, amends %v; want 2 dropped, 3 amending two back, idle", sl.From, sl.Dropped, sl.Amend[:sl.Amends])
	}
	if sl := fill(); sl.From != simwire.FromStandIn || s.Ack() != 5 || s.Lead() != -2 {
		t.Fatalf("after the idle tick: from %d, ack %d, lead %d; want a stand-in for 5, lead -2", sl.From, s.Ack(), s.Lead())
	}
	sl := fill(4, 5)
	if sl.Dropped != 1 || sl.Amends != 1 || sl.Amend[0].Input.Seq != 5 || sl.Amend[0].Back != 1 {
		t.Errorf("4, whose stand-in came before the idle tick, and 5: dropped %d, amends %v; want 4 dropped, 5 amending one back", sl.Dropped, sl.Amend[:sl.Amends])
	}
}

// slotTicker returns a func that queues the given inputs (input n moves
// 8 + n, aims n and fires when odd), a millisecond before it fills s's
// slot from q, a tick after the last.
func slotTicker(s *simwire.Slots, q *testkit.Inputs) func(seqs ...uint32) simwire.Slot {
	now := int64(0)
	return func(seqs ...uint32) simwire.Slot {
		now += tickNs
		for _, n := range seqs {
			q.Push(now-msNs, pb.InputMsg{Seq: n, Move: 8 + n, Aim: n, Buttons: n % 2})
		}
		var sl simwire.Slot
		s.Fill(q, &sl, now)
		return sl
	}
}

const (
	tickNs = int64(time.Second / 60)
	msNs   = int64(time.Millisecond)
)

// TestSlotsMargin: each input's margin is how long before its slot was
// filled it arrived; a Slot holds the least of the inputs its Fill took.
func TestSlotsMargin(t *testing.T) {
	var s simwire.Slots
	var q testkit.Inputs
	at := func(tick int64) int64 { return 1_000_000_000 + tick*tickNs }
	var last simwire.Slot // the last fill's
	fill := func(tick int64) simwire.Slot {
		s.Fill(&q, &last, at(tick))
		return last
	}
	take := func(what string, want int64, wantOK bool) {
		t.Helper()
		if ns, ok := last.Margin, last.Timed; ok != wantOK || ok && ns != want {
			t.Errorf("%s: margin %v (%v), want %v (%v)", what, time.Duration(ns), ok, time.Duration(want), wantOK)
		}
	}

	fill(0)
	take("no input yet", 0, false)
	q.Push(at(1)-3*msNs, pb.InputMsg{Seq: 1})
	fill(1)
	take("on time, 3 ms before its slot", 3*msNs, true)

	q.Push(at(2)-msNs, pb.InputMsg{Seq: 2}, pb.InputMsg{Seq: 3})
	fill(2)
	take("2 on time", msNs, true)
	fill(3)
	take("3 waited a tick in the queue", tickNs+msNs, true)

	if sl := fill(4); sl.From != simwire.FromStandIn {
		t.Fatalf("4 late: from %d, want a stand-in", sl.From)
	}
	take("a stand-in has no margin", 0, false)
	q.Push(at(4)+5*msNs, pb.InputMsg{Seq: 4})
	if sl := fill(5); sl.Amends != 1 || sl.From != simwire.FromStandIn {
		t.Fatalf("4 5 ms after its slot: amends %d, from %d; want amending, and standing in for 5", sl.Amends, sl.From)
	}
	take("4 amends, 5 ms late", -5*msNs, true)

	if sl := fill(6); sl.From != simwire.FromStandIn {
		t.Fatalf("6 late: from %d, want a stand-in", sl.From)
	}
	q.Push(at(6)+2*msNs, pb.InputMsg{Seq: 5}, pb.InputMsg{Seq: 6}, pb.InputMsg{Seq: 7})
	if sl := fill(7); sl.Amends != 2 || sl.From != simwire.FromQueue || sl.Input.Seq != 7 {
		t.Fatalf("5 and 6 after their slots, 7 before its own: amends %d, from %d, seq %d; want 5 and 6 amending, 7 from the queue", sl.Amends, sl.From, sl.Input.Seq)
	}
	take("5 amends two back, its slot filled a tick before 6's", -tickNs-2*msNs, true)

	for tick := int64(8); tick <= 10; tick++ {
		fill(tick) // stand-ins for 8, 9 and 10
	}
	q.Push(at(10)+msNs, pb.InputMsg{Seq: 8}, pb.InputMsg{Seq: 9}, pb.InputMsg{Seq: 10}, pb.InputMsg{Seq: 11})
	if sl := fill(11); sl.Dropped != 1 || sl.Amends != 2 || sl.From != simwire.FromIdle {
		t.Fatalf("8 three slots late, 9 and 10 two and one: dropped %d, amends %d, from %d; want 8 dropped, 9 and 10 amending, idle", sl.Dropped, sl.Amends, sl.From)
	}
	take("8 dropped, its slot filled two ticks before 10's", -2*tickNs-msNs, true)
	if sl := fill(12); sl.From != simwire.FromQueue || sl.Input.Seq != 11 {
		t.Fatalf("11, behind the dropped: from %d, seq %d; want 11 from the queue", sl.From, sl.Input.Seq)
	}
	take("11 waited behind them, keeping its arrival", 2*tickNs-msNs, true)
}

// TestSlotsKeepTheAck: a client sends one input a tick, or fewer (54 a
// second), alone or in bursts of up to four, each late or early by a
// random few ticks, keys changing now and then. Replaying inputs 1..ack
// as the client predicts (its own input for a slot it filled or that was
// amended, the newest the server had for a stand-in) must give the moves
// the server made: the slots the server moved the player in are exactly
// 1..ack, and an amendment redoes the slots stood in for from its own on.
func TestSlotsKeepTheAck(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var s simwire.Slots
		var q testkit.Inputs
		rate := 1.0
		if seed%2 == 1 {
			rate = 54.0 / 60
		}
		type arrival struct {
			tick int
			in   pb.InputMsg
		}
		var wire []arrival
		made, seq, move := 0.0, uint32(0), uint32(1)
		moves := map[uint32]uint32{} // slot seq → the move the server made in it
		stoodIn := map[uint32]bool{} // slots a stand-in filled
		idle, standIns, amends := 0, 0, 0
		for tick := 0; tick < 3000; tick++ {
			// The client makes its inputs and sends them in bursts.
			if made += rate; made >= 1 && rng.IntN(3) == 0 || made >= 4 {
				delay := tick + 2 + rng.IntN(4)
				for ; made >= 1; made-- {
					seq++
					if rng.IntN(20) == 0 {
						move = uint32(rng.IntN(16))
					}
					wire = append(wire, arrival{delay, pb.InputMsg{Seq: seq, Move: move}})
				}
			}
			for len(wire) > 0 && wire[0].tick <= tick {
				q.Push(int64(tick)*tickNs, wire[0].in)
				wire = wire[1:]
			}
			before := s.Ack()
			var sl simwire.Slot
			s.Fill(&q, &sl, int64(tick)*tickNs)
			for _, a := range sl.Amend[:sl.Amends] {
				slot := before - uint32(a.Back-1)
				if a.Input.Seq != slot || !stoodIn[slot] || a.Back > simwire.MaxAmendBack {
					t.Fatalf("seed %d: input %d amends %d back, after ack %d (stood in for: %v)", seed, a.Input.Seq, a.Back, before, stoodIn[slot])
				}
				// Its slot has its move, and the stand-ins after it the
				// newest input's, its own.
				for n := slot; n <= before; n++ {
					moves[n] = a.Input.Move
				}
				amends++
			}
			switch sl.From {
			case simwire.FromQueue, simwire.FromStandIn:
				if s.Ack() != before+1 && sl.From == simwire.FromStandIn {
					t.Fatalf("seed %d: a stand-in moved the ack from %d to %d", seed, before, s.Ack())
				}
				if sl.From == simwire.FromQueue && sl.Input.Seq != s.Ack() {
					t.Fatalf("seed %d: input %d applied with ack %d", seed, sl.Input.Seq, s.Ack())
				}
				if sl.From == simwire.FromStandIn {
					standIns++
					stoodIn[s.Ack()] = true
				}
				if _, twice := moves[s.Ack()]; twice {
					t.Fatalf("seed %d: slot %d filled twice", seed, s.Ack())
				}
				moves[s.Ack()] = sl.Input.Move
			case simwire.FromIdle:
				idle++
				if s.Ack() != before || sl.Input.Move != 0 {
					t.Fatalf("seed %d: an idle tick moved the ack from %d to %d, or the player by %d", seed, before, s.Ack(), sl.Input.Move)
				}
			}
		}
		for n := uint32(1); n <= s.Ack(); n++ {
			if _, ok := moves[n]; !ok {
				t.Fatalf("seed %d: slot %d of ack %d was never filled", seed, n, s.Ack())
			}
		}
		if len(moves) != int(s.Ack()) {
			t.Fatalf("seed %d: %d slots filled, ack %d", seed, len(moves), s.Ack())
		}
		if seed < 2 {
			t.Logf("seed %d, %.0f inputs a second: ack %d after 3000 ticks; %d stand-ins, %d of them amended, %d idle ticks", seed, 60*rate, s.Ack(), standIns, amends, idle)
		}
	}
}

func TestSlotsFillAllocatesNothing(t *testing.T) {
	var s simwire.Slots
	q := make(testkit.Inputs, 0, 200)
	seq := uint32(0)
	allocs := testing.AllocsPerRun(100, func() {
		seq++
		q = append(q[:0], testkit.Arrival{Input: pb.InputMsg{Seq: seq}, At: int64(seq) * tickNs})
		var sl simwire.Slot
		s.Fill(&q, &sl, int64(seq)*tickNs+msNs)
	})
	if allocs != 0 {
		t.Errorf("Fill allocates %v times", allocs)
	}
}
