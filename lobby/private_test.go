// private_test.go — private rooms (private.go, codes.go): create with a
// capacity, join by code, full rooms, unknown codes; never listed, never
// backfilled. Through the HTTP API (api_test.go) on each Store backend.

package lobby_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"skirmish/lobby"
)

func TestAPIPrivateRooms(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		host, guest, third, late := a.login(t, "Host"), a.login(t, "Guest"), a.login(t, "Third"), a.login(t, "Late")
		type roomAnswer struct {
			assigned
			Code     string `json:"code"`
			Mode     string `json:"mode"`
			Capacity int    `json:"capacity"`
		}
		wantRefusal(t, "capacity too big", a.do(t, http.MethodPost, "/api/rooms", host.Token, `{"capacity":5}`), http.StatusBadRequest, "capacity must be from 2 to 4 for mode ffa, not 5")
		wantRefusal(t, "capacity 1", a.do(t, http.MethodPost, "/api/rooms", host.Token, `{"capacity":1,"mode":"big"}`), http.StatusBadRequest, "from 2 to 8 for mode big")
		made := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms", host.Token, `{"capacity":3}`), http.StatusCreated)
		if !regexp.MustCompile(`^[2-9A-HJKMNP-Z]{5}$`).MatchString(made.Code) || made.Capacity != 3 || made.Mode != "ffa" || made.Status != "assigned" {
			t.Errorf("created %+v; want a 5-character code without 0 O 1 I L, capacity 3", made)
		}
		if _, err := a.verifier.Verify(made.Ticket, a.clock.Now()); err != nil {
			t.Errorf("creator's ticket: %v", err)
		}
		joined := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms/join", guest.Token, `{"code":" `+strings.ToLower(made.Code)+` "}`), http.StatusOK)
		if joined.Room != made.Room || joined.Code != made.Code {
			t.Errorf("joined %+v; want room %s", joined, made.Room)
		}
		// Joining again is the same seat's ticket again (resume_test.go).
		if again := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms/join", guest.Token, `{"code":"`+made.Code+`"}`), http.StatusOK); again.Room != made.Room {
			t.Errorf("joined twice: %+v; want the seat in %s again", again, made.Room)
		}
		decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms/join", third.Token, `{"code":"`+made.Code+`"}`), http.StatusOK)
		wantRefusal(t, "join a full room", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"code":"`+made.Code+`"}`), http.StatusConflict, "room "+made.Code+" is full: all 3 seats are taken")
		wantRefusal(t, "unknown code", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"code":"ZZZZZ"}`), http.StatusNotFound, "no private room has the code ZZZZZ")
		wantRefusal(t, "not a code", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"code":"AB0O1"}`), http.StatusBadRequest, `code "AB0O1" is not a code`)
		// Private rooms are neither listed nor backfilled.
		var dir struct {
			Rooms []map[string]any `json:"rooms"`
		}
		if err := json.Unmarshal(a.do(t, http.MethodGet, "/api/rooms", "", "").body, &dir); err != nil || len(dir.Rooms) != 0 {
			t.Errorf("directory %+v, %v; want no public rooms", dir, err)
		}
		if err := a.lobby.Release(bg, made.Room, host.id(t)); err != nil { // a seat opens
			t.Fatal(err)
		}
		a.queue(t, late, "")
		if got := a.await(t, late).Room; got == made.Room {
			t.Errorf("quick match put Late into the private room %s", got)
		}
	})
}
