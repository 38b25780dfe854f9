// ratelimit_internal_test.go — the limiter's memory stays bounded
// (ratelimit.go) however many addresses knock, and a sweep drops the quiet
// addresses, not the busy ones.

package lobby

import (
	"strconv"
	"testing"
	"time"
)

func TestRateLimiterMemoryIsBounded(t *testing.T) {
	rl := newRateLimiter(1, 2) // a bucket refills in 2 s
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxTrackedAddrs - 1 {
		if ok, _ := rl.allow("quiet"+strconv.Itoa(i), now); !ok {
			t.Fatalf("address %d refused its first login", i)
		}
	}
	later := now.Add(3 * time.Second)
	for range 2 {
		rl.allow("busy", later) // the limit is reached: busy's bucket is empty
	}
	rl.allow("new", later) // a sweep: the quiet addresses have refilled, so they go
	if n := len(rl.buckets); n != 2 {
		t.Errorf("%d buckets after the sweep; want busy and new", n)
	}
	if ok, wait := rl.allow("busy", later); ok || wait != time.Second {
		t.Errorf("busy address: %v, %v; want refused for 1 s (its bucket kept)", ok, wait)
	}
	// All busy at the limit: everything is dropped rather than grow.
	for i := range maxTrackedAddrs + 10 {
		rl.allow("flood"+strconv.Itoa(i), later)
	}
	if n := len(rl.buckets); n > maxTrackedAddrs {
		t.Errorf("%d buckets kept; want at most %d", n, maxTrackedAddrs)
	}
}
