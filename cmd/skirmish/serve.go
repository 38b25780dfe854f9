// serve.go — `skirmish serve`: lobby, game server, web client, health and
// metrics in one process, with graceful shutdown. The lobby keeps its state
// in memory, or in Redis with --redis; it keeps the seats, and the game
// server confirms connects and leaves to it and reports its matches.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"skirmish/lobby"
	"skirmish/server"
)

const (
	// shutdownGrace bounds a graceful shutdown.
	shutdownGrace = 10 * time.Second
	// redisDialTimeout bounds the first PING to --redis.
	redisDialTimeout = 5 * time.Second
	// loginBurstFactor: an address may log in this many seconds' worth of
	// --login-rate at once.
	loginBurstFactor = 10
)

type originList []string

func (o *originList) String() string     { return strings.Join(*o, ",") }
func (o *originList) Set(v string) error { *o = append(*o, v); return nil }

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	web := fs.String("web", "client/dist", "folder of the built web client")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	redisURL := fs.String("redis", "", "keep lobby state in Redis at this URL, e.g. redis://127.0.0.1:6379/0 (default: in memory)")
	loginRate := fs.Float64("login-rate", 5, "logins per second per client address, in bursts of 10 times that; loopback is exempt; 0: no limit")
	var origins originList
	fs.Var(&origins, "origin", "a browser Origin allowed to connect, e.g. https://play.example.com (repeatable; default: same origin only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("serve: --log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
	slog.SetDefault(log)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	signer, err := lobby.GenerateSigner()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	store, closeStore, err := openStore(*redisURL)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer closeStore()
	lobbyOutcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "skirmish", Name: "lobby_requests_total", Help: "Lobby requests, by outcome.",
	}, []string{"outcome"})
	reg.MustRegister(lobbyOutcomes)
	rate := -1.0 // no limit
	if *loginRate > 0 {
		rate = *loginRate
	}
	lob, err := lobby.New(lobby.Options{
		Signer:     signer,
		Store:      store,
		Logger:     log,
		Observe:    func(o string) { lobbyOutcomes.WithLabelValues(o).Inc() },
		LoginRate:  rate,
		LoginBurst: max(1, int(rate*loginBurstFactor)),
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer lob.Close()
	game, err := server.New(server.Options{
		Verifier:       lobby.NewVerifier(signer.PublicKey()),
		AllowedOrigins: origins,
		Logger:         log,
		Registerer:     reg,
		Ledger:         lob,
		OnMatchStart:   lob.MatchStarted,
		OnMatchEnd:     lob.MatchEnded,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	mux := http.NewServeMux()
	mux.Handle("/api/", lob.Handler())
	mux.Handle("/ws", game)
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("/", webHandler(*web))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Printf("Skirmish is running: open http://%s/ to play (Ctrl-C stops it)\n", ln.Addr())
	log.Info("serve: listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("serve: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("serve: http shutdown", "err", err)
	}
	if err := game.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	log.Info("serve: stopped")
	return nil
}

// openStore returns the lobby's store: in memory, or in Redis at url,
// checked with a PING. The returned func closes it.
func openStore(url string) (lobby.Store, func(), error) {
	if url == "" {
		return lobby.NewMemoryStore(), func() {}, nil
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("--redis: %w", err)
	}
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), redisDialTimeout)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("--redis %s: %w", opts.Addr, err)
	}
	return lobby.NewRedisStore(c, lobby.RedisOptions{}), func() { c.Close() }, nil
}
