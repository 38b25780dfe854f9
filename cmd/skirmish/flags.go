// flags.go — what every serving role (serve.go, lobby.go, node.go) shares
// on its command line: the common flags (--trust-proxy among them),
// checked by setup, which also makes the role's logger and sets GOGC;
// stringList for repeatable flags; the game server's caps per client
// address (serve, node). serving.go listens and serves with them.

package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"skirmish/internal/clientaddr"
	"skirmish/server"
)

// gcPercent is the serving roles' GOGC unless the environment sets
// one: the heap is small and steady (about 11 KB a player) and the
// 60 Hz path allocates little, so collecting when it has grown by half
// rather than doubled costs well under 1 % CPU and keeps about 7 KB a
// player of memory (bench/results.md).
const gcPercent = 50

// stringList is a repeatable flag: each use adds one value.
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
	// stop, if set, ends serveUntilSignal as a signal does: the console's
	// drain of `skirmish serve` closes it once the drain is over.
	stop <-chan struct{}
	// trustProxy: the proxies whose X-Forwarded-For names the client, for
	// the login limit and the game server's caps per address.
	trustProxy clientaddr.Prefixes
}

func commonFlags(fs *flag.FlagSet, cmd, defaultAddr string) *common {
	c := &common{
		cmd:     cmd,
		addr:    fs.String("addr", defaultAddr, "listen address"),
		level:   fs.String("log-level", "info", "debug, info, warn or error"),
		tlsCert: fs.String("tls-cert", "", "serve https and wss with this PEM certificate (chain) file; needs --tls-key"),
		tlsKey:  fs.String("tls-key", "", "the PEM private key of --tls-cert"),
		debug:   fs.String("debug-addr", "", "also serve Go's profiler (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; keep it private"),
	}
	fs.Var(&c.trustProxy, "trust-proxy", "take the client's address from X-Forwarded-For when the peer is a proxy in this CIDR, e.g. 10.0.0.0/8 (repeatable, or a comma list; default: trust none, the peer is the client)")
	return c
}

// addrCaps are the game server's caps per client address (serve, node).
type addrCaps struct {
	conns, handshakes *int
}

func addrCapFlags(fs *flag.FlagSet) addrCaps {
	return addrCaps{
		conns:      fs.Int("max-conns-per-addr", server.DefaultMaxConnsPerAddr, "WebSocket connections open at once from one client address, past which a handshake gets 429; loopback is exempt; -1: no cap"),
		handshakes: fs.Int("max-handshakes-per-addr", server.DefaultMaxHandshakesPerAddr, "WebSocket handshakes in progress at once from one client address (429 past it); -1: no cap"),
	}
}

// apply sets the caps, and the proxies to trust, on the game server's options.
func (a addrCaps) apply(o *server.Options, trust clientaddr.Prefixes) {
	o.MaxConnsPerAddr, o.MaxHandshakesPerAddr, o.TrustProxy = *a.conns, *a.handshakes, trust
}

// setup checks the common flags, makes the role's logger, the default one
// too, and sets GOGC to gcPercent unless the environment chose. Call it
// straight after parsing: it refuses bad flags before anything slow
// starts.
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
