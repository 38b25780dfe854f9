// input.go — one tick's input, both ways: InputMsg numbers a sim.Input
// for the wire (client/netcode's Input sends it), Input turns what the
// server took for a slot (slots.go) back into the sim's, and Sanitize
// brings what a client sent into the sim's ranges first
// (server/inbound.go, through the Game).

package simwire

import (
	"math"

	pb "skirmish/proto"
	"skirmish/sim"
)

// InputMsg is in on the wire as input number seq.
func InputMsg(seq uint32, in sim.Input) pb.InputMsg {
	return pb.InputMsg{Seq: seq, Move: uint32(in.Move), Aim: uint32(in.Aim), Buttons: uint32(in.Buttons), RenderLag: uint32(in.RenderLag)}
}

// Input is the sim's input for m, which Sanitize has brought into range.
func Input(m pb.InputMsg) sim.Input {
	return sim.Input{Move: uint8(m.Move), Aim: uint16(m.Aim), Buttons: uint8(m.Buttons), RenderLag: uint8(m.RenderLag)}
}

// Sanitize masks unknown move and button bits and clamps the aim, on the
// wire's wider fields (an aim of 70000 is the largest, not 70000 mod
// 65536) and the render lag (the sim clamps it to its window, and counts),
// and reports whether it had to.
func Sanitize(in pb.InputMsg) (pb.InputMsg, bool) {
	out := in
	out.Move &= uint32(sim.MoveMask)
	out.Buttons &= uint32(sim.ButtonMask)
	out.Aim = min(out.Aim, sim.AimSteps-1)
	out.RenderLag = min(out.RenderLag, math.MaxUint8)
	return out, out != in
}
