// addrlimit_test.go — the caps per client address (addrlimit.go) over real
// sockets: a fourth connection from one address behind a trusted proxy is
// a 429 with its reason while other addresses and loopback play on, and a
// closed one gives its slot back; without the trust X-Forwarded-For is
// ignored; handshakes held up by a stalled Redis are capped too.

package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skirmish/internal/redistest"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	"skirmish/lobby"
)

// from is a proxy's header naming the client addr.
func from(addr string) http.Header {
	h := http.Header{}
	h.Set("X-Forwarded-For", addr)
	return h
}

// wantCapped dials url with header and expects a 429 whose body says want.
func wantCapped(t *testing.T, what, url string, header http.Header, want string) {
	t.Helper()
	c, resp, err := dialWS(t, url, header)
	if err == nil {
		_ = c.conn.WriteClose(1000, nil)
		t.Fatalf("%s: connected; want 429", what)
	}
	if resp == nil {
		t.Fatalf("%s: no response: %v", what, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(body), want) {
		t.Fatalf("%s: %d %q; want 429 saying %q", what, resp.StatusCode, body, want)
	}
}

func TestAddrCapsConnections(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.MaxConnsPerAddr = 3
		o.Server.TrustProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	var held []*wsClient
	for i := range 3 {
		c, _, err := dialWS(t, play(t, st, fmt.Sprint("nat", i)).DialURL(), from("198.51.100.1"))
		if err != nil {
			t.Fatalf("connection %d from 198.51.100.1: %v", i+1, err)
		}
		held = append(held, c)
	}
	fourth := play(t, st, "nat3").DialURL()
	wantCapped(t, "a fourth from 198.51.100.1", fourth, from("198.51.100.1"), "too many connections from this address (3 at once)")
	if got := st.Metric(rejected("addr_connections")); got != 1 {
		t.Errorf("%s = %v; want 1", rejected("addr_connections"), got)
	}
	// Another client behind the same proxy, and loopback itself, are not held.
	if c, _, err := dialWS(t, play(t, st, "other").DialURL(), from("198.51.100.2")); err != nil {
		t.Errorf("198.51.100.2 behind the same proxy: %v", err)
	} else {
		_ = c.conn.WriteClose(1000, nil)
	}
	if c, _, err := dialWS(t, play(t, st, "local").DialURL(), nil); err != nil {
		t.Errorf("loopback: %v; want it exempt", err)
	} else {
		_ = c.conn.WriteClose(1000, nil)
	}
	// One of the three leaves: its slot comes back. The refused handshake
	// redeemed nothing, so its ticket still holds the seat.
	_ = held[0].conn.WriteClose(1000, nil)
	<-held[0].done
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		c, resp, err := dialWS(t, fourth, from("198.51.100.1"))
		if err != nil {
			if resp != nil {
				resp.Body.Close()
				return false, fmt.Sprintf("status %d", resp.StatusCode)
			}
			return false, err.Error()
		}
		_ = c.conn.WriteClose(1000, nil)
		return true, ""
	})
}

// TestAddrCapsIgnoreUntrustedForwarding: with no proxy trusted, a client
// cannot dodge the cap by naming other addresses in X-Forwarded-For.
func TestAddrCapsIgnoreUntrustedForwarding(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.MaxConnsPerAddr, o.Server.LimitLoopback = 1, true
	})
	c, _, err := dialWS(t, play(t, st, "first").DialURL(), from("198.51.100.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.conn.WriteClose(1000, nil)
	wantCapped(t, "a second, claiming another address", play(t, st, "second").DialURL(), from("198.51.100.2"),
		"too many connections from this address (1 at once)")
}

// TestAddrCapsHandshakes: handshakes waiting on the lobby's store (Redis,
// stalled) hold their slots; one more from the address is a 429 at once,
// and when Redis goes on the slots come back.
func TestAddrCapsHandshakes(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	ro, err := redis.ParseURL(rs.URL())
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(ro)
	t.Cleanup(func() { rc.Close() })
	st := testkit.Start(t, func(o *stack.Options) {
		o.Lobby.Store = lobby.NewRedisStore(rc, lobby.RedisOptions{})
		o.Server.MaxHandshakesPerAddr, o.Server.LimitLoopback = 2, true
	})
	urls := []string{play(t, st, "a").DialURL(), play(t, st, "b").DialURL(), play(t, st, "c").DialURL()}
	rs.Pause(t)
	resumed := false
	defer func() {
		if !resumed {
			rs.Resume(t)
		}
	}()
	var wg sync.WaitGroup
	for _, u := range urls[:2] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, resp, err := dialWS(t, u, nil); err == nil {
				_ = c.conn.WriteClose(1000, nil)
			} else if resp != nil {
				resp.Body.Close()
			}
		}()
	}
	st.WaitMetric(t, "skirmish_handshakes_pending", 5*time.Second, eq(2))
	wantCapped(t, "a third handshake while two wait", urls[2], nil, "too many handshakes in progress from this address (2 at once)")
	if got := st.Metric(rejected("addr_handshakes")); got != 1 {
		t.Errorf("%s = %v; want 1", rejected("addr_handshakes"), got)
	}
	rs.Resume(t)
	resumed = true
	wg.Wait()
	st.WaitMetric(t, "skirmish_handshakes_pending", 5*time.Second, eq(0))
	c, _, err := dialWS(t, urls[2], nil)
	if err != nil {
		t.Fatalf("the third once Redis went on: %v", err)
	}
	_ = c.conn.WriteClose(1000, nil)
}
