// proxy.go — Proxy: a TCP listener on loopback that passes each
// connection on to an upstream address through a shaped link, for a
// client that cannot be handed a Dialer (a browser). Each accepted
// connection dials the upstream with a Dialer (dialer.go) and splices the
// two: what the client sends goes up the Conn, what the upstream sends
// comes down it.

package linksim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Accept backs off for this long after a failure (too many open files),
// doubling up to a second.
const acceptBackoff = 5 * time.Millisecond

// Proxy is a shaping TCP proxy: a client connecting to Addr talks to the
// upstream as if through Link, the client being the dialing side (Up is
// client → upstream). HTTP, WebSocket or anything else over TCP passes
// unchanged, in order, delayed.
type Proxy struct {
	ln       net.Listener
	upstream string
	dialer   Dialer
	ctx      context.Context // ends with Close: dials in progress stop
	cancel   context.CancelFunc
	serving  sync.WaitGroup // the accept loop and each connection's splice

	mu     sync.Mutex // guards the two below
	closed bool
	conns  map[*proxied]struct{}
}

// proxied is one client's connection and its shaped upstream.
type proxied struct {
	client net.Conn
	up     *Conn
}

// Listen starts a proxy on addr (e.g. "127.0.0.1:0") in front of
// upstream ("host:port"), shaping every connection with link.
func Listen(addr, upstream string, link Link) (*Proxy, error) {
	if err := link.fill(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("linksim: proxy: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{ln: ln, upstream: upstream, dialer: Dialer{Link: link}, ctx: ctx, cancel: cancel,
		conns: make(map[*proxied]struct{})}
	p.serving.Add(1)
	go p.accept()
	return p, nil
}

// Addr is where the proxy listens, as "host:port".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Close stops accepting, closes every connection at once (what is on its
// way is dropped) and returns when every goroutine of the proxy has ended.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	p.cancel()
	err := p.ln.Close()
	for pc := range conns {
		_ = pc.client.Close()
		pc.up.abort()
	}
	p.serving.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.serving.Done()
	backoff := acceptBackoff
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(backoff) // fd exhaustion and the like: let it pass
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = acceptBackoff
		p.serving.Add(1)
		go p.serve(c)
	}
}

// serve dials the upstream for client c and splices the two until both
// directions have ended, or either has failed.
func (p *Proxy) serve(c net.Conn) {
	defer p.serving.Done()
	u, err := p.dialer.DialContext(p.ctx, "tcp", p.upstream)
	if err != nil {
		_ = c.Close()
		return
	}
	pc := &proxied{client: c, up: u.(*Conn)}
	if !p.track(pc, true) {
		_ = c.Close()
		pc.up.abort()
		return
	}
	var done sync.WaitGroup
	done.Add(1)
	go func() {
		defer done.Done()
		splice(pc.up, c, pc) // client → upstream
	}()
	splice(c, pc.up, pc) // upstream → client
	done.Wait()
	if p.track(pc, false) {
		_ = c.Close()
		pc.up.abort()
	}
}

// track adds pc to the connections Close will close (add) or takes it
// off; false when the proxy is closed (and Close has pc, if it was added).
func (p *Proxy) track(pc *proxied, add bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	if add {
		p.conns[pc] = struct{}{}
	} else {
		delete(p.conns, pc)
	}
	return true
}

// splice copies src to dst and passes the end of the stream on; a failure
// either way ends both directions.
func splice(dst, src net.Conn, pc *proxied) {
	_, err := io.Copy(dst, src)
	if err == nil {
		if cw, ok := dst.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
			return
		}
	}
	_ = pc.client.Close()
	_ = pc.up.Close()
}
