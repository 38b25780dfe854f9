// ratelimit.go — the login flood limit: a token bucket per client address
// in front of POST /api/login and POST /api/play (session.go, play.go).
// On a store that keeps the buckets itself (the Redis store:
// store_redis_limit.go) every lobby process shares them; otherwise, or
// while that store fails, each process limits in its own memory. The
// address is the client's through the proxies in Options.TrustProxy
// (internal/clientaddr). The buckets in memory are internal/ratelimit's,
// as the node API's (lobby/nodeapi/limit.go). Loopback clients are exempt
// unless Options.LimitLoopback: an untrusted proxy on loopback makes
// every client one address.

package lobby

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"skirmish/internal/clientaddr"
)

// sharedLimiter is a Store that keeps the login buckets for every lobby
// process on it (RedisStore). TakeLogin takes a token from addr's bucket
// and returns 0, or how long until there is one.
type sharedLimiter interface {
	TakeLogin(ctx context.Context, addr string, now time.Time, rate float64, burst int) (time.Duration, error)
}

// maxTrackedAddrs bounds the limiter's memory (internal/ratelimit: past
// it the quiet addresses' buckets go, or all of them), so a flood from
// very many addresses costs the limit its memory, never the process its
// memory.
const maxTrackedAddrs = 100_000

// allowLogin applies the login limit to r's client address, answering 429
// with Retry-After when it is spent.
func (l *Lobby) allowLogin(w http.ResponseWriter, r *http.Request) bool {
	if l.limiter == nil {
		return true
	}
	ip := clientaddr.From(r, l.opts.TrustProxy)
	if ip.IsLoopback() && !l.opts.LimitLoopback {
		return true
	}
	addr := ip.String()
	if !ip.IsValid() {
		addr = r.RemoteAddr
	}
	wait := l.takeLogin(r.Context(), addr)
	if wait <= 0 {
		return true
	}
	secs := int64(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	l.refuse(w, r, http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("too many logins from this address; try again in %d s", secs))
	return false
}

// takeLogin takes a token from addr's bucket: the store's when it keeps
// them, else (or when it fails) this process's.
func (l *Lobby) takeLogin(ctx context.Context, addr string) time.Duration {
	now := l.opts.Now()
	if shared, ok := l.store.(sharedLimiter); ok {
		ctx, cancel := context.WithTimeout(ctx, storeTimeout)
		wait, err := shared.TakeLogin(ctx, addr, now, l.opts.LoginRate, l.opts.LoginBurst)
		cancel()
		if err == nil {
			return wait
		}
		l.opts.Logger.Warn("lobby: login limit: the store failed; limiting in this process", "err", err)
	}
	_, wait, _ := l.limiter.Take(addr, now)
	return wait
}
