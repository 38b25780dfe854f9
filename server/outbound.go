// outbound.go — writing to clients without ever blocking the tick. Each
// client has one buffer; the room fills it only while no write of the
// client's is in flight (snapshot.go skips the client otherwise), so at
// most one snapshot per client is in flight. One goroutine a tick writes
// the room's snapshots, one client after the other, and ends: a room costs
// one goroutine start a tick, not a wake per client, and an idle client
// costs no goroutine.
//
// A client that does not read blocks that goroutine in its write, and the
// clients after it in the batch wait. Not for long: a snapshot nobody has
// started writing rescueTicks after it was handed over gets a goroutine of
// its own. The blocked client costs skipped snapshots, then its seat
// (tick.go's evict).

package server

import (
	"sync/atomic"

	"github.com/lxzan/gws"
)

// rescueTicks is how long a snapshot waits behind a blocked write before
// it gets a goroutine of its own (3 ticks: 50 ms at 60 Hz).
const rescueTicks = 3

// frameWriter is where an outbox's writes go: the client's *gws.Conn
// (tests plug in others). WriteMessage is called from a write goroutine,
// one call at a time, and may block; it must not keep p.
type frameWriter interface {
	WriteMessage(opcode gws.Opcode, p []byte) error
}

// outbox is a client's write path. buf and since belong to the room's
// goroutine while busy is false, and buf to the write goroutine while it
// is true. Any goroutine may write a snapshot handed over (run): the one
// that takes it from handed writes it, so each is written once.
type outbox struct {
	conn    frameWriter
	buf     []byte
	busy    atomic.Bool // a snapshot was handed over and is not written yet
	handed  atomic.Bool // ... and no goroutine has taken it to write yet
	since   int64       // tick the write in flight was handed over
	rescued bool        // it has a goroutine of its own (the room's)

	// next is the outbox after this one in the batch it was last handed
	// over in: always a client further on in the room's order, so that a
	// goroutine following stale links ends too.
	next atomic.Pointer[outbox]

	// run and flush, bound once: starting a goroutine on them allocates
	// nothing. Tests replace write to write by hand.
	write, flushFrom func()
}

func newOutbox(conn frameWriter) *outbox {
	o := &outbox{conn: conn}
	o.write, o.flushFrom = o.run, o.flush
	return o
}

// ready reports whether no write is in flight, so buf may be refilled.
func (o *outbox) ready() bool { return !o.busy.Load() }

// run writes the snapshot handed over, if it is still there to take.
func (o *outbox) run() {
	if !o.handed.CompareAndSwap(true, false) {
		return
	}
	// An error closes the connection; its read loop then reports it.
	_ = o.conn.WriteMessage(gws.OpcodeBinary, o.buf)
	o.busy.Store(false)
}

// flush is a batch's goroutine: it writes from o to the end of the batch.
func (o *outbox) flush() {
	for b := o; b != nil; {
		next := b.next.Load() // before the write: then the room may relink b
		b.write()
		b = next
	}
}

// rescue gives a snapshot that has waited rescueTicks behind a blocked
// write a goroutine of its own. Called by the room's goroutine for clients
// that are not ready.
func (o *outbox) rescue(tick int64) {
	if !o.rescued && tick-o.since >= rescueTicks && o.handed.Load() {
		o.rescued = true
		go o.write()
	}
}

// stop withdraws a snapshot that no goroutine has started writing: the
// room calls it when the client leaves. A write under way finishes, or
// fails when the connection closes, on its own goroutine.
func (o *outbox) stop() {
	if o.handed.CompareAndSwap(true, false) {
		o.busy.Store(false)
	}
}

// batch is the snapshots a room hands over in one tick, linked in the
// room's order of clients. It lives in the room's goroutine.
type batch struct{ head, tail *outbox }

// send hands o's refilled buf over, to be written when the batch starts.
// o must be ready.
func (b *batch) send(o *outbox, buf []byte, tick int64) {
	o.buf, o.since, o.rescued = buf, tick, false
	o.next.Store(nil)
	o.busy.Store(true)
	o.handed.Store(true)
	if b.tail == nil {
		b.head = o
	} else {
		b.tail.next.Store(o)
	}
	b.tail = o
}

// start starts the goroutine that writes the batch.
func (b *batch) start() {
	if b.head != nil {
		go b.head.flushFrom()
	}
}
