// inputs.go — a player's inputs waiting for their slots, as a slice: the
// simwire.Queue the tests of simwire, proto's conformance script and the
// netcode's test server fill slots from (the server's own queue is the
// lock-free ring in server/inbound.go).

package testkit

import pb "skirmish/proto"

// Inputs is a simwire.Queue over a slice, oldest first: tests append the
// inputs that arrive and simwire.Slots.Fill pops them.
type Inputs []pb.InputMsg

// Pop takes the oldest input into dst; false when there is none.
func (q *Inputs) Pop(dst *pb.InputMsg) bool {
	if len(*q) == 0 {
		return false
	}
	*dst = (*q)[0]
	*q = (*q)[1:]
	return true
}

// Len is the number of inputs waiting.
func (q *Inputs) Len() int { return len(*q) }
