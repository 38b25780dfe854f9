// conn_test.go — a shaped Conn over a real loopback socket: each way's
// delay, order under jitter, stalls that hold and then deliver every byte,
// and net.Conn's contract (deadlines, Close, half-close, no goroutine left
// behind).

package linksim_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"skirmish/internal/linksim"
)

// These tests assert what the link does, never how fast the machine
// runs it: nothing is ever early, order and bytes are kept, jitter spreads
// and stalls hold deliveries back. How late a delivery is past its due
// time depends on the load, and bench_test.go measures it.

var base = time.Now()

// pair dials a shaped connection to a listener on 127.0.0.1 and returns
// both ends, closed when the test ends.
func pair(t *testing.T, link linksim.Link) (*linksim.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	d := &linksim.Dialer{Link: link}
	start := time.Now()
	c, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < link.RoundTrip() {
		t.Errorf("dial took %v, less than the round trip %v", took, link.RoundTrip())
	}
	srv := <-accepted
	if srv == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() {
		c.Close()
		srv.Close()
	})
	return c.(*linksim.Conn), srv
}

// record is what the tests send: a sequence number and when it was sent.
const recordSize = 16

func putRecord(b []byte, seq uint64) []byte {
	b = binary.LittleEndian.AppendUint64(b, seq)
	return binary.LittleEndian.AppendUint64(b, uint64(time.Since(base)))
}

// sendRecords writes n records to w, one every gap, on its own goroutine;
// the channel says how the writes went.
func sendRecords(w io.Writer, n int, gap time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() {
		var b []byte
		for i := range n {
			if _, err := w.Write(putRecord(b[:0], uint64(i))); err != nil {
				done <- err
				return
			}
			if gap > 0 {
				time.Sleep(gap) // pacing the sender, not synchronisation
			}
		}
		done <- nil
	}()
	return done
}

// readRecords reads n records from r, checks they come in order, and
// returns how long each took.
func readRecords(t *testing.T, r io.Reader, n int) []time.Duration {
	t.Helper()
	delays := make([]time.Duration, n)
	b := make([]byte, recordSize)
	for i := range n {
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		arrived := time.Since(base)
		if seq := binary.LittleEndian.Uint64(b); seq != uint64(i) {
			t.Fatalf("record %d arrived as number %d", i, seq)
		}
		delays[i] = arrived - time.Duration(binary.LittleEndian.Uint64(b[8:]))
	}
	return delays
}

func spread(ds []time.Duration) (lo, hi time.Duration) {
	lo, hi = time.Hour, 0
	for _, d := range ds {
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// checkDelays fails unless every delay is at least lo: nothing early.
func checkDelays(t *testing.T, what string, ds []time.Duration, lo time.Duration) {
	t.Helper()
	if least, most := spread(ds); least < lo {
		t.Errorf("%s: delays from %v to %v, median %v; want each at least %v", what, least, most, median(ds), lo)
	}
}

func TestDelayEachWay(t *testing.T) {
	const up, down = 30 * time.Millisecond, 70 * time.Millisecond
	c, srv := pair(t, linksim.Link{Up: linksim.Shape{Delay: up}, Down: linksim.Shape{Delay: down}})
	srv.SetDeadline(time.Now().Add(10 * time.Second))
	c.SetDeadline(time.Now().Add(10 * time.Second))

	sent := sendRecords(c, 20, 5*time.Millisecond)
	checkDelays(t, "up", readRecords(t, srv, 20), up)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	sent = sendRecords(srv, 20, 5*time.Millisecond)
	checkDelays(t, "down", readRecords(t, c, 20), down)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
}

func TestOrderUnderJitter(t *testing.T) {
	const delay, jitter, n = 40 * time.Millisecond, 30 * time.Millisecond, 300
	shape := linksim.Shape{Delay: delay, Jitter: jitter}
	c, srv := pair(t, linksim.Link{Up: shape, Down: shape, Seed: 42})
	srv.SetDeadline(time.Now().Add(20 * time.Second))
	c.SetDeadline(time.Now().Add(20 * time.Second))

	// A record every 2 ms with ±30 ms: most would overtake one another
	// if the link let them. readRecords fails on any out of order.
	sent := sendRecords(c, n, 2*time.Millisecond)
	delays := readRecords(t, srv, n)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	checkDelays(t, "jittered", delays, delay-jitter)
	if lo, hi := spread(delays); hi-lo < jitter {
		t.Errorf("delays from %v to %v: no jitter to speak of", lo, hi)
	}

	// A burst of writes the other way, back to back, comes out whole.
	payload := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	go func() {
		for i := 0; i < len(payload); i += 100 {
			srv.Write(payload[i:min(i+100, len(payload))])
		}
	}()
	got := make([]byte, len(payload))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, payload) {
		t.Errorf("burst of %d bytes: %v, intact %v", len(payload), err, bytes.Equal(got, payload))
	}
}

func TestStallHoldsThenDeliversAll(t *testing.T) {
	const delay, stall, n = 10 * time.Millisecond, 80 * time.Millisecond, 600
	c, srv := pair(t, linksim.Link{Down: linksim.Shape{Delay: delay, StallEvery: 150 * time.Millisecond, Stall: stall}, Seed: 5})
	c.SetDeadline(time.Now().Add(20 * time.Second))

	sent := sendRecords(srv, n, 2*time.Millisecond) // ~1.2 s, ~5 stalls
	delays := readRecords(t, c, n)                  // every one, in order
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, d := range delays {
		if d > delay+stall/2 {
			held++
		}
	}
	checkDelays(t, "stalled", delays, delay)
	if _, hi := spread(delays); hi < delay+stall/2 {
		t.Errorf("the longest delay was %v: no stall of %v held anything", hi, stall)
	}
	if held < 20 {
		t.Errorf("%d of %d records held by a stall, want more than one stall's worth", held, n)
	}
}

func TestReadDeadline(t *testing.T) {
	const delay = 100 * time.Millisecond
	c, srv := pair(t, linksim.Link{Down: linksim.Shape{Delay: delay}})

	// Bytes on their way but not due: the deadline comes first, and the
	// bytes are not lost to it.
	if _, err := srv.Write([]byte("late")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	var ne net.Error
	if n, err := c.Read(make([]byte, 8)); n != 0 || !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read past the deadline: %d, %v; want a timeout", n, err)
	}
	// Still past: at once again.
	if _, err := c.Read(make([]byte, 8)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("second read: %v", err)
	}
	c.SetReadDeadline(time.Time{})
	b := make([]byte, 8)
	if n, err := c.Read(b); err != nil || string(b[:n]) != "late" {
		t.Fatalf("after clearing the deadline: %q, %v", b[:n], err)
	}

	// A deadline moved into the past wakes a Read that is waiting.
	read := make(chan error, 1)
	go func() {
		_, err := c.Read(b)
		read <- err
	}()
	c.SetReadDeadline(time.Now().Add(time.Hour))
	c.SetReadDeadline(time.Unix(1, 0))
	select {
	case err := <-read:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("woken read: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a deadline in the past did not wake the read")
	}
}

func TestWriteDeadlineWhenWindowFull(t *testing.T) {
	const window = 4 << 10
	c, srv := pair(t, linksim.Link{Up: linksim.Shape{Delay: 300 * time.Millisecond}, Window: window})
	c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	payload := bytes.Repeat([]byte{7}, 3*window)
	n, err := c.Write(payload)
	var ne net.Error
	if n != window || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("write of %d bytes into a window of %d: %d, %v; want %d and a timeout", len(payload), window, n, err, window)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("write gave up after %v, before its 50 ms deadline", took)
	}
	// Without a deadline the write waits for room, and all of it arrives.
	c.SetWriteDeadline(time.Time{})
	go func() {
		c.Write(payload[n:])
		c.CloseWrite()
	}()
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(srv)
	if err != nil || !bytes.Equal(got, payload) {
		t.Errorf("read %d of %d bytes: %v", len(got), len(payload), err)
	}
}

