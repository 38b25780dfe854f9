// conn.go — Conn: a net.Conn over a real one, with a line each way
// (line.go). Write queues on the up line and a pump goroutine writes the
// real socket as bytes fall due; a reader goroutine reads the real socket
// into the down line and Read takes from it as bytes fall due. dialer.go
// makes them; proxy.go splices two sockets through one.

package linksim

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// closeLinger bounds how long Close's pump may try to hand the bytes
// still queued to a peer that does not read, past their due time.
const closeLinger = 5 * time.Second

var (
	errDeadline = os.ErrDeadlineExceeded
	// ErrWriteShut is what a Write after CloseWrite gets (wrapped in a
	// *net.OpError, as net.ErrClosed is after Close).
	ErrWriteShut = errors.New("linksim: write after CloseWrite")
)

// Conn is a net.Conn whose bytes cross a shaped link (Link) both ways: a
// Write returns once its bytes are queued (or waits while a window's
// worth is on its way) and reaches the real socket when due; a Read
// returns bytes once they are due here. It is safe for concurrent use, as
// a net.Conn is.
//
// Close, as a kernel's close does, still hands the bytes written before it
// to the real socket when they fall due (within closeLinger), then closes
// it; Read and Write return net.ErrClosed at once. CloseWrite sends the
// end of the stream after the bytes written, and reading goes on.
type Conn struct {
	raw      net.Conn
	up, down *line
	rdMu     sync.Mutex // one Read at a time: the down line has one sink
	wrMu     sync.Mutex // one Write at a time: writes do not interleave
	rd, wr   *deadline
	running  sync.WaitGroup // the pump and the reader

	mu     sync.Mutex // guards the two below
	closed bool       // Close was called
	pumped bool       // the pump has returned
}

// Wrap shapes raw with link, and owns raw from now on: Close closes it.
func Wrap(raw net.Conn, link Link) (*Conn, error) {
	if err := link.fill(); err != nil {
		return nil, err
	}
	return wrap(raw, link, 0), nil
}

// wrap is Wrap for a filled link; the connection's jitter and stalls are
// drawn from stream of link.Seed.
func wrap(raw net.Conn, link Link, stream uint64) *Conn {
	t := now()
	c := &Conn{
		raw:  raw,
		up:   newLine(newSchedule(link.Up, link.Seed, 2*stream, t), link.Window),
		down: newLine(newSchedule(link.Down, link.Seed, 2*stream+1, t), link.Window),
		rd:   newDeadline(), wr: newDeadline(),
	}
	c.running.Add(2)
	go c.pump()
	go func() {
		defer c.running.Done()
		c.down.readFrom(raw)
	}()
	return c
}

// pump is the up line's sink: it writes the real socket as bytes fall
// due, then passes the end on (CloseWrite), or closes the socket after
// Close.
func (c *Conn) pump() {
	defer c.running.Done()
	err := c.up.writeTo(c.raw)
	c.mu.Lock()
	c.pumped = true
	closed := c.closed
	c.mu.Unlock()
	switch {
	case closed:
		_ = c.raw.Close()
	case err == nil:
		if cw, ok := c.raw.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
	}
	// A failed write leaves the socket for Close: its reads fail too.
}

// Read reads bytes that have arrived through the link.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 && !c.isClosed() {
		return 0, nil
	}
	c.rdMu.Lock()
	defer c.rdMu.Unlock()
	n, err := c.down.read(p, c.rd.passed())
	return n, c.opError("read", err)
}

// Write queues p on its way through the link.
func (c *Conn) Write(p []byte) (int, error) {
	c.wrMu.Lock()
	defer c.wrMu.Unlock()
	n, err := c.up.write(p, c.wr.passed())
	return n, c.opError("write", err)
}

// Close closes the connection; see Conn.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.opError("close", net.ErrClosed)
	}
	c.closed = true
	pumped := c.pumped
	c.mu.Unlock()
	c.down.abandonNow(net.ErrClosed)
	due := c.up.finishNow(io.EOF, net.ErrClosed)
	if pumped {
		return c.raw.Close()
	}
	// The pump closes the socket once it has handed over what is queued
	// (it may have just done so: then the socket refuses the deadline).
	_ = c.raw.SetWriteDeadline(time.Now().Add(due - now() + closeLinger))
	return nil
}

// CloseWrite ends the stream towards the peer after the bytes written:
// the peer reads io.EOF once they are through. Reading goes on.
func (c *Conn) CloseWrite() error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return c.opError("close", net.ErrClosed)
	}
	c.up.finishNow(io.EOF, ErrWriteShut)
	return nil
}

// abort closes at once, dropping what is queued either way (a Proxy's
// Close), and waits for the goroutines.
func (c *Conn) abort() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.down.abandonNow(net.ErrClosed)
	c.up.abandonNow(net.ErrClosed)
	_ = c.raw.Close()
	c.running.Wait()
}

// LocalAddr is the real socket's.
func (c *Conn) LocalAddr() net.Addr { return c.raw.LocalAddr() }

// RemoteAddr is the real socket's.
func (c *Conn) RemoteAddr() net.Addr { return c.raw.RemoteAddr() }

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SetReadDeadline bounds Reads, those waiting included; a Read past it
// returns an error whose Timeout() is true (os.ErrDeadlineExceeded).
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.isClosed() {
		return c.opError("set", net.ErrClosed)
	}
	c.rd.set(t)
	return nil
}

// SetWriteDeadline bounds Writes waiting for room in the window.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c.isClosed() {
		return c.opError("set", net.ErrClosed)
	}
	c.wr.set(t)
	return nil
}

func (c *Conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// opError wraps the package's own errors as net's are; io.EOF and the
// real socket's errors pass as they are.
func (c *Conn) opError(op string, err error) error {
	if err == nil || err == io.EOF || !(err == net.ErrClosed || err == errDeadline || err == ErrWriteShut) {
		return err
	}
	return &net.OpError{Op: op, Net: "linksim", Source: c.raw.LocalAddr(), Addr: c.raw.RemoteAddr(), Err: err}
}
