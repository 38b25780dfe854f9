// clock_test.go covers clock.go with made-up time: schedule's arithmetic, and loop driven by a fed clock (Options.Now), which it follows rather than the real one, never sleeping more than a tick even when the clock goes back.

package server

import (
	"sync"
	"testing"
	"time"
)

// fedClock is made-up time for loop: it stands still until the test moves
// it, and counts its reads.
type fedClock struct {
	mu    sync.Mutex
	now   time.Time
	reads int
}

func (c *fedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return c.now
}

// add moves the clock by d and returns how many reads came before.
func (c *fedClock) add(d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.reads
}

// waitReads waits until the clock has been read more than n times.
func (c *fedClock) waitReads(t *testing.T, n int, what string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) { // polling, bounded
		c.mu.Lock()
		reads := c.reads
		c.mu.Unlock()
		if reads > n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the clock was read %d times within 5 s; want more than %d", what, reads, n)
		}
	}
}

// TestScheduleAdvance: ticks are due at start + n/rate, each is run at the
// very nanosecond it is due, a late room runs at most maxCatchUp of them
// and skips the rest, and skipping does not drift the schedule.
func TestScheduleAdvance(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	s := newSchedule(t0, 60)
	check := func(at time.Duration, wantRun, wantSkipped int, wantLate time.Duration) {
		t.Helper()
		run, skipped, late := s.advance(t0.Add(at))
		if run != wantRun || skipped != wantSkipped || late != wantLate {
			t.Errorf("at %v: run %d, skipped %d, late %v; want %d, %d, %v", at, run, skipped, late, wantRun, wantSkipped, wantLate)
		}
		if next := s.next(); !next.After(t0.Add(at)) {
			t.Errorf("at %v: next tick due at %v, not after now", at, next.Sub(t0))
		}
	}
	tick := time.Second / 60
	check(tick-time.Nanosecond, 0, 0, 0)
	check(tick, 1, 0, 0) // due this very nanosecond
	check(tick, 0, 0, 0) // consumed
	check(2*tick+time.Millisecond, 1, 0, 2*tick+time.Millisecond-s.dueAt(2).Sub(t0))
	check(time.Second, maxCatchUp, 58-maxCatchUp, time.Second-s.dueAt(3).Sub(t0)) // ticks 3..60: maxCatchUp run, the rest skipped
	if got, want := s.next(), s.dueAt(61); got != want || got.Sub(t0) != time.Second+tick {
		t.Errorf("next due at %v; want %v: skipping must not drift", got.Sub(t0), time.Second+tick)
	}
}

// ticked is what loop handed one call of its tick function.
type ticked struct {
	run, skipped int
	late         time.Duration
}

// TestLoopFollowsFedClock: loop runs the ticks the fed clock says are due,
// and none while it stands still; after the clock went back an hour, it
// runs again as soon as the clock passes the next due tick (it did not
// sleep an hour); and it returns when quit closes.
func TestLoopFollowsFedClock(t *testing.T) {
	clk := &fedClock{now: time.Unix(1_700_000_000, 0)}
	quit := make(chan struct{})
	calls := make(chan ticked, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop(60, clk.Now, quit, func(run, skipped int, late time.Duration) bool {
			calls <- ticked{run, skipped, late}
			return true
		})
	}()
	next := func(what string) ticked {
		t.Helper()
		select {
		case c := <-calls:
			return c
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: loop ran no tick within 5 s", what)
		}
		return ticked{}
	}
	clk.waitReads(t, 0, "start") // the schedule starts at the clock's time

	clk.add(10 * time.Second)
	if got, want := next("10 s on"), (ticked{maxCatchUp, 600 - maxCatchUp, 10*time.Second - time.Second/60}); got != want {
		t.Errorf("10 s on: %+v; want %+v (at most %d ticks back to back, the rest skipped)", got, want, maxCatchUp)
	}
	clk.add(17 * time.Millisecond)
	if got := next("a tick on"); got.run != 1 || got.skipped != 0 {
		t.Errorf("a tick on: %+v; want 1 run, none skipped", got)
	}
	// Back an hour: loop must not sleep until the next tick is due by
	// this clock. Two reads after the move, it has computed a wait from it.
	clk.waitReads(t, clk.add(-time.Hour)+1, "an hour back")
	clk.add(time.Hour + 17*time.Millisecond)
	if got := next("back an hour and forward again"); got.run != 1 || got.skipped != 0 {
		t.Errorf("back an hour and forward again: %+v; want 1 run, none skipped", got)
	}
	select {
	case c := <-calls:
		t.Errorf("a tick ran while the clock stood still: %+v", c)
	default:
	}
	close(quit)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("loop did not return after quit closed")
	}
}
