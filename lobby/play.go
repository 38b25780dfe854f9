// play.go — POST /api/play: a display name in, a signed ticket for a
// reserved seat out, in one call: guest login plus quick match; with a
// session token, the session's player, back to the seat they hold. The
// player joins the queue (queue.go) and the request waits for the matcher
// (match.go); the answer is built in assignment.go.

package lobby

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"skirmish/ticket"
)

// playRequest is the body of POST /api/play.
type playRequest struct {
	Name string `json:"name"` // requested display name; see ValidName
}

// readName reads a {"name"} body and validates the name; on failure it
// has answered the request.
func (l *Lobby) readName(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req playRequest
	if ref := l.readJSON(w, r, &req, nameBody, false); ref != nil {
		l.refuseWith(w, r, ref)
		return "", false
	}
	name, err := ticket.ValidName(req.Name)
	if err != nil {
		l.refuse(w, r, http.StatusBadRequest, "bad_name", strings.TrimPrefix(err.Error(), "ticket: "))
		return "", false
	}
	return name, true
}

func (l *Lobby) servePlay(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" {
		l.authed(l.servePlayAs)(w, r)
		return
	}
	if !l.allowLogin(w, r) {
		return
	}
	name, ok := l.readName(w, r)
	if !ok {
		return
	}
	id := newPlayerID()
	seat, err := l.quickPlay(r.Context(), id)
	if err != nil {
		l.noSeat(w, r, id, err)
		return
	}
	resp, ref := l.ticket(r, id, name, seat)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	l.opts.Observe("ok")
	l.opts.Logger.Info("lobby: ticket issued", "player", id, "name", name, "room", seat.Room,
		"expires", seat.Until, "remote", r.RemoteAddr)
	writeJSON(w, http.StatusOK, resp)
}

// servePlayAs is POST /api/play with a session token: the session's
// player, under the session's name (a "name" in the body is checked and
// ignored). A player who holds a seat (reserved, held after a dropped
// connection, or connected) gets a ticket for it again, so a browser that
// lost its connection comes back to the room that holds its player
// (server/hold.go), whatever got them there: quick match, a private room
// or a party; a connected seat's new connection replaces the old one.
// Anyone else is quick-matched as that player, alone (a party queues
// through POST /api/queue, its leader for all).
func (l *Lobby) servePlayAs(w http.ResponseWriter, r *http.Request, s Session) {
	var req playRequest
	if ref := l.readJSON(w, r, &req, nameBody, true); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	if req.Name != "" {
		if _, err := ticket.ValidName(req.Name); err != nil {
			l.refuse(w, r, http.StatusBadRequest, "bad_name", strings.TrimPrefix(err.Error(), "ticket: "))
			return
		}
	}
	seat, held, err := l.heldSeat(r.Context(), s.PlayerID)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	if !held {
		if ids, err := l.partyToQueue(r.Context(), s.PlayerID); err != nil || len(ids) > 1 {
			if err == nil {
				err = refused(http.StatusConflict, "conflict", "you lead a party: queue it with POST /api/queue")
			}
			l.fail(w, r, err)
			return
		}
		seat, err = l.quickPlay(r.Context(), s.PlayerID)
		switch {
		case errors.Is(err, ErrQueued), errors.Is(err, ErrSeated):
			// Another request of theirs queued or seated them meanwhile.
			l.fail(w, r, conflict(err))
			return
		case err != nil:
			l.noSeat(w, r, s.PlayerID, err)
			return
		}
	}
	resp, ref := l.ticket(r, s.PlayerID, s.Name, seat)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	l.opts.Observe("ok")
	l.opts.Logger.Info("lobby: ticket issued", "player", s.PlayerID, "name", s.Name, "room", seat.Room,
		"again", held, "expires", seat.Until, "remote", r.RemoteAddr)
	writeJSON(w, http.StatusOK, resp)
}

// heldSeat returns the seat player holds, if any, fit for a ticket again:
// a reservation (a held seat is one too) until it lapses, a connected seat
// for TicketTTL from now.
func (l *Lobby) heldSeat(ctx context.Context, player uint64) (Seat, bool, error) {
	now := l.opts.Now()
	seat, err := l.store.Seat(ctx, player, now)
	switch {
	case errors.Is(err, ErrNotFound):
		return Seat{}, false, nil
	case err != nil:
		return Seat{}, false, err
	case seat.Connected:
		seat.Until = l.seatUntil(now)
	}
	return seat, true, nil
}

// errPlayTimeout is quickPlay's answer when no seat came within PlayWait.
var errPlayTimeout = errors.New("lobby: no seat assigned in time")

// quickPlay queues a new guest alone in the default mode and waits up to
// PlayWait for the matcher to seat them. If no seat comes, or the client
// leaves, the entry is taken back out, and a seat that came in between
// is given back to a client that left.
func (l *Lobby) quickPlay(ctx context.Context, id uint64) (Seat, error) {
	e := Entry{ID: strconv.FormatUint(id, 10), Mode: l.opts.DefaultMode,
		Members: []Member{{ID: id, Rating: newRating().R}}, Enqueued: l.opts.Now()}
	if err := l.store.Enqueue(ctx, e, e.Enqueued); err != nil {
		return Seat{}, err
	}
	l.wakeMatcher()
	seat, _, err := l.awaitSeat(ctx, id, l.opts.PlayWait)
	if err == nil {
		return seat, nil
	}
	dctx, cancel := detached()
	defer cancel()
	if _, derr := l.store.Dequeue(dctx, e.ID); errors.Is(derr, ErrNotFound) {
		// Seated after all, just now.
		if seat, serr := l.store.Seat(dctx, id, l.opts.Now()); serr == nil {
			if ctx.Err() == nil {
				return seat, nil
			}
			_ = l.store.Release(dctx, seat.Room, id)
		}
	}
	if errors.Is(err, errStillQueued) {
		return Seat{}, errPlayTimeout
	}
	return Seat{}, err
}

// noSeat answers a failed reservation: 503, unless the client went away
// first, which is counted apart so that impatient clients do not look like
// a seat shortage.
func (l *Lobby) noSeat(w http.ResponseWriter, r *http.Request, id uint64, err error) {
	if r.Context().Err() != nil {
		l.opts.Observe("canceled")
		l.opts.Logger.Debug("lobby: client left while a seat was reserved", "player", id, "err", err)
		return
	}
	l.opts.Observe("no_seat")
	l.opts.Logger.Warn("lobby: seat reservation failed", "player", id, "err", err, "remote", r.RemoteAddr)
	w.Header().Set("Retry-After", "1")
	writeJSON(w, http.StatusServiceUnavailable, errorResponse{Error: "no seat available right now; try again shortly"})
}
