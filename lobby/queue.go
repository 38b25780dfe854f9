// queue.go — quick match, the player's side: POST /api/queue joins the
// queue of a mode (the party leader queues the whole party, party.go),
// GET /api/queue?wait=N long-polls for the seat the matcher (match.go)
// assigns, and DELETE /api/queue leaves the queue. Waiting requests sleep
// until the store's Changes move (the matcher goroutine of each process
// watches them, match.go), then look again.

package lobby

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// queueRequest is the body of POST /api/queue; it may be left out.
type queueRequest struct {
	Mode string `json:"mode"` // empty: Options.DefaultMode
}

// queuedResponse says a player is in the queue.
type queuedResponse struct {
	Status  string `json:"status"`  // "queued"
	Mode    string `json:"mode"`    // the mode queued for
	Players int    `json:"players"` // how many queue together: the party, or 1
	Waited  int64  `json:"waited"`  // whole seconds in the queue so far
}

// playingResponse says a player's seat is taken: they are in the game.
type playingResponse struct {
	Status string `json:"status"` // "playing"
	Room   string `json:"room"`
}

// statusResponse is a bare outcome, such as "canceled".
type statusResponse struct {
	Status string `json:"status"`
}

var (
	errStillQueued = errors.New("lobby: still queued")
	errNotQueued   = errors.New("lobby: not queued and no seat held")
)

func (l *Lobby) serveEnqueue(w http.ResponseWriter, r *http.Request, s Session) {
	var req queueRequest
	if ref := l.readJSON(w, r, &req, modeBody, true); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	mode, ref := l.mode(req.Mode)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	ids, err := l.partyToQueue(r.Context(), s.PlayerID)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	members, err := l.withRatings(r.Context(), ids)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	now := l.opts.Now()
	e := Entry{ID: strconv.FormatUint(s.PlayerID, 10), Mode: mode, Members: members, Enqueued: now}
	if err := l.store.Enqueue(r.Context(), e, now); err != nil {
		l.fail(w, r, conflict(err))
		return
	}
	l.wakeMatcher()
	l.opts.Logger.Info("lobby: queued", "player", s.PlayerID, "mode", mode, "players", len(members))
	l.ok(w, http.StatusAccepted, queuedResponse{Status: "queued", Mode: mode, Players: len(members)})
}

// mode returns the mode a request names, or the default for none.
func (l *Lobby) mode(name string) (string, *refusal) {
	if name == "" {
		return l.opts.DefaultMode, nil
	}
	if _, ok := l.opts.Modes[name]; !ok {
		return "", refused(http.StatusBadRequest, "bad_request", "unknown mode %q; the modes are %s", name,
			strings.Join(slices.Sorted(maps.Keys(l.opts.Modes)), ", "))
	}
	return name, nil
}