func TestCloseDeliversWhatWasWritten(t *testing.T) {
	const delay = 50 * time.Millisecond
	c, srv := pair(t, linksim.Link{Up: linksim.Shape{Delay: delay}})
	start := time.Now()
	if _, err := c.Write([]byte("goodbye")); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(srv) // the bytes, then the end
	if err != nil || string(got) != "goodbye" {
		t.Fatalf("after Close the peer read %q, %v", got, err)
	}
	if took := time.Since(start); took < delay {
		t.Errorf("the bytes and the close arrived after %v, before the delay %v", took, delay)
	}
}

func TestCloseUnblocksAndRefuses(t *testing.T) {
	c, _ := pair(t, linksim.Link{Down: linksim.Shape{Delay: 10 * time.Millisecond}})
	read := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 8))
		read <- err
	}()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-read:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("read blocked at Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the read")
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after Close: %v", err)
	}
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("read after Close: %v", err)
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	if err := c.SetDeadline(time.Now()); err == nil {
		t.Error("SetDeadline after Close succeeded")
	}
}

func TestHalfClose(t *testing.T) {
	shape := linksim.Shape{Delay: 20 * time.Millisecond, Jitter: 5 * time.Millisecond}
	c, srv := pair(t, linksim.Link{Up: shape, Down: shape})
	c.SetDeadline(time.Now().Add(10 * time.Second))
	srv.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("more")); !errors.Is(err, linksim.ErrWriteShut) {
		t.Errorf("write after CloseWrite: %v", err)
	}
	got, err := io.ReadAll(srv)
	if err != nil || string(got) != "request" {
		t.Fatalf("the peer read %q, %v before the end", got, err)
	}
	// The other way is still open; the peer's end comes after its bytes.
	if _, err := srv.Write([]byte("reply")); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	got, err = io.ReadAll(c)
	if err != nil || string(got) != "reply" {
		t.Errorf("after half-closing, read %q, %v", got, err)
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read after the end: %v, want io.EOF", err)
	}
}

// settle waits until no more goroutines run than want; the bound only
// guards against a leak.
func settle(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
	if got := runtime.NumGoroutine(); got > want {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after 30 s, want at most %d:\n%s", got, want, buf[:runtime.Stack(buf, true)])
	}
}

func TestNoGoroutineLeftAfterClose(t *testing.T) {
	baseline := runtime.NumGoroutine()
	shape := linksim.Shape{Delay: 20 * time.Millisecond, Jitter: 5 * time.Millisecond, StallEvery: 100 * time.Millisecond}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &linksim.Dialer{Link: linksim.Link{Up: shape, Down: shape}}
	for i := range 40 {
		c, err := d.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		srv, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("ping"))
		srv.Write([]byte("pong"))
		if i%2 == 0 {
			io.ReadFull(c, make([]byte, 4)) // some read first, some close with bytes on the way
		}
		switch i % 4 {
		case 0:
			c.Close()
			srv.Close()
		case 1:
			srv.Close()
			c.Close()
		case 2:
			c.(*linksim.Conn).CloseWrite()
			io.ReadAll(srv)
			srv.Close()
			c.Close()
		case 3:
			c.Close() // and the peer never reads: Close hands over what it can
			srv.Close()
		}
	}
	ln.Close()
	settle(t, baseline)
}
