// serve.go — `skirmish serve`: lobby, game server, web client, health and
// metrics in one process, with graceful shutdown.

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

	"skirmish/lobby"
	"skirmish/server"
)

// shutdownGrace bounds a graceful shutdown.
const shutdownGrace = 10 * time.Second

type originList []string

func (o *originList) String() string     { return strings.Join(*o, ",") }
func (o *originList) Set(v string) error { *o = append(*o, v); return nil }

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	web := fs.String("web", "client/dist", "folder of the built web client")
	level := fs.String("log-level", "info", "debug, info, warn or error")
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
	game, err := server.New(server.Options{
		Verifier:       lobby.NewVerifier(signer.PublicKey()),
		AllowedOrigins: origins,
		Logger:         log,
		Registerer:     reg,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	playOutcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "skirmish", Name: "lobby_requests_total", Help: "Lobby requests, by outcome.",
	}, []string{"outcome"})
	reg.MustRegister(playOutcomes)
	lob, err := lobby.New(lobby.Options{
		Signer:  signer,
		Seats:   game.Seats(),
		Logger:  log,
		Observe: func(o string) { playOutcomes.WithLabelValues(o).Inc() },
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
