// limit.go — each community node's request limit (Options.Rate and
// Burst): a token bucket per credential name, taken by service.go's
// admit once a request's credential and signature checked out, so no one
// else can spend a node's budget. Each lobby process limits on its own.
// The same bucket as lobby/ratelimit.go's login limit, which is keyed by
// address and sits inside lobby's handlers.

package nodeapi

import (
	"sync"
	"time"
)

type limiter struct {
	rate, burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: make(map[string]*bucket)}
}

// allow takes a token from key's bucket at now, or reports false and how
// long until there is one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			clear(l.buckets) // only enrolled nodes get here: this many means the limit is moot
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
