// node.go — `skirmish node`: a game server process that hosts the rooms
// the lobbies place on it. It registers in Redis with its public URL,
// capacity and load (a heartbeat every second, out of rotation 5 s after
// the last), verifies tickets with the keys the lobbies publish (or pinned
// ones: it can verify, never mint), and reports its matches. A community
// node (--lobby and --credential, no --redis) does the same through the
// lobby's node API (skirmish/lobby/nodeapi), enrolled by the credential
// the operator issued it. SIGTERM drains it: no new rooms, the running
// matches play out (up to --drain-timeout), the players are told, and it
// exits 0. Under Agones
// (AGONES_SDK_HTTP_PORT set) it follows the SDK's lifecycle: Ready when
// it takes players, Health every 2 s, Allocate when a match starts, Ready
// again once it is empty, Shutdown when drained. This file reads the
// flags and wires the node (newNode); nodelife.go runs its life.

package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/console"
	"skirmish/internal/agones"
	"skirmish/lobby"
	"skirmish/lobby/nodeapi"
	"skirmish/nodecred"
	"skirmish/server"
	"skirmish/ticket"
	"skirmish/ticklog"
	"skirmish/ticklog/replayhttp"
)

const (
	defaultDrainTimeout = 5 * time.Minute
	// agonesWait bounds the wait for the Agones sidecar's first answer.
	agonesWait = time.Minute
	// agonesIdleCheck is how often an Allocated node looks whether it
	// emptied, to become Ready again (and so scalable down).
	agonesIdleCheck = 2 * time.Second
)

