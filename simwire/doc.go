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
// gives input n the n-th tick that player plays (its slot). Slots.Fill
// fills one slot from the player's queue: the oldest input whose slot has
// not passed. When none has arrived, the game's held input stands in and
// the slot counts as the missing input's (the ack moves on), at most
// MaxOwed times in a row; when the missing input then arrives with a later
// one behind it, it is dropped (its fire button carried over). So a
// snapshot acked at n accounts for exactly inputs 1..n, the rule the
// client's prediction replays by. Each Slot says where its input came
// from (held, a stand-in, the queue, late), how many late inputs were
// dropped for it, and how many were still queued behind it (Ahead): how
// early the player's inputs arrive, what a time-dilating server would
// steer by.
//
// Files, one idea each:
//
//	welcome.go  Describe (server) and Config (client): the arena and rules of a Welcome
//	capture.go  Capture: a sim.World as a pb.State and its events; the enum mappings
//	input.go    pb.InputMsg ↔ sim.Input, and Sanitize for what a client sent
//	slots.go    Slots: one input per player per tick, stand-ins and late inputs
package simwire
