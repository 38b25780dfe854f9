// directory.go — GET /api/rooms: the public rooms, for players to look
// at: mode, players and capacity, and how long the current match has left
// (the game server reports match starts and ends, ledger.go). Private
// rooms (private.go) are not listed.

package lobby

import (
	"cmp"
	"net/http"
	"slices"
	"time"
)

// directoryResponse is the answer of GET /api/rooms.
type directoryResponse struct {
	Rooms []directoryRoom `json:"rooms"`
}

type directoryRoom struct {
	Room     string `json:"room"`
	Mode     string `json:"mode"`
	Players  int    `json:"players"`   // connected
	Reserved int    `json:"reserved"`  // seats held for players on their way in
	Capacity int    `json:"capacity"`  // seats in all
	Phase    string `json:"phase"`     // "playing", or "between" matches (also before the first is reported)
	TimeLeft int64  `json:"time_left"` // whole seconds left in the match being played; 0 between matches
	// Spectators watch without a seat; Watchable says POST /api/watch
	// would hand one more a ticket (watch.go).
	Spectators int  `json:"spectators"`
	Watchable  bool `json:"watchable"`
}

func (l *Lobby) serveDirectory(w http.ResponseWriter, r *http.Request) {
	mode := r.URL.Query().Get("mode")
	if mode != "" {
		if _, ref := l.mode(mode); ref != nil {
			l.refuseWith(w, r, ref)
			return
		}
	}
	now := l.opts.Now()
	rooms, err := l.store.Rooms(r.Context(), now)
	if err != nil {
		l.fail(w, r, err)
		return
	}
	out := directoryResponse{Rooms: []directoryRoom{}}
	for _, rm := range rooms {
		if rm.Private || mode != "" && rm.Mode != mode {
			continue
		}
		d := directoryRoom{Room: rm.ID, Mode: rm.Mode, Players: rm.Connected, Reserved: rm.Reserved, Capacity: rm.Capacity, Phase: "between",
			Spectators: rm.Spectators, Watchable: rm.Watchable()}
		if left := rm.MatchEnds.Sub(now); !rm.MatchEnds.IsZero() && left > 0 {
			d.Phase, d.TimeLeft = "playing", int64(left/time.Second)
		}
		out.Rooms = append(out.Rooms, d)
	}
	slices.SortStableFunc(out.Rooms, func(a, b directoryRoom) int {
		if c := cmp.Compare(a.Mode, b.Mode); c != 0 {
			return c
		}
		return cmp.Compare(b.Players+b.Reserved, a.Players+a.Reserved)
	})
	l.ok(w, http.StatusOK, out)
}
