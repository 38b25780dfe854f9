// directory_test.go — the room directory (directory.go) and the game
// server's reports (ledger.go): players, capacity, time left, and ratings
// that move after a match. Through the HTTP API (api_test.go).

package lobby_test

import (
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/ticket"
)

// directoryAnswer is GET /api/rooms.
type directoryAnswer struct {
	Rooms []struct {
		Room     string `json:"room"`
		Mode     string `json:"mode"`
		Players  int    `json:"players"`
		Reserved int    `json:"reserved"`
		Capacity int    `json:"capacity"`
		Phase    string `json:"phase"`
		TimeLeft int64  `json:"time_left"`
		// Spectators and Watchable are watch_test.go's.
		Spectators int  `json:"spectators"`
		Watchable  bool `json:"watchable"`
	} `json:"rooms"`
}

func TestAPIDirectoryAndResults(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		var ps []player
		var room string
		for i := range 3 {
			p := a.login(t, "P"+strconv.Itoa(i))
			a.queue(t, p, `{"mode":"big"}`)
			room = a.await(t, p).Room
			ps = append(ps, p)
		}
		if err := a.lobby.Claim(bg, room, ps[0].id(t)); err != nil {
			t.Fatal(err)
		}
		a.lobby.MatchStarted(room, a.clock.Now().Add(90*time.Second+time.Millisecond))
		dir := decodeAs[directoryAnswer](t, a.do(t, http.MethodGet, "/api/rooms", "", ""), http.StatusOK)
		if len(dir.Rooms) != 1 {
			t.Fatalf("directory %+v; want one room", dir)
		}
		if d := dir.Rooms[0]; d.Room != room || d.Mode != "big" || d.Players != 1 || d.Reserved != 2 || d.Capacity != 8 || d.Phase != "playing" || d.TimeLeft != 90 {
			t.Errorf("directory entry %+v; want big, 1 playing, 2 on their way, of 8, 90 s left", d)
		}
		if dir := decodeAs[directoryAnswer](t, a.do(t, http.MethodGet, "/api/rooms?mode=ffa", "", ""), http.StatusOK); len(dir.Rooms) != 0 {
			t.Errorf("ffa directory %+v; want empty", dir)
		}
		wantRefusal(t, "unknown mode", a.do(t, http.MethodGet, "/api/rooms?mode=chess", "", ""), http.StatusBadRequest, `unknown mode "chess"; the modes are big, ffa`)

		// The match ends: the room is between matches, ratings move.
		a.lobby.MatchEnded(room, []ticket.MatchResult{
			{PlayerID: ps[0].id(t), Kills: 9, Deaths: 1},
			{PlayerID: ps[1].id(t), Kills: 3, Deaths: 3},
			{PlayerID: ps[2].id(t), Kills: 0, Deaths: 8},
		})
		dir = decodeAs[directoryAnswer](t, a.do(t, http.MethodGet, "/api/rooms", "", ""), http.StatusOK)
		if d := dir.Rooms[0]; d.Phase != "between" || d.TimeLeft != 0 {
			t.Errorf("after the match: %+v; want between, 0", d)
		}
		ratings, err := s.Ratings(bg, []uint64{ps[0].id(t), ps[1].id(t), ps[2].id(t)})
		if err != nil {
			t.Fatal(err)
		}
		r0, r1, r2 := ratings[ps[0].id(t)], ratings[ps[1].id(t)], ratings[ps[2].id(t)]
		if !(r0.R > 1500 && r1.R > r2.R && r2.R < 1500) || r0.RD >= 350 {
			t.Errorf("ratings %+v %+v %+v; want winner up, loser down, deviation shrunk", r0, r1, r2)
		}
		// The winner queues again with the new rating: alone in a new
		// room, the room's rating is theirs.
		if err := a.lobby.Release(bg, room, ps[0].id(t)); err != nil {
			t.Fatal(err)
		}
		a.queue(t, ps[0], "")
		next := a.await(t, ps[0]).Room
		if got := a.rooms(t)[next].Rating; math.Abs(got-r0.R) > 1e-6 {
			t.Errorf("seated with rating %v; want the new %v", got, r0.R)
		}
	})
}

// TestAPIJoinFromDirectory: a player picks a public room from the
// directory and joins it by its id (POST /api/rooms/join {"room"}); a full
// room, an unknown id, a private room's id and a body with both fields are
// refused.
func TestAPIJoinFromDirectory(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		var room string
		for i := range 3 {
			p := a.login(t, "Q"+strconv.Itoa(i))
			a.queue(t, p, "")
			room = a.await(t, p).Room
		}
		dir := decodeAs[directoryAnswer](t, a.do(t, http.MethodGet, "/api/rooms", "", ""), http.StatusOK)
		if len(dir.Rooms) != 1 || dir.Rooms[0].Room != room || dir.Rooms[0].Capacity != 4 {
			t.Fatalf("directory %+v; want room %s of 4", dir, room)
		}
		picker, late := a.login(t, "Picker"), a.login(t, "Late")
		type roomAnswer struct {
			assigned
			Code     string `json:"code"`
			Mode     string `json:"mode"`
			Capacity int    `json:"capacity"`
		}
		joined := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms/join", picker.Token, `{"room":"`+room+`"}`), http.StatusOK)
		if joined.Room != room || joined.Code != "" || joined.Mode != "ffa" || joined.Capacity != 4 || joined.Status != "assigned" {
			t.Errorf("joined %+v; want a seat in public room %s, no code", joined, room)
		}
		if tk, err := a.verifier.Verify(joined.Ticket, a.clock.Now()); err != nil || tk.Room != room || tk.Name != "Picker" {
			t.Errorf("ticket %+v, %v; want Picker in %s", tk, err, room)
		}
		wantRefusal(t, "join a full room", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"room":"`+room+`"}`), http.StatusConflict, "room "+room+" is full: all 4 seats are taken")
		wantRefusal(t, "unknown room", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"room":"r999"}`), http.StatusNotFound, `no public room "r999"`)
		wantRefusal(t, "both fields", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"room":"`+room+`","code":"ABCDE"}`), http.StatusBadRequest, `send "code" or "room", not both`)
		wantRefusal(t, "unknown field", a.do(t, http.MethodPost, "/api/rooms/join", late.Token, `{"id":"r1"}`), http.StatusBadRequest, `only "code" or "room" is allowed`)
		private := decodeAs[roomAnswer](t, a.do(t, http.MethodPost, "/api/rooms", late.Token, `{"capacity":3}`), http.StatusCreated)
		other := a.login(t, "Other")
		wantRefusal(t, "a private room by id", a.do(t, http.MethodPost, "/api/rooms/join", other.Token, `{"room":"`+private.Room+`"}`), http.StatusNotFound, "no public room")
	})
}
