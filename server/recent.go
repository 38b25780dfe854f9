// recent.go — the latest kicks and handshake refusals, for an operator's
// console (console/): conn.go records each connection the server chose
// to close, with its reason, and handshake.go each refusal. Neither is
// on the 60 Hz path; the ring takes a short lock.

package server

import (
	"sync"
	"time"
)

// recentSize is how many events the ring keeps: the newest.
const recentSize = 64

// Event is one kick or refusal.
type Event struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`   // "kick" or "refusal"
	Reason string    `json:"reason"` // the label of skirmish_disconnects_total or skirmish_handshakes_rejected_total
	Room   string    `json:"room,omitempty"`
	Player uint64    `json:"player,string,omitempty"`
	Name   string    `json:"name,omitempty"`
	Remote string    `json:"remote,omitempty"` // a refused handshake's address
}

// recent is a ring of the latest events. The zero value is empty and
// ready; any goroutine may use it.
type recent struct {
	mu     sync.Mutex
	events [recentSize]Event
	n      int // events ever added
}

func (r *recent) add(e Event) {
	r.mu.Lock()
	r.events[r.n%recentSize] = e
	r.n++
	r.mu.Unlock()
}

// Recent returns the latest kicks and handshake refusals, newest first (at
// most 64). Any goroutine may call it.
func (s *Server) Recent() []Event {
	r := &s.recent
	r.mu.Lock()
	defer r.mu.Unlock()
	n := min(r.n, recentSize)
	out := make([]Event, 0, n)
	for i := range n {
		out = append(out, r.events[(r.n-1-i)%recentSize])
	}
	return out
}
