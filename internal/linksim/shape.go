// shape.go — what a link does to the bytes that cross it: Shape (one
// direction: delay, jitter, stalls) and Link (both directions, the seed,
// the window), their defaults and checks, and the schedule that turns a
// moment of sending into a moment of delivery. line.go asks the schedule
// for each write's due time.

package linksim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Link defaults, filled in by Link.fill.
const (
	defaultStall  = 200 * time.Millisecond // a retransmit timeout's worth
	defaultWindow = 1 << 20                // bytes held each way before the sender waits
	minStall      = time.Millisecond
	minWindow     = 1 << 10
)

// Shape is what one direction of a link does to the bytes crossing it.
// The zero value passes them at once.
type Shape struct {
	// Delay is the one-way delay of every byte.
	Delay time.Duration
	// Jitter varies the delay of each write (each read from the far end,
	// for the direction towards the caller): it is drawn uniformly from
	// Delay − Jitter to Delay + Jitter, and never below zero. Bytes never
	// overtake each other, as on TCP: a write drawn earlier than the one
	// before it is delivered with that one.
	Jitter time.Duration
	// StallEvery is the mean time between stalls, 0 for none. A stall is
	// what a lost segment does to a TCP stream: nothing is lost, but
	// everything behind the segment waits for its retransmit. Every byte
	// due while a stall lasts is delivered, in order, when it ends. The
	// time from one stall's end to the next one's start is drawn from an
	// exponential distribution (losses at random, at a steady rate).
	StallEvery time.Duration
	// Stall is how long a stall holds the direction. Default 200 ms when
	// StallEvery is set; at least 1 ms.
	Stall time.Duration
}

// Link is both directions of a connection, seen from the side that
// dials: Up carries what the client writes to the server, Down what the
// server writes back. The zero value passes everything at once.
type Link struct {
	Up   Shape // client → server
	Down Shape // server → client
	// Seed seeds the jitter and the stalls: the same seed and the same
	// writes at the same moments give the same due times. Each
	// connection a Dialer makes draws its own streams from it.
	Seed uint64
	// Window is how many bytes each direction holds on its way; a writer
	// (or the reader of the far end) waits for room beyond it, as a full
	// TCP window makes a sender wait. Default 1 MiB, at least 1 KiB.
	Window int
}

// IsZero reports whether the link shapes nothing: no delay, jitter or
// stall either way.
func (l Link) IsZero() bool {
	return l.Up.isZero() && l.Down.isZero()
}

func (s Shape) isZero() bool { return s.Delay == 0 && s.Jitter == 0 && s.StallEvery == 0 }

// Check reports whether l is usable as it is (its zero fields taking
// their defaults).
func (l Link) Check() error { return l.fill() }

// String says what the link does, e.g. "up 50ms ± 10ms, down 50ms ± 10ms
// stalling 200ms every 5s"; "none" for the zero link.
func (l Link) String() string {
	if l.IsZero() {
		return "none"
	}
	return "up " + l.Up.String() + ", down " + l.Down.String()
}

// String says what the direction does, e.g. "50ms ± 10ms stalling 200ms
// every 5s".
func (s Shape) String() string {
	out := s.Delay.String()
	if s.Jitter > 0 {
		out += " ± " + s.Jitter.String()
	}
	if s.StallEvery > 0 {
		stall := s.Stall
		if stall == 0 {
			stall = defaultStall
		}
		out += " stalling " + stall.String() + " every " + s.StallEvery.String()
	}
	return out
}

// RoundTrip is the link's round trip without jitter or stalls: Up.Delay
// + Down.Delay.
func (l Link) RoundTrip() time.Duration { return l.Up.Delay + l.Down.Delay }

// fill checks l and fills in its defaults.
func (l *Link) fill() error {
	if l.Window == 0 {
		l.Window = defaultWindow
	}
	if l.Window < minWindow {
		return fmt.Errorf("linksim: Window %d: at least %d bytes", l.Window, minWindow)
	}
	for _, d := range []struct {
		name string
		s    *Shape
	}{{"Up", &l.Up}, {"Down", &l.Down}} {
		if err := d.s.fill(); err != nil {
			return fmt.Errorf("linksim: %s: %w", d.name, err)
		}
	}
	return nil
}

func (s *Shape) fill() error {
	if s.Delay < 0 || s.Jitter < 0 || s.StallEvery < 0 || s.Stall < 0 {
		return errors.New("negative duration")
	}
	if s.StallEvery == 0 {
		s.Stall = 0
		return nil
	}
	if s.Stall == 0 {
		s.Stall = defaultStall
	}
	if s.Stall < minStall {
		return fmt.Errorf("Stall %v: at least %v", s.Stall, minStall)
	}
	return nil
}

// schedule turns the moment bytes are sent into the moment they are due
// at the far end, for one direction. Times are the package clock's
// (clock.go). Its owner (a line) serialises the calls.
type schedule struct {
	shape   Shape
	rng     *rand.Rand
	last    time.Duration // due time of the latest bytes: nothing is due before it
	stallAt time.Duration // start of the next stall, if stalls are on
}

func newSchedule(s Shape, seed, stream uint64, now time.Duration) schedule {
	sc := schedule{shape: s, rng: rand.New(rand.NewPCG(seed, stream))}
	if s.StallEvery > 0 {
		sc.stallAt = now + sc.gap()
	}
	return sc
}

// gap draws the time from one stall's end to the next one's start.
func (sc *schedule) gap() time.Duration {
	return time.Duration(sc.rng.ExpFloat64() * float64(sc.shape.StallEvery))
}

// due is when bytes sent at now reach the far end.
func (sc *schedule) due(now time.Duration) time.Duration {
	d := now + sc.shape.Delay
	if j := sc.shape.Jitter; j > 0 {
		d += time.Duration(sc.rng.Int64N(int64(2*j)+1)) - j
	}
	d = max(d, now, sc.last)
	if stall := sc.shape.Stall; stall > 0 {
		// Skip the stalls that ended before d (no bytes were due in them),
		// then hold d to the end of the one it falls in, if any. Each step
		// moves at least a Stall (≥ 1 ms) forward.
		for sc.stallAt+stall <= d {
			sc.stallAt += stall + sc.gap()
		}
		if d >= sc.stallAt {
			d = sc.stallAt + stall
		}
	}
	sc.last = d
	return d
}
