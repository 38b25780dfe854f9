// doc.go — the package overview. The parts: ticket.go (the Ticket, its
// wire form, Signer and Verifier), redeem.go (the single-use rule),
// names.go (the display names a ticket may carry, by skirmish/playername's
// rule), keys.go (the keys as files and text), ledger.go (the seats a game
// server confirms, and the results it reports).

// Package ticket is the contract between the lobby, which decides where a
// player plays, and the game server, which hosts the room: the signed
// ticket that carries a seat from one to the other, the ledger the server
// confirms the seat to, and the results it reports back. The lobby
// (skirmish/lobby) and the game server (skirmish/server) both import it
// and not each other, so a game node links none of the lobby's HTTP,
// matcher or Redis code.
//
// # Flow
//
//	lobby                                  game server
//	─────                                  ───────────
//	reserves a seat in room r
//	Signer.Sign(Ticket{player, name, r,
//	  expiry, nonce}) → token ──▶ client ──▶ GET /ws?ticket=token
//	                                         Verifier.Redeem: form, signature,
//	                                           expiry, not used before
//	Ledger.Claim(r, player) ◀─────────────── the seat is connected now
//	                                         … the player plays …
//	Ledger.Release(r, player) ◀───────────── they left
//	ratings ◀── []MatchResult ◀───────────── the match ended
//
// The lobby holds the private key (Signer); a game server needs only the
// public keys (Verifier), so a community-run server can check tickets but
// never mint them. A Verifier accepts any of several keys (several lobby
// processes, or a key being rotated) and takes new ones with SetKeys.
// Verify is a pure check of form, signature and expiry; Redeem adds the
// single-use rule, remembering each redeemed nonce until the ticket
// expires. Errors wrap ErrMissing, ErrMalformed, ErrForged, ErrExpired
// or ErrReused; Reason turns them into labels for metrics.
//
// A spectator's ticket (Ticket.Spectator, minted by POST /api/watch) has
// the same fields and takes no seat: the game server neither claims it
// with the Ledger nor puts a player in the world for it.
//
// A token is a compact binary record (kind, player id, nonce, expiry,
// name, room) followed by an Ed25519 signature, in unpadded base64url so
// that it travels in a URL query unchanged; the layout is documented in
// ticket.go.
//
//	signer, err := ticket.GenerateSigner()
//	token := signer.Sign(ticket.Ticket{PlayerID: id, Name: name, Room: "r1",
//		Expires: time.Now().Add(15 * time.Second), Nonce: nonce})
//	v := ticket.NewVerifier(signer.PublicKey())
//	t, err := v.Redeem(token, time.Now()) // once; ErrReused after
package ticket
