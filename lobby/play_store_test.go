// play_store_test.go — POST /api/play on the full lobby (play.go): guest
// login and quick match in one call, the same answer as the minimal
// lobby's, and 503 when no seat comes in time. On each Store backend.

package lobby_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"skirmish/lobby"
)

func TestAPIPlayIsLoginPlusQuickMatch(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		var rooms []string
		for range 5 {
			p := decodePlay(t, a.do(t, http.MethodPost, "/api/play", "", `{"name":"Bot"}`))
			tk, err := a.verifier.Verify(p.Ticket, a.clock.Now())
			if err != nil || tk.Room != p.Room || p.ExpiresIn != 15 || strconv.FormatUint(tk.PlayerID, 10) != p.PlayerID {
				t.Fatalf("play = %+v, ticket %+v, %v", p, tk, err)
			}
			if st, err := s.Seat(bg, tk.PlayerID, a.clock.Now()); err != nil || st.Room != p.Room {
				t.Errorf("the store holds %+v, %v for the player; want their seat in %s", st, err, p.Room)
			}
			rooms = append(rooms, p.Room)
		}
		if rooms[0] != rooms[3] || rooms[4] == rooms[0] {
			t.Errorf("rooms %v; want four in the first, the fifth in a second", rooms)
		}
	})
}

func TestAPIPlayTimesOut(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		if ok, err := s.Lead(bg, "a matcher elsewhere that never matches", apiEpoch, time.Hour); !ok || err != nil {
			t.Fatal(ok, err)
		}
		a := newAPI(t, s, func(o *lobby.Options) { o.PlayWait = 200 * time.Millisecond })
		rep := a.do(t, http.MethodPost, "/api/play", "", `{"name":"Ada"}`)
		wantRefusal(t, "no matcher", rep, http.StatusServiceUnavailable, "no seat available right now")
		if rep.header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		if q, _ := s.Queue(bg, "ffa", 0); len(q) != 0 {
			t.Errorf("the timed-out player is still queued: %v", q)
		}
		if got := a.outcomes.count("no_seat"); got != 1 {
			t.Errorf("observed %d no_seat outcomes; want 1", got)
		}
	})
}
