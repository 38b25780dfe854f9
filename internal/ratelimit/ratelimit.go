// ratelimit.go — token buckets by key, in one process's memory: the
// lobby's login limit (lobby/ratelimit.go) and the node API's two limits
// (lobby/nodeapi/limit.go) take from them.

// Package ratelimit is a set of token buckets by key (a client address, a
// credential's name): each holds up to Burst tokens, refills at Rate a
// second and gives one to each request it lets through. Time is passed in,
// so tests drive made-up time. Memory is bounded: past MaxKeys buckets the
// quiet ones (refilled to full) are dropped, or, if every one is busy, all
// of them, so a flood from very many keys costs the limit its memory,
// never the process its memory.
package ratelimit

import (
	"sync"
	"time"
)

// defaultMaxKeys is Options.MaxKeys when it is 0.
const defaultMaxKeys = 100_000

// Options are a Limiter's.
type Options struct {
	Rate  float64 // tokens a second, each bucket; more than 0
	Burst int     // a bucket's size, and what a new key starts with; at least 1
	// MaxKeys bounds how many buckets are kept. 0: 100,000.
	MaxKeys int
	// TellEvery spaces the refusals of one key that Take and Empty say to
	// tell (log loudly) of: at most one a TellEvery. 0: every one.
	TellEvery time.Duration
}

// Limiter is a set of token buckets by key. Safe for concurrent use.
type Limiter struct {
	rate, burst float64
	maxKeys     int
	tellEvery   time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was counted
	told   time.Time // when a refusal of this key was last told of
}

// New returns a Limiter with every bucket full.
func New(o Options) *Limiter {
	if o.MaxKeys <= 0 {
		o.MaxKeys = defaultMaxKeys
	}
	return &Limiter{rate: o.Rate, burst: float64(o.Burst), maxKeys: o.MaxKeys, tellEvery: o.TellEvery,
		buckets: make(map[string]*bucket)}
}

// Take takes a token from key's bucket at now. If there is none it
// reports false, how long until there is one, and whether to tell of
// this refusal (at most once a TellEvery for a key).
func (l *Limiter) Take(key string, now time.Time) (ok bool, wait time.Duration, tell bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(key, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0, false
	}
	return false, l.waitLocked(b), l.tellLocked(b, now)
}

// Empty reports, without taking a token, whether key's bucket is empty at
// now, and if so how long until it is not and whether to tell of it.
func (l *Limiter) Empty(key string, now time.Time) (empty bool, wait time.Duration, tell bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(key, now)
	if b.tokens >= 1 {
		return false, 0, false
	}
	return true, l.waitLocked(b), l.tellLocked(b, now)
}

// refillLocked returns key's bucket, new and full or refilled to now.
func (l *Limiter) refillLocked(key string, now time.Time) *bucket {
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.maxKeys {
			l.sweepLocked(now)
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

// sweepLocked drops the buckets that have refilled by now (their key has
// been quiet: a new bucket would be the same), and every bucket if that
// leaves as many as MaxKeys.
func (l *Limiter) sweepLocked(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
	}
}

func (l *Limiter) waitLocked(b *bucket) time.Duration {
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (l *Limiter) tellLocked(b *bucket, now time.Time) bool {
	if !b.told.IsZero() && now.Sub(b.told) < l.tellEvery {
		return false
	}
	b.told = now
	return true
}
