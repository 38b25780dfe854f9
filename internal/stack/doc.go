// doc.go — the package overview; the wiring is in stack.go.

// Package stack wires Skirmish in one process, once, for `skirmish serve`
// and for the tests (internal/testkit), so that the tests run what the
// binary runs:
//
//	ticket.Signer ──▶ lobby.New(Signer, Store)            POST /api/play, /api/queue, …
//	     │                 ▲ Claim, Release (ticket.Ledger)
//	     │                 │ MatchStarted, MatchEnded
//	     └─ public key ──▶ server.New(Verifier, Ledger)    GET /ws?ticket=…
//
// The lobby keeps every seat in its store (memory, or Redis); the game
// server hosts whatever room a ticket names and confirms each connect and
// leave to the lobby. Game nodes (skirmish node, skirmish lobby) wire
// lobby.Host instead, in cmd/skirmish.
//
//	st, err := stack.New(stack.Options{})
//	mux := http.NewServeMux()
//	st.Routes(mux)
//	... // serve mux; on the way out, stop the listener, then:
//	err = st.Shutdown(ctx)
package stack
