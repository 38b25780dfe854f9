// doc.go — the package overview: what crosses between the sim and the
// wire, who calls which side, and the files that hold each mapping.

// Package simwire is the one mapping between the sim's types (skirmish/sim)
// and the wire's (skirmish/proto), and the input-slot rule that turns a
// player's stream of inputs into one input per tick. The server writes
// with it, the netcode and the bots read with it, and the netcode's test
// server writes with it too, so that the two sides cannot drift apart.
//
//	server (server/game.go, tick.go)              clients (client/netcode, bots)
//	sim.Config ── Describe ──▶ Welcome.arena, rules ──▶ Config ──▶ sim.Map, sim.Config
//	sim.World  ── Capture  ──▶ pb.State, pb.EventInfo (delta-encoded by proto)
//	pb.InputMsg ◀── InputMsg ◀── sim.Input (netcode's Input)
//	queue of pb.InputMsg ── Slots.Fill ── Input ──▶ sim.Input for the tick
//
// The sim stays pure (no proto); proto stays the wire alone (no sim). This
// package imports both and nothing else that could not build for
// GOOS=js GOARCH=wasm.
//
// # Input slots (slots.go)
//
// A player's inputs are numbered 1, 2, 3, …, one per tick, and the server
// gives input n the n-th slot of that player. Slots.Fill fills one slot a
// tick from the player's queue and keeps the ack a promise: the state
// acked at n holds exactly inputs 1..n, each by itself or by a stand-in,
// and nothing else that moves the player, the rule the client's
// prediction replays by. When no input has arrived the newest one received
// stands in and the ack moves on, at most MaxOwed slots beyond the newest
// input; a player silent for longer idles (stops). An input up to
// MaxAmendBack ticks late, for one of the last slots stand-ins filled
// after the input before, amends that slot: the server redoes the
// player's moves from it with it (sim.World.Amend) before the tick's, so
// the state acked then holds it, and the client, whose prediction had it,
// sees nothing. Any later input whose slot a stand-in took is dropped (its
// fire carried over), never applied in a later slot; that tick the player
// idles and the ack waits, so the slots fall in step with a client that
// runs late. Each Slot says where its input came from (none yet, the
// queue, a stand-in, idle), the inputs that amend the slots before, how
// many late inputs were dropped, and the lead: the newest seq received
// minus the ack, how early the player's inputs arrive, which the snapshot
// carries (input_lead) for the client's input clock to steer by. The
// queue says when each input arrived and Fill is told when it fills the
// slot, so Slots also keeps each input's margin, in time: how long before
// its slot was filled it arrived (negative when it came after: it amended
// the slot or was dropped). Each Slot holds the least of the inputs its
// Fill took (Margin), which the server counts (input_margin_seconds):
// finer than the lead's whole ticks.
//
// Files, one idea each:
//
//	welcome.go  Describe (server) and Config (client): the arena and rules of a Welcome
//	capture.go  Capture: a sim.World as a pb.State and its events; the enum mappings
//	input.go    pb.InputMsg ↔ sim.Input, and Sanitize for what a client sent
//	slots.go    Slots: one input per player per tick, stand-ins, late inputs, the lead, the margin
package simwire
