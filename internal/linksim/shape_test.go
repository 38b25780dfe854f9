// shape_test.go — the schedule on made-up time: the same seed draws the
// same due times, jitter stays in its band, nothing is due before what
// went earlier, and a stall holds what falls in it to its end.

package linksim

import (
	"testing"
	"time"
)

func dues(s Shape, seed uint64, n int, every time.Duration) []time.Duration {
	if err := s.fill(); err != nil {
		panic(err)
	}
	sc := newSchedule(s, seed, 0, 0)
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = sc.due(time.Duration(i) * every)
	}
	return out
}

func TestScheduleIsSeeded(t *testing.T) {
	s := Shape{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, StallEvery: time.Second}
	a, b, c := dues(s, 7, 500, 16*time.Millisecond), dues(s, 7, 500, 16*time.Millisecond), dues(s, 8, 500, 16*time.Millisecond)
	same := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 7 drew %v then %v for write %d", a[i], b[i], i)
		}
		if a[i] == c[i] {
			same++
		}
	}
	if same > len(a)/2 {
		t.Errorf("seeds 7 and 8 drew the same due time for %d of %d writes", same, len(a))
	}
}

func TestScheduleJitterBandAndOrder(t *testing.T) {
	const delay, jitter, every = 50 * time.Millisecond, 20 * time.Millisecond, 10 * time.Millisecond
	d := dues(Shape{Delay: delay, Jitter: jitter}, 1, 2000, every)
	lo, hi := time.Hour, time.Duration(0)
	for i, due := range d {
		sent := time.Duration(i) * every
		if i > 0 && due < d[i-1] {
			t.Fatalf("write %d due at %v, before write %d at %v", i, due, i-1, d[i-1])
		}
		delayed := due - sent
		if delayed < delay-jitter || delayed > delay+jitter {
			t.Fatalf("write %d delayed %v, outside %v ± %v", i, delayed, delay, jitter)
		}
		lo, hi = min(lo, delayed), max(hi, delayed)
	}
	// Writes 10 ms apart with ±20 ms: the order holds some back to the one
	// before, but the band is used nearly end to end.
	if lo > delay-jitter+2*time.Millisecond || hi < delay+jitter-2*time.Millisecond {
		t.Errorf("delays from %v to %v: the jitter band %v ± %v is not used", lo, hi, delay, jitter)
	}
}

func TestScheduleStalls(t *testing.T) {
	const delay, every, stall = 10 * time.Millisecond, time.Millisecond, 80 * time.Millisecond
	s := Shape{Delay: delay, StallEvery: 200 * time.Millisecond, Stall: stall}
	d := dues(s, 3, 20000, every) // 20 s of a write a millisecond
	stalls, held := 0, 0
	for i, due := range d {
		delayed := due - time.Duration(i)*every
		if delayed < delay || delayed > delay+stall {
			t.Fatalf("write %d delayed %v, want from %v to %v", i, delayed, delay, delay+stall)
		}
		if delayed > delay {
			held++
			if i == 0 || d[i-1]-time.Duration(i-1)*every == delay {
				stalls++ // the first write a stall caught
			}
		}
	}
	// About 20 s / (200 ms + 80 ms) stalls, each holding ~80 writes.
	if stalls < 40 || stalls > 110 {
		t.Errorf("%d stalls in 20 s, want about 70", stalls)
	}
	if held < stalls*int(stall/every)*3/4 || held > stalls*int(stall/every)+stalls {
		t.Errorf("%d writes held by %d stalls of %v with a write every %v", held, stalls, stall, every)
	}
}

func TestLinkChecks(t *testing.T) {
	for _, l := range []Link{
		{Up: Shape{Delay: -time.Millisecond}},
		{Down: Shape{StallEvery: time.Second, Stall: time.Microsecond}},
		{Window: 100},
	} {
		if err := l.fill(); err == nil {
			t.Errorf("%+v accepted", l)
		}
	}
	l := Link{Down: Shape{StallEvery: time.Second}}
	if err := l.fill(); err != nil || l.Down.Stall != defaultStall || l.Window != defaultWindow {
		t.Errorf("defaults: %+v, %v", l, err)
	}
	if !(Link{}).IsZero() || (Link{Up: Shape{Jitter: 1}}).IsZero() {
		t.Error("IsZero")
	}
}
