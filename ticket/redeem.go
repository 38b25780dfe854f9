// redeem.go — the single-use rule for tickets: Redeem is Verify (ticket.go)
// plus a memory of redeemed nonces, kept only until each ticket expires. The
// game server calls Redeem at the WebSocket handshake (server/handshake.go).

package ticket

import (
	"container/heap"
	"fmt"
	"sync"
	"time"
)

// Redeem verifies token like Verify and then claims it: the first Redeem of
// a ticket succeeds, every later one fails with ErrReused until the
// ticket expires, after which Verify refuses it anyway.
//
// Redeemed nonces are remembered in this Verifier only, so each ticket must
// be redeemed by the one game server that holds its room. Memory is bounded
// by the tickets redeemed within one ticket lifetime: each call first
// forgets the nonces of tickets expired by now. Safe for concurrent use.
func (v *Verifier) Redeem(token string, now time.Time) (Ticket, error) {
	t, err := v.Verify(token, now)
	if err != nil {
		return Ticket{}, err
	}
	if !v.used.claim(t.Nonce, t.Expires, now) {
		return Ticket{}, fmt.Errorf("%w: player %d, room %s", ErrReused, t.PlayerID, t.Room)
	}
	return t, nil
}

// nonceSet remembers claimed nonces until their tickets expire.
type nonceSet struct {
	mu       sync.Mutex
	claimed  map[uint64]struct{}
	byExpiry expiryHeap // the same nonces, soonest expiry on top
}

func newNonceSet() nonceSet {
	return nonceSet{claimed: make(map[uint64]struct{})}
}

// claim forgets nonces expired at now, then records nonce as used until
// expires. It reports false if nonce was already recorded.
func (s *nonceSet) claim(nonce uint64, expires, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.byExpiry) > 0 && !now.Before(s.byExpiry[0].expires) {
		delete(s.claimed, heap.Pop(&s.byExpiry).(claimedNonce).nonce)
	}
	if _, ok := s.claimed[nonce]; ok {
		return false
	}
	s.claimed[nonce] = struct{}{}
	heap.Push(&s.byExpiry, claimedNonce{nonce: nonce, expires: expires})
	return true
}

type claimedNonce struct {
	nonce   uint64
	expires time.Time
}

// expiryHeap is a container/heap of claimed nonces ordered by expiry.
type expiryHeap []claimedNonce

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(claimedNonce)) }
func (h *expiryHeap) Pop() any {
	old := *h
	last := old[len(old)-1]
	*h = old[:len(old)-1]
	return last
}
