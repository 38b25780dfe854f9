// stack.go — Skirmish in one process, wired once: a ticket signer, the
// lobby on its store, and the game server that confirms every seat to the
// lobby and reports its matches to it. `skirmish serve`
// (cmd/skirmish/serve.go) runs it behind its listener, and the tests run
// the same wiring through internal/testkit, so they test what the binary
// runs.

package stack

import (
	"context"
	"fmt"
	"net/http"

	"skirmish/lobby"
	"skirmish/server"
	"skirmish/ticket"
)

// Options configures a Stack. The zero value is a working stack: a fresh
// key, the lobby in memory, the game server's defaults.
type Options struct {
	// Signer mints the lobby's tickets. nil: a fresh key, whose tickets
	// die with the process.
	Signer *ticket.Signer
	// Lobby configures the lobby. New sets its Signer; a nil Store is a
	// lobby.NewMemoryStore.
	Lobby lobby.Options
	// Server configures the game server. New sets its Verifier (the
	// Signer's public key) and its Ledger (the lobby). Its OnMatchStart
	// and OnMatchEnd, when set, are told after the lobby; a nil
	// OnSpectators is the lobby's.
	Server server.Options
}

// Stack is a lobby and the game server that hosts its rooms.
type Stack struct {
	Signer *ticket.Signer
	Store  lobby.Store
	Lobby  *lobby.Lobby
	Server *server.Server
}

// New makes the lobby, then the game server that confirms its seats to
// it. Mount the routes with Routes; stop with Shutdown.
func New(opts Options) (*Stack, error) {
	if opts.Signer == nil {
		signer, err := ticket.GenerateSigner()
		if err != nil {
			return nil, fmt.Errorf("stack: %w", err)
		}
		opts.Signer = signer
	}
	if opts.Lobby.Store == nil {
		opts.Lobby.Store = lobby.NewMemoryStore()
	}
	opts.Lobby.Signer = opts.Signer
	lob, err := lobby.New(opts.Lobby)
	if err != nil {
		return nil, err // lobby: …
	}
	opts.Server.Verifier = ticket.NewVerifier(opts.Signer.PublicKey())
	opts.Server.Ledger = lob
	opts.Server.OnMatchStart = after(lob.MatchStarted, opts.Server.OnMatchStart)
	opts.Server.OnMatchEnd = after(lob.MatchEnded, opts.Server.OnMatchEnd)
	if opts.Server.OnSpectators == nil {
		opts.Server.OnSpectators = lob.SpectatorsChanged
	}
	srv, err := server.New(opts.Server)
	if err != nil {
		lob.Close()
		return nil, err // server: …
	}
	return &Stack{Signer: opts.Signer, Store: opts.Lobby.Store, Lobby: lob, Server: srv}, nil
}

// after returns first followed by then, or first alone when then is nil.
func after[T any](first, then func(room string, v T)) func(room string, v T) {
	if then == nil {
		return first
	}
	return func(room string, v T) {
		first(room, v)
		then(room, v)
	}
}

// Routes mounts the lobby's API at /api/ and the game server's WebSocket
// endpoint at /ws. The caller adds the rest (metrics, health, the web
// client).
func (s *Stack) Routes(mux *http.ServeMux) {
	mux.Handle("/api/", s.Lobby.Handler())
	mux.Handle("/ws", s.Server)
}

// Shutdown stops the game server (its players are told and closed, within
// ctx: Server.Shutdown's error), then the lobby's matcher. Stop the HTTP
// server first. It is safe to call more than once.
func (s *Stack) Shutdown(ctx context.Context) error {
	err := s.Server.Shutdown(ctx)
	s.Lobby.Close()
	return err
}
