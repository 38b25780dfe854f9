// export_test.go — test-only access for the ticket_test package: how many
// redeemed nonces a Verifier remembers (redeem.go).

package ticket

// RememberedNonces reports how many redeemed nonces v still holds.
func (v *Verifier) RememberedNonces() int {
	v.used.mu.Lock()
	defer v.used.mu.Unlock()
	return len(v.used.claimed)
}
