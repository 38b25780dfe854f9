// nodelife_test.go — a node's life (nodelife.go) in this process, on real
// sockets: a lobby and a node wired by newNode on one memory store, bots
// joining through the lobby, the Agones sidecar's stand-in
// (internal/agones/agonestest), and signals fed on a channel. start
// registers and serves (and says Ready); the first signal drains, the
// second cuts the drain short; the node leaves the store, stops serving,
// says Shutdown, and serve returns. agones_test.go runs the same life as
// a process.

package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/agones"
	"skirmish/internal/agones/agonestest"
	"skirmish/internal/testkit"
	"skirmish/lobby"
	pb "skirmish/proto"
	"skirmish/ticket"
)

// lifeBound bounds every wait of these tests.
const lifeBound = 15 * time.Second

// liveNode is a started node, its lobby and its store.
type liveNode struct {
	t        *testing.T
	store    *lobby.MemoryStore
	lobbyURL string
	ln       net.Listener // the node's
	addr     string
	life     *nodeLife
	sigs     chan os.Signal
	exited   chan struct{} // closed when serve has returned
	err      error         // serve's, once exited is closed
}

func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// startNodeLife serves a lobby, makes a node with newNode (under Agones
// when sdk is not nil), starts it and runs serve until the test ends: a
// test that has not stopped it by then cuts it short with two signals.
func startNodeLife(t *testing.T, sdk *agones.SDK, drainTimeout time.Duration) *liveNode {
	t.Helper()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	n := &liveNode{t: t, store: lobby.NewMemoryStore(), sigs: make(chan os.Signal, 2), exited: make(chan struct{})}
	lob, err := lobby.New(lobby.Options{Signer: signer, Store: n.store, Nodes: true, Logger: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	lln := listenLoopback(t)
	lhs := &http.Server{Handler: lob.Handler()}
	go lhs.Serve(lln)
	t.Cleanup(func() { lhs.Close(); lob.Close() })
	n.lobbyURL = "http://" + lln.Addr().String()

	n.ln = listenLoopback(t)
	n.addr = n.ln.Addr().String()
	n.life, err = newNode(nodeParts{
		ID: "n1", URL: "ws://" + n.addr + "/ws", Store: n.store, Keys: []ed25519.PublicKey{signer.PublicKey()},
		Capacity: 16, DrainTimeout: drainTimeout, Logger: testkit.Quiet(), Registry: registry(), Agones: sdk, Out: io.Discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	n.life.idleCheck = 20 * time.Millisecond
	if err := n.life.start(n.ln); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(n.exited)
		n.err = n.life.serve(n.sigs)
	}()
	t.Cleanup(func() {
		select {
		case <-n.exited:
		default:
			n.sigs <- syscall.SIGTERM
			n.sigs <- syscall.SIGTERM
			<-n.exited
		}
		// After a failed serve, which leaves the rest to the process's exit.
		ctx, cancel := context.WithTimeout(context.Background(), lifeBound)
		defer cancel()
		_ = n.life.host.Leave(ctx)
		_ = n.life.game.Shutdown(ctx)
	})
	return n
}

// node is the store's record of the node; ok false when it is not there.
func (n *liveNode) node() (lobby.Node, bool) {
	n.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), lifeBound)
	defer cancel()
	nodes, err := n.store.Nodes(ctx, time.Now())
	if err != nil {
		n.t.Fatal(err)
	}
	for _, x := range nodes {
		if x.ID == "n1" {
			return x, true
		}
	}
	return lobby.Node{}, false
}

// health is the node's GET /healthz.
func (n *liveNode) health() string {
	n.t.Helper()
	resp, err := http.Get("http://" + n.addr + "/healthz")
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		n.t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// join seats a bot on the node through the lobby.
func (n *liveNode) join(name string) *bots.Bot {
	n.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), lifeBound)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: n.lobbyURL, Name: name})
	if err != nil {
		n.t.Fatalf("join %s: %v", name, err)
	}
	n.t.Cleanup(b.Close)
	if want := "ws://" + n.addr + "/ws"; b.Assignment().WSURL != want {
		n.t.Fatalf("bot %s sent to %s; want the node, %s", name, b.Assignment().WSURL, want)
	}
	return b
}

// wait waits for serve to return, and returns its error.
func (n *liveNode) wait(what string) error {
	n.t.Helper()
	select {
	case <-n.exited:
		return n.err
	case <-time.After(lifeBound):
		n.t.Fatalf("%s: serve did not return within %v", what, lifeBound)
		return nil
	}
}

