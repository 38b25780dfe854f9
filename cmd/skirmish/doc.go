// Command skirmish runs Skirmish.
//
//	skirmish serve [--addr 127.0.0.1:8080] [--origin URL]... [--log-level info]
//
// serve runs everything in one process: the lobby (POST /api/play), the
// game server (GET /ws), the web client (/), /healthz and /metrics. It
// stops gracefully on SIGINT or SIGTERM: no new players, a goodbye to the
// connected ones, then exit.
//
// main.go only wires; serve.go builds the process, web.go serves the client.
package main
