// ratelimit.go — the login flood limit: a token bucket per client address
// in front of POST /api/login and POST /api/play (session.go, play.go).
// Each lobby process limits on its own. Loopback clients are exempt unless
// Options.LimitLoopback: behind a proxy every client shares the proxy's
// address, so the proxy must limit by the real one.

package lobby

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// maxTrackedAddrs bounds the limiter's memory. When it is reached, the
// buckets that have refilled (their address has been quiet) are dropped;
// if all are busy, every bucket is dropped, so a flood from very many
// addresses costs the limit its memory, never the process its memory.
const maxTrackedAddrs = 100_000

// rateLimiter is a set of token buckets by key. Safe for concurrent use.
type rateLimiter struct {
	rate  float64 // tokens per second
	burst float64 // bucket size

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was counted
}

func newRateLimiter(rate float64, burst int) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(burst), buckets: make(map[string]*bucket)}
}

// allow takes a token from key's bucket at now. If there is none it
// reports false and how long until there is.
func (rl *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	b := rl.buckets[key]
	if b == nil {
		if len(rl.buckets) >= maxTrackedAddrs {
			rl.sweepLocked(now)
		}
		b = &bucket{tokens: rl.burst, at: now}
		rl.buckets[key] = b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(rl.burst, b.tokens+elapsed.Seconds()*rl.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rl.rate * float64(time.Second))
}

func (rl *rateLimiter) sweepLocked(now time.Time) {
	full := time.Duration(rl.burst / rl.rate * float64(time.Second))
	for k, b := range rl.buckets {
		if now.Sub(b.at) >= full {
			delete(rl.buckets, k)
		}
	}
	if len(rl.buckets) >= maxTrackedAddrs {
		clear(rl.buckets)
	}
}

// allowLogin applies the login limit to r's address, answering 429 with
// Retry-After when it is spent.
func (l *Lobby) allowLogin(w http.ResponseWriter, r *http.Request) bool {
	if l.limiter == nil {
		return true
	}
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	if ip, err := netip.ParseAddr(addr); err == nil && ip.IsLoopback() && !l.opts.LimitLoopback {
		return true
	}
	ok, wait := l.limiter.allow(addr, l.opts.Now())
	if ok {
		return true
	}
	secs := int64(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	l.refuse(w, r, http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("too many logins from this address; try again in %d s", secs))
	return false
}
