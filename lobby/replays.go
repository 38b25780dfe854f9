// replays.go — the match logs of the game nodes, for players to find:
// each node keeps its own (package ticklog) and registers each in the
// store with its URL (ReplayStore, store_replays.go), so GET /api/replays
// lists every node's, newest first, and GET /api/replays/{id} sends the
// player to the node that serves the file. In one process (`skirmish
// serve --replays`) the directory answers both itself, before the lobby.

package lobby

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"skirmish/ticklog"
)

// ReplayStore keeps the index of the match logs the game nodes hold. Its
// methods are safe for concurrent use and may block on I/O.
type ReplayStore interface {
	// PutReplay records the log e, served from e.URL, replacing one with
	// its ID.
	PutReplay(ctx context.Context, e ticklog.Entry) error
	// RemoveReplay forgets the log id; forgetting one not there does
	// nothing.
	RemoveReplay(ctx context.Context, id string) error
	// Replays returns the newest limit logs (by start), newest first.
	Replays(ctx context.Context, limit int) ([]ticklog.Entry, error)
	// Replay returns the log id, or ErrNotFound.
	Replay(ctx context.Context, id string) (ticklog.Entry, error)
}

// replaysListed is how many logs GET /api/replays lists at most.
const replaysListed = 200

// replaysResponse is the answer of GET /api/replays, as a node's own.
type replaysResponse struct {
	Replays []ticklog.Entry `json:"replays"`
}

func (l *Lobby) serveReplays(w http.ResponseWriter, r *http.Request) {
	list, err := l.store.Replays(r.Context(), replaysListed)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	if list == nil {
		list = []ticklog.Entry{}
	}
	writeJSON(w, http.StatusOK, replaysResponse{Replays: list})
}

// serveReplay sends the player to the node that serves the log.
func (l *Lobby) serveReplay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !ticklog.ValidID(id) {
		l.refuse(w, r, http.StatusNotFound, "not_found", "no replay with that id")
		return
	}
	e, err := l.store.Replay(r.Context(), id)
	if errors.Is(err, ErrNotFound) || err == nil && e.URL == "" {
		l.refuse(w, r, http.StatusNotFound, "not_found", "no replay with that id")
		return
	}
	if err != nil {
		l.fail(w, r, err)
		return
	}
	http.Redirect(w, r, strings.TrimSuffix(e.URL, "/")+"/api/replays/"+id, http.StatusTemporaryRedirect)
}
