// private.go — private rooms: POST /api/rooms opens one with a capacity
// and seats its creator; POST /api/rooms/join seats a player by the
// room's code (codes.go), or in a public room of the directory
// (directory.go) by its id, or gives a player who holds a seat there its
// ticket again (play.go's heldSeat). Private rooms are never backfilled by the
// matcher (match.go) nor listed in the directory (directory.go); like
// every seat, theirs are taken through Store.Reserve, so a room is never
// over-filled however many join at once.

package lobby

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// newRoomRequest is the body of POST /api/rooms; it may be left out.
type newRoomRequest struct {
	Capacity int    `json:"capacity"` // 2 up to the mode's; 0: the mode's
	Mode     string `json:"mode"`     // empty: Options.DefaultMode
}

// codeRequest is the body of the join endpoints.
type codeRequest struct {
	Code string `json:"code"`
}

// joinRoomRequest is the body of POST /api/rooms/join: one of the two.
type joinRoomRequest struct {
	Code string `json:"code"` // a private room's code
	Room string `json:"room"` // a public room's id, as the directory lists it
}

// roomResponse answers a player seated in a private room.
type roomResponse struct {
	assignedResponse
	Code     string `json:"code"`
	Mode     string `json:"mode"`
	Capacity int    `json:"capacity"`
}

func (l *Lobby) serveCreateRoom(w http.ResponseWriter, r *http.Request, s Session) {
	var req newRoomRequest
	if ref := l.readJSON(w, r, &req, newRoomBody, true); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	mode, ref := l.mode(req.Mode)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	limit := l.opts.Modes[mode]
	capacity := req.Capacity
	if capacity == 0 {
		capacity = limit
	}
	if capacity < 2 || capacity > limit {
		l.refuse(w, r, http.StatusBadRequest, "bad_request", fmt.Sprintf("capacity must be from 2 to %d for mode %s, not %d", limit, mode, req.Capacity))
		return
	}
	ctx := r.Context()
	members, err := l.withRatings(ctx, []uint64{s.PlayerID})
	if err != nil {
		l.fail(w, r, err)
		return
	}
	id, err := l.store.NewRoomID(ctx)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	now := l.opts.Now()
	room := Room{ID: id, Mode: mode, Capacity: capacity, Private: true}
	if room.Node, err = l.placePrivate(ctx, capacity, now); err != nil {
		l.fail(w, r, err)
		return
	}
	for range codeAttempts {
		room.Code = newCode()
		err = reserveOne(ctx, l.store, now, Reservation{Room: room, Create: true, Members: members, Until: l.seatUntil(now)})
		if !errors.Is(err, ErrCodeTaken) {
			break
		}
	}
	if err != nil {
		l.fail(w, r, conflict(err))
		return
	}
	l.opts.Logger.Info("lobby: private room opened", "room", id, "code", room.Code, "player", s.PlayerID, "capacity", capacity)
	l.seatedInRoom(w, r, s, room, Seat{Room: room.ID, Node: room.Node, Until: l.seatUntil(now)}, http.StatusCreated)
}

func (l *Lobby) serveJoinRoom(w http.ResponseWriter, r *http.Request, s Session) {
	var req joinRoomRequest
	if ref := l.readJSON(w, r, &req, joinRoomBody, false); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	if req.Room != "" {
		if req.Code != "" {
			l.refuse(w, r, http.StatusBadRequest, "bad_request", `send "code" or "room", not both`)
			return
		}
		l.joinPublic(w, r, s, req.Room)
		return
	}
	code, ref := readCode(req.Code)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	now := l.opts.Now()
	room, err := l.store.RoomByCode(r.Context(), code, now)
	l.joinRoom(w, r, s, room, err, now, code, "no private room has the code "+code)
}

// joinPublic seats the player in the public room with that id, if it has
// a free seat: the directory's Join.
func (l *Lobby) joinPublic(w http.ResponseWriter, r *http.Request, s Session, id string) {
	now := l.opts.Now()
	rooms, err := l.store.Rooms(r.Context(), now)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	room, err := Room{}, ErrNotFound
	if i := slices.IndexFunc(rooms, func(rm Room) bool { return rm.ID == id && !rm.Private }); i >= 0 {
		room, err = rooms[i], nil
	}
	l.joinRoom(w, r, s, room, err, now, id, fmt.Sprintf("no public room %q: it may have closed; see GET /api/rooms", id))
}

// joinRoom seats the player in room, which a lookup by name (a code or an
// id) returned with err, and answers; missing is the refusal when there
// is no such room. A player who holds a seat in the room gets its ticket
// again.
func (l *Lobby) joinRoom(w http.ResponseWriter, r *http.Request, s Session, room Room, err error, now time.Time, name, missing string) {
	ctx := r.Context()
	if err == nil {
		// Back to a seat held in this room: its ticket again (play.go).
		seat, held, serr := l.heldSeat(ctx, s.PlayerID)
		switch {
		case serr != nil:
			l.fail(w, r, serr)
			return
		case held && seat.Room == room.ID:
			l.seatedInRoom(w, r, s, room, seat, http.StatusOK)
			return
		}
		err = l.reserveSeat(ctx, room, s.PlayerID, now)
	}
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrRoomGone):
		l.refuse(w, r, http.StatusNotFound, "not_found", missing)
	case errors.Is(err, ErrRoomFull):
		l.refuse(w, r, http.StatusConflict, "conflict", fmt.Sprintf("room %s is full: all %d seats are taken", name, room.Capacity))
	case err != nil:
		l.fail(w, r, conflict(err))
	default:
		l.opts.Logger.Info("lobby: joined a room", "room", room.ID, "private", room.Private, "player", s.PlayerID)
		l.seatedInRoom(w, r, s, room, Seat{Room: room.ID, Node: room.Node, Until: l.seatUntil(now)}, http.StatusOK)
	}
}

// reserveSeat holds a seat in room for player.
func (l *Lobby) reserveSeat(ctx context.Context, room Room, player uint64, now time.Time) error {
	members, err := l.withRatings(ctx, []uint64{player})
	if err != nil {
		return err
	}
	return reserveOne(ctx, l.store, now, Reservation{Room: room, Members: members, Until: l.seatUntil(now)})
}

// seatedInRoom answers with the ticket for seat, in room.
func (l *Lobby) seatedInRoom(w http.ResponseWriter, r *http.Request, s Session, room Room, seat Seat, status int) {
	resp, ref := l.ticket(r, s.PlayerID, s.Name, seat)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	l.ok(w, status, roomResponse{assignedResponse: assignedResponse{Status: "assigned", playResponse: resp},
		Code: room.Code, Mode: room.Mode, Capacity: room.Capacity})
}

// reserveOne applies a single reservation.
func reserveOne(ctx context.Context, s Store, now time.Time, r Reservation) error {
	errs, err := s.Reserve(ctx, now, []Reservation{r})
	if err != nil {
		return err
	}
	return errs[0]
}

// placePrivate picks the node for a new private room: "" (this process)
// without Options.Nodes, else the least-loaded node that can take it.
func (l *Lobby) placePrivate(ctx context.Context, capacity int, now time.Time) (string, error) {
	if !l.opts.Nodes {
		return "", nil
	}
	rooms, err := l.store.Rooms(ctx, now)
	if err != nil {
		return "", err
	}
	place, err := l.placementNow(ctx, rooms, now)
	if err != nil {
		return "", err
	}
	node, ok := place.place(capacity, 1)
	if !ok {
		return "", refused(http.StatusServiceUnavailable, "no_seat", "no game server can take a new room right now; try again shortly")
	}
	return node, nil
}
