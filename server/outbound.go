// outbound.go — writing to a client without ever blocking the tick. Each
// connection has one writer goroutine and one buffer: the room fills the
// buffer only while the writer is idle (snapshot.go skips the client
// otherwise), so at most one snapshot per client is in flight and a slow
// reader costs skipped snapshots, then its seat (tick.go's evict).

package server

import (
	"sync/atomic"

	"github.com/lxzan/gws"
)

// frameWriter is where an outbox's writer goroutine writes: the client's
// *gws.Conn (tests plug in others). WriteMessage is called only from run's
// goroutine and may block; it must not keep p.
type frameWriter interface {
	WriteMessage(opcode gws.Opcode, p []byte) error
}

// outbox is a client's write path. buf and since belong to the room's
// goroutine while busy is false, and buf to the writer while it is true.
type outbox struct {
	conn  frameWriter
	buf   []byte
	busy  atomic.Bool
	since int64         // tick the write in flight was handed over
	wake  chan struct{} // capacity 1; closed by stop
}

func newOutbox(conn frameWriter) *outbox {
	return &outbox{conn: conn, wake: make(chan struct{}, 1)}
}

// ready reports whether the writer is idle, so buf may be refilled.
func (o *outbox) ready() bool { return !o.busy.Load() }

// send hands buf (which must be o.buf's storage, refilled) to the writer.
// Called by the room's goroutine only when ready.
func (o *outbox) send(buf []byte, tick int64) {
	o.buf, o.since = buf, tick
	o.busy.Store(true)
	o.wake <- struct{}{}
}

// stop ends the writer once its current write, if any, is done.
func (o *outbox) stop() { close(o.wake) }

// run is the writer goroutine.
func (o *outbox) run() {
	for range o.wake {
		// An error closes the connection; its read loop then reports it.
		_ = o.conn.WriteMessage(gws.OpcodeBinary, o.buf)
		o.busy.Store(false)
	}
}
