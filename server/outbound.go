// outbound.go — writing to clients without ever blocking the tick. Each
// client has a queue of outboxDepth snapshots waiting to be written, in
// order; the room fills the queue's free slots (snapshot.go skips a client
// whose queue is full) and one goroutine a tick writes the room's queues,
// one client after the other, and ends: a room costs one goroutine start a
// tick, not a wake per client, and an idle client costs no goroutine.
//
// Whichever goroutine reaches a client first takes the right to write to
// it and writes everything it has waiting; a later one finds the right
// taken and goes on to the next client. So a client that does not read
// blocks one goroutine, in its own write, and the next tick's goroutine
// writes everyone else (a tick late). The blocked client's queue fills, its
// snapshots are skipped, and after StuckTimeout it loses its seat (tick.go's
// evict).
//
// Each batch's goroutine times the way: how long it waited to start after
// the room handed the batch over, and how long after the tick began its
// last write returned (writeTimes, on the real clock like the tick's
// duration: a measurement, not a decision).

package server

import (
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
	"github.com/prometheus/client_golang/prometheus"
)

// outboxDepth is how many snapshots a client may have waiting to be
// written before the room skips it: 3 ticks, 50 ms at 60 Hz. A snapshot
// that waited longer is no use to a game that interpolates 100 ms behind.
const outboxDepth = 3

// frameWriter is where an outbox's writes go: the client's *gws.Conn
// (tests plug in others). WriteMessage is called by one goroutine at a
// time, and may block; it must not keep p.
type frameWriter interface {
	WriteMessage(opcode gws.Opcode, p []byte) error
}

// slot is one queued snapshot.
type slot struct {
	buf  []byte
	tick int64 // when it was queued
}

// outbox is a client's write queue: a ring of outboxDepth slots. Slots
// [done, queued) wait to be written; the room's goroutine fills slot
// queued and only it moves queued on, the writing goroutine moves done on
// once a slot's write has returned: the room never refills a slot that is
// being written. What the room writes every tick and what the writing
// goroutine writes are on cache lines of their own (see client).
type outbox struct {
	conn frameWriter
	// write and flush, bound once: starting a goroutine on them allocates
	// nothing. Tests replace write to write by hand.
	write, flushFrom func()
	// times, if set (before the outbox is first handed over), is told how
	// the batches this outbox heads went.
	times *writeTimes

	// Written by the room.
	slots  [outboxDepth]slot
	queued atomic.Uint32 // snapshots handed over, ever
	// next is the outbox after this one in the batch it was last handed
	// over in: always a client further on in the room's order, so that a
	// goroutine following stale links ends too.
	next atomic.Pointer[outbox]
	// When the batch this outbox heads last was handed over, and when the
	// tick that queued it began, since writeEpoch; timed says the batch
	// knew the latter. Set by the room before it starts the batch's
	// goroutine, which reads them as it starts (a goroutine that starts a
	// whole tick late reads the next tick's).
	handed, from atomic.Int64
	timed        atomic.Bool
	stopped      atomic.Bool // the client left: write nothing more

	_ [cacheLine]byte

	// Written by the writing goroutine.
	done    atomic.Uint32 // snapshots written (or withdrawn), ever
	writing atomic.Bool   // a goroutine holds the right to write
}

// writeTimes are the histograms a batch's goroutine observes once it has
// written the batch.
type writeTimes struct {
	wait    prometheus.Observer // handed over → the goroutine starts
	written prometheus.Observer // the tick began → the last write returned
}

// writeEpoch is the origin of the outboxes' times: a monotonic reading.
var writeEpoch = time.Now()

func newOutbox(conn frameWriter) *outbox {
	o := &outbox{conn: conn}
	o.write, o.flushFrom = o.drain, o.flush
	return o
}

// pending is how many snapshots wait to be written (or are being written).
func (o *outbox) pending() int { return int(o.queued.Load() - o.done.Load()) }

// full reports whether the queue has no free slot: the room skips the
// client this tick.
func (o *outbox) full() bool { return o.pending() >= outboxDepth }

// oldest is the tick the oldest snapshot still waiting was queued, and
// whether there is one. Room's goroutine only.
func (o *outbox) oldest() (int64, bool) {
	d := o.done.Load()
	if d == o.queued.Load() {
		return 0, false
	}
	return o.slots[d%outboxDepth].tick, true
}

// drain writes what waits, in order, unless another goroutine holds the
// right to write: that one writes it then.
func (o *outbox) drain() {
	for o.writing.CompareAndSwap(false, true) {
		for d := o.done.Load(); d != o.queued.Load(); d++ {
			if !o.stopped.Load() {
				// An error closes the connection; its read loop reports it.
				_ = o.conn.WriteMessage(gws.OpcodeBinary, o.slots[d%outboxDepth].buf)
			}
			o.done.Store(d + 1)
		}
		o.writing.Store(false)
		// A snapshot queued after the last check, whose goroutine found the
		// right taken, is this goroutine's to write.
		if o.pending() == 0 {
			return
		}
	}
}

// flush is a batch's goroutine: it drains from o to the end of the batch,
// and tells o.times how long it waited and when it was done.
func (o *outbox) flush() {
	began := int64(time.Since(writeEpoch))
	timed, handed, from := o.timed.Load(), o.handed.Load(), o.from.Load()
	for b := o; b != nil; {
		next := b.next.Load() // before the write: then the room may relink b
		b.write()
		b = next
	}
	if t := o.times; t != nil && timed {
		t.wait.Observe(time.Duration(began - handed).Seconds())
		t.written.Observe((time.Since(writeEpoch) - time.Duration(from)).Seconds())
	}
}

// stop withdraws the snapshots no goroutine has started writing: the room
// calls it when the client leaves. A write under way finishes, or fails
// when the connection closes, on its own goroutine.
func (o *outbox) stop() {
	o.stopped.Store(true)
	o.drain() // writes nothing now: marks the waiting ones done
}

// batch is the outboxes a room hands over in one tick, linked in the
// room's order of clients. It lives in the room's goroutine.
type batch struct {
	head, tail *outbox
	from       time.Time // when the tick began, on the real clock (zero: untimed)
}

// queue hands buf (filled from nextBuf) over as o's next snapshot, queued
// at tick, and puts o in the batch. o must not be full.
func (b *batch) queue(o *outbox, buf []byte, tick int64) {
	q := o.queued.Load()
	o.slots[q%outboxDepth] = slot{buf: buf, tick: tick}
	o.queued.Store(q + 1)
	b.add(o)
}

// add puts o in the batch, to be drained when the batch starts: every
// outbox with snapshots waiting is in every batch, so none waits for a
// goroutine stuck in another client's write.
func (b *batch) add(o *outbox) {
	if b.tail == o {
		return // queued twice in a row: linked already (a link to itself would never end)
	}
	o.next.Store(nil)
	if b.tail == nil {
		b.head = o
	} else {
		b.tail.next.Store(o)
	}
	b.tail = o
}

// start starts the goroutine that writes the batch.
func (b *batch) start() {
	if h := b.head; h != nil {
		h.timed.Store(!b.from.IsZero())
		h.from.Store(int64(b.from.Sub(writeEpoch)))
		h.handed.Store(int64(time.Since(writeEpoch)))
		go h.flushFrom()
	}
}

// nextBuf is the buffer to fill for o's next snapshot: its free slot's,
// emptied. o must not be full.
func (o *outbox) nextBuf() []byte {
	return o.slots[o.queued.Load()%outboxDepth].buf[:0]
}
