// store.go — the lobby's store for the roles that keep lobby state
// (serve.go, lobby.go, node.go): in memory, or in Redis at --redis,
// checked with a PING; go-redis's own messages go to the debug log.
// lobbyopts.go makes the lobby on it.

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"skirmish/lobby"
)

// redisDialTimeout bounds the first PING to --redis.
const redisDialTimeout = 5 * time.Second

// openStore returns the lobby's store: in memory, or in Redis at url,
// checked with a PING. The returned func closes it.
func openStore(url string) (lobby.Store, func(), error) {
	if url == "" {
		return lobby.NewMemoryStore(), func() {}, nil
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("--redis: %w", err)
	}
	redis.SetLogger(redisLog{})
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), redisDialTimeout)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("--redis %s: %w", opts.Addr, err)
	}
	return lobby.NewRedisStore(c, lobby.RedisOptions{}), func() { c.Close() }, nil
}

// redisLog sends go-redis's own messages (reconnects, mostly) to the
// default logger at debug level: the roles log what a failure means.
type redisLog struct{}

func (redisLog) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
