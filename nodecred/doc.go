// doc.go — the package overview. The parts: credential.go (the
// Credential, its wire form, Issue and Verify), file.go (the file a node
// keeps: its credential and its own private key), revoked.go (the
// lobby's list of credentials it no longer accepts).

// Package nodecred is the enrolment of a community game node: a node the
// operator does not run, which reaches the lobby over its node API
// (skirmish/nodeapi) and never touches the lobby's store. The operator
// issues each such node a Credential: the node's own Ed25519 public key,
// its name, the most players it may take, when the credential expires and
// how much its match results count in the ratings, all signed with the
// operator's key (the lobby's ticket key, which `skirmish keygen` makes).
// The node keeps the credential and its private key in one file; it
// shows the credential with every request and signs the request with its
// key, so the credential alone, copied, is no use.
//
// # Flow
//
//	operator                           community node               lobby
//	────────                           ──────────────               ─────
//	skirmish keygen --node game7
//	  Issue(operator key, {name, key,
//	  capacity, expiry, weight})
//	  → game7.cred (credential +
//	    the node's private key) ──────▶ Load(game7.cred)
//	                                    request + credential ──────▶ Verify(credential,
//	                                      + signature by its key       operator's public key, now)
//	                                                                 Revoked.Has(credential)
//
// Why a package of its own and not package ticket: a ticket is a seat for
// one player, minted by the lobby for 15 seconds and redeemed once by a
// game node; a credential is a game node's identity, minted by the
// operator for weeks, shown on every request to the lobby and revocable.
// They share only the operator's key and the habit of a compact signed
// record; lobby/nodeapi imports this package, the game server does not.
//
//	priv, _ := ticket.LoadPrivateKey("lobby.pem")
//	file, cred, err := nodecred.New(priv, "game7", 64, 30*24*time.Hour, 0.5, time.Now())
//	... // write file to game7.cred; on the node:
//	f, err := nodecred.Load("game7.cred")
//	... // in the lobby:
//	cred, err := nodecred.Verify(f.Token, pub, time.Now())
package nodecred
