// Stage: randomness. The World's seeded generator (splitmix64); its state is part of the
// World and of its Hash (hash.go). Only spawn point choice (spawn.go) draws from it.

package sim

import "math/bits"

// rng is a splitmix64 generator: one uint64 of state, every seed is valid.
type rng struct {
	state uint64
}

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a number in [0, n) for n > 0 (Lemire's multiply-shift; the bias is below
// n/2⁶⁴ and the result is the same on every platform).
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}
