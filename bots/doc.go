// Package bots is Skirmish's headless client: it plays the real protocol
// exactly as a player's browser does, for tests and load.
//
//	Join:  POST /api/play {name} ──▶ {ticket, ws_url, room}
//	       GET ws_url?ticket=…   ──▶ Welcome (full state, arena)
//	Play:  every tick  Input{seq, move, aim, buttons} ──▶
//	                   ◀── Snapshot delta: State.Apply, ack, checksum check
//
// A Bot keeps the state it rebuilt from the deltas and counts what it saw
// (snapshots, acks, events, checksum mismatches), so a test can ask whether
// the server's picture and the client's agree.
//
// Options.Link puts a bot's WebSocket through a simulated network link
// (internal/linksim: a delay each way, jitter, stalls), so that what it
// measures is what a player on such a link sees; SwarmOptions.Link does
// it for every bot of a swarm, and `skirmish bots --latency …` sets it.
//
// A Swarm runs thousands of bots in one process for load tests, as
// `skirmish bots` does: each bot costs its connection's read goroutine;
// a few shard goroutines send every bot's input each tick; once a second
// the swarm collects every bot's counts and timing into a progress line,
// and at the end into a Report (text, JSON, or an HTML page with plots).
//
//	swarm := bots.NewSwarm(bots.SwarmOptions{BaseURL: url, Count: 1000, Duration: time.Minute})
//	report, err := swarm.Run(ctx)
//	report.WriteHTML(f)
//
// Files:
//
//	join.go       the lobby call and the WebSocket dial
//	bot.go        Bot: receive (proto's readers), apply, verify
//	timing.go     when snapshots arrive: gaps, lateness, round trips
//	arena.go      the Welcome's walls and rules as simwire reads them, for moves and lines of fire
//	behavior.go   what a bot does each tick (idle, wander, fight)
//	swarm.go      Swarm: join at a rate, play, leave
//	collect.go    the swarm's once-a-second look at its bots
//	histogram.go  the duration counts behind the figures
//	report.go     Second and Report: text and JSON
//	html.go       the Report as a page of plots (package plot draws them)
package bots
