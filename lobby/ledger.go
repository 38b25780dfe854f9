// ledger.go — the lobby as the game servers see it. The lobby keeps every
// seat in its Store; a game server confirms to it that a ticket's player
// connected (Claim), dropped and is held (Hold) or left (Release), and reports each match's start (for
// the directory, directory.go) and results (for the ratings, rating.go).
// Lobby is a ticket.Ledger; internal/stack wires it, and the match
// reports, into the game server of `skirmish serve` (host.go is the same
// for a game node).

package lobby

import (
	"context"
	"log/slog"
	"time"

	"skirmish/ticket"
)

// Claim turns player's reservation in room into a connected seat. The game
// server calls it at the WebSocket handshake, after the ticket checked
// out, from the handshake's goroutine; it may block on the store until
// ctx is done. It fails with ErrNoSeat (wrapped) when there is no live
// reservation: it expired, it was never made, or the player is connected
// already.
func (l *Lobby) Claim(ctx context.Context, room string, player uint64) error {
	return l.store.Claim(ctx, room, "", player, l.opts.Now())
}

// Hold keeps player's seat in room until until: their connection dropped
// and the game server holds their player for them (server/hold.go). Until
// then the seat is a reservation the lobby hands the same player a ticket
// for again (play.go). The game server calls it from any goroutine; it
// may block on the store until ctx is done.
func (l *Lobby) Hold(ctx context.Context, room string, player uint64, until time.Time) error {
	return l.store.Hold(ctx, room, "", player, until)
}

// Release frees player's seat in room: they left, or never made it in. The
// game server calls it from any goroutine; it may block on the store until
// ctx is done.
func (l *Lobby) Release(ctx context.Context, room string, player uint64) error {
	return l.store.Release(ctx, room, player)
}

// MatchStarted records that the match in room ends at ends, for the room
// directory. The game server calls it on a goroutine of its own; it blocks
// on the store for at most a few seconds and logs a failure.
func (l *Lobby) MatchStarted(room string, ends time.Time) {
	recordMatchStart(l.store, l.opts.Logger, room, ends)
}

// MatchEnded updates the ratings of the players of the match that ended in
// room, and marks the room as between matches. Called like MatchStarted.
func (l *Lobby) MatchEnded(room string, results []ticket.MatchResult) {
	RecordMatchEnd(l.store, l.opts.Logger, room, results, 1)
}

// SpectatorsChanged records how many spectators watch room and how many
// its game server takes, for POST /api/watch (watch.go) and the
// directory. Wire it to server.Options.OnSpectators; it blocks on the
// store for at most a few seconds and logs a failure.
func (l *Lobby) SpectatorsChanged(room string, spectators, limit int) {
	recordSpectators(l.store, l.opts.Logger, room, spectators, limit)
}

// recordSpectators is SpectatorsChanged, for a Lobby or a Host.
func recordSpectators(store Store, log *slog.Logger, room string, spectators, limit int) {
	ctx, cancel := detached()
	defer cancel()
	if err := store.SetSpectators(ctx, room, spectators, limit); err != nil {
		log.Warn("lobby: recording spectators failed", "room", room, "err", err)
	}
}

// recordMatchStart is MatchStarted, for a Lobby or a Host.
func recordMatchStart(store Store, log *slog.Logger, room string, ends time.Time) {
	ctx, cancel := detached()
	defer cancel()
	if err := store.SetMatch(ctx, room, ends); err != nil {
		log.Warn("lobby: recording a match start failed", "room", room, "err", err)
	}
}

// RecordMatchEnd is MatchEnded, for a Lobby, a Host, or the lobby's side
// of a community node (skirmish/lobby/nodeapi): it marks room between matches
// and rates its players, each rating moved weight of the way from where
// it was to where the match puts it (1: all the way, as from the
// operator's own nodes; 0: not at all). It blocks on the store for at
// most a few seconds and logs a failure.
func RecordMatchEnd(store Store, log *slog.Logger, room string, results []ticket.MatchResult, weight float64) {
	ctx, cancel := detached()
	defer cancel()
	if err := store.SetMatch(ctx, room, time.Time{}); err != nil {
		log.Warn("lobby: recording a match end failed", "room", room, "err", err)
	}
	if len(results) == 0 || weight <= 0 {
		return
	}
	ids := make([]uint64, len(results))
	for i, r := range results {
		ids[i] = r.PlayerID
	}
	err := store.UpdateRatings(ctx, ids, func(old map[uint64]Rating) map[uint64]Rating {
		return weighRatings(old, rateMatch(results, old), weight)
	})
	if err != nil {
		log.Warn("lobby: rating a match failed", "room", room, "players", len(results), "err", err)
		return
	}
	log.Info("lobby: match rated", "room", room, "players", len(results), "weight", weight)
}

// weighRatings moves each rating weight of the way from old (a new
// player's start if missing) to rated.
func weighRatings(old, rated map[uint64]Rating, weight float64) map[uint64]Rating {
	if weight >= 1 {
		return rated
	}
	for id, r := range rated {
		o, ok := old[id]
		if !ok {
			o = newRating()
		}
		rated[id] = Rating{R: o.R + weight*(r.R-o.R), RD: o.RD + weight*(r.RD-o.RD), Vol: o.Vol + weight*(r.Vol-o.Vol)}
	}
	return rated
}
