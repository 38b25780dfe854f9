// inputs.go — a player's inputs waiting for their slots, as a slice: the
// simwire.Queue the tests of simwire, proto's conformance script and the
// netcode's test server fill slots from (the server's own queue is the
// lock-free ring in server/inbound.go).

package testkit

import pb "skirmish/proto"

// Inputs is a simwire.Queue over a slice, oldest first: tests Push the
// inputs that arrive and simwire.Slots.Fill pops them.
type Inputs []Arrival

// Arrival is one input and when it arrived, in nanoseconds on the clock
// of the times the test fills the slots at.
type Arrival struct {
	Input pb.InputMsg
	At    int64
}

// Push queues inputs that arrived at at.
func (q *Inputs) Push(at int64, ins ...pb.InputMsg) {
	for _, in := range ins {
		*q = append(*q, Arrival{in, at})
	}
}

// Pop takes the oldest input into dst and returns when it arrived; false
// when there is none.
func (q *Inputs) Pop(dst *pb.InputMsg) (at int64, ok bool) {
	if len(*q) == 0 {
		return 0, false
	}
	*dst, at = (*q)[0].Input, (*q)[0].At
	*q = (*q)[1:]
	return at, true
}

// Len is the number of inputs waiting.
func (q *Inputs) Len() int { return len(*q) }
