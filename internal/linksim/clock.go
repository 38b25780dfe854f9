// clock.go — the package's time: a monotonic now that the schedule
// (shape.go) and the lines (line.go) count in, and deadline, a settable
// moment a blocked Read or Write (conn.go) can wait on.

package linksim

import (
	"sync"
	"time"
)

// epoch is the origin of the package's clock.
var epoch = time.Now()

// now reads the monotonic clock.
func now() time.Duration { return time.Since(epoch) }

// deadline is a Read or Write deadline: passed() is a channel closed once
// it has passed, for a waiter to select on. Setting it again re-arms it,
// and wakes the waiters if the new deadline has passed already.
type deadline struct {
	mu    sync.Mutex
	gen   uint64 // counts set calls: a timer of an earlier one does nothing
	timer *time.Timer
	ch    chan struct{} // closed once the deadline has passed
}

func newDeadline() *deadline { return &deadline{ch: make(chan struct{})} }

// set moves the deadline to t; the zero t means none.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if isClosed(d.ch) {
		d.ch = make(chan struct{})
	}
	if t.IsZero() {
		return
	}
	wait := time.Until(t)
	if wait <= 0 {
		close(d.ch)
		return
	}
	gen, ch := d.gen, d.ch
	d.timer = time.AfterFunc(wait, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.gen == gen {
			close(ch)
		}
	})
}

// passed is closed once the deadline has passed.
func (d *deadline) passed() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ch
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
