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
//	handshake.go  GET /ws?ticket=…: origin, caps per client address, ticket, seat → upgrade
//	addrlimit.go  the caps: connections and handshakes in progress per client address (429)
//	conn.go       gws events on the connection's read goroutine
//	inbound.go    decode, validate, rate-limit, queue inputs
//	registry.go   rooms, and the seats claimed (held, released) with the lobby's Ledger
//	hold.go       a dropped player held, then taken over by their next connection (or let go)
//	spectate.go   spectators: no seat, a limit of their own, the players' bodies (SpectateDelay late), no inputs
//	drain.go      Drain: no new rooms, a Notice, each room ends with its match
//	matchreport.go match starts and results, reported back to the lobby
//	game.go       the narrow interface to the simulation, and sim's adapter (mapping through simwire)
//	lagcomp.go    lag compensation's metrics: rewinds used, claims clamped
//	metrics.go    Prometheus metrics
//	live.go       each room's figures, published once a second for the operator's console
//	operate.go    an operator's Kick and CloseRoom
//	recent.go     the latest kicks and handshake refusals
//	options.go    Options, their defaults and their checks
//
// # A dropped player
//
// When a connection drops (Options.ResumeHold, 30 s; conn.go's OnClose
// decides which closes are drops: not the client's own 1000), the
// registry keeps the seat and asks the Ledger to hold it until the hold
// ends, and the room keeps the player in the world, standing still and
// open to hits. Held in place, rather than taken out and put back: the
// sim needs nothing new (the held player's inputs are the idle ones the
// input-slot rule gives a silent player, and a hold that ends is one
// RemovePlayer at a tick), so a match with holds is still its joins,
// leaves and inputs, replayable tick for tick; its place, health and
// score stay as they were, and a drop is no escape from a lost fight. A
// new connection with a ticket for the same seat takes the player over
// at admit, kicking a connection still open (KICK_REASON_REPLACED). The
// holds are room state: only the room's goroutine changes them, reached
// through its joins channel and each client's closed flag.
//
// Goroutines: the HTTP server's (handshakes), one read loop per connection,
// one per room and one a tick writing its snapshots, one pinger per server.
package server
