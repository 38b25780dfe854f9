// ratelimit_test.go — the login flood limit (ratelimit.go) through the
// HTTP API: a burst, then 429 with Retry-After until the bucket refills;
// /api/login and /api/play share it; loopback is exempt unless asked; two
// lobbies on one Redis share one bucket per address; X-Forwarded-For
// counts only from a trusted proxy.

package lobby_test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"skirmish/internal/redistest"
	"skirmish/lobby"
)

func TestLoginFloodIsLimited(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, func(o *lobby.Options) {
			o.LoginRate, o.LoginBurst, o.LimitLoopback = 0.5, 3, true
		})
		for i := range 3 {
			if rep := a.do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`); rep.status != http.StatusOK {
				t.Fatalf("login %d of the burst: status %d (%s)", i+1, rep.status, rep.body)
			}
		}
		rep := a.do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`)
		wantRefusal(t, "login past the burst", rep, http.StatusTooManyRequests, "too many logins from this address; try again in 2 s")
		if got := rep.header.Get("Retry-After"); got != "2" {
			t.Errorf("Retry-After %q; want 2", got)
		}
		// POST /api/play is a login too, and a refused one is not even read.
		wantRefusal(t, "play past the burst", a.do(t, http.MethodPost, "/api/play", "", `not even JSON`), http.StatusTooManyRequests, "too many logins")
		if got := a.outcomes.count("rate_limited"); got != 2 {
			t.Errorf("observed %d rate_limited outcomes; want 2", got)
		}
		// Other endpoints are not limited.
		if rep := a.do(t, http.MethodGet, "/api/rooms", "", ""); rep.status != http.StatusOK {
			t.Errorf("directory while limited: status %d", rep.status)
		}
		a.clock.Advance(2 * time.Second) // one token back
		if rep := a.do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`); rep.status != http.StatusOK {
			t.Errorf("after 2 s: status %d (%s); want 200", rep.status, rep.body)
		}
		wantRefusal(t, "and again at once", a.do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`), http.StatusTooManyRequests, "try again")
	})
}

func TestLoginLimitSparesLoopback(t *testing.T) {
	a := newAPI(t, lobby.NewMemoryStore(), func(o *lobby.Options) { o.LoginRate, o.LoginBurst = 0.5, 3 })
	for i := range 10 {
		if rep := a.do(t, http.MethodPost, "/api/login", "", `{"name":"Bot"}`); rep.status != http.StatusOK {
			t.Fatalf("loopback login %d: status %d (%s); want no limit on loopback", i+1, rep.status, rep.body)
		}
	}
}

// TestLoginLimitIsSharedAcrossLobbies runs two lobby processes' worth of
// lobbies, each with its own Redis client, on one redis-server: an address
// logging in through both alternately gets one burst, not two, and the
// bucket's key expires once it would be full again.
func TestLoginLimitIsSharedAcrossLobbies(t *testing.T) {
	srv := redistest.Start(t)
	limit := func(o *lobby.Options) { o.LoginRate, o.LoginBurst, o.LimitLoopback = 0.5, 4, true }
	c := newRedisClient(t, srv)
	lobbies := []*api{
		newAPI(t, lobby.NewRedisStore(c, lobby.RedisOptions{}), limit),
		newAPI(t, lobby.NewRedisStore(newRedisClient(t, srv), lobby.RedisOptions{}), limit),
	}
	for i := range 4 {
		if rep := lobbies[i%2].do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`); rep.status != http.StatusOK {
			t.Fatalf("login %d of the burst, through lobby %d: status %d (%s)", i+1, i%2, rep.status, rep.body)
		}
	}
	for i, a := range lobbies {
		wantRefusal(t, fmt.Sprintf("past the shared burst, lobby %d", i), a.do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`),
			http.StatusTooManyRequests, "too many logins from this address; try again in 2 s")
	}
	ttl, err := c.PTTL(context.Background(), "skirmish:login:127.0.0.1").Result()
	if err != nil || ttl <= 0 || ttl > 8*time.Second {
		t.Errorf("the bucket's key expires in %v (%v); want within the 8 s it takes to refill", ttl, err)
	}
	// Both lobbies' clocks move on: one token back, for whichever takes it.
	for _, a := range lobbies {
		a.clock.Advance(2 * time.Second)
	}
	if rep := lobbies[1].do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`); rep.status != http.StatusOK {
		t.Errorf("after 2 s, lobby 1: status %d (%s); want 200", rep.status, rep.body)
	}
	wantRefusal(t, "and at once on lobby 0", lobbies[0].do(t, http.MethodPost, "/api/login", "", `{"name":"Ada"}`), http.StatusTooManyRequests, "try again")
}

// TestLoginLimitTrustsOnlyTheProxy: behind a proxy on loopback that the
// lobby trusts, each client named in X-Forwarded-For has a bucket of its
// own, and a forged address left of the proxy's entry changes nothing;
// without the trust the header is ignored (loopback: no limit at all).
func TestLoginLimitTrustsOnlyTheProxy(t *testing.T) {
	login := func(a *api, xff string) reply {
		req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/api/login", strings.NewReader(`{"name":"Ada"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", xff)
		return send(t, a.client, req)
	}
	behind := newAPI(t, lobby.NewMemoryStore(), func(o *lobby.Options) {
		o.LoginRate, o.LoginBurst = 0.5, 2
		o.TrustProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	for i := range 2 {
		if rep := login(behind, "198.51.100.1"); rep.status != http.StatusOK {
			t.Fatalf("client 1's login %d: status %d (%s)", i+1, rep.status, rep.body)
		}
	}
	wantRefusal(t, "client 1 past its burst", login(behind, "198.51.100.1"), http.StatusTooManyRequests, "too many logins")
	wantRefusal(t, "client 1 forging another address left of the proxy's", login(behind, "198.51.100.9, 198.51.100.1"), http.StatusTooManyRequests, "too many logins")
	if rep := login(behind, "198.51.100.2"); rep.status != http.StatusOK {
		t.Errorf("client 2 behind the same proxy: status %d (%s); want its own bucket", rep.status, rep.body)
	}

	untrusted := newAPI(t, lobby.NewMemoryStore(), func(o *lobby.Options) { o.LoginRate, o.LoginBurst = 0.5, 2 })
	for i := range 5 {
		if rep := login(untrusted, "203.0.113.5"); rep.status != http.StatusOK {
			t.Fatalf("login %d with an untrusted X-Forwarded-For: status %d (%s); want the header ignored (loopback: no limit)", i+1, rep.status, rep.body)
		}
	}
}
