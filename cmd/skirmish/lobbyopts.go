// lobbyopts.go — the lobby's options that serve.go and lobby.go share:
// its store (store.go), logger, request outcomes counted in the metrics
// registry (ops.go), and --login-rate turned into the lobby's login limit.

package main

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/lobby"
)

// loginBurstFactor: an address may log in this many seconds' worth of
// --login-rate at once.
const loginBurstFactor = 10

// lobbyOptions are the lobby's options for serve and the lobby role (which
// adds its Signer and Nodes): its store, logger, outcome counter and
// login limit.
func lobbyOptions(log *slog.Logger, reg prometheus.Registerer, store lobby.Store, loginRate float64) lobby.Options {
	rate, burst := loginLimit(loginRate)
	return lobby.Options{
		Store:      store,
		Logger:     log,
		Observe:    lobbyOutcomes(reg),
		LoginRate:  rate,
		LoginBurst: burst,
	}
}

// lobbyOutcomes counts the lobby's request outcomes.
func lobbyOutcomes(reg prometheus.Registerer) func(string) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "skirmish", Name: "lobby_requests_total", Help: "Lobby requests, by outcome.",
	}, []string{"outcome"})
	reg.MustRegister(c)
	return func(o string) { c.WithLabelValues(o).Inc() }
}

// loginLimit turns --login-rate into the lobby's LoginRate and LoginBurst.
func loginLimit(rate float64) (float64, int) {
	if rate <= 0 {
		return -1, 1 // no limit
	}
	return rate, max(1, int(rate*loginBurstFactor))
}
