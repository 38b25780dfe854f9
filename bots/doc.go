// Package bots is Skirmish's headless client: it plays the real protocol
// through the browser's own netcode (client/netcode), exactly as a
// player's browser does, for tests and load.
//
//	Join:  POST /api/play {name} ──▶ {ticket, ws_url, room}
//	       GET ws_url?ticket=…   ──▶ Welcome (full state, arena)
//	Play:  read goroutine: every frame the socket delivers, stamped and queued (inbox.go)
//	       every 1/FPS s, one frame (frame.go), in client/session.go's order:
//	         drain: every queued frame ─▶ netcode.Handle (State.Apply, checksum,
//	                                      prediction reconciled, own shots handed over)
//	         TickRate/FPS updates, back to back: behaviour(picture) ─▶ netcode.Inputs ─▶ send
//	                                             (the input clock's: none to eight inputs)
//	         about once a second:                                     netcode.Ping  ─▶ send
//	         netcode.Advance, Events (the HUD's), then the draw: the View
//	           Advance prepared, read in place (netcode.Prepared) ─▶
//	           the picture the next updates pick from, and the figures a player
//	           sees (screen.go)
//
// A Bot counts what it saw (snapshots, acks, events, checksum mismatches),
// so a test can ask whether the server's picture and the client's agree,
// and what a player would have seen. While nothing drives it (no Run, no
// swarm), the read goroutine hands each frame to the netcode as it comes.
//
// Options.Link puts a bot's WebSocket through a simulated network link
// (internal/linksim: a delay each way, jitter, stalls), so that what it
// measures is what a player on such a link sees; SwarmOptions.Link does
// it for every bot of a swarm, and `skirmish bots --latency …` sets it.
//
// A Swarm runs thousands of bots in one process for load tests, as
// `skirmish bots` does: each bot costs its connection's read goroutine,
// which does no more than copy and queue; a few shard goroutines play
// every bot's frames, the netcode's work batched per frame; once a second
// the swarm collects every bot's counts and timing into a progress line,
// and at the end into a Report (text, JSON, or an HTML page with plots).
//
//	swarm := bots.NewSwarm(bots.SwarmOptions{BaseURL: url, Count: 1000, Duration: time.Minute, FPS: 20})
//	report, err := swarm.Run(ctx)
//	report.WriteHTML(f)
//
// PlaySession (session.go) is one player's session in re-queue mode: logged
// in once, it plays for a length, and when its game server goes away (a
// node killed or drained) it queues again with the same token and plays
// on, timing how long it was out. Options.Room seats it in a private room
// instead (opened, or joined by code); CreateParty, JoinParty and
// Options.Led (party.go) put players in a party that its leader queues.
// The soak (cmd/skirmish/soak_test.go) churns players through sessions.
//
// # What a player sees
//
// Besides the server's figures (gaps, lateness, round trips to arrival,
// input→ack), each bot measures what its screen shows, and the swarm sums
// them over its bots:
//
//   - Frames: frames played a second (FPS asked; fewer when a shard falls
//     behind: it then runs the updates owed, at most a quarter second's).
//   - Corrections per minute: the netcode's Stats.Corrections, snapshots
//     that put the bot's own player elsewhere than it predicted, per bot
//     and per minute connected.
//   - Stand-ins per minute: the snapshots whose ack moved on while their
//     input_lead was negative, each a tick whose input had not arrived,
//     which the server stood in for (simwire.Slots: the input before it
//     stands in; the late one amends the slot if up to two ticks late,
//     else it is dropped), per bot and per minute connected. Held keys hide them, and
//     an amendment too; a change of keys an input dropped is a correction.
//     Skipped snapshots hide a few.
//   - HUD round trip: the netcode's Stats.RTT, what the network HUD
//     shows. "rtt" is the same ping to the Pong's arrival, measured by
//     the bot; they agree while the netcode is given each frame's arrival
//     (as the browser's socket stamps it), not the frame that drains it.
//   - Own-shot latency: the netcode's Stats.OwnShotLatency for each own
//     shot it predicted, taken when a frame first draws it: from the
//     Input that fired it to the first Advance that drew it (0 when drawn
//     the frame its input was made in).
//   - Hit fairness. A screen hit is an own shot whose path as drawn —
//     from where one frame drew it to where the next does, or, for a shot
//     the next frame no longer draws, on along its velocity for the ticks
//     the picture advanced — comes within the player radius of another
//     player as that next frame draws him (View.Players, interpolated),
//     alive as drawn (an own shot's kill shows a render lag after the shot
//     struck: a player drawn dead was killed by someone else, and on
//     screen is no target); the first such player along the path is its victim, and
//     a shot counts once. Own shots are drawn in the predicted present,
//     so a screen hit is stamped with View.PresentTick, the tick the
//     server flies the shot on. A server hit is an EVENT_KIND_HIT whose
//     attacker is the bot, taken as it arrives (netcode.Arrived), not
//     when the picture shows it. A screen hit is scored when the server
//     hit the same victim with a shot of the bot's within half a fire
//     cooldown (6 ticks) of its tick: one shooter's shots are a cooldown
//     apart, so each server hit pairs with at most one screen hit. A screen
//     hit whose shot the netcode later finds the server never fired (the
//     bot was already dead there: netcode.UntrueHits) is taken back and
//     counted apart (untrue). Hit fairness is scored screen hits over the
//     screen hits not taken back; server hits not
//     seen are the server's hits that paired with none (the shot struck
//     where the screen showed no one, or struck before any frame drew it:
//     the netcode hides an own shot that touches a player as drawn, and
//     one fired point-blank touches in the update it is fired in, or at
//     20 fps within the frame's three). The extrapolation ignores walls,
//     so a shot that vanished in a wall just before a player behind it
//     can count as a screen hit the server did not score. A shot the
//     server did not fire (drawn fading out, View's Alpha below 1) hits
//     nothing on screen.
//
// Files:
//
//	join.go       the lobby call and the WebSocket dial
//	bot.go        Bot: receive, hand to the netcode, count
//	inbox.go      the read goroutine's queue of stamped frames
//	frame.go      one frame as an N fps browser plays it; Run
//	screen.go     the picture: the behaviour's state, own shots, screen hits
//	timing.go     when snapshots arrive: gaps, lateness, round trips, delays
//	arena.go      the Welcome's walls and rules as simwire reads them, for moves and lines of fire
//	behavior.go   what a bot does each update (idle, wander, fight)
//	swarm.go      Swarm: join at a rate, play, leave
//	collect.go    the swarm's once-a-second look at its bots
//	histogram.go  the duration counts behind the figures
//	report.go     Second and Report: text and JSON
//	html.go       the Report as a page of plots (package plot draws them)
package bots
