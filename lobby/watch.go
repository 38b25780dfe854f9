// watch.go — POST /api/watch {"room"}: a spectator's ticket (a
// ticket.Ticket with Spectator set) for a public room of the directory
// (directory.go), with the WebSocket URL of the game server that runs it,
// in /api/play's shape (assignment.go). It takes no seat: the game server
// counts its spectators apart from the room's capacity and reports them
// (SpectatorsChanged, ledger.go); a room that has all it takes is 409
// here, and at the handshake too.

package lobby

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"skirmish/ticket"
)

// spectatorName is the display name in every spectator's ticket: nobody
// sees it, the game server logs it.
const spectatorName = "spectator"

// watchRequest is the body of POST /api/watch.
type watchRequest struct {
	Room string `json:"room"` // a public room's id, as GET /api/rooms lists it
}

var watchBody = bodySpec{`{"room": "..."}`, `only "room" is allowed`}

func (l *Lobby) serveWatch(w http.ResponseWriter, r *http.Request) {
	if !l.allowLogin(w, r) {
		return
	}
	var req watchRequest
	if ref := l.readJSON(w, r, &req, watchBody, false); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	if req.Room == "" {
		l.refuse(w, r, http.StatusBadRequest, "bad_request", `"room" is required: a room id from GET /api/rooms`)
		return
	}
	now := l.opts.Now()
	rooms, err := l.store.Rooms(r.Context(), now)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(rooms, func(rm Room) bool { return rm.ID == req.Room && !rm.Private })
	if i < 0 {
		l.refuse(w, r, http.StatusNotFound, "not_found", fmt.Sprintf("no public room %q: it may have closed; see GET /api/rooms", req.Room))
		return
	}
	rm := rooms[i]
	if !rm.Watchable() {
		msg := fmt.Sprintf("room %s has all the %d spectators it takes; try again later", rm.ID, rm.SpectatorLimit)
		if rm.SpectatorLimit < 0 {
			msg = fmt.Sprintf("room %s takes no spectators", rm.ID)
		}
		l.refuse(w, r, http.StatusConflict, "conflict", msg)
		return
	}
	url, err := l.wsURL(r, Seat{Room: rm.ID, Node: rm.Node})
	if err != nil {
		l.opts.Logger.Warn("lobby: the node of a watched room is unknown", "room", rm.ID, "node", rm.Node, "err", err)
		l.refuse(w, r, http.StatusServiceUnavailable, "unavailable", "the game server of that room is gone")
		return
	}
	id, until := newPlayerID(), l.seatUntil(now)
	t := ticket.Ticket{PlayerID: id, Name: spectatorName, Room: rm.ID, Expires: until, Nonce: randomUint64(), Spectator: true}
	l.opts.Logger.Info("lobby: spectator ticket issued", "spectator", id, "room", rm.ID, "remote", r.RemoteAddr)
	l.ok(w, http.StatusOK, playResponse{
		Ticket:    l.opts.Signer.Sign(t),
		WSURL:     url,
		Room:      rm.ID,
		PlayerID:  strconv.FormatUint(id, 10),
		ExpiresIn: max(int64(until.Sub(now)/time.Second), 0),
	})
}
