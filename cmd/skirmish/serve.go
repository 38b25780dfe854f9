// serve.go — `skirmish serve`: lobby, game server, web client, health and
// metrics in one process, with graceful shutdown. The lobby and the game
// server are wired by internal/stack, as the tests wire them: the lobby
// keeps its state in memory, or in Redis with --redis; it keeps the seats,
// and the game server confirms connects and leaves to it and reports its
// matches. With a token (console.go) the operator's console is at
// /console; its drain drains the game server, then serve exits. For more
// than one process, run `skirmish lobby` and `skirmish node` instead.

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"skirmish/console"
	"skirmish/internal/stack"
	"skirmish/server"
	"skirmish/ticklog/replayhttp"
)

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := commonFlags(fs, "serve", "127.0.0.1:8080")
	web := fs.String("web", "client/dist", "folder of the built web client")
	redisURL := fs.String("redis", "", "keep lobby state in Redis at this URL, e.g. redis://127.0.0.1:6379/0 (default: in memory)")
	loginRate := fs.Float64("login-rate", 5, "logins per second per client address, in bursts of 10 times that; loopback is exempt; 0: no limit")
	rules := newGameFlags(fs)
	watching := newSpectateFlags(fs)
	admin := newAdminFlags(fs)
	drainTimeout := fs.Duration("drain-timeout", defaultDrainTimeout, "when the console drains this process, how long running matches may go on before their players are cut off (then it exits)")
	caps := addrCapFlags(fs)
	replays := newReplayFlags(fs)
	var origins stringList
	fs.Var(&origins, "origin", "a browser Origin allowed to connect, e.g. https://play.example.com (repeatable; default: same origin only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := c.setup()
	if err != nil {
		return err
	}
	token, madeToken, err := admin.adminToken("serve")
	if err != nil {
		return err
	}
	newGame, err := rules.games()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	maxSpectators, spectateDelay, err := watching.spectating()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hold, err := rules.hold()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	reg := registry()
	store, closeStore, err := openStore(*redisURL)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer closeStore()
	dir, err := replays.open(log, reg, nil)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if dir != nil {
		defer dir.Close() // after the stack's shutdown: the rooms write their last logs
	}
	opts := stack.Options{
		Lobby: lobbyOptions(log, reg, store, *loginRate),
		Server: server.Options{
			NewGame:        newGame,
			MaxSpectators:  maxSpectators,
			SpectateDelay:  spectateDelay,
			ResumeHold:     hold,
			AllowedOrigins: origins,
			Logger:         log,
			Registerer:     reg,
			Replays:        dir,
		},
	}
	opts.Lobby.TrustProxy = c.trustProxy
	caps.apply(&opts.Server, c.trustProxy)
	st, err := stack.New(opts)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	mux := http.NewServeMux()
	st.Routes(mux)
	if dir != nil {
		replayhttp.Routes(mux, dir, log)
	}
	opsRoutes(mux, reg, nil)
	drained := make(chan struct{})
	c.stop = drained
	console.New(console.Options{
		Token: token, Role: "serve", Game: st.Server, Metrics: reg, Logger: log,
		Drain: drainThenStop(log, st.Server, *drainTimeout, drained),
	}).Routes(mux)
	mux.Handle("/", webHandler(*web))

	hs, err := c.serveUntilSignal(log, mux, func(base string) string {
		return "Skirmish is running: open " + base + "/ to play (Ctrl-C stops it)" + consoleLine(base, token, madeToken)
	})
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err != nil {
		st.Shutdown(sctx)
		return err
	}
	stopHTTP(sctx, log, hs)
	if err := st.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	log.Info("serve: stopped")
	return nil
}

// drainThenStop is serve's drain from the console: the game server
// drains (server.Server.Drain: no new rooms, each room closes when its
// match ends, up to timeout), then done closes and serve exits as on a
// signal. Asking again changes nothing.
func drainThenStop(log *slog.Logger, srv *server.Server, timeout time.Duration, done chan<- struct{}) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			go func() {
				defer close(done)
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				defer cancel()
				if err := srv.Drain(ctx); err != nil {
					log.Warn("serve: drain cut short; players still in a match were sent away", "err", err)
				}
				log.Info("serve: drained; stopping")
			}()
		})
	}
}
