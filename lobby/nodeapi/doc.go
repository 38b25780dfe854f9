// doc.go — the package overview. The parts: api.go (paths and messages),
// auth.go (signing and checking a request), service.go (the lobby's side:
// options, routes, the checks every request passes), limit.go (each
// node's rate limit), seats.go (the handlers), receipt.go (the lobby's
// receipt for a claimed seat), revoke.go (the revoked list),
// client.go (the node's side).

// Package nodeapi is how a community game node, one the operator does not
// run, works with the lobby without any access to its store: over HTTP to
// the lobby, each request signed by the node's own key and carrying the
// credential the operator issued it (skirmish/nodecred). The lobby's side
// (Service) checks each request and does the store work itself, against
// its own records; the node's side (Client) stands where an operator's
// node keeps a lobby.Host, as the game server's ticket.Ledger.
//
// # Flow
//
//	community node (Client)                      lobby (Service)
//	───────────────────────                      ───────────────
//	POST /node/v1/register {url, capacity} ────▶ credential: operator's, not expired,
//	POST /node/v1/heartbeat, every second          not revoked; signed by its key;
//	  ◀── {node: "c:NAME", keys}                   date within 30 s; nonce new;
//	                                               rate limit, and an address's failed
//	                                               authentications (429); capacity within
//	                                               the credential's → Store.PutNode
//	a ticket's player connects:
//	POST /node/v1/claim {room, player} ────────▶ Store.Claim for node c:NAME (403 if
//	  ◀── {receipt}                                the room is another node's)
//	POST /node/v1/release {room, player} ──────▶ only a seat in one of its rooms
//	POST /node/v1/match-start {room, ends_in_ms,▶ the room must be its own: the
//	  a seat's receipt}                            receipt of a seat there shows it
//	POST /node/v1/match-end {room, results,    ─▶ every result carries the receipt of
//	  each with its receipt}                       that player's seat there → ratings,
//	                                               moved by the credential's weight
//	POST /node/v1/leave ───────────────────────▶ Store.RemoveNode
//
// Every refusal has a status and a reason (errorResponse), is counted in
// skirmish_nodeapi_requests_total by outcome, and is logged, at warn
// level when the node did what an honest one never does (a forged,
// expired or revoked credential, a bad signature, a replay, a flood, a
// claim in another node's room, a result for a player it never had).
//
// Why HTTP with each request signed, rather than one authenticated
// WebSocket: every lobby process is stateless behind a load balancer, and
// so is each request; a node needs no connection to keep or resume, and
// its requests may land on any lobby. The receipts make the result check
// as stateless: the lobby's signature on a claim is its record that the
// player sat in that room on that node.
//
//	svc, err := nodeapi.New(nodeapi.Options{Store: store, Key: operatorKey})
//	mux.Handle("/node/", svc.Handler())
//	... // on the node:
//	f, err := nodecred.Load("game7.cred")
//	c, err := nodeapi.NewClient(nodeapi.ClientOptions{Lobby: "https://lobby.example.com",
//		File: f, URL: "wss://game7.example.org/ws", Load: load})
//	srv, err := server.New(server.Options{Verifier: c.Verifier(), Ledger: c,
//		OnMatchStart: c.MatchStarted, OnMatchEnd: c.MatchEnded})
//	err = c.Start(ctx)
package nodeapi
