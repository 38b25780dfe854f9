// queue_test.go — quick match as a player sees it (queue.go): queue,
// long-poll for the seat, cancel, and what a party leader and its members
// may do, through the HTTP API (api_test.go) on each Store backend.

package lobby_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"skirmish/lobby"
)

func TestAPIQuickMatch(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		ada, bob := a.login(t, "Ada"), a.login(t, "Bob")
		wantRefusal(t, "status before queueing", a.do(t, http.MethodGet, "/api/queue", ada.Token, ""), http.StatusNotFound, "not queued")
		if q := a.queue(t, ada, ""); q.Status != "queued" || q.Mode != "ffa" || q.Players != 1 {
			t.Errorf("queue = %+v; want queued for ffa, 1 player", q)
		}
		first := a.await(t, ada)
		wantRefusal(t, "queue with a seat", a.do(t, http.MethodPost, "/api/queue", ada.Token, ""), http.StatusConflict, "already holds a seat in room "+first.Room)
		wantRefusal(t, "cancel with a seat", a.do(t, http.MethodDelete, "/api/queue", ada.Token, ""), http.StatusConflict, "too late to cancel")
		if first.ExpiresIn != 15 || first.WSURL != "ws://"+strings.TrimPrefix(a.srv.URL, "http://")+"/ws" {
			t.Errorf("assignment %+v; want 15 s and this server's /ws", first)
		}
		// The seat is held until the ticket's expiry, exactly.
		tk, _ := a.verifier.Verify(first.Ticket, a.clock.Now())
		st, err := s.Seat(bg, ada.id(t), a.clock.Now())
		if err != nil || st.Room != first.Room || !st.Until.Equal(tk.Expires) {
			t.Errorf("seat %+v, %v; want %s until the ticket's %v", st, err, first.Room, tk.Expires)
		}
		// Bob backfills Ada's room.
		a.queue(t, bob, `{"mode":"ffa"}`)
		if got := a.await(t, bob); got.Room != first.Room {
			t.Errorf("Bob went to %s; want Ada's room %s (backfill)", got.Room, first.Room)
		}
		// Connected: the status says so and no new ticket is handed out.
		if err := a.lobby.Claim(bg, first.Room, ada.id(t)); err != nil {
			t.Fatal(err)
		}
		if got := decodeAs[map[string]string](t, a.do(t, http.MethodGet, "/api/queue", ada.Token, ""), http.StatusOK); got["status"] != "playing" || got["room"] != first.Room {
			t.Errorf("status while playing = %v", got)
		}
	})
}

func TestAPICancel(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		// A matcher that never leads: the entry stays queued.
		if ok, err := s.Lead(bg, "someone else", apiEpoch, time.Hour); !ok || err != nil {
			t.Fatal(ok, err)
		}
		a := newAPI(t, s, nil)
		ada := a.login(t, "Ada")
		a.queue(t, ada, `{"mode":"big"}`)
		wantRefusal(t, "queue twice", a.do(t, http.MethodPost, "/api/queue", ada.Token, ""), http.StatusConflict, "already queued")
		a.clock.Advance(3 * time.Second)
		q := decodeAs[queued](t, a.do(t, http.MethodGet, "/api/queue?wait=0", ada.Token, ""), http.StatusOK)
		if q.Status != "queued" || q.Mode != "big" || q.Waited != 3 {
			t.Errorf("status = %+v; want queued for big, 3 s", q)
		}
		start := time.Now()
		q = decodeAs[queued](t, a.do(t, http.MethodGet, "/api/queue?wait=1", ada.Token, ""), http.StatusOK)
		if q.Status != "queued" || time.Since(start) < time.Second {
			t.Errorf("long poll answered %+v after %v; want queued after the full second", q, time.Since(start))
		}
		// A party is queued, and canceled, by its leader only.
		bob := a.login(t, "Bob")
		party := decodeAs[partyAnswer](t, a.do(t, http.MethodPost, "/api/party", ada.Token, ""), http.StatusCreated)
		wantRefusal(t, "join a queued party", a.do(t, http.MethodPost, "/api/party/join", bob.Token, `{"code":"`+party.Code+`"}`), http.StatusConflict, "the party is in the queue")
		if got := decodeAs[map[string]string](t, a.do(t, http.MethodDelete, "/api/queue", ada.Token, ""), http.StatusOK); got["status"] != "canceled" {
			t.Errorf("cancel = %v", got)
		}
		decodeAs[partyAnswer](t, a.do(t, http.MethodPost, "/api/party/join", bob.Token, `{"code":"`+party.Code+`"}`), http.StatusOK)
		if q := a.queue(t, ada, `{"mode":"big"}`); q.Players != 2 {
			t.Errorf("leader queued %d; want the party's 2", q.Players)
		}
		wantRefusal(t, "member cancels", a.do(t, http.MethodDelete, "/api/queue", bob.Token, ""), http.StatusForbidden, "only the leader can cancel")
		wantRefusal(t, "member leaves a queued party", a.do(t, http.MethodDelete, "/api/party", bob.Token, ""), http.StatusConflict, "the party is in the queue")
		if q := decodeAs[queued](t, a.do(t, http.MethodGet, "/api/queue", bob.Token, ""), http.StatusOK); q.Players != 2 || q.Status != "queued" {
			t.Errorf("member's status = %+v; want queued with 2", q)
		}
		if got := decodeAs[map[string]string](t, a.do(t, http.MethodDelete, "/api/queue", ada.Token, ""), http.StatusOK); got["status"] != "canceled" {
			t.Errorf("cancel = %v", got)
		}
		wantRefusal(t, "cancel twice", a.do(t, http.MethodDelete, "/api/queue", ada.Token, ""), http.StatusNotFound, "not queued")
		wantRefusal(t, "status after cancel", a.do(t, http.MethodGet, "/api/queue?wait=1", ada.Token, ""), http.StatusNotFound, "not queued")
		if q, _ := s.Queue(bg, "big", 0); len(q) != 0 {
			t.Errorf("queue after cancel: %v", q)
		}
	})
}
