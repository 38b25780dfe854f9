// server.go — the Server: its options, registry, metrics and upgrader, the
// pinger that keeps connections honest, and shutdown (drain.go: the
// graceful one, which lets the matches end first).

package server

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	pb "skirmish/proto"
)

// Server hosts rooms and their WebSocket connections. Its ServeHTTP is the
// /ws endpoint.
type Server struct {
	opts     Options
	registry *registry
	metrics  *metrics
	gatherer prometheus.Gatherer
	upgrader *gws.Upgrader
	closing  atomic.Bool
	draining atomic.Bool // Drain was called; set under the registry's lock
	notice   []byte      // the ServerMessage frame of the drain's Notice
	recent   recent      // the latest kicks and refusals (recent.go)
	addrs    addrLimits  // connections and handshakes by client address
	reports  *spectatorReports

	mu       sync.Mutex
	conns    map[*client]struct{} // open connections, for the pinger
	watching int                  // how many of conns are spectators' (spectate.go)

	quit        chan struct{}
	done        chan struct{} // the pinger ended
	reportsDone chan struct{} // the spectator reports ended (spectate.go)
}

// New makes a Server; it starts serving when ServeHTTP is mounted.
func New(opts Options) (*Server, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, conns: make(map[*client]struct{}), quit: make(chan struct{}), done: make(chan struct{}),
		reports: newSpectatorReports(&opts), reportsDone: make(chan struct{})}
	notice, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Notice{Notice: &pb.Notice{Message: drainNotice}}})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.notice = notice
	reg := opts.Registerer
	if reg == nil {
		r := prometheus.NewRegistry()
		reg, s.gatherer = r, r
	}
	s.metrics = newMetrics(reg)
	s.registry = newRegistry(s)
	s.upgrader = gws.NewUpgrader(handler{s}, &gws.ServerOption{
		ReadMaxPayloadSize: opts.ReadMaxPayload,
		ReadBufferSize:     opts.ReadMaxPayload + 16,
		CheckUtf8Enabled:   true,
		HandshakeTimeout:   5 * time.Second,
		NewSession:         newSession,
	})
	go s.pinger()
	go s.reports.run(s.quit, s.reportsDone)
	return s, nil
}

// MetricsHandler serves the metrics of a Server made without a Registerer;
// with one, serve that registry instead.
func (s *Server) MetricsHandler() http.Handler {
	if s.gatherer == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{})
}

func (s *Server) track(c *client, open bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.conns)
	if open {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
	if c.ticket.Spectator {
		s.watching += len(s.conns) - n
	}
}

// pinger pings every connection each PingInterval (browsers answer pings
// but cannot send them) and sweeps the registry's idle rooms.
func (s *Server) pinger() {
	defer close(s.done)
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	var batch []*client
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
		}
		batch = batch[:0]
		s.mu.Lock()
		for c := range s.conns {
			batch = append(batch, c)
		}
		s.mu.Unlock()
		for _, c := range batch {
			c.conn.WriteAsync(gws.OpcodePing, nil, nil)
		}
		s.registry.mu.Lock()
		s.registry.sweepLocked(s.opts.Now())
		s.registry.mu.Unlock()
	}
}

// Shutdown refuses new players, tells every connected player the server is
// going away, closes their connections and waits for the rooms to end or
// ctx to expire. Stop the HTTP server's listener first. Drain (drain.go)
// lets the matches end first.
func (s *Server) Shutdown(ctx context.Context) error {
	if !s.closing.CompareAndSwap(false, true) {
		return nil
	}
	close(s.quit)
	rooms := s.registry.shutdown()
	for _, r := range rooms {
		r.stop(kickShutdown)
	}
	if err := waitRooms(ctx, rooms); err != nil {
		return err
	}
	for _, done := range []chan struct{}{s.done, s.reportsDone} {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.waitConns(ctx)
}

// waitRooms waits until every room's goroutine has ended, or ctx has.
func waitRooms(ctx context.Context, rooms []*room) error {
	for _, r := range rooms {
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// waitConns waits until no connection is open, or ctx ends. It gives the
// kicks a moment to reach the wire: each connection's read loop ends when
// its close frame is written.
func (s *Server) waitConns(ctx context.Context) error {
	for {
		s.mu.Lock()
		open := len(s.conns)
		s.mu.Unlock()
		if open == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
