// doc.go — the package overview. One file holds the rules: playername.go.

// Package playername is the rule for display names, in one home: what a
// player may call themselves. It imports only the standard library's text
// packages, so the WebAssembly client (client/title.go) checks a name as
// it is typed with the very rule the lobby enforces, without linking the
// ticket package's cryptography.
//
//	client/title.go ── Allowed, MaxRunes, Check ── as the player types
//	ticket.ValidName ── Check ──▶ the lobby (lobby/play.go, session.go) and
//	                              every name inside a signed ticket
package playername
