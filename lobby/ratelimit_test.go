// ratelimit_test.go — the login flood limit (ratelimit.go) through the
// HTTP API: a burst, then 429 with Retry-After until the bucket refills;
// /api/login and /api/play share it; loopback is exempt unless asked.

package lobby_test

import (
	"net/http"
	"testing"
	"time"

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
