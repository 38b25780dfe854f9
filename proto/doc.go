// Package pb is the Skirmish wire contract: skirmish.proto, the Go code
// protoc generates from it (skirmish.pb.go, committed), and the hand-written
// codecs for the two messages that cross the wire every tick.
//
//	client                                   server
//	AppendInput ──── ClientMessage{Input} ───▶ DecodeClientMessage
//	State.Apply ◀─── ServerMessage{Snapshot} ─ Encoder.AppendSnapshot
//	                                           + AppendSnapshotMessage (per-client ack)
//
// Both directions are encoded and decoded by hand with protowire into reused
// buffers, so the 60 Hz path allocates nothing; the bytes are ordinary
// protobuf, and round-trip tests check every pair against the generated code,
// so a client in another language only needs skirmish.proto.
//
// Files, one idea each:
//
//	skirmish.proto   the contract, every field explained
//	state.go         State: what a client holds, and its checksum
//	snapshot.go      Encoder (server side) and State.Apply (client side)
//	input.go         AppendInput/AppendPing (client) and DecodeClientMessage (server)
//	messages.go      the rare server messages (Welcome, Pong, Kick, Notice): their writers, SplitServerMessage
//	                 and their readers, through the generated code
//
// The contract is checked from outside Go too: testdata/conformance is a
// corpus (a scripted match's frames with the state hash after each, and
// movement vectors) that conformance_test.go makes and reads back (`make
// conformance` rewrites it), and conformance/check.js, a JavaScript client
// written from skirmish.proto and the README's Protocol section alone,
// checks under Node (`make conformance-node`, part of `make test`).
package pb

//go:generate sh -c "cd .. && make proto"
