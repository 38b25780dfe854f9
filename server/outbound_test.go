// outbound_test.go covers outbound.go: a batch's snapshots are each written
// once, by whichever goroutine takes them; a client that blocks its batch
// holds the others back only until they are rescued; a client that leaves
// before its write starts is not written to; idle clients keep no
// goroutine.

package server

import (
	"runtime"
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

// writeGoroutines counts the goroutines running outbox code: batches and
// rescues.
func writeGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "server.(*outbox).flush") || strings.Contains(g, "server.(*outbox).run") {
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
			t.Fatalf("%d write goroutines still running after 5 s", writeGoroutines())
		}
		runtime.Gosched()
	}
}

// waitReady waits, bounded, for o's write to finish.
func waitReady(t *testing.T, o *outbox) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !o.ready() {
		if time.Now().After(deadline) {
			t.Fatal("the write did not finish within 5 s")
		}
		runtime.Gosched()
	}
}

func TestBatchWritesEachSnapshotOnce(t *testing.T) {
	ws := []*recorder{{}, {}, {}}
	var boxes []*outbox
	for _, w := range ws {
		boxes = append(boxes, newOutbox(w))
	}
	for tick := range int64(3) {
		var b batch
		for i, o := range boxes {
			b.send(o, append(o.buf[:0], byte('a'+i), byte('0'+tick)), tick)
		}
		b.start()
		// Other goroutines may try to take them too, as the handshake's
		// run does: each is still written once.
		var wg sync.WaitGroup
		for _, o := range boxes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o.run()
			}()
		}
		wg.Wait()
		for _, o := range boxes {
			waitReady(t, o)
		}
	}
	for i, w := range ws {
		want := []string{string(rune('a'+i)) + "0", string(rune('a'+i)) + "1", string(rune('a'+i)) + "2"}
		if got := w.written(); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("client %d: written %q, want %q", i, got, want)
		}
	}
}

func TestBlockedWriteHoldsItsBatchBackUntilRescue(t *testing.T) {
	stuck := &recorder{gate: make(chan struct{})}
	a, b, c := newOutbox(stuck), newOutbox(&recorder{}), newOutbox(&recorder{})
	var out batch
	for _, o := range []*outbox{a, b, c} {
		out.send(o, append(o.buf[:0], "snapshot"...), 10)
	}
	out.start()
	// a's write blocks the batch's goroutine: b and c wait, and are not
	// rescued before rescueTicks.
	for _, o := range []*outbox{b, c} {
		o.rescue(10 + rescueTicks - 1)
	}
	if b.ready() || c.ready() {
		t.Fatal("clients after a blocked one were written before the blocked write ended or a rescue")
	}
	for _, o := range []*outbox{b, c} {
		o.rescue(10 + rescueTicks)
		waitReady(t, o)
	}
	if a.ready() {
		t.Fatal("the blocked write is done")
	}
	close(stuck.gate)
	waitReady(t, a)
	// The batch's goroutine goes on to b and c, written already, and ends.
	waitNoWriteGoroutine(t)
	for _, o := range []*outbox{a, b, c} {
		if got := o.conn.(*recorder).written(); len(got) != 1 {
			t.Errorf("written %q, want one snapshot", got)
		}
	}
}

func TestOutboxStopWithdrawsAnUnstartedWrite(t *testing.T) {
	w := &recorder{}
	o := newOutbox(w)
	o.write = func() {} // no goroutine gets to it
	var out batch
	out.send(o, append(o.buf[:0], "late"...), 1)
	out.start()
	if o.ready() {
		t.Fatal("ready with a snapshot handed over")
	}
	o.stop()
	o.run()
	if !o.ready() || len(w.written()) != 0 {
		t.Errorf("after stop: ready %v, written %q; want ready and nothing written", o.ready(), w.written())
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
			out.send(o, append(o.buf[:0], "snapshot"...), tick)
		}
		out.start()
		for _, o := range boxes {
			waitReady(t, o)
		}
	}
	waitNoWriteGoroutine(t)
}
