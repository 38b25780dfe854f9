// clientaddr.go — From: the client's address, the direct peer's or, behind
// trusted proxies (prefixes.go), X-Forwarded-For's rightmost untrusted hop.

package clientaddr

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// From returns the address r came from. The direct peer (r.RemoteAddr)
// is the client unless it is in trusted; then X-Forwarded-For (all its
// header lines, in order) is read from the right, past every hop in
// trusted, and the first hop that is not is the client. When every hop is
// trusted the leftmost is the client; a hop that is not an address ends
// the walk at the trusted hop right of it. From returns the zero Addr
// only when RemoteAddr is not an address (never from net/http's server).
func From(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := parse(r.RemoteAddr)
	if !peer.IsValid() || !contains(trusted, peer) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		line := hops[i]
		for line != "" {
			var hop string
			if j := strings.LastIndexByte(line, ','); j >= 0 {
				hop, line = line[j+1:], line[:j]
			} else {
				hop, line = line, ""
			}
			a := parse(strings.TrimSpace(hop))
			if !a.IsValid() {
				return addr
			}
			addr = a
			if !contains(trusted, a) {
				return a
			}
		}
	}
	return addr
}

// parse reads "ip", "ip:port" or "[ipv6]:port", IPv4-mapped IPv6 as IPv4,
// without a zone. It returns the zero Addr for anything else.
func parse(s string) netip.Addr {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

func contains(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
