// addrlimit.go — the caps per client address: WebSocket connections open
// and handshakes in progress. handshake.go takes a handshake slot before
// it reads the ticket and turns it into a connection at the upgrade;
// conn.go gives the connection back when it closes. The address is the
// client's through Options.TrustProxy (internal/clientaddr).

package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"sync"

	"skirmish/internal/clientaddr"
)

// addrLimits counts connections and handshakes by client address. The
// handshake path takes its lock, never the tick.
type addrLimits struct {
	mu sync.Mutex
	by map[netip.Addr]addrCount // only addresses with something open
}

type addrCount struct{ open, pending int }

// beginHandshake takes a handshake slot for r's client and returns its address, or
// the refusal's reason label and message when a cap is reached.
// A zero Addr with no refusal means the address is not capped (loopback,
// or the caps are off): nothing to give back.
func (s *Server) beginHandshake(r *http.Request) (addr netip.Addr, reason, msg string) {
	addr = clientaddr.From(r, s.opts.TrustProxy)
	if !addr.IsValid() || (addr.IsLoopback() && !s.opts.LimitLoopback) {
		return netip.Addr{}, "", ""
	}
	a := &s.addrs
	a.mu.Lock()
	defer a.mu.Unlock()
	n := a.by[addr]
	switch {
	case s.opts.MaxHandshakesPerAddr > 0 && n.pending >= s.opts.MaxHandshakesPerAddr:
		return netip.Addr{}, "addr_handshakes", fmt.Sprintf("too many handshakes in progress from this address (%d at once)", s.opts.MaxHandshakesPerAddr)
	case s.opts.MaxConnsPerAddr > 0 && n.open+n.pending >= s.opts.MaxConnsPerAddr:
		return netip.Addr{}, "addr_connections", fmt.Sprintf("too many connections from this address (%d at once)", s.opts.MaxConnsPerAddr)
	}
	n.pending++
	if a.by == nil {
		a.by = make(map[netip.Addr]addrCount)
	}
	a.by[addr] = n
	return addr, "", ""
}

// endHandshake gives back addr's handshake slot; upgraded turns it into
// an open connection, which closeConn gives back.
func (s *Server) endHandshake(addr netip.Addr, upgraded bool) {
	if !addr.IsValid() {
		return
	}
	s.addrs.change(addr, func(n *addrCount) {
		n.pending--
		if upgraded {
			n.open++
		}
	})
}

// closeConn gives back addr's connection.
func (s *Server) closeConn(addr netip.Addr) {
	if addr.IsValid() {
		s.addrs.change(addr, func(n *addrCount) { n.open-- })
	}
}

func (a *addrLimits) change(addr netip.Addr, f func(*addrCount)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := a.by[addr]
	f(&n)
	if n == (addrCount{}) {
		delete(a.by, addr)
	} else {
		a.by[addr] = n
	}
}

// tracked is how many addresses have something open, for tests.
func (a *addrLimits) tracked() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.by)
}
