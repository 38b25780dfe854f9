// agones_test.go — `skirmish node` under Agones, against the local
// stand-in for the Agones SDK sidecar (internal/agones/agonestest; not
// Agones itself): the node takes its name and public address from the
// GameServer, says Ready when it serves, pings Health, Allocates when a
// match starts, goes back to Ready once empty, and says Shutdown when
// SIGTERM has drained it, then exits 0.

package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"skirmish/internal/agones"
	"skirmish/internal/agones/agonestest"
)

func TestNodeUnderAgones(t *testing.T) {
	c := newCluster(t, 0, false, nil)
	sdk := agonestest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // the node binds it; Agones would have given it this host port
	sdk.SetName("skirmish-node-x7k2p")
	sdk.SetAddress("127.0.0.1")
	sdk.SetPorts(agonestest.Port{Name: "default", Port: port})

	p := startProcEnv(t, c.bin, nodeReady, []string{agones.EnvHTTPPort + "=" + strconv.Itoa(sdk.Port())},
		"node", "--addr", "127.0.0.1:"+strconv.Itoa(port), "--redis", c.redis.URL(), "--log-level", "warn", "--drain-timeout", "2s")
	c.nodes["skirmish-node-x7k2p"] = p
	if want := fmt.Sprintf("ws://127.0.0.1:%d/ws", port); p.url != want {
		t.Errorf("node URL %s; want %s, from the GameServer", p.url, want)
	}
	c.waitNodes(1)
	if _, ok := c.live()["skirmish-node-x7k2p"]; !ok {
		t.Errorf("nodes %v; want the GameServer's name", c.live())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, step := range []struct {
		path string
		n    int
	}{{"/ready", 1}, {"/health", 2}} {
		if err := sdk.WaitFor(ctx, step.path, step.n); err != nil {
			t.Fatalf("waiting for %d %s: %v\n%s", step.n, step.path, err, sdk)
		}
	}
	// A player: the match starts, the node is Allocated.
	b, err := c.join(ctx, "agon", "", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := sdk.WaitFor(ctx, "/allocate", 1); err != nil {
		t.Fatalf("no /allocate after a match started: %v\n%s", err, sdk)
	}
	if got := sdk.State(); got != "Allocated" {
		t.Errorf("GameServer state %s; want Allocated", got)
	}
	// The player leaves: Ready again.
	b.Close()
	if err := sdk.WaitFor(ctx, "/ready", 2); err != nil {
		t.Fatalf("no /ready once the node emptied: %v\n%s", err, sdk)
	}
	// A second player, then SIGTERM: its match outlasts --drain-timeout, so
	// the player is cut off at the deadline; then Shutdown, exit 0.
	b2, err := c.join(ctx, "agon2", "", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := sdk.WaitFor(ctx, "/allocate", 2); err != nil {
		t.Fatalf("no second /allocate: %v\n%s", err, sdk)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := sdk.WaitFor(ctx, "/shutdown", 1); err != nil {
		t.Fatalf("no /shutdown after the drain: %v\n%s", err, sdk)
	}
	wantExit0(t, p.exited, 20*time.Second, "the node, after /shutdown,")
	if b2.Kick() == nil {
		t.Error("the player of the drained node was not told why it was sent away")
	}
	if n := sdk.Count("/ready"); n != 2 {
		t.Errorf("%d /ready calls; want 2 (start, empty again): a drained node must not turn Ready\n%s", n, sdk)
	}
}
