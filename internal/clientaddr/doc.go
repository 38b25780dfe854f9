// doc.go — the package overview. The parts: clientaddr.go (the address a
// request came from, through trusted proxies), prefixes.go (--trust-proxy:
// the CIDRs of those proxies, as a flag).

// Package clientaddr says which client a request came from, for the limits
// that count by address: the lobby's login limit (lobby/ratelimit.go) and
// the game server's caps on connections and handshakes
// (server/addrlimit.go).
//
// Without trusted proxies the client is the direct peer, RemoteAddr, and
// X-Forwarded-For is ignored: anyone can write it. When the peer is one of
// the trusted proxies, the client is the rightmost address in
// X-Forwarded-For that is not a trusted proxy: each proxy appends the peer
// it saw, so the addresses right of that one were written by proxies we
// trust, and the ones left of it by whoever the client is.
//
//	var trusted clientaddr.Prefixes // fs.Var(&trusted, "trust-proxy", …)
//	addr := clientaddr.From(r, trusted)
package clientaddr
