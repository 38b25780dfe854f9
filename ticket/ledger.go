// ledger.go — what a game server tells the lobby after the handshake
// (ticket.go, redeem.go): the Ledger it confirms each seat to (and holds
// a dropped player's seat with, server/hold.go), and the
// MatchResult it reports when a match ends. lobby.Lobby and lobby.Host
// are Ledgers; server/registry.go calls one, server/matchreport.go makes
// the results.

package ticket

import (
	"context"
	"time"
)

// Ledger keeps the seats that tickets name: the lobby reserved the seat
// before it signed the ticket, and the game server that hosts the room
// confirms what became of it.
type Ledger interface {
	// Claim turns player's reservation in room into a connected seat; an
	// error refuses the connection. The game server calls it from the
	// handshake's goroutine, after the ticket checked out, concurrently;
	// it may block until ctx is done.
	Claim(ctx context.Context, room string, player uint64) error
	// Release frees player's seat in room: they left, or were refused
	// after their claim. The game server calls it on a goroutine of its
	// own; it may block until ctx is done.
	Release(ctx context.Context, room string, player uint64) error
	// Hold keeps the seat of a connected player whose connection dropped
	// until until: it is a reservation again, for the same player to come
	// back to with a new ticket (Claim turns it into a connected seat once
	// more), and it is freed at until if they do not. The game server
	// calls it on a goroutine of its own; it may block until ctx is done.
	Hold(ctx context.Context, room string, player uint64, until time.Time) error
}

// MatchResult is one player's result in a match that ended, as the game
// server reports it.
type MatchResult struct {
	PlayerID uint64 // the id from the player's ticket
	Kills    int
	Deaths   int
}
