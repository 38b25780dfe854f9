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
// main.go only wires; serve.go builds the process, web.go serves the client,
// bots.go runs the swarm; node.go wires a game node (skirmish node) and
// nodelife.go runs its life: start, Ready, drain on SIGTERM, Shutdown.
package main
