// clock.go — when ticks are due, and which clock says so. schedule is pure
// arithmetic on times it is given; loop drives a room's tick (tick.go),
// taking "now" from Options.Now, so tests feed it made-up time, and
// sleeping for real between ticks.
//
// Options.Now is the clock every decision of the server reads (handshake.go:
// ticket expiry; registry.go: seat expiry, idle rooms; inbound.go and
// conn.go: the flood limit and when the silence deadline moves;
// matchreport.go: when a match ends). Three things stay on the real clock,
// on purpose: socket deadlines (realDeadline), which the runtime's poller
// measures against it; the tick-duration metric (tick.go) and the write
// times (outbound.go), measurements of work done, not decisions; and the
// sleeps themselves (here, the pinger's ticker in server.go, Shutdown's
// waits).

package server

import "time"

// maxCatchUp is how many overdue ticks a room runs back to back before it
// gives up on the rest: half a second of them, as many inputs as a
// player's queue holds by default (Options.InputQueue). A room held up
// for less (a busy machine, a pause) catches up: its game stays on the
// schedule, and the inputs that came in time each fill their own tick. A
// room that skips ticks falls behind the schedule for good: every later
// snapshot arrives that much later than its tick's time, and every
// player's inputs queue up that many ticks deep until the input clock
// (client/netcode) has slowed them away, 5 % at most. Running a tick is
// cheap beside sending one: only the last sendLate (tick.go) send.
// (Measured with 750 bots on 2 cores that other work loaded, three runs
// each: at 4, rooms skipped 1,517 to 18,623 ticks in a run and the bots'
// median lateness was 38 to 4,522 ms, those skips summed; at 30, 199 to
// 1,352 and 22 to 182 ms.)
const maxCatchUp = 30

// schedule says which ticks are due: tick n is due at start + n/rate, so
// lateness never accumulates into drift.
type schedule struct {
	start time.Time
	rate  int64
	n     int64 // ticks consumed (run or skipped)
}

func newSchedule(start time.Time, rate int) schedule {
	return schedule{start: start, rate: int64(rate)}
}

// dueAt is when tick n is due.
func (s *schedule) dueAt(n int64) time.Time {
	return s.start.Add(time.Duration(n * int64(time.Second) / s.rate))
}

// advance consumes the ticks due at now: run of them are to be run (at most
// maxCatchUp), skipped were given up. late is how far past its due time the
// first of them is.
func (s *schedule) advance(now time.Time) (run, skipped int, late time.Duration) {
	first := s.dueAt(s.n + 1)
	if now.Before(first) {
		return 0, 0, 0
	}
	late = now.Sub(first)
	// The ticks due by now are those whose dueAt (rounded down to the
	// nanosecond) is not after it: n ≤ ((elapsed+1)·rate − 1) / 1 s. So at
	// the very nanosecond a tick is due, it is run, and next is after now.
	due := ((now.Sub(s.start).Nanoseconds()+1)*s.rate-1)/int64(time.Second) - s.n
	run = int(min(due, maxCatchUp))
	skipped = int(due) - run
	s.n += due
	return run, skipped, late
}

// next is when the next tick is due.
func (s *schedule) next() time.Time { return s.dueAt(s.n + 1) }

// loop runs tick for every tick due by now until quit is closed or tick
// returns false. It sleeps until the next tick is due, never longer than a
// tick: a made-up clock that stands still or goes back in time leaves the
// room looking again every tick, not asleep.
func loop(rate int, now func() time.Time, quit <-chan struct{}, tick func(run, skipped int, late time.Duration) bool) {
	period := time.Second / time.Duration(rate)
	wait := func(s *schedule) time.Duration { return min(s.next().Sub(now()), period) }
	sched := newSchedule(now(), rate)
	timer := time.NewTimer(wait(&sched))
	defer timer.Stop()
	for {
		select {
		case <-quit:
			return
		case <-timer.C:
		}
		run, skipped, late := sched.advance(now())
		if run > 0 && !tick(run, skipped, late) {
			return
		}
		timer.Reset(wait(&sched))
	}
}

// realDeadline is d from now on the real clock, for a socket deadline: the
// runtime's poller, which enforces it, knows no other clock.
func realDeadline(d time.Duration) time.Time { return time.Now().Add(d) }
