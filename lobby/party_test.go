// party_test.go — parties (party.go): create, join by code, who is in it
// (ids and names), the leader queues everyone and they land in one room,
// leave and disband. Through the HTTP API (api_test.go) on each Store
// backend.

package lobby_test

import (
	"net/http"
	"strings"
	"testing"

	"skirmish/lobby"
)

// partyAnswer is the answer of the party endpoints.
type partyAnswer struct {
	Party   string   `json:"party"`
	Code    string   `json:"code"`
	Leader  string   `json:"leader"`
	Members []string `json:"members"`
	Names   []string `json:"names"`
	MaxSize int      `json:"max_size"`
}

func TestAPIParties(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil) // parties of up to 3, ffa rooms of 4
		lead, m1, m2, extra, solo := a.login(t, "Lead"), a.login(t, "M1"), a.login(t, "M2"), a.login(t, "Extra"), a.login(t, "Solo")
		p := decodeAs[partyAnswer](t, a.do(t, http.MethodPost, "/api/party", lead.Token, ""), http.StatusCreated)
		if p.Leader != lead.PlayerID || len(p.Members) != 1 || p.MaxSize != 3 || len(p.Code) != 5 {
			t.Errorf("party %+v", p)
		}
		wantRefusal(t, "second party", a.do(t, http.MethodPost, "/api/party", lead.Token, "{}"), http.StatusConflict, "already in a party")
		decodeAs[partyAnswer](t, a.do(t, http.MethodPost, "/api/party/join", m1.Token, `{"code":"`+p.Code+`"}`), http.StatusOK)
		got := decodeAs[partyAnswer](t, a.do(t, http.MethodPost, "/api/party/join", m2.Token, `{"code":"`+p.Code+`"}`), http.StatusOK)
		if strings.Join(got.Members, ",") != strings.Join([]string{lead.PlayerID, m1.PlayerID, m2.PlayerID}, ",") || strings.Join(got.Names, ",") != "Lead,M1,M2" {
			t.Errorf("members %v, names %q; want leader, M1, M2", got.Members, got.Names)
		}
		wantRefusal(t, "party full", a.do(t, http.MethodPost, "/api/party/join", extra.Token, `{"code":"`+p.Code+`"}`), http.StatusConflict, "is full: it has all 3 members")
		wantRefusal(t, "unknown party", a.do(t, http.MethodPost, "/api/party/join", extra.Token, `{"code":"ZZZZZ"}`), http.StatusNotFound, "no party has the code ZZZZZ")
		wantRefusal(t, "member queues", a.do(t, http.MethodPost, "/api/queue", m1.Token, ""), http.StatusForbidden, "the leader queues the party")

		// Solo takes one seat of a 4-seat room first: the party of 3 fits
		// beside them. Extra then cannot join them, and gets a new room.
		a.queue(t, solo, "")
		soloRoom := a.await(t, solo).Room
		if q := a.queue(t, lead, ""); q.Players != 3 {
			t.Errorf("leader queued %d players; want the party's 3", q.Players)
		}
		rooms := map[string]bool{}
		for _, m := range []player{lead, m1, m2} {
			rooms[a.await(t, m).Room] = true
		}
		if len(rooms) != 1 || !rooms[soloRoom] {
			t.Errorf("party landed in %v; want all in %s", rooms, soloRoom)
		}
		a.queue(t, extra, "")
		if got := a.await(t, extra).Room; got == soloRoom {
			t.Errorf("Extra went to the full room %s", got)
		}

		// Leaving: a member leaves, then the leader disbands.
		if got := decodeAs[map[string]string](t, a.do(t, http.MethodDelete, "/api/party", m2.Token, ""), http.StatusOK); got["status"] != "left" {
			t.Errorf("member leave = %v", got)
		}
		if got := decodeAs[partyAnswer](t, a.do(t, http.MethodGet, "/api/party", m1.Token, ""), http.StatusOK); len(got.Members) != 2 || strings.Join(got.Names, ",") != "Lead,M1" {
			t.Errorf("after a leave: %+v", got)
		}
		if got := decodeAs[map[string]string](t, a.do(t, http.MethodDelete, "/api/party", lead.Token, ""), http.StatusOK); got["status"] != "disbanded" {
			t.Errorf("leader leave = %v", got)
		}
		wantRefusal(t, "after disband", a.do(t, http.MethodGet, "/api/party", m1.Token, ""), http.StatusNotFound, "not in a party")
	})
}
