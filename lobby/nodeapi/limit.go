// limit.go — the node API's two limits, token buckets taken by
// service.go's admit: each community node's requests (Options.Rate and
// Burst), by credential name, once a request's credential and signature
// checked out, so no one else can spend a node's budget; and failed
// authentications by client address (authFailRate, authFailBurst), so a
// flood of forged requests costs the lobby a signature check only a few
// times a second. Each lobby process limits on its own. The same bucket
// as lobby/ratelimit.go's login limit, which sits inside lobby's handlers.

package nodeapi

import (
	"sync"
	"time"
)

const (
	authFailRate  = 2.0 // failed authentications a second per address, sustained
	authFailBurst = 20  // at once
	// limitTellEvery spaces the warnings of one limited key: the rest of
	// its refusals are counted and logged at debug level.
	limitTellEvery = 10 * time.Second
)

type limiter struct {
	rate, burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
	told   time.Time // when a refusal of this key was last logged at warn level
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: make(map[string]*bucket)}
}

// take takes a token from key's bucket at now, or reports false, how long
// until there is one, and whether to warn of it (once a limitTellEvery).
func (l *limiter) take(key string, now time.Time) (ok bool, wait time.Duration, tell bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(key, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0, false
	}
	return false, l.waitLocked(b), l.tellLocked(b, now)
}

// empty reports, without taking a token, whether key's bucket is empty at
// now, and if so how long until it is not and whether to warn of it.
func (l *limiter) empty(key string, now time.Time) (empty bool, wait time.Duration, tell bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(key, now)
	if b.tokens >= 1 {
		return false, 0, false
	}
	return true, l.waitLocked(b), l.tellLocked(b, now)
}

func (l *limiter) refillLocked(key string, now time.Time) *bucket {
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			clear(l.buckets) // a flood from very many keys costs the limit its memory, not the process
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.at = now
	}
	return b
}

func (l *limiter) waitLocked(b *bucket) time.Duration {
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (l *limiter) tellLocked(b *bucket, now time.Time) bool {
	if now.Sub(b.told) < limitTellEvery {
		return false
	}
	b.told = now
	return true
}
