// handshake_test.go — the refusals of GET /ws before any upgrade (handshake.go): ticket missing, malformed, forged, expired, reused or seatless, a foreign Origin, a wrong method; and the origins that are let in.

package server_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	"skirmish/ticket"
)

// handshake dials url with the given Origin ("" for none) and returns the
// HTTP status the server answered; an accepted connection is closed again.
func handshake(t *testing.T, url, origin string) int {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	c, resp, err := dialWS(t, url, h)
	if err == nil {
		_ = c.conn.WriteClose(1000, nil)
		return http.StatusSwitchingProtocols
	}
	if resp == nil {
		t.Fatalf("dial %s: no response: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// wsURL is the stack's /ws endpoint with ticket as its query.
func wsURL(st *testkit.Stack, ticket string) string {
	u := "ws" + strings.TrimPrefix(st.URL, "http") + "/ws"
	if ticket != "" {
		u += "?ticket=" + url.QueryEscape(ticket)
	}
	return u
}

func rejected(reason string) string {
	return `skirmish_handshakes_rejected_total{reason="` + reason + `"}`
}

// TestHandshakeRefusesBadTickets: every ticket the Verifier or the
// registry refuses is a 401 before the upgrade, counted by reason; none of
// them opens a connection.
func TestHandshakeRefusesBadTickets(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	other, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}

	// A real assignment, whose fields the forgeries copy.
	a := play(t, st, "honest")
	tk, err := ticket.NewVerifier(st.Signer.PublicKey()).Verify(a.Ticket, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	flipped := func(token string) string {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			t.Fatal(err)
		}
		raw[len(raw)-1] ^= 0x01 // in the signature
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	expired := tk
	expired.Expires = time.Now().Add(-time.Minute).Truncate(time.Second)
	seatless := tk
	seatless.PlayerID, seatless.Nonce = tk.PlayerID+1, tk.Nonce+1

	for _, tc := range []struct {
		name, ticket, reason string
	}{
		{"missing", "", "ticket_missing"},
		{"garbage", "not-a-ticket", "ticket_malformed"},
		{"flipped signature byte", flipped(a.Ticket), "ticket_forged"},
		{"signed by another lobby", other.Sign(tk), "ticket_forged"},
		{"expired", st.Signer.Sign(expired), "ticket_expired"},
		{"no seat reserved", st.Signer.Sign(seatless), "no_seat"},
	} {
		before := st.Metric(rejected(tc.reason))
		if got := handshake(t, wsURL(st, tc.ticket), ""); got != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", tc.name, got)
		}
		if v := st.Metric(rejected(tc.reason)); v != before+1 {
			t.Errorf("%s: %s went from %v to %v, want +1", tc.name, rejected(tc.reason), before, v)
		}
	}

	// The honest ticket still works once, and only once.
	if got := handshake(t, a.DialURL(), ""); got != http.StatusSwitchingProtocols {
		t.Fatalf("first use: status %d, want 101", got)
	}
	if got := handshake(t, a.DialURL(), ""); got != http.StatusUnauthorized {
		t.Errorf("second use: status %d, want 401", got)
	}
	if v := st.Metric(rejected("ticket_reused")); v != 1 {
		t.Errorf("%s = %v, want 1", rejected("ticket_reused"), v)
	}
	// The connection is counted when gws opens it, just after the 101.
	st.WaitMetric(t, "skirmish_connects_total", 5*time.Second, eq(1))
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(0))
}

// TestHandshakeOrigin: without AllowedOrigins, a browser may connect from
// the server's own origin only, and a client without Origin always; a
// foreign Origin is a 403 that does not use up the ticket.
func TestHandshakeOrigin(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	host := strings.TrimPrefix(st.URL, "http://")

	a := play(t, st, "browser")
	if got := handshake(t, a.DialURL(), "http://evil.example"); got != http.StatusForbidden {
		t.Errorf("foreign origin: status %d, want 403", got)
	}
	if got := handshake(t, a.DialURL(), "http://"+host+".evil.example"); got != http.StatusForbidden {
		t.Errorf("look-alike origin: status %d, want 403", got)
	}
	if v := st.Metric(rejected("origin")); v != 2 {
		t.Errorf("%s = %v, want 2", rejected("origin"), v)
	}
	if got := handshake(t, a.DialURL(), "http://"+host); got != http.StatusSwitchingProtocols {
		t.Errorf("same origin, after two refusals with its ticket: status %d, want 101", got)
	}
	if got := handshake(t, play(t, st, "cli").DialURL(), ""); got != http.StatusSwitchingProtocols {
		t.Errorf("no origin: status %d, want 101", got)
	}

	// The endpoint answers GET only.
	resp, err := http.Post("http"+strings.TrimPrefix(wsURL(st, ""), "ws"), "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodGet {
		t.Errorf("POST /ws: %s, Allow %q; want 405, Allow GET", resp.Status, resp.Header.Get("Allow"))
	}
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(0))
}

// TestHandshakeAllowedOrigins: with AllowedOrigins set, exactly the listed
// origins are let in (a trailing slash and letter case do not matter),
// and the server's own origin is not, unless listed.
func TestHandshakeAllowedOrigins(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.AllowedOrigins = []string{"https://play.example/", "http://localhost:8080"}
	})
	host := strings.TrimPrefix(st.URL, "http://")
	for _, tc := range []struct {
		origin string
		want   int
	}{
		{"https://play.example", http.StatusSwitchingProtocols},
		{"https://PLAY.example", http.StatusSwitchingProtocols},
		{"http://localhost:8080", http.StatusSwitchingProtocols},
		{"http://play.example", http.StatusForbidden},
		{"http://localhost:8081", http.StatusForbidden},
		{"http://" + host, http.StatusForbidden},
		{"", http.StatusSwitchingProtocols},
	} {
		if got := handshake(t, play(t, st, "guest").DialURL(), tc.origin); got != tc.want {
			t.Errorf("origin %q: status %d, want %d", tc.origin, got, tc.want)
		}
	}
	if v := st.Metric(rejected("origin")); v != 3 {
		t.Errorf("%s = %v, want 3", rejected("origin"), v)
	}
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(0))
}
