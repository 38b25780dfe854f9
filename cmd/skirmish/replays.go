// replays.go — the tick logs on the command line: --replays and its
// retention flags for the serving roles (serve.go, node.go), which open a
// ticklog.Dir, count it in /metrics and serve it at /api/replays; and
// `skirmish replay verify FILE…`, which replays logs through the sim.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/lobby"
	"skirmish/ticklog"
)

// replayFlags are the flags of the directory of tick logs.
type replayFlags struct {
	dir  *string
	keep *int
	days *float64
}

func newReplayFlags(fs *flag.FlagSet) replayFlags {
	return replayFlags{
		dir:  fs.String("replays", "", "keep the tick log of every match in this directory and serve them at /api/replays (default: none kept)"),
		keep: fs.Int("replays-keep", 1000, "with --replays: keep the newest this many logs; 0: all"),
		days: fs.Float64("replays-days", 30, "with --replays: remove logs older than this many days; 0: never"),
	}
}

// open opens the directory, or returns nil without --replays; its figures
// go to reg. The registrar, if not nil, is told of each log (a node
// registers them with the lobby).
func (f replayFlags) open(log *slog.Logger, reg *prometheus.Registry, r *registrar) (*ticklog.Dir, error) {
	if *f.dir == "" {
		return nil, nil
	}
	if *f.keep < 0 || *f.days < 0 {
		return nil, errors.New("--replays-keep and --replays-days: want 0 (no limit) or more")
	}
	opts := ticklog.Options{
		Keep: *f.keep, MaxAge: time.Duration(*f.days * 24 * float64(time.Hour)),
		Logger: log,
	}
	if r != nil {
		opts.OnAdd, opts.OnRemove = r.add, r.remove
	}
	d, err := ticklog.Open(*f.dir, opts)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		name, help string
		v          func(ticklog.Stats) uint64
	}{
		{"skirmish_replays_written_total", "Match tick logs written to the --replays directory.", func(s ticklog.Stats) uint64 { return s.Written }},
		{"skirmish_replays_dropped_total", "Match tick logs dropped because the writer's queue was full.", func(s ticklog.Stats) uint64 { return s.Dropped }},
		{"skirmish_replays_failed_total", "Match tick logs lost to a file error.", func(s ticklog.Stats) uint64 { return s.Failed }},
	} {
		v := c.v
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help}, func() float64 { return float64(v(d.Stats())) }))
	}
	log.Info("replays: keeping match logs", "dir", *f.dir, "logs", len(d.List()), "keep", *f.keep, "days", *f.days)
	return d, nil
}

// registrar registers a node's logs in the lobbies' store, with the URL
// the node serves them at, so that every lobby lists them.
type registrar struct {
	store lobby.Store
	base  string // the node's HTTP base URL
	log   *slog.Logger
}

// replayRegistrar is the registrar of a node whose players reach it at
// wsURL (…/ws), or nil for a node without the store (a community node,
// which serves its logs but does not list them with the lobby).
func replayRegistrar(store lobby.Store, wsURL string, log *slog.Logger) *registrar {
	if store == nil {
		return nil
	}
	base := strings.TrimSuffix(wsURL, "/ws")
	switch {
	case strings.HasPrefix(base, "wss://"):
		base = "https://" + strings.TrimPrefix(base, "wss://")
	case strings.HasPrefix(base, "ws://"):
		base = "http://" + strings.TrimPrefix(base, "ws://")
	}
	return &registrar{store: store, base: base, log: log}
}

// registerTimeout bounds one registration in the store.
const registerTimeout = 5 * time.Second

func (r *registrar) add(e ticklog.Entry) {
	e.URL = r.base
	ctx, cancel := context.WithTimeout(context.Background(), registerTimeout)
	defer cancel()
	if err := r.store.PutReplay(ctx, e); err != nil {
		r.log.Warn("replays: registering a log with the lobby", "id", e.ID, "err", err)
	}
}

func (r *registrar) remove(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), registerTimeout)
	defer cancel()
	if err := r.store.RemoveReplay(ctx, id); err != nil {
		r.log.Warn("replays: unregistering a log", "id", id, "err", err)
	}
}

const replayUsage = `usage: skirmish replay verify FILE...

verify replays each tick log through the sim and checks that every tick
reaches the hash the server recorded, and every keyframe the replayed state.
`

// replay is `skirmish replay`.
func replay(args []string) error {
	if len(args) < 1 || args[0] != "verify" {
		fmt.Fprint(os.Stderr, replayUsage)
		return errors.New("replay: want: replay verify FILE...")
	}
	fs := flag.NewFlagSet("replay verify", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), replayUsage) }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("replay verify: name at least one log file")
	}
	failed := 0
	for _, name := range fs.Args() {
		if err := verifyLog(name); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("replay verify: %d of %d logs failed", failed, fs.NArg())
	}
	return nil
}

// verifyLog verifies one file and prints what it checked.
func verifyLog(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	h, res, err := ticklog.Verify(f)
	if err != nil {
		return err
	}
	winner := "none"
	for _, p := range h.GetPlayers() {
		if h.GetComplete() && p.GetId() == h.GetWinner() {
			winner = p.GetName()
		}
	}
	fmt.Printf("%s: ok: room %s match %d, ticks %d..%d (%d replayed to the recorded hashes, %d keyframes checked), %d players, winner %s, complete %v\n",
		name, h.GetRoom(), h.GetMatch(), h.GetFirstTick(), h.GetLastTick(), res.Ticks, res.Keyframes, len(h.GetPlayers()), winner, h.GetComplete())
	return nil
}
