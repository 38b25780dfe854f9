// proxy_test.go — the Proxy in front of real servers on 127.0.0.1: an
// echo server under concurrent clients (byte for byte, in order, a round
// trip late, half-close passed on), an HTTP server (a connect and a
// request: two round trips), an upstream that is not there, and Close
// with connections open.

package linksim_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"skirmish/internal/linksim"
)

// echoServer echoes every connection until its client half-closes, then
// half-closes back; it stops when the test ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				io.Copy(c, c)
				c.(*net.TCPConn).CloseWrite()
			}()
		}
	}()
	return ln.Addr().String()
}

func startProxy(t *testing.T, upstream string, link linksim.Link) *linksim.Proxy {
	t.Helper()
	p, err := linksim.Listen("127.0.0.1:0", upstream, link)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestProxyEchoes(t *testing.T) {
	const up, down, clients, size = 20 * time.Millisecond, 30 * time.Millisecond, 8, 256 << 10
	link := linksim.Link{
		Up:   linksim.Shape{Delay: up, Jitter: 5 * time.Millisecond},
		Down: linksim.Shape{Delay: down, Jitter: 5 * time.Millisecond, StallEvery: 200 * time.Millisecond, Stall: 20 * time.Millisecond},
	}
	p := startProxy(t, echoServer(t), link)

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A connect (a round trip without jitter), then the bytes'
			// round trip (±5 ms each way).
			errs <- echoThrough(p.Addr(), uint64(i), size, 2*(up+down)-10*time.Millisecond)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// echoThrough sends size random bytes through the proxy in random pieces
// while reading the echo, and checks it: whole, in order, the first byte
// no sooner than least after dialing, the end after the last.
func echoThrough(addr string, seed uint64, size int, least time.Duration) error {
	rng := rand.New(rand.NewPCG(seed, 1))
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = byte(rng.Uint32())
	}
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	sent := make(chan error, 1)
	go func() {
		for i := 0; i < len(payload); {
			n := min(1+rng.IntN(3000), len(payload)-i)
			if _, err := c.Write(payload[i : i+n]); err != nil {
				sent <- err
				return
			}
			i += n
		}
		sent <- c.(*net.TCPConn).CloseWrite()
	}()
	first := make([]byte, 1)
	if _, err := io.ReadFull(c, first); err != nil {
		return fmt.Errorf("client %d: first byte: %w", seed, err)
	}
	if took := time.Since(start); took < least {
		return fmt.Errorf("client %d: the first byte came back %v after dialing, sooner than %v", seed, took, least)
	}
	rest, err := io.ReadAll(c) // to the echo server's half-close
	if err != nil {
		return fmt.Errorf("client %d: %w", seed, err)
	}
	if got := append(first, rest...); !bytes.Equal(got, payload) {
		return fmt.Errorf("client %d: %d bytes came back, %d sent, equal %v", seed, len(got), len(payload), bytes.Equal(got, payload))
	}
	return <-sent
}

func TestProxyHTTP(t *testing.T) {
	const rtt = 60 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s via %s", r.URL.Path, r.Host)
	})}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	half := linksim.Shape{Delay: rtt / 2}
	p := startProxy(t, ln.Addr().String(), linksim.Link{Up: half, Down: half})

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for i, want := range []time.Duration{2 * rtt, rtt} { // a connect and a request, then a request
		start := time.Now()
		resp, err := hc.Get("http://" + p.Addr() + "/x")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if err != nil || string(body) != "hello /x via "+p.Addr() {
			t.Fatalf("request %d: %q, %v", i, body, err)
		}
		if took < want {
			t.Errorf("request %d took %v, want at least %v", i, took, want)
		}
	}
}

func TestProxyWithoutUpstream(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := ln.Addr().String()
	ln.Close()
	p := startProxy(t, gone, linksim.Link{Up: linksim.Shape{Delay: time.Millisecond}})
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("read through a proxy with no upstream: %d, %v; want the connection closed", n, err)
	}
}

func TestProxyCloseEndsEverything(t *testing.T) {
	upstream := echoServer(t)
	baseline := runtime.NumGoroutine()
	shape := linksim.Shape{Delay: 200 * time.Millisecond}
	p, err := linksim.Listen("127.0.0.1:0", upstream, linksim.Link{Up: shape, Down: shape})
	if err != nil {
		t.Fatal(err)
	}
	var clients []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		c.Write([]byte("hello"))
		clients = append(clients, c)
	}
	for i, c := range clients { // each spliced through and echoing
		if _, err := io.ReadFull(c, make([]byte, 5)); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		c.Write([]byte("on its way when the proxy closes"))
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if got, err := io.ReadAll(c); len(got) != 0 || isTimeout(err) {
			t.Errorf("client %d after Close: read %q, %v; want the connection ended", i, got, err)
		}
		c.Close()
	}
	if _, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		t.Error("the proxy still accepts after Close")
	}
	settle(t, baseline)
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
