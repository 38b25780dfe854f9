// nodelife.go — a game node's life, once node.go has parsed its flags and
// wired its parts (newNode): start registers it in the lobbies' store,
// serves, and under Agones says Ready and keeps it healthy; serve then
// waits for a signal, drains (no new rooms, the matches play out, up to
// the drain timeout; a second signal cuts that short), leaves the store,
// stops serving, says Shutdown to Agones, and returns. In between, a match
// start Allocates the node under Agones, and emptying makes it Ready again.
//
//	start ─→ Ready ─→ (Allocate ⇄ Ready) ─→ signal ─→ drain ─→ leave ─→ Shutdown ─→ exit

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"skirmish/internal/agones"
	"skirmish/server"
	"skirmish/ticket"
)

// nodeLink is a node's link to the lobbies: a lobby.Host on their store
// (an operator's node) or a nodeapi.Client over the lobby's node API (a
// community node). Its methods say which goroutines call them.
type nodeLink interface {
	ticket.Ledger
	Start(ctx context.Context) error
	Drain()
	Leave(ctx context.Context) error
	MatchStarted(room string, ends time.Time)
	MatchEnded(room string, results []ticket.MatchResult)
	Verifier() *ticket.Verifier
}

// nodeLife is one node's lifecycle. newNode makes it; call start, then
// serve, once each, from one goroutine.
type nodeLife struct {
	id, url      string
	log          *slog.Logger
	out          io.Writer // where the "is running" line goes: stdout
	host         nodeLink
	game         *server.Server
	handler      http.Handler
	sdk          *agones.SDK // nil: not under Agones
	drainTimeout time.Duration
	idleCheck    time.Duration // how often an Allocated node looks whether it emptied
	listening    []any         // what the "listening" log line says besides the address
	consoleLine  string        // where the operator's console is, after the "is running" line
	drainAsked   chan struct{} // capacity 1: the console asks for the drain a signal starts

	allocated atomic.Bool // under Agones: Allocated since its last match start

	// Set by start.
	hs      *http.Server
	errc    <-chan error // the HTTP server's, if it stops by itself
	addr    string
	stopRun context.CancelFunc // ends the Agones health pings and the idle check
}

// start registers the node in the store, serves ln, and under Agones says
// Ready and starts pinging Health and watching for the node to empty. An
// error means the node never served: it could not register.
func (n *nodeLife) start(ln net.Listener) error {
	sctx, cancel := context.WithTimeout(context.Background(), redisDialTimeout)
	err := n.host.Start(sctx)
	cancel()
	if err != nil {
		return fmt.Errorf("node: registering with the lobbies: %w", err)
	}
	n.hs, n.errc = httpServer(ln, n.handler)
	n.addr = ln.Addr().String()
	run, stop := context.WithCancel(context.Background())
	n.stopRun = stop
	if n.sdk != nil {
		agonesCall(n.log, "ready", n.sdk.Ready)
		go n.sdk.KeepHealthy(run)
		go n.readyWhenEmpty(run)
	}
	return nil
}

// serve says the node is running and waits; when the HTTP server fails it
// returns the error, and on the first signal on sigs (or the console's
// askDrain) it drains, then leaves
// the store, stops serving and says Shutdown to Agones, returning nil. A
// second signal cuts the drain short: the players still in a match are
// sent away at once.
func (n *nodeLife) serve(sigs <-chan os.Signal) error {
	defer n.stopRun()
	fmt.Fprintf(n.out, "Skirmish node %s is running: players connect at %s (SIGTERM drains it)%s\n", n.id, n.url, n.consoleLine)
	n.log.Info("node: listening", append([]any{"node", n.id, "addr", n.addr, "url", n.url}, n.listening...)...)
	select {
	case err := <-n.errc:
		return fmt.Errorf("node: %w", err)
	case <-sigs:
	case <-n.drainAsked:
		n.log.Info("node: the operator's console asks for a drain")
	}
	// Drain: out of rotation, matches play out, then leave.
	n.log.Info("node: draining", "node", n.id, "deadline", n.drainTimeout)
	n.host.Drain()
	dctx, cancelDrain := context.WithTimeout(context.Background(), n.drainTimeout)
	defer cancelDrain()
	go func() {
		select {
		case <-sigs:
			n.log.Warn("node: second signal: cutting the drain short")
			cancelDrain()
		case <-dctx.Done():
		}
	}()
	if err := n.game.Drain(dctx); err != nil {
		n.log.Warn("node: drain cut short; players still in a match were sent away", "err", err)
	}
	lctx, cancelLeave := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancelLeave()
	if err := n.host.Leave(lctx); err != nil {
		n.log.Warn("node: leaving the lobby's store failed; its heartbeat lapses in seconds anyway", "err", err)
	}
	stopHTTP(lctx, n.log, n.hs)
	n.stopRun()
	if n.sdk != nil {
		agonesCall(n.log, "shutdown", n.sdk.Shutdown)
	}
	n.log.Info("node: stopped", "node", n.id)
	return nil
}

// askDrain is the console's drain: serve drains as on a signal. It
// returns at once; asking again changes nothing.
func (n *nodeLife) askDrain() {
	n.host.Drain() // out of rotation now, before serve gets there
	select {
	case n.drainAsked <- struct{}{}:
	default:
	}
}

// matchStarted is the server's OnMatchStart: the lobby records when the
// match ends, and under Agones the node is Allocated (the Fleet keeps it).
func (n *nodeLife) matchStarted(room string, ends time.Time) {
	n.host.MatchStarted(room, ends)
	if n.sdk != nil && n.allocated.CompareAndSwap(false, true) {
		agonesCall(n.log, "allocate", n.sdk.Allocate)
	}
}

// readyWhenEmpty turns an Allocated node (it had a match) back to Ready
// once no player is left, so that the Fleet may scale it down or replace
// it; the next match start allocates it again. Not while it drains: it is
// on its way to Shutdown.
func (n *nodeLife) readyWhenEmpty(ctx context.Context) {
	tick := time.NewTicker(n.idleCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if !n.game.Draining() && n.game.Load().Players == 0 && n.allocated.CompareAndSwap(true, false) {
			agonesCall(n.log, "ready (empty again)", n.sdk.Ready)
		}
	}
}

// agonesCall makes one SDK call, bounded, logging a failure: the node
// goes on without Agones' bookkeeping rather than stop.
func agonesCall(log *slog.Logger, what string, call func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := call(ctx); err != nil {
		log.Warn("node: agones "+what+" failed", "err", err)
		return
	}
	log.Info("node: agones " + what)
}
