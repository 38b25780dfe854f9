// common.go — what the roles share: the logger, the metrics registry, the
// lobby's store (memory or Redis), the HTTP listener (plain, or TLS with
// --tls-cert/--tls-key), and a server's life: serve until SIGINT or
// SIGTERM, then stop in order.

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"skirmish/lobby"
	"skirmish/server"
	"skirmish/sim"
)

const (
	// shutdownGrace bounds a graceful shutdown.
	shutdownGrace = 10 * time.Second
	// redisDialTimeout bounds the first PING to --redis.
	redisDialTimeout = 5 * time.Second
	// loginBurstFactor: an address may log in this many seconds' worth of
	// --login-rate at once.
	loginBurstFactor = 10
	// readHeaderTimeout bounds a request's headers: slow-loris clients.
	readHeaderTimeout = 5 * time.Second
	// minMatch and maxMatch bound --match-length.
	minMatch, maxMatch = 10 * time.Second, time.Hour
	// defaultLagCompWindow is --lag-comp-window's default: the sim's
	// (12 ticks), Overwatch's order of magnitude; maxLagCompWindow bounds
	// it, as the sim does (sim.MaxLagCompTicks).
	defaultLagCompWindow = 200 * time.Millisecond
	maxLagCompWindow     = time.Second
	// gcPercent is the serving roles' GOGC unless the environment sets
	// one: the heap is small and steady (about 11 KB a player) and the
	// 60 Hz path allocates little, so collecting when it has grown by half
	// rather than doubled costs well under 1 % CPU and keeps about 7 KB a
	// player of memory (bench/results.md).
	gcPercent = 50
)

type stringList []string

func (o *stringList) String() string     { return strings.Join(*o, ",") }
func (o *stringList) Set(v string) error { *o = append(*o, v); return nil }

// common are the flags every serving role has.
type common struct {
	cmd     string
	addr    *string
	level   *string
	tlsCert *string
	tlsKey  *string
	debug   *string
}

func commonFlags(fs *flag.FlagSet, cmd, defaultAddr string) *common {
	return &common{
		cmd:     cmd,
		addr:    fs.String("addr", defaultAddr, "listen address"),
		level:   fs.String("log-level", "info", "debug, info, warn or error"),
		tlsCert: fs.String("tls-cert", "", "serve https and wss with this PEM certificate (chain) file; needs --tls-key"),
		tlsKey:  fs.String("tls-key", "", "the PEM private key of --tls-cert"),
		debug:   fs.String("debug-addr", "", "also serve Go's profiler (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; keep it private"),
	}
}

// setup checks the common flags, makes the role's logger, the default one
// too, and sets GOGC to gcPercent unless the environment chose. Call it straight after parsing: it refuses bad flags before
// anything slow starts.
func (c *common) setup() (*slog.Logger, error) {
	if (*c.tlsCert == "") != (*c.tlsKey == "") {
		return nil, fmt.Errorf("%s: --tls-cert and --tls-key go together", c.cmd)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*c.level)); err != nil {
		return nil, fmt.Errorf("%s: --log-level: %w", c.cmd, err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
	slog.SetDefault(log)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	return log, nil
}

// listen opens the listener, with TLS when --tls-cert and --tls-key are
// given, and says whether it is TLS.
func (c *common) listen() (net.Listener, bool, error) {
	ln, err := net.Listen("tcp", *c.addr)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", c.cmd, err)
	}
	if *c.tlsCert == "" {
		return ln, false, nil
	}
	cert, err := tls.LoadX509KeyPair(*c.tlsCert, *c.tlsKey)
	if err != nil {
		ln.Close()
		return nil, false, fmt.Errorf("%s: --tls-cert/--tls-key: %w", c.cmd, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
	return tls.NewListener(ln, cfg), true, nil
}

// registry is a metrics registry with the Go and process collectors.
func registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// opsRoutes adds /metrics and /healthz; health says "ok" while healthy()
// is empty, and otherwise what it returns (still 200: draining is healthy).
func opsRoutes(mux *http.ServeMux, reg *prometheus.Registry, health func() string) {
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		msg := "ok"
		if health != nil {
			if s := health(); s != "" {
				msg = s
			}
		}
		fmt.Fprintln(w, msg)
	})
}

// debugRoutes serves net/http/pprof's handlers, for --debug-addr only:
// never on the public mux.
func debugRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// lobbyOutcomes counts the lobby's request outcomes.
func lobbyOutcomes(reg prometheus.Registerer) func(string) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "skirmish", Name: "lobby_requests_total", Help: "Lobby requests, by outcome.",
	}, []string{"outcome"})
	reg.MustRegister(c)
	return func(o string) { c.WithLabelValues(o).Inc() }
}

