// doc.go — the package overview: the flow from socket to screen, and the
// files that do each part.

// Package netcode is a Skirmish client's netcode, with no screen and no
// socket: it turns the frames a server sends into what to draw, and the
// player's wishes into the frames to send. The browser game (client/)
// drives it from its update loop; bots can drive it too. It imports only
// the standard library, the sim, the wire (proto) and the mapping between
// them (simwire), and builds for GOOS=js GOARCH=wasm as well as natively. It reads no clock: every call
// takes the time, so tests run it on made-up time.
//
//	socket                        Client                                screen
//	──────                        ──────                                ──────
//	Welcome ─▶ Handle ─▶ pb.ReadWelcome ─▶ simwire.Config: arena, rules (sim.Map, sim.Config); first state
//	Snapshot ─▶ Handle ─▶ pb.State.Apply ─┬─▶ checksum vs State.Hash     (Stats.Desyncs)
//	                                      ├─▶ ring of samples (interp.go)
//	                                      ├─▶ clock: tick ↔ time (clock.go)
//	                                      ├─▶ reconcile at ack (predict.go)
//	                                      ├─▶ own shots handed over (shots.go)
//	                                      └─▶ input_lead → input clock (inputclock.go)
//	Pong, Kick, Notice ─▶ Handle ─▶ pb.ReadPong/ReadKick/ReadNotice ─▶ RTT, kick, notice
//	◀─ Input(s) frame ◀── Inputs(wish) ── input clock: how many are due; each:
//	                                  seq++, history, sim.MovePlayer,
//	                                  sim.Shoot (predict.go), sim.Fly (shots.go),
//	                                  render lag if it fires (clock.go), simwire.InputMsg
//	◀─ Ping frame  ◀── Ping
//	           update: Advance(now) ─▶ render clock; others and their shots at
//	                                   the render tick; me and my shots at the
//	                                   present; events up to the picture
//	           draw:   View(&v)     ─▶ a copy of what Advance prepared
//
// # Prediction and reconciliation (predict.go)
//
// Input numbers each wish (seq 1, 2, 3, …), keeps it in a history, moves
// the local player by it at once with sim.MovePlayer (the function the
// server runs) and returns the frame to send. Every snapshot says, in ack,
// the last input the server has applied, and where the local player then
// was. The Client starts again from there and replays every stored input
// after it. If the server's position differs from what was predicted for
// the same input, that is a correction: counted (Stats.Corrections), and
// the predicted position moves to the replayed one. What that moves on
// screen is not shown as a jump: the difference becomes an offset that
// blends away over Options.SmoothTime (100 ms), unless it exceeds
// Options.SmoothSnap (32 pixels), when the player is moved at once.
//
// The server fills one input slot per tick, input seq n in the n-th
// (server/tick.go, by the rule simwire.Slots holds; the tests' server uses
// the same Slots). When an input is late the newest one the server has
// stands in for it (moving, not firing) and the ack moves on. The late
// input, if it comes for one of the last simwire.MaxAmendBack stand-ins
// after the newest, amends that slot: the server redoes the moves from it
// with it and fires its shot as of that tick, so a snapshot of input_lead
// −1 or −2 whose state is where the stand-ins' moves put the predicted
// player is no correction (predictor.amendable): a later one holds the
// input. Later still, the input is
// dropped when it comes, and that tick the player idles while the ack
// waits, which puts the slots back in step with this client. So a
// snapshot's state accounts for exactly the inputs, or stand-ins, up to
// its ack, and the Client replays the ones after it. An ack beyond the inputs made (the client
// fell behind its slots) is met by predicting those stand-ins with the
// last input. Held keys thus meet no correction however bursty the uplink
// and whatever the frame rate; changed keys meet one where a stand-in
// replaced them.
//
// The server moves a player only while it is alive and a match is being
// played (until Match.EndTick); the Client predicts the same, taking the
// input numbered s to land on tick + (s − ack). A spawn, a respawn or a
// death is shown at once and is not a misprediction.
//
// # Own shots (shots.go)
//
// An input that fires, as far as the predictor can tell (the player alive,
// the match playing, the cooldown over: sim.Shoot on the predicted player),
// starts a shot at once, drawn in the View of the same frame. Own shots
// live where the local player does, in the predicted present
// (View.PresentTick, the tick the last input will land on); everyone
// else's are in the interpolated past. Each Input runs one projectile stage
// on them with sim.Fly, the server's own function: walls and the arena's
// bounds exactly, and the other players as they are drawn, where the
// player aimed (a shot that touches one is hidden: the server judges the
// hit, against the same picture once it rewinds to the shooter's render
// tick).
//
// A snapshot that brings a new projectile of the local player's hands it
// to the predicted shot whose input landed on the tick it was fired on
// (input s lands on tick + (s − ack)), or the nearest within shotSlack
// ticks: the server moves a late input's fire button to the next input, so
// its shot may leave a tick or two late. The server's projectile, flown on
// to the present against the walls, then replaces the prediction; what
// that moves is blended away over SmoothTime, as a correction of the
// player is, so there is one shot and no jump. A predicted shot the server
// did not fire fades out over ShotFadeTime: at once when a snapshot shows
// the player dead or the match over, else once the server has accounted
// for shotSlack inputs past it. A projectile of the local player's that
// nothing predicted is drawn from its snapshot on.
//
// # What the picture shows when (view.go)
//
// Advance is the only call that moves time on; View reads. Events returns
// an event only once Advance draws the other players at its tick, and
// View's Match, health and scores are the picture's too: no hit, kill or
// match end is told before it is seen. The local player's position and
// life are the prediction's, so its death shows at once.
//
// # Interpolation (interp.go)
//
// Other players are drawn a little in the past, where the snapshots are
// known: each snapshot's players and shots go into a ring of 64 samples,
// and a player is drawn on the segment between the two samples around the
// render tick (its aim the short way round). Health, scores and life are
// the earlier sample's; a player who could not have walked between the
// two (a respawn) stays at the earlier one until the later one is reached.
// Shots are those of the sample at or before the render tick, moved along
// their straight line to it.
//
// # Input timing (inputclock.go)
//
// Inputs are made on the Client's own input clock, not one per call:
// Inputs makes as many as are due by the time passed, so a game that
// manages 54 updates a second, or draws 12 frames, still sends TickRate
// inputs a second. Every snapshot says, in input_lead, how many of this
// client's inputs the server held beyond the ack once it filled the
// tick's slot (negative: it stood in for that many). An input up to two
// ticks late amends its slot and is acked by the first snapshot after it
// arrives, as one in time would be, so the clock keeps the least of that
// lead at −1 (now and then an input a tick late), running up to 5 % fast
// or slow (time dilation): fast as soon as the trough (the mean of the
// lead's least in each of the last four 8-tick buckets) is below −1 or a
// bucket saw −2, slow only when its floor (the least over the last
// sixteen buckets, about two seconds) is 0 or over and inputs waited in
// the queue (the buckets' mean lead half a tick over what the caller's
// bursts make), when every input of those two seconds would still have
// come at most a tick late a tick later, or at once when the trough is
// more than a tick over 0. So an input waits less than a tick after it
// arrives on a clean link, and on a jittery one what its worst moments of
// late needed beyond a tick: input delay stays near half the round trip
// plus that jitter less a tick, and a surplus that builds up (a queue in
// the path that empties, a server that ran late) drains in a few seconds.
// A slow frame's updates make what the clock owes, eight a call, up to 16
// ticks' worth; the inputs made so late that they will miss their slots
// repeat the last input, which is what the server stands in with, so a
// long frame before a change of keys delays the change and corrects
// nothing. After a stall of the client's own (a frame more than twice
// its usual gap: not the jitter of its frames, which the lead covers),
// those stand-ins are its own doing (Client.ownLate: the input was made
// overdue, or not made yet when news of its slot came back), and no
// margin would have helped: they do not make the clock run
// fast, and the spare tick the server leaves once the late inputs come
// (it drops them and falls a tick behind) goes back at once, at 5 %, so
// a page that stalls now and then does not carry a tick or more of input
// delay between its stalls.
//
// # Time (clock.go)
//
// Ticks are 1/TickRate s apart. Each snapshot's arrival gives a sample of
// "when tick T arrives here"; a running mean of those (each pulled at most
// two ticks) maps ticks to local time, so the Client can say which tick's
// snapshot should be arriving now (Stats.ServerTick is the last one that
// did). The render tick runs behind it by the interpolation delay: two
// mean snapshot intervals plus two mean deviations of the gaps between
// arrivals (the jitter), within [Options.InterpDelayMin, InterpDelayMax].
// Snapshots that arrive within a quarter tick of each other (a slow frame
// handling several, a segment carrying two) count as one arrival for the
// gaps, so a 20 fps game is not taken for a jittery link. Handle wants the
// time each frame arrived, not when it is handled: a frame late, the round
// trip would read a frame high.
//
// The render clock runs at real time, sped up or slowed down by at most
// 10% to follow that target, so it never jumps and never goes back; when
// a snapshot is late it holds at the newest one rather than extrapolate,
// and catches up afterwards. View.TicksLeft counts down from the same
// estimate.
//
// # Use
//
//	c := netcode.New(netcode.Options{})
//	// for every frame the socket delivers, with the time it arrived:
//	if err := c.Handle(frame, arrived); err != nil { /* close the socket with 1002 */ }
//	// in every update, however many a second:
//	send(c.Inputs(wish, now)) // nil when no input is due, and before the Welcome
//	// about once a second:
//	send(c.Ping(now))
//	// once per update, after the frames and the Input:
//	c.Advance(now)
//	for _, ev := range c.Events() { /* kill feed, sounds */ }
//	// once per drawn frame:
//	c.View(&view)
//
// Files, one idea each:
//
//	client.go      Client, New, Handle, Inputs, Input, Ping, Events; the Welcome, Pong,
//	               Kick and Notice read with proto's readers, the arena and rules with simwire
//	predict.go     the local player: history, prediction, reconciliation, smoothing
//	shots.go       the local player's shots: predicted, handed over, faded out
//	inputclock.go  when inputs are due, steered by the snapshots' input_lead
//	clock.go       ticks and local time; the render clock
//	interp.go      the ring of samples; other players and shots between two of them
//	view.go        View: Advance (update) and View (draw)
//	stats.go       Stats: round trips, rates, corrections, delay and jitter, input lead
//	options.go     Options and their defaults
package netcode
