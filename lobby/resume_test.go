// resume_test.go — a player comes back to the seat they hold (play.go's
// servePlayAs and heldSeat, private.go's join): POST /api/play with a
// session token hands out the ticket of the seat the player holds,
// reserved, held after a dropped connection (Ledger.Hold) or connected;
// a private room's code does the same in its room. Through the HTTP API
// (api_test.go) on each Store backend.

package lobby_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"skirmish/lobby"
)

// playAs is POST /api/play as the player of p's session.
func (a *api) playAs(t testing.TB, p player) playReply {
	t.Helper()
	return decodeAs[playReply](t, a.do(t, http.MethodPost, "/api/play", p.Token, ""), http.StatusOK)
}

// wantTicket checks that rep is a valid ticket for p in room.
func (a *api) wantTicket(t testing.TB, what string, rep playReply, p player, room string) {
	t.Helper()
	tk, err := a.verifier.Verify(rep.Ticket, a.clock.Now())
	if err != nil || tk.Room != room || tk.Name != p.Name || rep.Room != room || rep.PlayerID != p.PlayerID {
		t.Errorf("%s: %+v, ticket %+v, %v; want a ticket for %s in %s", what, rep, tk, err, p.Name, room)
	}
}

func TestAPIPlayAsHandsBackTheSeat(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		ada := a.login(t, "Ada")
		first := a.playAs(t, ada)
		room := first.Room
		a.wantTicket(t, "quick match as Ada", first, ada, room)
		// Reserved: the same seat again.
		a.wantTicket(t, "asking again before connecting", a.playAs(t, ada), ada, room)
		// Connected: the same seat, for a connection that replaces hers.
		if err := a.lobby.Claim(bg, room, ada.id(t)); err != nil {
			t.Fatal(err)
		}
		again := a.playAs(t, ada)
		a.wantTicket(t, "asking while connected", again, ada, room)
		if again.ExpiresIn != 15 {
			t.Errorf("a connected seat's ticket lasts %d s; want TicketTTL (15)", again.ExpiresIn)
		}
		// Dropped and held: the same seat until the hold ends.
		holdEnds := a.clock.Now().Add(30 * time.Second).Truncate(time.Second)
		if err := a.lobby.Hold(bg, room, ada.id(t), holdEnds); err != nil {
			t.Fatal(err)
		}
		back := a.playAs(t, ada)
		a.wantTicket(t, "asking while held", back, ada, room)
		if tk, _ := a.verifier.Verify(back.Ticket, a.clock.Now()); !tk.Expires.Equal(holdEnds) {
			t.Errorf("a held seat's ticket expires %v; want when the hold ends, %v", tk.Expires, holdEnds)
		}
		if err := a.lobby.Claim(bg, room, ada.id(t)); err != nil {
			t.Errorf("claiming the held seat again: %v", err)
		}
		// Held, and not back in time: a new quick match.
		if err := a.lobby.Hold(bg, room, ada.id(t), holdEnds.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		a.clock.Advance(2 * time.Minute)
		if _, err := s.Expire(bg, a.clock.Now()); err != nil {
			t.Fatal(err)
		}
		fresh := a.playAs(t, ada)
		a.wantTicket(t, "asking after the hold ended", fresh, ada, fresh.Room)
		if fresh.Room == room {
			t.Errorf("after the hold ended: room %s again; want a new one (the old one emptied)", fresh.Room)
		}
		bad := "x" + ada.Token[1:] // another token: its first character changed
		if ada.Token[0] == 'x' {
			bad = "y" + ada.Token[1:]
		}
		wantRefusal(t, "a bad token", a.do(t, http.MethodPost, "/api/play", bad, ""), http.StatusUnauthorized, "unknown session token")
		wantRefusal(t, "a bad name", a.do(t, http.MethodPost, "/api/play", ada.Token, `{"name":"`+strings.Repeat("x", 100)+`"}`), http.StatusBadRequest, "")
	})
}

func TestAPIPlayAsRefusesAParty(t *testing.T) {
	a := newAPI(t, lobby.NewMemoryStore(), nil)
	lead, mate := a.login(t, "Lead"), a.login(t, "Mate")
	var p struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(a.do(t, http.MethodPost, "/api/party", lead.Token, "").body, &p); err != nil {
		t.Fatal(err)
	}
	a.do(t, http.MethodPost, "/api/party/join", mate.Token, `{"code":"`+p.Code+`"}`)
	wantRefusal(t, "the leader", a.do(t, http.MethodPost, "/api/play", lead.Token, ""), http.StatusConflict, "queue it with POST /api/queue")
	wantRefusal(t, "a member", a.do(t, http.MethodPost, "/api/play", mate.Token, ""), http.StatusForbidden, "the leader queues the party")
	// Seated with the party, a member gets the seat back.
	a.queue(t, lead, "")
	seat := a.await(t, mate)
	if err := a.lobby.Claim(bg, seat.Room, mate.id(t)); err != nil {
		t.Fatal(err)
	}
	if err := a.lobby.Hold(bg, seat.Room, mate.id(t), a.clock.Now().Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	a.wantTicket(t, "a party member back", a.playAs(t, mate), mate, seat.Room)
}

func TestAPIJoinRoomHandsBackTheSeat(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		host, guest := a.login(t, "Host"), a.login(t, "Guest")
		type roomAnswer struct {
			assigned
			Code     string `json:"code"`
			Mode     string `json:"mode"`
			Capacity int    `json:"capacity"`
		}
		made := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms", host.Token, `{"capacity":2}`), http.StatusCreated)
		decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms/join", guest.Token, `{"code":"`+made.Code+`"}`), http.StatusOK)
		if err := a.lobby.Claim(bg, made.Room, host.id(t)); err != nil {
			t.Fatal(err)
		}
		if err := a.lobby.Hold(bg, made.Room, host.id(t), a.clock.Now().Add(30*time.Second)); err != nil {
			t.Fatal(err)
		}
		// The room is full (two seats, two players), but one is the host's.
		back := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms/join", host.Token, `{"code":"`+made.Code+`"}`), http.StatusOK)
		if back.Room != made.Room || back.Code != made.Code || back.Status != "assigned" {
			t.Errorf("the host back by code: %+v; want room %s", back, made.Room)
		}
		if tk, err := a.verifier.Verify(back.Ticket, a.clock.Now()); err != nil || tk.Room != made.Room || tk.Name != "Host" {
			t.Errorf("the host's ticket: %+v, %v", tk, err)
		}
	})
}

// A token's /api/play for a player who is already queued (another
// request of theirs still waits for its seat) is a 409 that says so, not
// a 503 "no seat" with a warning in the log.
func TestAPIPlayAsWhileQueued(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		// A matcher that never leads: the entry stays queued.
		if ok, err := s.Lead(bg, "someone else", apiEpoch, time.Hour); !ok || err != nil {
			t.Fatal(ok, err)
		}
		a := newAPI(t, s, nil)
		ada := a.login(t, "Ada")
		a.queue(t, ada, "")
		wantRefusal(t, "play while queued", a.do(t, http.MethodPost, "/api/play", ada.Token, ""), http.StatusConflict, "already queued")
	})
}
