// watch_test.go — POST /api/watch (watch.go) on each Store backend: a
// spectator's ticket for a public room, signed as a spectator's and
// naming the room, with the URL of the room's node in cluster mode; the
// game server's report of a full room makes it 409, and the directory
// shows the count; unknown and private rooms are 404, a bad body 400.

package lobby_test

import (
	"net/http"
	"testing"

	"skirmish/lobby"
)

func TestAPIWatch(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		p := a.login(t, "Ada")
		a.queue(t, p, "")
		room := a.await(t, p).Room
		w := decodeAs[assigned](t, a.do(t, http.MethodPost, "/api/watch", "", `{"room":"`+room+`"}`), http.StatusOK)
		tk, err := a.verifier.Verify(w.Ticket, a.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !tk.Spectator || tk.Room != room || w.Room != room || w.WSURL == "" || w.ExpiresIn < 1 || w.Status != "" {
			t.Errorf("watch answer %+v with ticket %+v; want a spectator's ticket for %s and a ws_url", w, tk, room)
		}
		rooms := a.rooms(t)
		if r := rooms[room]; r.Reserved+r.Connected != 1 {
			t.Errorf("room %s after a watch: %d reserved, %d connected; want only the player's seat", room, r.Reserved, r.Connected)
		}

		// The game server reports the room full of spectators: 409, and
		// the directory says so.
		a.lobby.SpectatorsChanged(room, 2, 2)
		wantRefusal(t, "full of spectators", a.do(t, http.MethodPost, "/api/watch", "", `{"room":"`+room+`"}`), http.StatusConflict, "has all the 2 spectators it takes")
		dir := decodeAs[directoryAnswer](t, a.do(t, http.MethodGet, "/api/rooms", "", ""), http.StatusOK)
		if len(dir.Rooms) != 1 || dir.Rooms[0].Spectators != 2 || dir.Rooms[0].Watchable {
			t.Errorf("directory %+v; want the room with 2 spectators, not watchable", dir)
		}
		a.lobby.SpectatorsChanged(room, 1, 2)
		decodeAs[assigned](t, a.do(t, http.MethodPost, "/api/watch", "", `{"room":"`+room+`"}`), http.StatusOK)
		a.lobby.SpectatorsChanged(room, 0, -1)
		wantRefusal(t, "no spectators", a.do(t, http.MethodPost, "/api/watch", "", `{"room":"`+room+`"}`), http.StatusConflict, "takes no spectators")

		// Private rooms are not watched; bad requests are refused.
		priv := decodeAs[struct {
			assigned
			Code     string `json:"code"`
			Mode     string `json:"mode"`
			Capacity int    `json:"capacity"`
		}](t, a.do(t, http.MethodPost, "/api/rooms", a.login(t, "Bob").Token, `{"capacity":2}`), http.StatusCreated)
		wantRefusal(t, "private room", a.do(t, http.MethodPost, "/api/watch", "", `{"room":"`+priv.Room+`"}`), http.StatusNotFound, "no public room")
		wantRefusal(t, "unknown room", a.do(t, http.MethodPost, "/api/watch", "", `{"room":"r999"}`), http.StatusNotFound, `no public room "r999"`)
		wantRefusal(t, "no room", a.do(t, http.MethodPost, "/api/watch", "", `{}`), http.StatusBadRequest, `"room" is required`)
		wantRefusal(t, "unknown field", a.do(t, http.MethodPost, "/api/watch", "", `{"name":"x"}`), http.StatusBadRequest, `only "room" is allowed`)
		wantRefusal(t, "GET", a.do(t, http.MethodGet, "/api/watch", "", ""), http.StatusMethodNotAllowed, "use POST")
	})
}

func TestAPIWatchSendsToTheRoomsNode(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := nodeAPI(t, s)
		startHost(t, a, "n1", 8)
		waitNodes(t, a, map[string]bool{"n1": false})
		p := a.login(t, "Ada")
		a.queue(t, p, "")
		room := a.await(t, p).Room
		w := decodeAs[assigned](t, a.do(t, http.MethodPost, "/api/watch", "", `{"room":"`+room+`"}`), http.StatusOK)
		if w.WSURL != "ws://n1.test:7000/ws" {
			t.Errorf("a spectator of room %s on node n1 is sent to %q; want the node's URL", room, w.WSURL)
		}
	})
}
