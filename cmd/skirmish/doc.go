// Command skirmish runs Skirmish.
//
//	skirmish serve [--addr 127.0.0.1:8080] [--origin URL]... [--log-level info]
//
// serve runs everything in one process: the lobby (POST /api/play), the
// game server (GET /ws), the web client (/), /healthz and /metrics. It
// stops gracefully on SIGINT or SIGTERM: no new players, a goodbye to the
// connected ones, then exit.
//
//	skirmish bots --url URL --count N --duration D [--ramp R] [--behavior fight|wander|idle] [--json FILE] [--html FILE]
//
// bots load-tests a running server with a swarm of headless bots
// (package bots): they join through the lobby at R a second, play for D
// once all have joined, and leave; a progress line goes to stderr every
// second, a summary to stdout, and the figures to the JSON and HTML files.
//
// main.go only wires; serve.go builds the process (internal/stack), lobby.go
// and node.go the roles of a cluster (nodelife.go runs a node's life:
// start, Ready, drain on SIGTERM, Shutdown), keygen.go writes their key,
// web.go serves the client, bots.go runs the swarm. What the serving roles
// share, one idea a file: flags.go (the common flags, the logger),
// serving.go (listen, serve until a signal), ops.go (metrics, health, the
// profiler), store.go (memory or Redis), lobbyopts.go (the lobby's
// options), rules.go (the rules of every room). flags.go also holds
// --trust-proxy and the game server's caps per client address.
//
// The tests run the binary: proc_test.go and cluster_test.go start its
// processes; soak_test.go (with soakfaults_test.go, soakcheck_test.go and
// soakreport_test.go) is the soak with faults that `make soak` runs for 10
// minutes and `make test` for one (SOAK=60s; without SOAK it skips).
package main
