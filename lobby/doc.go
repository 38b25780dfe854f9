// doc.go — the package overview. The parts, by feature: lobby.go
// (options, routes), http.go (what every endpoint shares), session.go
// (guest login), play.go (POST /api/play), queue.go and match.go (quick
// match), rating.go (Glicko-2), private.go and codes.go (private rooms),
// party.go (parties), directory.go (room directory), watch.go
// (spectators' tickets), assignment.go (a seat
// turned into a ticket), ledger.go (the game servers' side), nodes.go and
// host.go (game nodes: placement, and the nodes' own link), ratelimit.go
// (login floods; shared by every lobby on Redis: store_redis_limit.go),
// store.go (all state, behind one interface),
// store_memory.go and store_redis.go with lua/ (its two backends). The
// tickets themselves, their names and keys, are package ticket's.

// Package lobby is Skirmish's front door: who you are (guest login), where
// you play (quick match by skill, private rooms by code, parties that land
// together, a directory of public rooms), and a signed ticket for a seat
// that the game server checks at the WebSocket handshake.
//
// # Flow
//
//	client                     lobby (this package)                        game server
//	──────                     ────────────────────                        ───────────
//	POST /api/login {name} ──▶ session token, player id (Store)
//	POST /api/queue ─────────▶ entry in the mode's queue (Store)
//	                           matcher (match.go), one lobby process at a time:
//	                             fullest public room with space within the rating
//	                             window, else a new room → Store.Reserve (atomic:
//	                             never over capacity, never two seats a player)
//	GET /api/queue?wait=25 ──▶ the seat → Ticket{player, name, room, expiry}
//	◀── {"status":"assigned","ticket","ws_url","room","player_id","expires_in"}
//	GET ws_url?ticket=… ─────────────────────────────────────────────────▶ ticket.Verifier.Redeem
//	                           Lobby.Claim (seat → connected) ◀────────── ticket.Ledger.Claim
//	                           Lobby.Release (seat freed) ◀────────────── ticket.Ledger.Release
//	                           Lobby.MatchStarted / MatchEnded ◀───────── OnMatchStart / OnMatchEnd
//	                           Lobby.SpectatorsChanged ◀───────────────── OnSpectators (watch.go)
//	                             (directory time left; Glicko-2 ratings)
//
// A seat nobody claims is freed when its ticket expires (TicketTTL, 15 s by
// default). When a player's connection drops, the game server holds their
// player and asks the Ledger to hold the seat (Lobby.Hold, Store.Hold): it
// is a reservation again until the hold ends, and the player's next
// POST /api/play with their token (or /api/rooms/join with the room's code)
// hands out its ticket again, to the node that holds them; their new
// connection claims it, and the server hands them their player back. POST /api/play is login and quick match in one call, for bots
// and the first browser client: {"name"} in, the assignment out.
//
// # One process
//
// The lobby keeps every seat in its Store; the game server (its
// server.Options.Ledger is the Lobby) hosts whatever room a claimed
// ticket names. internal/stack wires the two in one process, as `skirmish
// serve` runs them and the tests start them:
//
//	signer, err := ticket.GenerateSigner()
//	...
//	lob, err := lobby.New(lobby.Options{Signer: signer, Store: lobby.NewMemoryStore()})
//	...
//	defer lob.Close()
//	srv, err := server.New(server.Options{Verifier: ticket.NewVerifier(signer.PublicKey()),
//		Ledger: lob, OnMatchStart: lob.MatchStarted, OnMatchEnd: lob.MatchEnded})
//	...
//	mux.Handle("/api/", lob.Handler())
//	mux.Handle("/ws", srv)
//
// # Game nodes
//
// With Options.Nodes the lobby hosts no room: each new room goes to a game
// node (skirmish node), a process elsewhere that keeps a Host. The Host
// writes a heartbeat to the Store every second (URL, capacity, load,
// draining); the lobby places a new room on the least-loaded live node
// that is not draining, sends the room's players to that node's URL, and
// publishes its public key in the Store. The node verifies tickets with
// the published (or pinned) keys, claims seats only in rooms placed on it
// (Store.Claim checks the node), and reports its matches. A node whose
// heartbeat lapses (5 s) is dropped by the matcher (Store.ExpireNodes)
// with every seat of its rooms, so its players may queue again, but only
// once the store has been reachable for NodeGrace (after an outage every
// heartbeat looks lapsed); one that drained leaves at once (Host.Leave).
//
//	host, err := lobby.NewHost(lobby.HostOptions{Store: store, ID: "game1",
//		URL: "wss://game1.example.com:7000/ws", Load: load})
//	srv, err := server.New(server.Options{Verifier: host.Verifier(), Ledger: host,
//		OnMatchStart: host.MatchStarted, OnMatchEnd: host.MatchEnded})
//	err = host.Start(ctx)
//	... // on SIGTERM:
//	host.Drain(); err = srv.Drain(ctx); err = host.Leave(ctx)
//
// A community node, one the operator does not run, has no access to the
// Store: package lobby/nodeapi serves it the node API over HTTP (each
// request signed with the key of a credential from skirmish/nodecred)
// and does its Store work after checking it against the lobby's records;
// its client stands where an operator's node keeps a Host.
//
// # Endpoints
//
// Bodies are JSON objects declared as Content-Type application/json (a
// charset, if any, utf-8), at most Options.MaxBodyBytes (4 KiB); unknown
// fields and data after the object are refused. Endpoints marked with a
// token want "Authorization: Bearer <token>" from POST /api/login.
//
//	POST   /api/play          {"name"}               200 assignment (no "status" field)
//	POST   /api/play          token                  200 the same: the seat the player holds (held, reserved, connected), else a quick match
//	POST   /api/login         {"name"}               200 {"token","player_id","name","expires_in"}
//	POST   /api/refresh       token                  200 the same, with a new expiry
//	POST   /api/queue         token, {"mode"}?       202 {"status":"queued","mode","players","waited"}
//	GET    /api/queue?wait=N  token                  200 assigned, queued (after N s) or {"status":"playing","room"}
//	DELETE /api/queue         token                  200 {"status":"canceled"}
//	POST   /api/rooms         token, {"capacity","mode"}?  201 assignment + {"code","mode","capacity"}
//	POST   /api/rooms/join    token, {"code"}        200 the same (or {"room"}: a public room by id)
//	GET    /api/rooms?mode=   —                      200 {"rooms":[{"room","mode","players","reserved","capacity","phase","time_left","spectators","watchable"}]}
//	POST   /api/watch         {"room"}               200 assignment for a spectator (no seat; 409 when the room has all it takes)
//	POST   /api/party         token                  201 {"party","code","leader","members","names","max_size"}
//	POST   /api/party/join    token, {"code"}        200 the same
//	GET    /api/party         token                  200 the same
//	DELETE /api/party         token                  200 {"status":"left"} or {"status":"disbanded"}
//
// Player ids are decimal strings because JavaScript numbers cannot hold
// every uint64. Every error is {"error":"<reason>"}, the reason fit to show:
//
//	400  malformed JSON, unknown fields, data after the object, a bad name, mode, code, capacity or wait
//	401  a missing, malformed, unknown or expired session token (with WWW-Authenticate)
//	403  a party member doing what only the leader may (queue, cancel)
//	404  no such endpoint, an unknown code, nothing to cancel or show
//	405  a method the path does not take (with Allow)
//	409  a second seat, a second queue place, a full room or party, a queued party
//	413  a body over the size limit
//	415  a missing or non-JSON Content-Type
//	429  too many logins from one address (with Retry-After)
//	503  no seat within PlayWait (POST /api/play), or the store is unreachable (with Retry-After)
//
// Each outcome is logged through Options.Logger and counted through
// Options.Observe.
//
// # Tickets
//
// A ticket (package ticket) is a signed record of one seat: player id,
// name, room, expiry and a nonce. The lobby holds the private key (a
// ticket.Signer); a game server needs only the public key (a
// ticket.Verifier), so a community-run server can check tickets but never
// mint them. A ticket expires when its seat is freed.
//
// # State
//
// Everything the full lobby knows (sessions, ratings, queues, rooms and
// their seats, parties, which process matches, the game nodes and the
// published ticket keys) is in a Store: MemoryStore
// for the embedded default, RedisStore for many lobby and game processes
// sharing one Redis. Each Store method is one atomic step (a mutex; a Lua
// script or a WATCH transaction), and one test suite runs against both.
// Redeemed nonces live in each ticket.Verifier, which suits tickets that
// name the one game server holding their room.
package lobby
