// Command floor is the load benchmark's floor: a bare gws server with no
// game, which moves the same bytes as Skirmish and nothing else, so that
// the benchmark (bench/run) can state Skirmish's cost as a ratio to it.
//
//	floor [--addr 127.0.0.1:0] [--bytes 64] [--group 16] [--rate 60]
//
// It speaks just enough of Skirmish's protocol for the unchanged bot swarm
// (skirmish bots) to play against it:
//
//	POST /api/play  → a ticket nobody checks, and ws_url
//	GET  /ws        → Welcome (an empty world), then every tick a Snapshot
//	                  that changes nothing, padded to --bytes of payload
//	Input           → its seq becomes the next snapshots' ack
//	Ping            → Pong
//
// Connections are taken in groups of --group, as Skirmish fills rooms;
// one goroutine per group writes every tick to each of its connections in
// turn, with the connection's own write (gws WriteMessage): no per-client
// goroutine, no game, no encoding beyond the ack.
package main
