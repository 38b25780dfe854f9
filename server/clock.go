// clock.go — when ticks are due. schedule is pure arithmetic on times it is
// given, so tests feed it made-up time; loop is the one place that reads the
// real clock and sleeps, driving a room's tick (tick.go).

package server

import "time"

// maxCatchUp is how many overdue ticks a room runs back to back before it
// gives up on the rest: a room that fell far behind skips ahead rather than
// fast-forwarding its players.
const maxCatchUp = 4

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
	due := (now.Sub(s.start).Nanoseconds()*s.rate)/int64(time.Second) - s.n
	run = int(min(due, maxCatchUp))
	skipped = int(due) - run
	s.n += due
	return run, skipped, late
}

// next is when the next tick is due.
func (s *schedule) next() time.Time { return s.dueAt(s.n + 1) }

// loop runs tick for every due tick until quit is closed or tick returns
// false. It is the only reader of the real clock in a room.
func loop(rate int, quit <-chan struct{}, tick func(run, skipped int, late time.Duration) bool) {
	sched := newSchedule(time.Now(), rate)
	timer := time.NewTimer(time.Until(sched.next()))
	defer timer.Stop()
	for {
		select {
		case <-quit:
			return
		case <-timer.C:
		}
		run, skipped, late := sched.advance(time.Now())
		if run > 0 && !tick(run, skipped, late) {
			return
		}
		timer.Reset(time.Until(sched.next()))
	}
}
