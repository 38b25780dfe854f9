// room_test.go covers nothing by itself: it builds rooms without sockets (clients whose outbox writes to a test writer) for snapshot_test.go and bench_test.go.

package server

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"testing"

	"github.com/lxzan/gws"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
	"skirmish/ticket"
)

// newTestRoom is a room of a Server that has no listener, no pinger and no
// room goroutine: the test calls step itself. tweak adjusts the options.
func newTestRoom(tb testing.TB, tweak func(*Options)) *room {
	tb.Helper()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		tb.Fatal(err)
	}
	opts := Options{Verifier: ticket.NewVerifier(signer.PublicKey()), Ledger: refusingLedger{errors.New("test: rooms without a handshake take no claim")}, Logger: slog.New(slog.DiscardHandler)}
	if tweak != nil {
		tweak(&opts)
	}
	if err := opts.fill(); err != nil {
		tb.Fatal(err)
	}
	s := &Server{opts: opts, metrics: newMetrics(prometheus.NewRegistry())}
	r, err := newRoom(s, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// newTestClient makes a client of r named name that writes to w, and queues
// its join: the next step admits it. It has no connection: nothing may kick
// or drop it.
func newTestClient(tb testing.TB, r *room, name string, w frameWriter) *client {
	tb.Helper()
	c := &client{s: r.s, room: r, ticket: ticket.Ticket{PlayerID: uint64(r.serial) + uint64(len(r.joins)) + 1, Name: name, Room: r.id}, out: newOutbox(w)}
	c.out.times = &r.s.metrics.writeTimes
	c.queue.init(r.s.opts.InputQueue)
	if _, ok := w.(*mailbox); ok {
		c.out.write = func() {} // deliver writes, when the test says
	}
	if !r.offer(c) {
		tb.Fatalf("room refused %s", name)
	}
	return c
}

// countingWriter discards what it is handed and counts it, as a client's
// socket would see it: messages, payload bytes and WebSocket frame bytes
// (payload + the header of an unmasked server frame).
type countingWriter struct {
	messages, payload, frames int64
}

func (w *countingWriter) WriteMessage(_ gws.Opcode, p []byte) error {
	w.messages++
	w.payload += int64(len(p))
	w.frames += int64(len(p) + frameHeader(len(p)))
	return nil
}

// frameHeader is the size of the header of an unmasked (server to client)
// WebSocket frame with an n-byte payload (RFC 6455 §5.2).
func frameHeader(n int) int {
	switch {
	case n < 126:
		return 2
	case n < 1<<16:
		return 4
	}
	return 10
}

// waitIdle returns once every client's queue is written, as it is in
// production by the time the next tick is due.
func waitIdle(cs []*client) {
	for _, c := range cs {
		for c.out.pending() > 0 {
			runtime.Gosched()
		}
	}
}

// mailbox is a writer the test drains by hand, with no goroutine: deliver
// plays the writer's part for one client, so the test decides who is slow.
type mailbox struct {
	mu   sync.Mutex
	msgs [][]byte
}

func (m *mailbox) WriteMessage(_ gws.Opcode, p []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, append([]byte(nil), p...))
	return nil
}

// deliver writes what c has queued, as its batch's goroutine would, and
// returns it in order (nil: nothing was waiting).
func deliver(c *client) [][]byte {
	m := c.out.conn.(*mailbox)
	m.mu.Lock()
	before := len(m.msgs)
	m.mu.Unlock()
	c.out.drain()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.msgs[before:len(m.msgs):len(m.msgs)]
}

// viewer is what a client rebuilds from the messages it was handed, as
// bots.Bot does.
type viewer struct {
	id     uint32
	state  pb.State
	events []pb.EventInfo // every event the snapshots carried, in order
}

// take applies one ServerMessage frame (Welcome or Snapshot) and returns
// what the snapshot said about itself.
func (v *viewer) take(msg []byte) (pb.SnapshotInfo, error) {
	kind, body, err := pb.SplitServerMessage(msg)
	if err != nil {
		return pb.SnapshotInfo{}, err
	}
	switch kind {
	case pb.ServerWelcome:
		var m pb.ServerMessage
		if err := proto.Unmarshal(msg, &m); err != nil {
			return pb.SnapshotInfo{}, err
		}
		if body, err = proto.Marshal(m.GetWelcome().GetState()); err != nil {
			return pb.SnapshotInfo{}, err
		}
		v.id = m.GetWelcome().GetPlayerId()
		v.state.Reset()
	case pb.ServerSnapshot:
	default:
		return pb.SnapshotInfo{}, fmt.Errorf("unexpected message kind %d", kind)
	}
	info, events, err := v.state.Apply(body, v.events)
	v.events = events
	return info, err
}