func runNode(args []string) error {
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	c := commonFlags(fs, "node", "127.0.0.1:7000")
	redisURL := fs.String("redis", "", "the Redis the lobbies use, e.g. redis://127.0.0.1:6379/0 (an operator's node; or --lobby and --credential)")
	lobbyURL := fs.String("lobby", "", "a community node: the lobby's URL, e.g. https://lobby.example.com, whose node API it registers with (needs --credential; no --redis)")
	credFile := fs.String("credential", "", "a community node: the credential file the operator issued it (skirmish keygen --node)")
	publicURL := fs.String("public-url", "", "the WebSocket URL players reach this node at, e.g. wss://game1.example.com:7000/ws (default: from --addr when it names a host, or from Agones)")
	name := fs.String("name", "", "this node's name, unique among live nodes (default: the Agones GameServer's name, or host-port)")
	capacity := fs.Int("capacity", 256, "players this node takes (a community node: at most, and by default, its credential's)")
	drainTimeout := fs.Duration("drain-timeout", defaultDrainTimeout, "on SIGTERM, how long running matches may go on before their players are cut off")
	rules := newGameFlags(fs)
	watching := newSpectateFlags(fs)
	admin := newAdminFlags(fs)
	replays := newReplayFlags(fs)
	var origins, pinned stringList
	fs.Var(&origins, "origin", "a browser Origin allowed to connect, e.g. https://play.example.com: the lobby's, since the page comes from there (repeatable)")
	caps := addrCapFlags(fs)
	fs.Var(&pinned, "lobby-key", "accept only tickets signed with this public key (base64, as skirmish keygen prints; repeatable; default: the keys the lobbies publish in Redis)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	community := *lobbyURL != "" || *credFile != ""
	switch {
	case community && (*redisURL != "" || *lobbyURL == "" || *credFile == ""):
		return errors.New("node: a community node takes --lobby and --credential, and no --redis")
	case !community && *redisURL == "":
		return errors.New("node: --redis is required, or --lobby and --credential for a community node (for one process, use skirmish serve)")
	case community && len(pinned) > 0:
		return errors.New("node: a community node takes its ticket keys from the lobby; --lobby-key is for nodes on Redis")
	}
	log, err := c.setup()
	if err != nil {
		return err
	}
	token, madeToken, err := admin.adminToken("node")
	if err != nil {
		return err
	}
	keys := make([]ed25519.PublicKey, 0, len(pinned))
	for _, s := range pinned {
		k, err := ticket.ParseKey(s)
		if err != nil {
			return fmt.Errorf("node: --lobby-key: %w", err)
		}
		keys = append(keys, k)
	}
	newGame, err := rules.games()
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	maxSpectators, spectateDelay, err := watching.spectating()
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	hold, err := rules.hold()
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	var store lobby.Store
	var cred nodecred.File
	if community {
		if cred, err = nodecred.Load(*credFile); err != nil {
			return fmt.Errorf("node: %w", err)
		}
		if *name != "" && *name != cred.Credential.Name {
			return fmt.Errorf("node: --name %q: a community node is named by its credential, %q", *name, cred.Credential.Name)
		}
		*name = nodeapi.IDPrefix + cred.Credential.Name
		if !flagSet(fs, "capacity") {
			*capacity = cred.Credential.Capacity
		}
	} else {
		var closeStore func()
		store, closeStore, err = openStore(*redisURL)
		if err != nil {
			return fmt.Errorf("node: %w", err)
		}
		defer closeStore()
	}

	ln, tlsOn, err := c.listen()
	if err != nil {
		return err
	}
	defer ln.Close()
	stopDebug, err := c.serveDebug(log)
	if err != nil {
		return err
	}
	defer stopDebug()
	sdk, underAgones := agones.FromEnv()
	var gs agones.GameServer
	if underAgones {
		wctx, cancel := context.WithTimeout(context.Background(), agonesWait)
		gs, err = sdk.WaitGameServer(wctx)
		cancel()
		if err != nil {
			return fmt.Errorf("node: %w", err)
		}
	}
	url, err := nodeURL(*publicURL, ln, tlsOn, underAgones, gs)
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	id := *name
	if id == "" {
		id = nodeName(ln, underAgones, gs)
	}
	reg := registry()
	dir, err := replays.open(log, reg, replayRegistrar(store, url, log))
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if dir != nil {
		defer dir.Close() // after the node has stopped: its rooms write their last logs
	}
	life, err := newNode(nodeParts{
		ID: id, URL: url, Store: store, Lobby: *lobbyURL, Credential: cred, Keys: keys, Capacity: *capacity,
		NewGame: newGame, ResumeHold: hold, MaxSpectators: maxSpectators, SpectateDelay: spectateDelay,
		Origins: origins, DrainTimeout: *drainTimeout, Replays: dir,
		TLS: tlsOn, Logger: log, Registry: reg, Agones: sdk, Out: os.Stdout,
		AdminToken: token, ConsoleLine: consoleLine(baseURL(ln, tlsOn), token, madeToken),
		Caps: func(o *server.Options) { caps.apply(o, c.trustProxy) },
	})
	if err != nil {
		return err
	}
	if err := life.start(ln); err != nil {
		return err
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return life.serve(sigs)
}

// nodeParts is what a node is made of once its flags are read.
type nodeParts struct {
	ID, URL      string
	Store        lobby.Store         // an operator's node: the lobbies' store; nil for a community node
	Lobby        string              // a community node: the lobby's URL
	Credential   nodecred.File       // a community node: its credential
	Keys         []ed25519.PublicKey // pinned ticket keys; none: the lobbies' published ones
	Capacity     int
	NewGame      func(room string) server.Game // nil: the server's default
	ResumeHold   time.Duration                 // server.Options.ResumeHold
	Replays      *ticklog.Dir                  // nil: matches are not recorded
	Origins      []string
	DrainTimeout time.Duration
	TLS          bool // the listener is TLS: for the log
	Logger       *slog.Logger
	Registry     *prometheus.Registry
	Agones       *agones.SDK // nil: not under Agones
	Out          io.Writer   // gets the "is running" line
	AdminToken   string      // the operator's console's; "": off
	ConsoleLine  string      // printed after the "is running" line
	// Caps sets the game server's caps per client address and the proxies
	// it trusts (flags.go); nil: the server's defaults.
	Caps func(*server.Options)

	// MaxSpectators and SpectateDelay are the server.Options' (--max-spectators, --spectate-delay).
	MaxSpectators int
	SpectateDelay time.Duration
}

// newNode wires a node: its link to the lobbies (a lobby.Host on their
// store, or a community node's nodeapi.Client), its game server
// confirming seats to it and reporting matches, and its routes (/ws,
// /status, /healthz, /metrics, /console). nodelife.go runs it.
func newNode(p nodeParts) (*nodeLife, error) {
	n := &nodeLife{
		id: p.ID, url: p.URL, log: p.Logger, out: p.Out, sdk: p.Agones,
		drainTimeout: p.DrainTimeout, idleCheck: agonesIdleCheck,
		drainAsked: make(chan struct{}, 1), consoleLine: p.ConsoleLine,
		listening: []any{"tls", p.TLS, "capacity", p.Capacity, "agones", p.Agones != nil, "community", p.Store == nil},
	}
	load := func() lobby.HostLoad { l := n.game.Load(); return lobby.HostLoad{Players: l.Players, Rooms: l.Rooms} }
	var host nodeLink
	var err error
	if p.Store != nil {
		host, err = lobby.NewHost(lobby.HostOptions{
			Store: p.Store, ID: p.ID, URL: p.URL, Capacity: p.Capacity, Keys: p.Keys, Logger: p.Logger, Load: load,
		})
	} else {
		host, err = nodeapi.NewClient(nodeapi.ClientOptions{
			Lobby: p.Lobby, File: p.Credential, URL: p.URL, Capacity: p.Capacity, Logger: p.Logger, Load: load,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n.host = host
	// A community node's link (nodeapi) carries no spectator counts: the
	// lobby hands out tickets for its rooms, and its handshake keeps the
	// limit alone.
	var spectators func(room string, n, limit int)
	if r, ok := host.(spectatorReporter); ok {
		spectators = r.SpectatorsChanged
	}
	opts := server.Options{
		Verifier:       host.Verifier(),
		NewGame:        p.NewGame,
		Replays:        p.Replays,
		MaxSpectators:  p.MaxSpectators,
		SpectateDelay:  p.SpectateDelay,
		ResumeHold:     p.ResumeHold,
		AllowedOrigins: p.Origins,
		Logger:         p.Logger,
		Registerer:     p.Registry,
		Ledger:         host,
		OnMatchStart:   n.matchStarted,
		OnMatchEnd:     host.MatchEnded,
		OnSpectators:   spectators,
	}
	if p.Caps != nil {
		p.Caps(&opts)
	}
	game, err := server.New(opts)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n.game = game // before start: Load is first called by host.Start

	mux := http.NewServeMux()
	mux.Handle("/ws", game)
	if p.Replays != nil {
		replayhttp.Routes(mux, p.Replays, p.Logger)
	}
	opsRoutes(mux, p.Registry, func() string {
		if game.Draining() {
			return "draining"
		}
		return ""
	})
	console.New(console.Options{
		Token: p.AdminToken, Role: "node", Node: p.ID, Capacity: p.Capacity,
		Game: game, Metrics: p.Registry, Logger: p.Logger, Drain: n.askDrain,
	}).Routes(mux)
	mux.HandleFunc("/status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(nodeStatus{Node: p.ID, URL: p.URL, Draining: game.Draining(), Load: game.Load(), Rooms: game.Rooms()})
	})
	n.handler = mux
	return n, nil
}

// spectatorReporter is a node's link that reports its rooms' spectators
// to the lobby (a lobby.Host does).
type spectatorReporter interface {
	SpectatorsChanged(room string, spectators, limit int)
}

// nodeStatus is the node's GET /status: what it hosts, for operators and
// tests.
type nodeStatus struct {
	Node     string            `json:"node"`
	URL      string            `json:"url"`
	Draining bool              `json:"draining"`
	Load     server.Load       `json:"load"`
	Rooms    []server.RoomInfo `json:"rooms"`
}

// nodeURL is where players reach this node: --public-url, or the Agones
// GameServer's address, or the listener's own address when it names a
// host (not 0.0.0.0 or ::).
func nodeURL(public string, ln net.Listener, tlsOn, underAgones bool, gs agones.GameServer) (string, error) {
	scheme := "ws"
	if tlsOn {
		scheme = "wss"
	}
	switch {
	case public != "":
		return public, nil
	case underAgones:
		hostport, err := agones.Endpoint(gs)
		if err != nil {
			return "", err
		}
		return scheme + "://" + hostport + "/ws", nil
	}
	addr := ln.Addr().(*net.TCPAddr)
	if addr.IP.IsUnspecified() {
		return "", fmt.Errorf("listening on %s, which players cannot dial: give --public-url", addr)
	}
	return scheme + "://" + addr.String() + "/ws", nil
}

// flagSet reports whether the command line set the flag called name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// nodeName is the default --name: the GameServer's under Agones, else the
// host name and port.
func nodeName(ln net.Listener, underAgones bool, gs agones.GameServer) string {
	if underAgones && gs.ObjectMeta.Name != "" {
		return gs.ObjectMeta.Name
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	return host + "-" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
