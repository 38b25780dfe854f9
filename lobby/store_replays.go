// store_replays.go — the ReplayStore (replays.go) of both backends: in
// memory, a map by id; in Redis, a hash of the entries (JSON) by id and a
// sorted set of the ids by start time, changed together in a transaction.

package lobby

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"

	"skirmish/ticklog"
)

func (s *MemoryStore) PutReplay(_ context.Context, e ticklog.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.replays == nil {
		s.replays = make(map[string]ticklog.Entry)
	}
	s.replays[e.ID] = e
	return nil
}

func (s *MemoryStore) RemoveReplay(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.replays, id)
	return nil
}

func (s *MemoryStore) Replays(_ context.Context, limit int) ([]ticklog.Entry, error) {
	s.mu.Lock()
	out := make([]ticklog.Entry, 0, len(s.replays))
	for _, e := range s.replays {
		out = append(out, e)
	}
	s.mu.Unlock()
	slices.SortFunc(out, newestFirst)
	return out[:min(limit, len(out))], nil
}

func (s *MemoryStore) Replay(_ context.Context, id string) (ticklog.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.replays[id]
	if !ok {
		return ticklog.Entry{}, ErrNotFound
	}
	return e, nil
}

// newestFirst orders entries by start, newest first, then by id.
func newestFirst(a, b ticklog.Entry) int {
	if c := b.Start.Compare(a.Start); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

func (s *RedisStore) PutReplay(ctx context.Context, e ticklog.Entry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return s.fail("put replay", err)
	}
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.key("replays"), e.ID, raw)
		p.ZAdd(ctx, s.key("replays", "by-start"), redis.Z{Score: float64(e.Start.UnixMilli()), Member: e.ID})
		return nil
	})
	if err != nil {
		return s.fail("put replay", err)
	}
	return nil
}

func (s *RedisStore) RemoveReplay(ctx context.Context, id string) error {
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, s.key("replays"), id)
		p.ZRem(ctx, s.key("replays", "by-start"), id)
		return nil
	})
	if err != nil {
		return s.fail("remove replay", err)
	}
	return nil
}

func (s *RedisStore) Replays(ctx context.Context, limit int) ([]ticklog.Entry, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := s.c.ZRevRange(ctx, s.key("replays", "by-start"), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, s.fail("replays", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	vals, err := s.c.HMGet(ctx, s.key("replays"), ids...).Result()
	if err != nil {
		return nil, s.fail("replays", err)
	}
	out := make([]ticklog.Entry, 0, len(vals))
	for _, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue // removed between the two reads
		}
		var e ticklog.Entry
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, s.fail("replays", err)
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, newestFirst)
	return out, nil
}

func (s *RedisStore) Replay(ctx context.Context, id string) (ticklog.Entry, error) {
	raw, err := s.c.HGet(ctx, s.key("replays"), id).Result()
	if errors.Is(err, redis.Nil) {
		return ticklog.Entry{}, ErrNotFound
	}
	if err != nil {
		return ticklog.Entry{}, s.fail("replay", err)
	}
	var e ticklog.Entry
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		return ticklog.Entry{}, s.fail("replay", err)
	}
	return e, nil
}
