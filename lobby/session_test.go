// session_test.go — guest login and refresh (session.go) through the
// HTTP API (the fixture is in api_test.go), against each Store backend.

package lobby_test

import (
	"net/http"
	"testing"
	"time"

	"skirmish/lobby"
)

func TestAPILoginAndRefresh(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, func(o *lobby.Options) { o.SessionTTL = 10 * time.Minute })
		p := a.login(t, "  Ada ")
		if p.Name != "Ada" || p.Expires != 600 || len(p.Token) != 43 {
			t.Errorf("login = %+v; want Ada, expires_in 600, a 43-character token", p)
		}
		q := a.login(t, "Ada")
		if q.Token == p.Token || q.PlayerID == p.PlayerID {
			t.Errorf("two logins share a token or an id: %+v %+v", p, q)
		}
		// Refresh: same token and player, a new expiry.
		a.clock.Advance(9 * time.Minute)
		r := decodeAs[player](t, a.do(t, http.MethodPost, "/api/refresh", p.Token, ""), http.StatusOK)
		if r.Token != p.Token || r.PlayerID != p.PlayerID || r.Name != "Ada" || r.Expires != 600 {
			t.Errorf("refresh = %+v; want the same token and player for 600 s more", r)
		}
		a.clock.Advance(9 * time.Minute) // 18 min after login: alive thanks to the refresh
		if rep := a.do(t, http.MethodGet, "/api/party", p.Token, ""); rep.status != http.StatusNotFound {
			t.Errorf("refreshed token: status %d (%s); want it accepted (404: no party)", rep.status, rep.body)
		}
		wantRefusal(t, "token expired", a.do(t, http.MethodGet, "/api/party", q.Token, ""), http.StatusUnauthorized, "session token expired at 2030-01-02T03:14:05Z")
		wantRefusal(t, "refresh expired", a.do(t, http.MethodPost, "/api/refresh", q.Token, ""), http.StatusUnauthorized, "expired")
		if got := a.outcomes.count("unauthorized"); got != 2 {
			t.Errorf("observed %d unauthorized outcomes; want 2", got)
		}
	})
}
