// Package server runs Skirmish rooms and their WebSocket connections.
//
// One room is one goroutine that owns a game, its clients and its snapshot
// history; everything else reaches it through a bounded channel (joins) or a
// lock-free per-client queue (inputs). One tick of a room:
//
//	clock.go     tick N is due at start + N/TickRate by Options.Now: sleep until then
//	tick.go      admit joins → drop leavers → fill each player's input slot (simwire.Slots) → Game.Step
//	snapshot.go  capture the state → encode one delta per distinct baseline
//	outbound.go  wrap it with each client's ack → queue it (3 deep) → one goroutine writes them all (never blocks)
//
// and around it, per connection:
//
//	handshake.go  GET /ws?ticket=…: origin, ticket, seat → upgrade
//	conn.go       gws events on the connection's read goroutine
//	inbound.go    decode, validate, rate-limit, queue inputs
//	registry.go   rooms, and the seats claimed in them with the lobby's Ledger
//	drain.go      Drain: no new rooms, a Notice, each room ends with its match
//	matchreport.go match starts and results, reported back to the lobby
//	game.go       the narrow interface to the simulation, and sim's adapter (mapping through simwire)
//	lagcomp.go    lag compensation's metrics: rewinds used, claims clamped
//	metrics.go    Prometheus metrics
//	options.go    Options, their defaults and their checks
//
// Goroutines: the HTTP server's (handshakes), one read loop per connection,
// one per room and one a tick writing its snapshots, one pinger per server.
package server
