// doc.go — the package overview. The parts: stack.go (Skirmish on a
// loopback port), log.go (a quiet logger), metrics.go (reading metrics),
// wait.go (waiting on a condition, with a bound), deps.go (what a package
// links), binary.go (the skirmish binary, built and run), inputs.go (a
// player's inputs queued for their slots).

// Package testkit is what the tests of several packages share, so that
// each is written once. Start serves the stack that `skirmish serve` runs
// (internal/stack: the lobby on a memory store, the game server confirming
// seats to it) on 127.0.0.1 and stops it when the test ends:
//
//	st := testkit.Start(t, func(o *stack.Options) { testkit.RoomSize(o, 2) })
//	b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: "ada"})
//	st.WaitMetric(t, "skirmish_players_connected", 5*time.Second, func(v float64) bool { return v == 1 })
//
// Around it: Quiet (a logger that writes nowhere), Gather, Scrape and
// Value (metrics of a registry or a process's /metrics), WaitUntil (poll a
// condition until it holds, failing after a bound: never a sleep as a
// synchronisation), Deps and ForbidDeps (what a package links,
// directly or not, over `go list -deps`), Build and Run (the skirmish
// binary, compiled and run until the test ends), and Inputs (a
// simwire.Queue over a slice, for tests that fill input slots).
//
// The tests of server/ that use it are in package server_test: the kit
// imports server.
package testkit
