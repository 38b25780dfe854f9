// lobby.go — `skirmish lobby`: a stateless lobby process (run any number
// behind a load balancer) on one Redis, serving the lobby API and the web
// client. It places rooms on the game nodes (`skirmish node`) registered
// in the same Redis and publishes its ticket key there for them; with
// --key, every lobby signs with the same key from a file, and serves the
// node API (skirmish/lobby/nodeapi) at /node/ for community nodes whose
// credentials that key signed, refusing those --revoked lists.
// Its operator's console (console.go) shows the whole cluster: the
// nodes in Redis and what each node's console says, given the same token.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/console"
	"skirmish/lobby"
	"skirmish/lobby/nodeapi"
	"skirmish/ticket"
)

func runLobby(args []string) error {
	fs := flag.NewFlagSet("lobby", flag.ContinueOnError)
	c := commonFlags(fs, "lobby", "127.0.0.1:8080")
	redisURL := fs.String("redis", "", "the Redis all lobbies and nodes share, e.g. redis://127.0.0.1:6379/0 (required)")
	keyFile := fs.String("key", "", "sign tickets with the Ed25519 key in this PKCS #8 PEM file (skirmish keygen makes one; default: a fresh key per process)")
	web := fs.String("web", "client/dist", "folder of the built web client")
	loginRate := fs.Float64("login-rate", 5, "logins per second per client address, in bursts of 10 times that; loopback is exempt; 0: no limit")
	revoked := fs.String("revoked", "", "refuse the community nodes this file lists, a node name or node key a line (read again when it changes; needs --key)")
	admin := newAdminFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *redisURL == "" {
		return errors.New("lobby: --redis is required (lobbies and nodes meet in Redis; for one process, use skirmish serve)")
	}
	log, err := c.setup()
	if err != nil {
		return err
	}
	if *revoked != "" && *keyFile == "" {
		return errors.New("lobby: --revoked needs --key: community nodes are enrolled with the lobbies' key")
	}
	token, madeToken, err := admin.adminToken("lobby")
	if err != nil {
		return err
	}
	signer, err := signerOf(*keyFile)
	if err != nil {
		return fmt.Errorf("lobby: %w", err)
	}
	store, closeStore, err := openStore(*redisURL)
	if err != nil {
		return fmt.Errorf("lobby: %w", err)
	}
	defer closeStore()
	reg := registry()
	opts := lobbyOptions(log, reg, store, *loginRate)
	opts.Signer, opts.Nodes, opts.TrustProxy = signer, true, c.trustProxy
	lob, err := lobby.New(opts)
	if err != nil {
		return fmt.Errorf("lobby: %w", err)
	}
	defer lob.Close()
	registerNodeGauges(reg, store)

	mux := http.NewServeMux()
	mux.Handle("/api/", lob.Handler())
	if *keyFile != "" {
		nodes, err := communityNodes(log, reg, store, *keyFile, *revoked, c.trustProxy)
		if err != nil {
			return err
		}
		defer nodes.Close()
		mux.Handle("/node/", nodes.Handler())
	}
	opsRoutes(mux, reg, nil)
	// The whole cluster: the nodes' consoles take the same token.
	console.New(console.Options{Token: token, Role: "lobby", Cluster: store, Metrics: reg, Logger: log}).Routes(mux)
	mux.Handle("/", webHandler(*web))
	log.Info("lobby: signing tickets", "key", ticket.EncodeKey(signer.PublicKey()))
	hs, err := c.serveUntilSignal(log, mux, func(base string) string {
		return "Skirmish lobby is running: open " + base + "/ to play (Ctrl-C stops it)" + consoleLine(base, token, madeToken)
	})
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	stopHTTP(sctx, log, hs)
	log.Info("lobby: stopped")
	return nil
}

// signerOf loads the ticket key from file, or makes a fresh one.
func signerOf(file string) (*ticket.Signer, error) {
	if file == "" {
		return ticket.GenerateSigner()
	}
	return ticket.LoadSigner(file)
}

// communityNodes is the node API for community nodes enrolled with the
// key in keyFile (skirmish keygen --node --key keyFile).
func communityNodes(log *slog.Logger, reg prometheus.Registerer, store lobby.Store, keyFile, revoked string, trustProxy []netip.Prefix) (*nodeapi.Service, error) {
	key, err := ticket.LoadPrivateKey(keyFile)
	if err != nil {
		return nil, fmt.Errorf("lobby: %w", err)
	}
	svc, err := nodeapi.New(nodeapi.Options{Store: store, Key: key, RevokedFile: revoked, TrustProxy: trustProxy, Logger: log, Registerer: reg})
	if err != nil {
		return nil, fmt.Errorf("lobby: %w", err)
	}
	return svc, nil
}

// nodeGauges shows the game nodes the lobby places rooms on: how many are
// live, how many of those drain, and their players and capacity, from one
// read of the store at each scrape.
type nodeGauges struct {
	store                             lobby.Store
	live, draining, players, capacity *prometheus.Desc
}

func registerNodeGauges(reg prometheus.Registerer, store lobby.Store) {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("skirmish_"+name, help, nil, nil)
	}
	reg.MustRegister(&nodeGauges{
		store:    store,
		live:     desc("nodes_live", "Game nodes whose heartbeat is live."),
		draining: desc("nodes_draining", "Live game nodes that drain."),
		players:  desc("nodes_players", "Players the live game nodes report."),
		capacity: desc("nodes_capacity", "Players the live game nodes take, in all."),
	})
}

func (g *nodeGauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- g.live
	ch <- g.draining
	ch <- g.players
	ch <- g.capacity
}

func (g *nodeGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), redisDialTimeout)
	defer cancel()
	nodes, err := g.store.Nodes(ctx, time.Now())
	if err != nil {
		return // Redis is out: the gauges are absent from this scrape, the rest still served
	}
	var draining, players, capacity float64
	for _, n := range nodes {
		if n.Draining {
			draining++
		}
		players += float64(n.Players)
		capacity += float64(n.Capacity)
	}
	ch <- prometheus.MustNewConstMetric(g.live, prometheus.GaugeValue, float64(len(nodes)))
	ch <- prometheus.MustNewConstMetric(g.draining, prometheus.GaugeValue, draining)
	ch <- prometheus.MustNewConstMetric(g.players, prometheus.GaugeValue, players)
	ch <- prometheus.MustNewConstMetric(g.capacity, prometheus.GaugeValue, capacity)
}