// validMode reports whether name is fit to be a mode: 1..16 of a-z, 0-9,
// '-' and '_'.
func validMode(name string) bool {
	if len(name) < 1 || len(name) > 16 {
		return false
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// partyToQueue returns who queues when player does: their party if they
// lead one, else themselves. A party member who does not lead may not.
func (l *Lobby) partyToQueue(ctx context.Context, player uint64) ([]uint64, error) {
	p, err := l.store.PartyOf(ctx, player)
	switch {
	case errors.Is(err, ErrNotFound):
		return []uint64{player}, nil
	case err != nil:
		return nil, err
	case p.Leader != player:
		return nil, refused(http.StatusForbidden, "forbidden",
			"you are in party %s, led by player %d: the leader queues the party (or leave it with DELETE /api/party)", p.Code, p.Leader)
	}
	return p.Members, nil
}

// withRatings pairs each player with their rating, a new player's for
// those never rated.
func (l *Lobby) withRatings(ctx context.Context, ids []uint64) ([]Member, error) {
	ratings, err := l.store.Ratings(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Member, len(ids))
	for i, id := range ids {
		rt, ok := ratings[id]
		if !ok {
			rt = newRating()
		}
		out[i] = Member{ID: id, Rating: rt.R}
	}
	return out, nil
}

func (l *Lobby) serveQueueStatus(w http.ResponseWriter, r *http.Request, s Session) {
	wait, ref := l.waitParam(r)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	seat, e, err := l.awaitSeat(r.Context(), s.PlayerID, wait)
	switch {
	case errors.Is(err, errStillQueued):
		l.ok(w, http.StatusOK, queuedResponse{Status: "queued", Mode: e.Mode, Players: len(e.Members),
			Waited: int64(max(l.opts.Now().Sub(e.Enqueued), 0) / time.Second)})
	case errors.Is(err, errNotQueued):
		l.refuse(w, r, http.StatusNotFound, "not_found", "you are not queued and hold no seat; queue with POST /api/queue")
	case err != nil:
		l.fail(w, r, err)
	case seat.Connected:
		l.ok(w, http.StatusOK, playingResponse{Status: "playing", Room: seat.Room})
	default:
		resp, ref := l.ticket(r, s.PlayerID, s.Name, seat)
		if ref != nil {
			l.refuseWith(w, r, ref)
			return
		}
		l.ok(w, http.StatusOK, assignedResponse{Status: "assigned", playResponse: resp})
	}
}

// waitParam reads ?wait=N, whole seconds from 0 (answer at once, the
// default) to MaxWait.
func (l *Lobby) waitParam(r *http.Request) (time.Duration, *refusal) {
	v := r.URL.Query().Get("wait")
	if v == "" {
		return 0, nil
	}
	limit := int64(l.opts.MaxWait / time.Second)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > limit {
		return 0, refused(http.StatusBadRequest, "bad_request", "wait must be whole seconds from 0 to %d, not %q", limit, v)
	}
	return time.Duration(n) * time.Second, nil
}

// awaitSeat waits up to wait for player to hold a seat and returns it. It
// fails with errStillQueued when the wait is over and the player is still
// queued (with their entry), and errNotQueued when they are neither queued
// nor seated. The queue is looked at before the seat: a reservation takes
// the entry out and seats its members in one step, so a player found not
// queued either has their seat already, or has none coming.
func (l *Lobby) awaitSeat(ctx context.Context, player uint64, wait time.Duration) (Seat, Entry, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		assigned := l.assigned.wait() // before looking, so no wake-up is missed
		e, err := l.store.QueuedEntry(ctx, player)
		if errors.Is(err, ErrNotFound) {
			seat, err := l.store.Seat(ctx, player, l.opts.Now())
			if errors.Is(err, ErrNotFound) {
				return Seat{}, Entry{}, errNotQueued
			}
			return seat, Entry{}, err
		}
		if err != nil {
			return Seat{}, Entry{}, err
		}
		select {
		case <-ctx.Done():
			return Seat{}, e, ctx.Err()
		case <-deadline.C:
			return Seat{}, e, errStillQueued
		case <-assigned:
		}
	}
}

func (l *Lobby) serveCancel(w http.ResponseWriter, r *http.Request, s Session) {
	ctx := r.Context()
	e, err := l.store.QueuedEntry(ctx, s.PlayerID)
	if err == nil {
		if e.ID != strconv.FormatUint(s.PlayerID, 10) {
			l.refuse(w, r, http.StatusForbidden, "forbidden", "your party leader queued you: only the leader can cancel")
			return
		}
		_, err = l.store.Dequeue(ctx, e.ID)
		if err == nil {
			l.opts.Logger.Info("lobby: left the queue", "player", s.PlayerID, "mode", e.Mode)
			l.ok(w, http.StatusOK, statusResponse{Status: "canceled"})
			return
		}
	}
	if !errors.Is(err, ErrNotFound) {
		l.fail(w, r, err)
		return
	}
	// Not queued (any more): perhaps seated just now.
	seat, err := l.store.Seat(ctx, s.PlayerID, l.opts.Now())
	switch {
	case errors.Is(err, ErrNotFound):
		l.refuse(w, r, http.StatusNotFound, "not_found", "you are not queued; nothing to cancel")
	case err != nil:
		l.fail(w, r, err)
	default:
		l.refuse(w, r, http.StatusConflict, "conflict", fmt.Sprintf(
			"too late to cancel: you hold a seat in room %s (it is freed if you do not connect before the ticket expires)", seat.Room))
	}
}

// conflict turns the store's refusals of a player's request into 409s
// with a reason fit to show; other errors pass through.
func conflict(err error) error {
	msg := strings.TrimPrefix(err.Error(), "lobby: ")
	switch {
	case errors.Is(err, ErrSeated):
		return refused(http.StatusConflict, "conflict", "%s: one seat per player; leave that room (or let the reservation expire) first", msg)
	case errors.Is(err, ErrQueued):
		return refused(http.StatusConflict, "conflict", "%s: leave the queue with DELETE /api/queue first", msg)
	case errors.Is(err, ErrRoomFull):
		return refused(http.StatusConflict, "conflict", "the room is full")
	case errors.Is(err, ErrInParty):
		return refused(http.StatusConflict, "conflict", "you are already in a party: leave it with DELETE /api/party first")
	case errors.Is(err, ErrPartyFull):
		return refused(http.StatusConflict, "conflict", "the party is full")
	case errors.Is(err, ErrPartyQueued):
		return refused(http.StatusConflict, "conflict", "the party is in the queue; its leader can leave it with DELETE /api/queue")
	case errors.Is(err, ErrCodeTaken):
		// codeAttempts draws in a row hit codes in use: a crowded moment.
		return refused(http.StatusServiceUnavailable, "unavailable", "no free code right now; try again")
	case errors.Is(err, ErrNodeGone):
		return refused(http.StatusServiceUnavailable, "no_seat", "the game server picked for your room went away; try again")
	}
	return err
}

// notifier wakes every goroutine waiting on it at once.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel that is closed at the next broadcast.
func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) broadcast() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}
