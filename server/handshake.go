// handshake.go — GET /ws?ticket=…: the join. Origin, the caps per client
// address (addrlimit.go: 429), ticket and seat are checked before any
// upgrade, each refusal an HTTP status, a log line and a metric (503 for a
// room a draining server does not host: drain.go); then the connection
// gets its client (conn.go) and goes to its room (room.go), where it
// takes over the player its account has there, if any (hold.go).
// A spectator's ticket takes no seat: spectate.go.

package server

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/lxzan/gws"

	"skirmish/ticket"
)

// ServeHTTP is the WebSocket endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		s.refuse(w, r, http.StatusMethodNotAllowed, "method", "use GET with a WebSocket upgrade")
		return
	}
	if s.closing.Load() {
		s.refuse(w, r, http.StatusServiceUnavailable, "shutdown", "server shutting down")
		return
	}
	if !s.originAllowed(r) {
		s.refuse(w, r, http.StatusForbidden, "origin", "origin not allowed")
		return
	}
	addr, reason, msg := s.beginHandshake(r)
	if reason != "" {
		s.refuse(w, r, http.StatusTooManyRequests, reason, msg)
		return
	}
	upgraded := false
	s.metrics.handshakes.Inc()
	defer func() {
		s.metrics.handshakes.Dec()
		s.endHandshake(addr, upgraded)
	}()
	now := s.opts.Now()
	t, err := s.opts.Verifier.Redeem(r.URL.Query().Get("ticket"), now)
	if err != nil {
		s.refuse(w, r, http.StatusUnauthorized, "ticket_"+ticket.Reason(err), err.Error())
		return
	}
	if t.Spectator {
		upgraded = s.serveSpectator(w, r, t, addr) // spectate.go
		return
	}
	st, err := s.registry.claim(t.PlayerID, t.Room)
	if errors.Is(err, errDraining) {
		s.refuse(w, r, http.StatusServiceUnavailable, "draining", "server is draining")
		return
	}
	if err != nil {
		s.refuse(w, r, http.StatusUnauthorized, "no_seat", err.Error())
		return
	}
	conn, ok := s.upgrade(w, r)
	if !ok {
		s.registry.unclaim(t.PlayerID, st)
		return
	}
	upgraded = true
	rm := st.room
	c := newClient(s, rm, conn, t, addr)
	conn.Session().Store(sessionKey, c)
	s.registry.attach(st, c) // before the room can see c: from now on its close is the seat's
	s.track(c, true)
	s.metrics.connects.Inc()
	if !rm.offer(c) {
		c.kick(rm.refusal())
	}
	go conn.ReadLoop()
}

// upgrade turns the request into a WebSocket; false, counted and logged,
// when it cannot.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request) (*gws.Conn, bool) {
	conn, err := s.upgrader.Upgrade(w, r)
	if err != nil {
		s.metrics.rejected.WithLabelValues("upgrade").Inc()
		s.opts.Logger.Info("server: upgrade failed", "remote", r.RemoteAddr, "err", err)
		return nil, false
	}
	if n := s.opts.SocketWriteBuffer; n > 0 {
		if tc, ok := conn.NetConn().(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(n)
		}
	}
	return conn, true
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, reason, msg string) {
	s.metrics.rejected.WithLabelValues(reason).Inc()
	s.recent.add(Event{At: s.opts.Now(), Kind: "refusal", Reason: reason, Remote: r.RemoteAddr})
	s.opts.Logger.Info("server: handshake refused", "remote", r.RemoteAddr, "status", status, "reason", reason)
	http.Error(w, "skirmish: "+msg, status)
}

// originAllowed applies the Origin policy: no Origin (not a browser) is
// fine; otherwise it must be listed in AllowedOrigins or, when that is
// empty, name the host the request was sent to.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if len(s.opts.AllowedOrigins) > 0 {
		for _, o := range s.opts.AllowedOrigins {
			if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
				return true
			}
		}
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}
