// outbound_test.go covers outbound.go: each queued snapshot is written
// once and in order, by whichever goroutine takes the client; a client that
// blocks its write holds one goroutine and the next batch writes the
// others; a full queue is skipped; a client that leaves is not written to
// again; idle clients keep no goroutine.

package server

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"
)

// recorder is a frameWriter that keeps what it is given; while gate is
// set, each write first waits for it to close.
type recorder struct {
	mu   sync.Mutex
	msgs []string
	gate chan struct{}
}

func (r *recorder) WriteMessage(_ gws.Opcode, p []byte) error {
	if r.gate != nil {
		<-r.gate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, string(p))
	return nil
}

func (r *recorder) written() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// writeGoroutines counts the goroutines running outbox code.
func writeGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "server.(*outbox).flush") || strings.Contains(g, "server.(*outbox).drain") {
			n++
		}
	}
	return n
}

// waitNoWriteGoroutine waits, bounded, until no goroutine runs outbox code.
func waitNoWriteGoroutine(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for writeGoroutines() > 0 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d write goroutines still running after 5 s:\n%s", writeGoroutines(), buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
	}
}

// waitWritten waits, bounded, until o has nothing waiting.
func waitWritten(t *testing.T, o *outbox) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for o.pending() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the writes did not finish within 5 s")
		}
		runtime.Gosched()
	}
}

// queueText queues s as o's next snapshot in b.
func queueText(b *batch, o *outbox, s string, tick int64) {
	b.queue(o, append(o.nextBuf(), s...), tick)
}

func TestBatchWritesEachSnapshotOnceInOrder(t *testing.T) {
	ws := []*recorder{{}, {}, {}}
	var boxes []*outbox
	for _, w := range ws {
		boxes = append(boxes, newOutbox(w))
	}
	want := make([][]string, len(boxes)) // what was queued: skipped when full
	for tick := range int64(12) {
		var b batch
		for i, o := range boxes {
			if !o.full() {
				msg := string(rune('a'+i)) + string(rune('0'+tick))
				queueText(&b, o, msg, tick)
				want[i] = append(want[i], msg)
			}
		}
		b.start()
		// Other goroutines drain too: each snapshot is still written
		// once, in order.
		var wg sync.WaitGroup
		for _, o := range boxes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o.drain()
			}()
		}
		wg.Wait()
	}
	for i, w := range ws {
		waitWritten(t, boxes[i])
		if got := w.written(); !slices.Equal(got, want[i]) {
			t.Errorf("client %d: written %q, want %q", i, got, want[i])
		}
	}
	waitNoWriteGoroutine(t)
}

func TestBlockedWriteHoldsOnlyItsOwnGoroutine(t *testing.T) {
	stuck := &recorder{gate: make(chan struct{})}
	a, b, c := newOutbox(stuck), newOutbox(&recorder{}), newOutbox(&recorder{})
	boxes := []*outbox{a, b, c}
	var out batch
	for _, o := range boxes {
		queueText(&out, o, "t10", 10)
	}
	out.start()
	// a's write blocks tick 10's goroutine before b and c. The next
	// tick's goroutine passes a and writes both of b's and c's snapshots.
	for deadline := time.Now().Add(5 * time.Second); !a.writing.Load(); runtime.Gosched() {
		if time.Now().After(deadline) {
			t.Fatal("tick 10's goroutine did not reach a's write within 5 s")
		}
	}
	out = batch{}
	for _, o := range boxes {
		queueText(&out, o, "t11", 11)
	}
	out.start()
	for _, o := range []*outbox{b, c} {
		waitWritten(t, o)
		if got := o.conn.(*recorder).written(); !slices.Equal(got, []string{"t10", "t11"}) {
			t.Errorf("written %q, want t10 then t11", got)
		}
	}
	if a.pending() != 2 || stuck.written() != nil {
		t.Fatalf("the blocked client: %d pending, %q written; want 2 pending, nothing written", a.pending(), stuck.written())
	}
	// Its queue fills, then the room skips it.
	out = batch{}
	queueText(&out, a, "t12", 12)
	if !a.full() {
		t.Fatalf("%d pending: not full at outboxDepth %d", a.pending(), outboxDepth)
	}
	if since, ok := a.oldest(); !ok || since != 10 {
		t.Errorf("oldest waiting snapshot queued at %d (%v), want 10", since, ok)
	}
	close(stuck.gate)
	waitWritten(t, a)
	waitNoWriteGoroutine(t)
	if got := stuck.written(); !slices.Equal(got, []string{"t10", "t11", "t12"}) {
		t.Errorf("the unblocked client got %q, want t10 t11 t12", got)
	}
}

func TestOutboxStopWithdrawsWhatWaits(t *testing.T) {
	w := &recorder{}
	o := newOutbox(w)
	o.write = func() {} // no goroutine gets to it
	var out batch
	queueText(&out, o, "late", 1)
	queueText(&out, o, "later", 2)
	out.start()
	if o.pending() != 2 {
		t.Fatalf("%d pending, want 2", o.pending())
	}
	o.stop()
	o.drain()
	if o.pending() != 0 || len(w.written()) != 0 {
		t.Errorf("after stop: %d pending, written %q; want nothing pending or written", o.pending(), w.written())
	}
}

func TestIdleOutboxesKeepNoGoroutine(t *testing.T) {
	var boxes []*outbox
	for range 16 {
		boxes = append(boxes, newOutbox(&countingWriter{}))
	}
	for tick := range int64(20) {
		var out batch
		for _, o := range boxes {
			queueText(&out, o, "snapshot", tick)
		}
		out.start()
		for _, o := range boxes {
			waitWritten(t, o)
		}
	}
	waitNoWriteGoroutine(t)
}

// observations is a prometheus.Observer that hands each value on.
type observations chan float64

func (o observations) Observe(v float64) { o <- v }

// TestBatchTimesItsWrites: a batch's goroutine reports how long it waited
// to start and when its last write returned, counted from the start of the
// tick that queued it (here 50 ms before, and a write held until then).
func TestBatchTimesItsWrites(t *testing.T) {
	w := &recorder{gate: make(chan struct{})}
	o := newOutbox(w)
	wait, written := make(observations, 1), make(observations, 1)
	o.times = &writeTimes{wait: wait, written: written}
	const tickAgo = 50 * time.Millisecond
	b := batch{from: time.Now().Add(-tickAgo)}
	queueText(&b, o, "one", 1)
	b.start()
	close(w.gate)
	bound := time.After(10 * time.Second)
	var waited, done float64
	for _, got := range []struct {
		v *float64
		c observations
	}{{&waited, wait}, {&done, written}} {
		select {
		case *got.v = <-got.c:
		case <-bound:
			t.Fatal("the batch's goroutine observed nothing within 10 s")
		}
	}
	if done < tickAgo.Seconds() || done > 10 {
		t.Errorf("written %.4f s after its tick began; want at least %v and under the test's 10 s", done, tickAgo)
	}
	if waited < 0 || waited > done-tickAgo.Seconds() {
		t.Errorf("waited %.4f s to start; want from 0 to the %.4f s between the hand-over and the last write", waited, done-tickAgo.Seconds())
	}
	if got := w.written(); !slices.Equal(got, []string{"one"}) {
		t.Errorf("wrote %q, want [one]", got)
	}
}
