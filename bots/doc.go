// Package bots is Skirmish's headless client: it plays the real protocol
// exactly as a player's browser does, for tests and load.
//
//	Join:  POST /api/play {name} ──▶ {ticket, ws_url, room}
//	       GET ws_url?ticket=…   ──▶ Welcome (full state)
//	Play:  every tick  Input{seq, move, aim, buttons} ──▶
//	                   ◀── Snapshot delta: State.Apply, ack, checksum check
//
// A Bot keeps the state it rebuilt from the deltas and counts what it saw
// (snapshots, acks, events, checksum mismatches), so a test can ask whether
// the server's picture and the client's agree.
//
//	join.go      the lobby call and the WebSocket dial
//	bot.go       Bot: receive, apply, verify
//	behavior.go  what a bot does each tick (idle, wander, fight)
package bots
