// lobby.go — `skirmish lobby`: a stateless lobby process (run any number
// behind a load balancer) on one Redis, serving the lobby API and the web
// client. It places rooms on the game nodes (`skirmish node`) registered
// in the same Redis and publishes its ticket key there for them; with
// --key, every lobby signs with the same key from a file.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/lobby"
)

func runLobby(args []string) error {
	fs := flag.NewFlagSet("lobby", flag.ContinueOnError)
	c := commonFlags(fs, "lobby", "127.0.0.1:8080")
	redisURL := fs.String("redis", "", "the Redis all lobbies and nodes share, e.g. redis://127.0.0.1:6379/0 (required)")
	keyFile := fs.String("key", "", "sign tickets with the Ed25519 key in this PKCS #8 PEM file (skirmish keygen makes one; default: a fresh key per process)")
	web := fs.String("web", "client/dist", "folder of the built web client")
	loginRate := fs.Float64("login-rate", 5, "logins per second per client address, in bursts of 10 times that; loopback is exempt; 0: no limit")
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
	lob, err := newLobby(log, reg, signer, store, *loginRate, true)
	if err != nil {
		return fmt.Errorf("lobby: %w", err)
	}
	defer lob.Close()
	registerNodeGauges(reg, store)

	mux := http.NewServeMux()
	mux.Handle("/api/", lob.Handler())
	opsRoutes(mux, reg, nil)
	mux.Handle("/", webHandler(*web))
	log.Info("lobby: signing tickets", "key", lobby.EncodeKey(signer.PublicKey()))
	hs, err := c.serveUntilSignal(log, mux, func(base string) string {
		return "Skirmish lobby is running: open " + base + "/ to play (Ctrl-C stops it)"
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
func signerOf(file string) (*lobby.Signer, error) {
	if file == "" {
		return lobby.GenerateSigner()
	}
	return lobby.LoadSigner(file)
}

// registerNodeGauges shows the game nodes the lobby places rooms on: how
// many are live, how many of those drain, and their players and capacity,
// read from the store at each scrape.
func registerNodeGauges(reg prometheus.Registerer, store lobby.Store) {
	read := func(f func(lobby.Node) float64) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), redisDialTimeout)
			defer cancel()
			nodes, err := store.Nodes(ctx, time.Now())
			if err != nil {
				return math.NaN()
			}
			var sum float64
			for _, n := range nodes {
				sum += f(n)
			}
			return sum
		}
	}
	for name, f := range map[string]struct {
		help string
		of   func(lobby.Node) float64
	}{
		"nodes_live":     {"Game nodes whose heartbeat is live.", func(lobby.Node) float64 { return 1 }},
		"nodes_draining": {"Live game nodes that drain.", func(n lobby.Node) float64 { return b2f(n.Draining) }},
		"nodes_players":  {"Players the live game nodes report.", func(n lobby.Node) float64 { return float64(n.Players) }},
		"nodes_capacity": {"Players the live game nodes take, in all.", func(n lobby.Node) float64 { return float64(n.Capacity) }},
	} {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "skirmish", Name: name, Help: f.help}, read(f.of)))
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
