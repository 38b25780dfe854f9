// slots_test.go covers slots.go: one slot per tick, the newest input
// standing in for late ones, a tick-late input amending its slot, later
// ones dropped when they come (their fire carried over) and the player
// idling that tick, the silent player
// stopping after MaxOwed stand-ins, the lead, the inputs' margins; and,
// over random streams, the promise the ack makes: the moves up to it are
// exactly inputs 1..ack, each by itself or a stand-in.

package simwire_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/simwire"
)

func TestSlots(t *testing.T) {
	var s simwire.Slots
	var q testkit.Inputs
	now := int64(0)
	// tick queues the given inputs (move 8 + seq, fire on odd ones) and
	// fills one slot, a tick after the last.
	tick := func(seqs ...uint32) simwire.Slot {
		now += tickNs
		for _, n := range seqs {
			q.Push(now-msNs, pb.InputMsg{Seq: n, Move: 8 + n, Aim: n, Buttons: n % 2})
		}
		var sl simwire.Slot
		s.Fill(&q, &sl, now)
		return sl
	}
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
	if !sl.Amends || sl.Amend.Seq != 3 || sl.Amend.Move != 11 || sl.Dropped != 0 {
		t.Errorf("amends %v with input %d (move %d), dropped %d; want 3 amending, none dropped", sl.Amends, sl.Amend.Seq, sl.Amend.Move, sl.Dropped)
	}
	if sl.Input.Buttons != 0 || sl.Amend.Buttons != 1 {
		t.Errorf("buttons %d, amending with %d; want 4's none, 3's fire in the amendment", sl.Input.Buttons, sl.Amend.Buttons)
	}
	check("5 late", tick(), simwire.FromStandIn, 4, 5, -1)
	sl = tick(5)
	check("5 arrives alone: it amends, and stands in for 6", sl, simwire.FromStandIn, 5, 6, -1)
	if !sl.Amends || sl.Amend.Seq != 5 || sl.Input.Buttons != 0 || sl.Input.Move != 13 {
		t.Errorf("amends %v with %d, stands in with move %d and buttons %d; want 5 amending, and standing in with its move, not its fire", sl.Amends, sl.Amend.Seq, sl.Input.Move, sl.Input.Buttons)
	}
	sl = tick(6)
	check("6 comes a tick late too: it amends, and stands in for 7", sl, simwire.FromStandIn, 6, 7, -1)
	if !sl.Amends || sl.Amend.Seq != 6 {
		t.Errorf("amends %v with %d; want 6", sl.Amends, sl.Amend.Seq)
	}
	sl = tick(7, 8)
	check("7 amends, 8 is in time", sl, simwire.FromQueue, 8, 8, 0)
	if !sl.Amends || sl.Amend.Seq != 7 {
		t.Errorf("amends %v with %d; want 7", sl.Amends, sl.Amend.Seq)
	}
	check("9 late", tick(), simwire.FromStandIn, 8, 9, -1)
	check("9 two ticks late: a second stand-in", tick(), simwire.FromStandIn, 8, 10, -2)
	sl = tick(9)
	check("9 comes after two stand-ins: dropped, the player idles", sl, simwire.FromIdle, 0, 10, -1)
	if sl.Amends || sl.Dropped != 1 || sl.Input.Buttons != 1 {
		t.Errorf("amends %v, dropped %d, buttons %d; want 9 dropped, its fire kept", sl.Amends, sl.Dropped, sl.Input.Buttons)
	}
	sl = tick(10)
	check("10 comes alone, its slot stood in for two ticks ago: dropped, idle", sl, simwire.FromIdle, 0, 10, 0)
	if sl.Amends || sl.Dropped != 1 {
		t.Errorf("amends %v, dropped %d; want 10 dropped", sl.Amends, sl.Dropped)
	}
	check("11 on time in the shifted slots", tick(11), simwire.FromQueue, 11, 11, 0)

	// Inputs that arrive early wait their slots, one a tick; the lead
	// counts the ones behind.
	check("three arrive at once", tick(12, 13, 14), simwire.FromQueue, 12, 12, 2)
	check("then one is left behind", tick(), simwire.FromQueue, 13, 13, 1)
	check("then none", tick(), simwire.FromQueue, 14, 14, 0)

	// Silence: MaxOwed stand-ins, then the player stops.
	for i := range uint32(simwire.MaxOwed) {
		check("silent", tick(), simwire.FromStandIn, 14, 15+i, -int32(i)-1)
	}
	for range 3 {
		check("silent past MaxOwed: idle", tick(), simwire.FromIdle, 0, 14+simwire.MaxOwed, -simwire.MaxOwed)
	}
	sl = tick(16, 18)
	check("a burst after the silence, all stale", sl, simwire.FromIdle, 0, 14+simwire.MaxOwed, -2)
	if sl.Dropped != 2 || sl.Input.Buttons != 0 {
		t.Errorf("dropped %d, buttons %d; want 2, no fire", sl.Dropped, sl.Input.Buttons)
	}
	check("the stream comes back", tick(19, 20, 21), simwire.FromIdle, 0, 20, 1)
	check("and catches up with the ack", tick(), simwire.FromQueue, 21, 21, 0)
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
	if sl := fill(5); !sl.Amends || sl.From != simwire.FromStandIn {
		t.Fatalf("4 5 ms after its slot: amends %v, from %d; want amending, and standing in for 5", sl.Amends, sl.From)
	}
	take("4 amends, 5 ms late", -5*msNs, true)

	if sl := fill(6); sl.From != simwire.FromStandIn {
		t.Fatalf("6 late: from %d, want a stand-in", sl.From)
	}
	q.Push(at(6)+2*msNs, pb.InputMsg{Seq: 5}, pb.InputMsg{Seq: 6}, pb.InputMsg{Seq: 7})
	if sl := fill(7); sl.Dropped != 2 || sl.From != simwire.FromIdle {
		t.Fatalf("5 and 6 after their slots: dropped %d, from %d; want 2 dropped, idle", sl.Dropped, sl.From)
	}
	take("5 dropped, its slot filled a tick before 6's", -tickNs-2*msNs, true)
	if sl := fill(8); sl.From != simwire.FromQueue || sl.Input.Seq != 7 {
		t.Fatalf("7, behind the dropped: from %d, seq %d; want 7 from the queue", sl.From, sl.Input.Seq)
	}
	take("7 waited behind them, keeping its arrival", 2*tickNs-2*msNs, true)
}

// TestSlotsKeepTheAck: a client sends one input a tick, or fewer (54 a
// second), alone or in bursts of up to four, each late or early by a
// random few ticks, keys changing now and then. Replaying inputs 1..ack
// as the client predicts (its own input for a slot it filled or that was
// amended, the newest the server had for a stand-in) must give the moves
// the server made: the slots the server moved the player in are exactly
// 1..ack, and an amendment redoes the slot just stood in for.
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
			if sl.Amends {
				if sl.Amend.Seq != before || !stoodIn[before] {
					t.Fatalf("seed %d: input %d amends, after ack %d (stood in for: %v)", seed, sl.Amend.Seq, before, stoodIn[before])
				}
				moves[before] = sl.Amend.Move
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
