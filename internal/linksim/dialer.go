// dialer.go — Dialer: dials a real connection and hands back a Conn
// (conn.go) shaped by its Link, after the round trip a TCP connect takes.
// It fits gws.ClientOption.NewDialer (Dial) and http.Transport.DialContext
// (DialContext); proxy.go dials its upstream with one.

package linksim

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// defaultDialTimeout bounds a Dialer's connect when it has no net.Dialer.
const defaultDialTimeout = 10 * time.Second

// Dialer makes shaped connections. Its zero value dials unshaped ones
// (still Conns); a Dialer is safe for concurrent use and must not be
// copied after first use.
type Dialer struct {
	// Link is what every connection goes through. Each connection draws
	// its jitter and stalls from its own stream of Link.Seed.
	Link Link
	// Dialer dials the real connection. nil: a net.Dialer with a 10 s
	// timeout.
	Dialer *net.Dialer

	conns atomic.Uint64 // connections made: the next one's stream
}

// Dial is DialContext without a context (gws.Dialer).
func (d *Dialer) Dial(network, addr string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, addr)
}

// DialContext connects to addr and returns the connection shaped, once a
// round trip (Up.Delay + Down.Delay) has passed, as a TCP connect takes
// one. The real connection is made at once.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	link := d.Link
	if err := link.fill(); err != nil {
		return nil, err
	}
	nd := d.Dialer
	if nd == nil {
		nd = &net.Dialer{Timeout: defaultDialTimeout}
	}
	raw, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, fmt.Errorf("linksim: dial: %w", err)
	}
	if rtt := link.RoundTrip(); rtt > 0 {
		t := time.NewTimer(rtt)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			_ = raw.Close()
			return nil, fmt.Errorf("linksim: dial: %w", ctx.Err())
		}
	}
	return wrap(raw, link, d.conns.Add(1)), nil
}
