//go:build !js

// A match a real stack records while bots play it on 127.0.0.1 replays to
// the server's hashes; -update keeps it as testdata/bots.tlog, which
// TestVerifyTestdata replays natively and under WebAssembly.

package ticklog_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	"skirmish/server"
	"skirmish/sim"
	"skirmish/ticklog"
)

var update = flag.Bool("update", false, "rewrite testdata/bots.tlog from a live match")

func TestLiveMatchReplays(t *testing.T) {
	d, path := openDir(t, ticklog.Options{KeyframeEvery: 120})
	st := testkit.Start(t, func(o *stack.Options) {
		cfg := sim.DefaultConfig()
		cfg.MatchTicks = 8 * sim.TickRate
		o.Server.NewGame = server.SimGames(cfg)
		o.Server.Replays = d
	})
	swarm, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: st.URL, Count: 6, Duration: 9 * time.Second, Ramp: 100, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := swarm.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Joined != 6 || r.Desyncs != 0 {
		t.Fatalf("joined %d, desyncs %d", r.Joined, r.Desyncs)
	}

	var match1 ticklog.Entry
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		for _, e := range d.List() {
			if e.Match == 1 && e.Complete {
				match1 = e
				return true, ""
			}
		}
		return false, fmt.Sprintf("logs %+v", d.List())
	})
	file := filepath.Join(path, match1.ID+".tlog")
	res, err := verifyFile(t, file)
	if err != nil {
		t.Fatalf("%s: %v", match1.ID, err)
	}
	if res.Ticks != 8*sim.TickRate || len(match1.Players) != 6 {
		t.Fatalf("%s: %d ticks verified, players %+v; want 480 and the 6 bots", match1.ID, res.Ticks, match1.Players)
	}
	t.Logf("%s: %d ticks, %d keyframes verified, %d bytes; players %+v, winner %q", match1.ID, res.Ticks, res.Keyframes, match1.Bytes, match1.Players, match1.Winner)
	if *update {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(botsLog, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var fullMatch = flag.Bool("full-match", false, "TestFullMatchBytes: record a 3-minute match of 16 fighting bots (about 3 minutes)")

// TestFullMatchBytes measures a log's size: a whole 3-minute match of 16
// fighting bots (the score limit out of reach, so that it runs its time),
// recorded by a real stack. Run it with
// go test ./ticklog -run TestFullMatchBytes -full-match -v.
func TestFullMatchBytes(t *testing.T) {
	if !*fullMatch {
		t.Skip("a 3-minute measurement: run with -full-match")
	}
	d, path := openDir(t, ticklog.Options{})
	st := testkit.Start(t, func(o *stack.Options) {
		cfg := sim.DefaultConfig()
		cfg.ScoreLimit = 1 << 20
		o.Server.NewGame = server.SimGames(cfg)
		o.Server.Replays = d
	})
	swarm, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: st.URL, Count: 16, Duration: 190 * time.Second, Ramp: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r, err := swarm.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	logs := waitLogs(t, d, 1) // the swarm plays on past the match's end: a busy machine may skip ticks
	e := logs[0]
	if !e.Complete || e.Ticks != 3*60*sim.TickRate || len(e.Players) != 16 {
		t.Fatalf("log %+v; want a complete 3-minute match of 16", e)
	}
	res, err := verifyFile(t, filepath.Join(path, e.ID+".tlog"))
	if err != nil {
		t.Fatal(err)
	}
	var kills int
	for _, p := range e.Players {
		kills += p.Kills
	}
	t.Logf("a 3-minute match of 16 bots (%d kills, %d desyncs): %d bytes (%.1f KB), %.1f bytes a tick; %d ticks and %d keyframes verified",
		kills, r.Desyncs, e.Bytes, float64(e.Bytes)/1000, float64(e.Bytes)/float64(e.Ticks), res.Ticks, res.Keyframes)
}