func (n *liveNode) running() bool {
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// TestNodeLifeDrainsOnSignal: started, the node is in the store and
// healthy; the first signal takes it out of rotation (draining, in the
// store and at /healthz) while its match goes on; the second cuts the
// drain short: the player is sent away with KICK_REASON_SHUTDOWN, the node
// leaves the store and stops listening, and serve returns nil.
func TestNodeLifeDrainsOnSignal(t *testing.T) {
	n := startNodeLife(t, nil, time.Minute)
	if rec, ok := n.node(); !ok || rec.Draining || rec.URL != "ws://"+n.addr+"/ws" {
		t.Fatalf("after start, the store has %+v (listed: %v); want n1 at its URL, not draining", rec, ok)
	}
	if got := n.health(); got != "ok" {
		t.Errorf("/healthz %q; want ok", got)
	}
	b := n.join("stayer")

	n.sigs <- syscall.SIGTERM
	testkit.WaitUntil(t, lifeBound, func() (bool, string) {
		rec, ok := n.node()
		health := n.health()
		return ok && rec.Draining && health == "draining", fmt.Sprintf("node in the store %+v (%v), /healthz %q; want it draining in both", rec, ok, health)
	})
	if !n.running() || b.Err() != nil {
		t.Fatalf("one signal ended the match at once (serve running: %v, bot: %v); want it to play on", n.running(), b.Err())
	}

	n.sigs <- syscall.SIGTERM
	if err := n.wait("after the second signal"); err != nil {
		t.Fatalf("serve: %v; want nil", err)
	}
	select {
	case <-b.Done():
	case <-time.After(lifeBound):
		t.Fatal("the player is still connected after the drain was cut short")
	}
	if k := b.Kick(); k == nil || k.Reason != pb.KickReason_KICK_REASON_SHUTDOWN {
		t.Errorf("kick %v; want KICK_REASON_SHUTDOWN", k)
	}
	if rec, ok := n.node(); ok {
		t.Errorf("the store still lists the node after it left: %+v", rec)
	}
	if c, err := net.Dial("tcp", n.addr); err == nil {
		c.Close()
		t.Error("the node still accepts connections after serve returned")
	}
}

// TestNodeLifeUnderAgones: start says Ready and Health pings follow; a
// match start Allocates the node, and the node emptying makes it Ready
// again; a signal drains it (nobody is playing: at once), and it says
// Shutdown, once, after leaving the store, never Ready again.
func TestNodeLifeUnderAgones(t *testing.T) {
	sidecar := agonestest.Start(t)
	sdk := agones.New(sidecar.URL(), agones.Options{HealthInterval: 20 * time.Millisecond, Logger: testkit.Quiet()})
	n := startNodeLife(t, sdk, time.Minute)
	if got, state := sidecar.Count("/ready"), sidecar.State(); got != 1 || state != "Ready" {
		t.Fatalf("after start: %d /ready, state %s; want 1, Ready\n%s", got, state, sidecar)
	}
	ctx, cancel := context.WithTimeout(context.Background(), lifeBound)
	defer cancel()
	if err := sidecar.WaitFor(ctx, "/health", 2); err != nil {
		t.Fatalf("health pings: %v\n%s", err, sidecar)
	}

	b := n.join("allocator")
	if err := sidecar.WaitFor(ctx, "/allocate", 1); err != nil {
		t.Fatalf("no /allocate after a match started: %v\n%s", err, sidecar)
	}
	if got := sidecar.State(); got != "Allocated" {
		t.Errorf("state %s after the match started; want Allocated", got)
	}
	b.Close()
	if err := sidecar.WaitFor(ctx, "/ready", 2); err != nil {
		t.Fatalf("no /ready once the node emptied: %v\n%s", err, sidecar)
	}

	n.sigs <- syscall.SIGTERM
	if err := n.wait("a signal on an empty node"); err != nil {
		t.Fatalf("serve: %v; want nil", err)
	}
	if got, state := sidecar.Count("/shutdown"), sidecar.State(); got != 1 || state != "Shutdown" {
		t.Errorf("after serve returned: %d /shutdown, state %s; want 1, Shutdown\n%s", got, state, sidecar)
	}
	if got := sidecar.Count("/ready"); got != 2 {
		t.Errorf("%d /ready calls; want 2 (start, empty again)\n%s", got, sidecar)
	}
	if rec, ok := n.node(); ok {
		t.Errorf("the store still lists the node after Shutdown: %+v", rec)
	}
}

// TestNodeLifeServeFails: when the HTTP server stops by itself (here: its
// listener is closed under it), serve returns its error, without waiting
// for a signal.
func TestNodeLifeServeFails(t *testing.T) {
	n := startNodeLife(t, nil, time.Minute)
	n.ln.Close()
	err := n.wait("a closed listener")
	if err == nil || !strings.HasPrefix(err.Error(), "node: ") {
		t.Fatalf("serve: %v; want the HTTP server's error, with the node: prefix", err)
	}
}
