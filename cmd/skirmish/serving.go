// serving.go — a serving role's life (serve.go, lobby.go, node.go): listen
// on --addr (plain, or TLS with --tls-cert/--tls-key, flags.go), serve
// until SIGINT or SIGTERM, with the profiler of ops.go on --debug-addr,
// then hand the HTTP server back for the role to stop in its order.

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const (
	// shutdownGrace bounds a graceful shutdown.
	shutdownGrace = 10 * time.Second
	// readHeaderTimeout bounds a request's headers: slow-loris clients.
	readHeaderTimeout = 5 * time.Second
)

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

// serveDebug serves the profiler on --debug-addr, if set, until the
// returned stop is called.
func (c *common) serveDebug(log *slog.Logger) (stop func(), err error) {
	if *c.debug == "" {
		return func() {}, nil
	}
	dln, err := net.Listen("tcp", *c.debug)
	if err != nil {
		return nil, fmt.Errorf("%s: --debug-addr: %w", c.cmd, err)
	}
	ds, _ := httpServer(dln, debugRoutes())
	log.Info(c.cmd+": profiler listening", "addr", dln.Addr().String())
	return func() { ds.Close() }, nil
}

// serveUntilSignal listens (with TLS if asked), serves handler, prints
// banner(base URL) for people, and returns the running server when SIGINT
// or SIGTERM arrives, or c.stop closes, for the caller to stop in its
// order; or an error if the server fails first.
func (c *common) serveUntilSignal(log *slog.Logger, handler http.Handler, banner func(base string) string) (*http.Server, error) {
	ln, tlsOn, err := c.listen()
	if err != nil {
		return nil, err
	}
	stopDebug, err := c.serveDebug(log)
	if err != nil {
		ln.Close()
		return nil, err
	}
	defer stopDebug()
	hs, errc := httpServer(ln, handler)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Println(banner(baseURL(ln, tlsOn)))
	log.Info(c.cmd+": listening", "addr", ln.Addr().String(), "tls", tlsOn)
	select {
	case err := <-errc:
		return nil, fmt.Errorf("%s: %w", c.cmd, err)
	case <-ctx.Done():
	case <-c.stop:
	}
	log.Info(c.cmd + ": shutting down")
	return hs, nil
}
