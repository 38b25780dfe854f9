// doc.go — the package overview; the routes are in console.go.

// Package console is the operator's live console of a serving role: one
// page at /console (web/index.html, embedded: no framework, no build
// step) and the JSON API it polls, under /console/api/, which answers
// only with the operator's token in "Authorization: Bearer <token>"
// (401 otherwise; with no token set the console is off: 404).
//
//	browser ── GET /console/api/state (once a second) ─▶ state.go ─┬─ Game: the game server's rooms, players, recent kicks
//	        ── POST …/rooms/{id}/close                 ─▶ actions.go ├─ Cluster: the lobby's node and room records
//	        ── POST …/players/{id}/kick                               ├─ Metrics: kicks and refusals by reason
//	        ── POST …/nodes/{id}/drain                                └─ Drain: the role's own drain
//
// skirmish serve and skirmish node give it their game server (Game, a
// *server.Server, whose rooms publish their figures once a second
// without a lock on the tick) and their drain; skirmish lobby gives it
// its store (Cluster): it lists the nodes the lobby records, asks each
// node's console for its rooms and players (nodes.go) and forwards the
// operator's actions there, with the same token.
//
//	c := console.New(console.Options{Token: token, Role: "serve", Game: srv, Metrics: reg, Drain: drain})
//	c.Routes(mux)
package console
