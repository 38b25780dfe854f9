// store_redis_limit.go — the login limit (ratelimit.go) kept in Redis, so
// that every lobby process behind a load balancer takes from one bucket
// per address: lua/login_limit.lua, a GCRA bucket per key that expires
// when it is full again. The memory store has no such method: one process
// limits in its own memory.

package lobby

import (
	"context"
	"math"
	"time"
)

var loginLimitScript = loadScript("login_limit")

// TakeLogin takes a login token from addr's bucket at now, for buckets of
// burst tokens that come back at rate a second, and returns 0, or how long
// until a token is there. Buckets are kept under login:<addr>.
func (s *RedisStore) TakeLogin(ctx context.Context, addr string, now time.Time, rate float64, burst int) (time.Duration, error) {
	interval := int64(math.Ceil(1000 / rate))
	wait, err := s.run(ctx, loginLimitScript, addr, now.UnixMilli(), interval, burst).Int64()
	if err != nil {
		return 0, s.fail("login limit", err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}
