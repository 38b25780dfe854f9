// doc.go — the package overview. The parts: names.go (display names),
// ticket.go (signed tickets), redeem.go (single use), lobby.go (options,
// Seats, routes), play.go (POST /api/play).

// Package lobby is Skirmish's front door: it turns a display name into a
// signed ticket for a seat in a room, and gives the game server what it
// needs to check that ticket at the WebSocket handshake.
//
// # Flow
//
//	browser                      lobby (this package)                  game server
//	───────                      ────────────────────                  ───────────
//	POST /api/play ───────────▶  ValidName(name)
//	{"name":"Ada"}               Seats.Reserve(ctx, id, expiry) ─────▶ room registry holds a seat
//	                             Signer.Sign(Ticket{id, name, room, expiry, nonce})
//	◀── 200 {"ticket", "ws_url", "room", "player_id", "expires_in"}
//
//	GET ws_url?ticket=… (WebSocket upgrade) ─────────────────────────▶ Verifier.Redeem(ticket, now)
//	                                                                     ok: seat the player in Ticket.Room
//	                                                                     error: refuse, TicketReason(err) as the label
//
// # Tickets
//
// A ticket is a compact binary record (version, player id, nonce, expiry,
// name, room) followed by an Ed25519 signature, in unpadded base64url so it
// travels in a URL query unchanged; the layout is documented in ticket.go.
// The lobby holds the private key (Signer); a game server needs only the
// public key (Verifier), so a community-run server can check tickets but
// never mint them. Verify is a pure check of form, signature and expiry;
// Redeem adds the single-use rule, remembering each redeemed nonce until the
// ticket expires. In the embedded default one process runs both sides:
//
//	signer, err := lobby.GenerateSigner()
//	...
//	verifier := lobby.NewVerifier(signer.PublicKey())
//	l, err := lobby.New(lobby.Options{Signer: signer, Seats: registry})
//	...
//	mux.Handle("/api/", l.Handler())
//
// and the WebSocket endpoint calls verifier.Redeem(r.URL.Query().Get("ticket"), time.Now()).
//
// # POST /api/play
//
// The request body is {"name": "..."}, declared as Content-Type
// application/json (a charset parameter may be given and must be utf-8). A
// request without a Content-Type is refused: insisting on the JSON type
// keeps cross-site HTML forms out and makes browsers preflight cross-origin
// calls. The lobby sends no CORS headers; serve the client from the same
// origin.
//
// A ticket is issued with 200 and
//
//	{"ticket":"…","ws_url":"ws://host/ws","room":"r1","player_id":"1234","expires_in":30}
//
// player_id is a decimal string because JavaScript numbers cannot hold every
// uint64. The client connects to ws_url + "?ticket=" + url.QueryEscape(ticket)
// within expires_in seconds. Every error is {"error":"<reason>"} with:
//
//	404  any other path
//	405  a method other than POST (with an Allow header)
//	415  a missing or non-JSON Content-Type, or a charset other than utf-8
//	413  a body over Options.MaxBodyBytes (4 KiB by default)
//	400  malformed JSON, unknown fields, data after the object, or a bad name (the reason says which rule)
//	503  Seats could not reserve a seat (with Retry-After)
//	500  Seats returned a room id that cannot go in a ticket
//
// Each outcome is logged through Options.Logger and counted through
// Options.Observe.
//
// # State
//
// Seats is the only state the lobby touches, so the in-memory room registry
// of the embedded default and a Redis-backed one for many processes plug in
// alike. Redeemed nonces live in each Verifier, which suits tickets that name
// the one game server holding their room.
package lobby