// loginLimit turns --login-rate into the lobby's LoginRate and LoginBurst.
func loginLimit(rate float64) (float64, int) {
	if rate <= 0 {
		return -1, 1 // no limit
	}
	return rate, max(1, int(rate*loginBurstFactor))
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
	redis.SetLogger(redisLog{})
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), redisDialTimeout)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("--redis %s: %w", opts.Addr, err)
	}
	return lobby.NewRedisStore(c, lobby.RedisOptions{}), func() { c.Close() }, nil
}

// httpServer serves handler on ln on a goroutine of its own; the returned
// channel gets its error if it stops by itself.
func httpServer(ln net.Listener, handler http.Handler) (*http.Server, <-chan error) {
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: readHeaderTimeout}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	return hs, errc
}

// stopHTTP shuts hs down within ctx, logging a failure.
func stopHTTP(ctx context.Context, log *slog.Logger, hs *http.Server) {
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", "err", err)
	}
}

// baseURL is how the listener is reached: http(s)://addr.
func baseURL(ln net.Listener, tlsOn bool) string {
	if tlsOn {
		return "https://" + ln.Addr().String()
	}
	return "http://" + ln.Addr().String()
}

// gameFlags are the rules of the rooms, for the roles that host them
// (serve, node).
type gameFlags struct {
	matchLength, lagCompWindow *time.Duration
}

func newGameFlags(fs *flag.FlagSet) gameFlags {
	return gameFlags{
		matchLength: fs.Duration("match-length", 0, "length of a match, e.g. 90s (default: the game's, 3 minutes)"),
		lagCompWindow: fs.Duration("lag-comp-window", defaultLagCompWindow,
			"lag compensation: how far in the past a shot may be judged, against the targets where its shooter saw them, up to 1s; 0: off (every shot judged against the present)"),
	}
}

// games is the game of every room for these flags.
func (g gameFlags) games() (func(room string) server.Game, error) {
	cfg := sim.DefaultConfig()
	if m := *g.matchLength; m != 0 {
		if m < minMatch || m > maxMatch {
			return nil, fmt.Errorf("--match-length %v: want %v to %v", m, minMatch, maxMatch)
		}
		cfg.MatchTicks = int32(m * sim.TickRate / time.Second)
	}
	ticks, err := lagCompTicks(*g.lagCompWindow)
	if err != nil {
		return nil, err
	}
	cfg.LagCompTicks = ticks
	return server.SimGames(cfg), nil
}

// lagCompTicks is sim.Config.LagCompTicks for --lag-comp-window w: w in
// ticks, to the nearest and at least one; -1 (off) for 0.
func lagCompTicks(w time.Duration) (int32, error) {
	switch {
	case w < 0 || w > maxLagCompWindow:
		return 0, fmt.Errorf("--lag-comp-window %v: want 0 (off) to %v", w, maxLagCompWindow)
	case w == 0:
		return -1, nil
	}
	return int32(max((w*sim.TickRate+time.Second/2)/time.Second, 1)), nil
}

// redisLog sends go-redis's own messages (reconnects, mostly) to the
// default logger at debug level: the roles log what a failure means.
type redisLog struct{}

func (redisLog) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// lobbyOptions are the lobby's options for serve and the lobby role (which
// adds its Signer and Nodes): its store, logger, outcome counter and
// login limit.
func lobbyOptions(log *slog.Logger, reg prometheus.Registerer, store lobby.Store, loginRate float64) lobby.Options {
	rate, burst := loginLimit(loginRate)
	return lobby.Options{
		Store:      store,
		Logger:     log,
		Observe:    lobbyOutcomes(reg),
		LoginRate:  rate,
		LoginBurst: burst,
	}
}

// serveUntilSignal listens (with TLS if asked), serves handler, prints
// banner(base URL) for people, and returns the running server when SIGINT
// or SIGTERM arrives, for the caller to stop in its order; or an error if
// the server fails first.
func (c *common) serveUntilSignal(log *slog.Logger, handler http.Handler, banner func(base string) string) (*http.Server, error) {
	ln, tlsOn, err := c.listen()
	if err != nil {
		return nil, err
	}
	hs, errc := httpServer(ln, handler)
	if *c.debug != "" {
		dln, err := net.Listen("tcp", *c.debug)
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("%s: --debug-addr: %w", c.cmd, err)
		}
		ds, _ := httpServer(dln, debugRoutes())
		defer ds.Close()
		log.Info(c.cmd+": profiler listening", "addr", dln.Addr().String())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Println(banner(baseURL(ln, tlsOn)))
	log.Info(c.cmd+": listening", "addr", ln.Addr().String(), "tls", tlsOn)
	select {
	case err := <-errc:
		return nil, fmt.Errorf("%s: %w", c.cmd, err)
	case <-ctx.Done():
	}
	log.Info(c.cmd + ": shutting down")
	return hs, nil
}
