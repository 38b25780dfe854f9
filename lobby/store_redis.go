// store_redis.go — the Store (store.go) in Redis, for several lobby and
// game processes sharing one deployment. Every method that checks and then
// writes is one Lua script in lua/ (prelude.lua holds the helpers each
// script shares), so Redis runs it as one atomic step and two lobbies
// racing for a seat cannot both win it; ratings use an optimistic
// WATCH/MULTI transaction instead, since Glicko-2 is computed in Go. The
// records' wire forms are in store_redis_wire.go.
//
// Key layout, under Options.Prefix ("skirmish:" by default):
//
//	session:<sha256 of token>  string  session JSON, expiring grace after the session
//	rating:<player>            string  rating JSON, expiring 30 days after its last update
//	queue:<mode>               zset    entry id → enqueue time (ms)
//	entry:<id>                 string  entry JSON (mode, members, enqueue time)
//	queued:<player>            string  the entry the player is queued in
//	roomseq                    string  counter behind NewRoomID, from the first use's time (ms)
//	rooms                      set     every room id
//	room:<id>                  hash    mode, capacity, private, code, match_ends (ms), node, spectators, spectator_limit
//	seats:<id>                 hash    player → reservation (or hold) expiry (ms), 0 while connected
//	ratings:<id>               hash    player → the rating it was seated with
//	seat:<player>              string  the room the player holds a seat in
//	expiries                   zset    "<room>|<player>" → reservation (or hold) expiry (ms), for Expire
//	code:<code>                string  private room code → room id
//	party:<id>                 string  party JSON
//	partycode:<code>           string  party code → party id
//	partyof:<player>           string  the party the player is in
//	changes                    string  counter behind Changes
//	leader                     string  the lobby process that matches now (expires)
//	nodes                      zset    game node id → heartbeat expiry (ms)
//	node:<id>                  string  the node's last heartbeat, JSON
//	noderooms:<id>             set     the rooms on the node
//	keys                       zset    published ticket key (base64) → expiry (ms)
//	login:<addr>               string  the login limit's bucket for a client address (ms), expiring when full
//
// The scripts compute their keys from the prefix, so they need one Redis,
// not a cluster. Player ids are decimal strings throughout: Lua numbers
// are doubles and would round a uint64.

package lobby

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// defaultRedisPrefix starts every key the Redis store writes.
const defaultRedisPrefix = "skirmish:"

// expireBatch is how many reservations one expire script looks at.
const expireBatch = 500

// maxRatingRetries bounds UpdateRatings' optimistic retries.
const maxRatingRetries = 16

// ratingKeep is how long a rating is kept after its last match: a guest's
// player id lives only as long as their session, so ratings need not
// outlive it by much.
const ratingKeep = 30 * 24 * time.Hour

//go:embed lua/*.lua
var luaFiles embed.FS

// scripts are the Lua scripts of the Redis store, each with the prelude.
var scripts = struct {
	enqueue, dequeue, queue, queuedEntry, reserve, seat, claim, hold, release, expire,
	rooms, roomByCode, setMatch, setSpectators, partyCreate, partyJoin, partyLeave, partyOf, lead,
	putNode, removeNode, expireNodes, nodes *redis.Script
}{
	enqueue: loadScript("enqueue"), dequeue: loadScript("dequeue"), queue: loadScript("queue"),
	queuedEntry: loadScript("queued_entry"), reserve: loadScript("reserve"), seat: loadScript("seat"),
	claim: loadScript("claim"), hold: loadScript("hold"), release: loadScript("release"), expire: loadScript("expire"),
	rooms: loadScript("rooms"), roomByCode: loadScript("room_by_code"), setMatch: loadScript("set_match"),
	setSpectators: loadScript("set_spectators"),
	partyCreate:   loadScript("party_create"), partyJoin: loadScript("party_join"),
	partyLeave: loadScript("party_leave"), partyOf: loadScript("party_of"), lead: loadScript("lead"),
	putNode: loadScript("put_node"), removeNode: loadScript("remove_node"), expireNodes: loadScript("expire_nodes"),
	nodes: loadScript("nodes"),
}

func loadScript(name string) *redis.Script {
	prelude, err := luaFiles.ReadFile("lua/prelude.lua")
	if err != nil {
		panic(err)
	}
	body, err := luaFiles.ReadFile("lua/" + name + ".lua")
	if err != nil {
		panic(err)
	}
	return redis.NewScript(string(prelude) + "\n" + string(body))
}

// RedisOptions configures a RedisStore.
type RedisOptions struct {
	// Prefix starts every key, so several deployments can share one Redis.
	// Empty means "skirmish:".
	Prefix string
}

// RedisStore keeps lobby state in Redis. It is safe for concurrent use by
// any number of goroutines and processes.
type RedisStore struct {
	c      *redis.Client
	prefix string
}

// NewRedisStore returns a Store on c, which the caller keeps and closes.
func NewRedisStore(c *redis.Client, opts RedisOptions) *RedisStore {
	if opts.Prefix == "" {
		opts.Prefix = defaultRedisPrefix
	}
	return &RedisStore{c: c, prefix: opts.Prefix}
}

var _ Store = (*RedisStore)(nil)

func (s *RedisStore) key(parts ...string) string { return s.prefix + strings.Join(parts, ":") }

// run runs a script with the prefix as ARGV[1].
func (s *RedisStore) run(ctx context.Context, sc *redis.Script, args ...any) *redis.Cmd {
	return sc.Run(ctx, s.c, nil, append([]any{s.prefix}, args...)...)
}

func (s *RedisStore) fail(op string, err error) error {
	return fmt.Errorf("lobby: redis %s: %w", op, err)
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

func idString(id uint64) string { return strconv.FormatUint(id, 10) }

func (s *RedisStore) PutSession(ctx context.Context, sess Session, now time.Time, grace time.Duration) error {
	raw, err := json.Marshal(redisSession{Player: idString(sess.PlayerID), Name: sess.Name, Expires: ms(sess.Expires)})
	if err != nil {
		return s.fail("put session", err)
	}
	keep := max(sess.Expires.Add(grace).Sub(now), time.Millisecond)
	if err := s.c.Set(ctx, s.key("session", sess.Key), raw, keep).Err(); err != nil {
		return s.fail("put session", err)
	}
	return nil
}

func (s *RedisStore) Session(ctx context.Context, key string) (Session, error) {
	raw, err := s.c.Get(ctx, s.key("session", key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, s.fail("session", err)
	}
	var rs redisSession
	if err := json.Unmarshal(raw, &rs); err != nil {
		return Session{}, s.fail("session", err)
	}
	id, err := strconv.ParseUint(rs.Player, 10, 64)
	if err != nil {
		return Session{}, s.fail("session", err)
	}
	return Session{Key: key, PlayerID: id, Name: rs.Name, Expires: fromMS(rs.Expires)}, nil
}

func (s *RedisStore) ratingKeys(ids []uint64) []string {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = s.key("rating", idString(id))
	}
	return keys
}

// readRatings reads ratings with the given getter: the client, or a
// transaction's connection.
func readRatings(ctx context.Context, c redis.Cmdable, ids []uint64, keys []string) (map[uint64]Rating, error) {
	out := make(map[uint64]Rating, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	vals, err := c.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue
		}
		var r Rating
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, err
		}
		out[ids[i]] = r
	}
	return out, nil
}

func (s *RedisStore) Ratings(ctx context.Context, ids []uint64) (map[uint64]Rating, error) {
	out, err := readRatings(ctx, s.c, ids, s.ratingKeys(ids))
	if err != nil {
		return nil, s.fail("ratings", err)
	}
	return out, nil
}

func (s *RedisStore) UpdateRatings(ctx context.Context, ids []uint64, update func(map[uint64]Rating) map[uint64]Rating) error {
	keys := s.ratingKeys(ids)
	index := make(map[uint64]string, len(ids))
	for i, id := range ids {
		index[id] = keys[i]
	}
	txf := func(tx *redis.Tx) error {
		old, err := readRatings(ctx, tx, ids, keys)
		if err != nil {
			return err
		}
		next := update(old)
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			for id, r := range next {
				k, ok := index[id]
				if !ok {
					k = s.key("rating", idString(id))
				}
				raw, err := json.Marshal(r)
				if err != nil {
					return err
				}
				p.Set(ctx, k, raw, ratingKeep)
			}
			return nil
		})
		return err
	}
	for range maxRatingRetries {
		err := s.c.Watch(ctx, txf, keys...)
		if !errors.Is(err, redis.TxFailedErr) {
			if err != nil {
				return s.fail("update ratings", err)
			}
			return nil
		}
	}
	return s.fail("update ratings", fmt.Errorf("still contended after %d tries", maxRatingRetries))
}

func (s *RedisStore) Enqueue(ctx context.Context, e Entry, now time.Time) error {
	raw, err := json.Marshal(redisEntry{ID: e.ID, Mode: e.Mode, Members: toRedisMembers(e.Members),
		Enqueued: strconv.FormatInt(e.Enqueued.UnixMilli(), 10)})
	if err != nil {
		return s.fail("enqueue", err)
	}
	code, err := s.run(ctx, scripts.enqueue, ms(now), raw).Text()
	if err != nil {
		return s.fail("enqueue", err)
	}
	return scriptError(code)
}

func (s *RedisStore) Dequeue(ctx context.Context, id string) (Entry, error) {
	raw, err := s.run(ctx, scripts.dequeue, id).Text()
	if err != nil {
		return Entry{}, s.fail("dequeue", err)
	}
	if raw == "" {
		return Entry{}, ErrNotFound
	}
	e, err := decodeEntry(raw)
	if err != nil {
		return Entry{}, s.fail("dequeue", err)
	}
	return e, nil
}

func (s *RedisStore) Queue(ctx context.Context, mode string, limit int) ([]Entry, error) {
	raws, err := s.run(ctx, scripts.queue, mode, limit-1).StringSlice()
	if err != nil {
		return nil, s.fail("queue", err)
	}
	out := make([]Entry, len(raws))
	for i, raw := range raws {
		if out[i], err = decodeEntry(raw); err != nil {
			return nil, s.fail("queue", err)
		}
	}
	return out, nil
}

func (s *RedisStore) QueuedEntry(ctx context.Context, player uint64) (Entry, error) {
	raw, err := s.run(ctx, scripts.queuedEntry, idString(player)).Text()
	if err != nil {
		return Entry{}, s.fail("queued entry", err)
	}
	if raw == "" {
		return Entry{}, ErrNotFound
	}
	e, err := decodeEntry(raw)
	if err != nil {
		return Entry{}, s.fail("queued entry", err)
	}
	return e, nil
}

// NewRoomID counts from the time the counter was first needed, in
// milliseconds, in base 36: should Redis lose its data (a restart without
// persistence), the counter starts again from a later time, so a room id
// still hosted by a game node is never handed out a second time.
func (s *RedisStore) NewRoomID(ctx context.Context) (string, error) {
	var incr *redis.IntCmd
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.SetNX(ctx, s.key("roomseq"), time.Now().UnixMilli(), 0)
		incr = p.Incr(ctx, s.key("roomseq"))
		return nil
	})
	if err != nil {
		return "", s.fail("new room id", err)
	}
	return "r" + strconv.FormatInt(incr.Val(), 36), nil
}

// Reserve sends every reservation in one pipeline: one round trip for the
// batch, each script still atomic on its own.
func (s *RedisStore) Reserve(ctx context.Context, now time.Time, rs []Reservation) ([]error, error) {
	args := make([][]any, len(rs))
	for i, r := range rs {
		raw, err := json.Marshal(redisReservation{
			Room:    redisRoomSpec{ID: r.Room.ID, Mode: r.Room.Mode, Capacity: r.Room.Capacity, Private: r.Room.Private, Code: r.Room.Code, Node: r.Room.Node},
			Create:  r.Create,
			Entry:   r.Entry,
			Members: toRedisMembers(r.Members),
			Until:   strconv.FormatInt(ms(r.Until), 10),
			Leader:  r.Leader,
		})
		if err != nil {
			return nil, s.fail("reserve", err)
		}
		args[i] = []any{s.prefix, ms(now), raw}
	}
	cmds := make([]*redis.Cmd, len(rs))
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range rs {
			cmds[i] = scripts.reserve.EvalSha(ctx, p, nil, args[i]...)
		}
		return nil
	})
	if err != nil && !redis.HasErrorPrefix(err, "NOSCRIPT") {
		return nil, s.fail("reserve", err)
	}
	errs := make([]error, len(rs))
	for i, cmd := range cmds {
		if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
			// The script is not cached yet (first use, or Redis restarted):
			// this one did not run; Run loads it and runs it.
			cmd = scripts.reserve.Run(ctx, s.c, nil, args[i]...)
		}
		code, err := cmd.Text()
		if err != nil {
			return nil, s.fail("reserve", err)
		}
		errs[i] = scriptError(code)
	}
	return errs, nil
}

func (s *RedisStore) Seat(ctx context.Context, player uint64, now time.Time) (Seat, error) {
	vals, err := s.run(ctx, scripts.seat, ms(now), idString(player)).StringSlice()
	if err != nil {
		return Seat{}, s.fail("seat", err)
	}
	if len(vals) != 3 {
		return Seat{}, ErrNotFound
	}
	until, err := strconv.ParseInt(vals[1], 10, 64)
	if err != nil {
		return Seat{}, s.fail("seat", err)
	}
	return Seat{Room: vals[0], Node: vals[2], Until: fromMS(until), Connected: until == 0}, nil
}

func (s *RedisStore) Claim(ctx context.Context, room, node string, player uint64, now time.Time) error {
	code, err := s.run(ctx, scripts.claim, ms(now), room, idString(player), node).Text()
	if err != nil {
		return s.fail("claim", err)
	}
	return seatAnswer(code, room, player)
}

func (s *RedisStore) Hold(ctx context.Context, room, node string, player uint64, until time.Time) error {
	code, err := s.run(ctx, scripts.hold, room, idString(player), node, ms(until)).Text()
	if err != nil {
		return s.fail("hold", err)
	}
	return seatAnswer(code, room, player)
}

// seatAnswer is the error for what claim.lua or hold.lua answered about
// player's seat in room; nil for "ok".
func seatAnswer(code, room string, player uint64) error {
	if host, ok := strings.CutPrefix(code, "wrong_node "); ok {
		return wrongNodeError(room, host)
	}
	switch code {
	case "ok":
		return nil
	case "no_room":
		return fmt.Errorf("%w: room %s does not exist", ErrNoSeat, room)
	case "no_seat":
		return fmt.Errorf("%w for player %d in room %s", ErrNoSeat, player, room)
	case "connected":
		return fmt.Errorf("%w: player %d is already connected to room %s", ErrNoSeat, player, room)
	case "not_connected":
		return fmt.Errorf("%w: player %d is not connected to room %s", ErrNoSeat, player, room)
	case "expired":
		return fmt.Errorf("%w: the reservation for player %d in room %s expired", ErrNoSeat, player, room)
	}
	return scriptError(code)
}

func (s *RedisStore) Release(ctx context.Context, room string, player uint64) error {
	if err := s.run(ctx, scripts.release, room, idString(player)).Err(); err != nil {
		return s.fail("release", err)
	}
	return nil
}

func (s *RedisStore) Expire(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		vals, err := s.run(ctx, scripts.expire, ms(now), expireBatch).Int64Slice()
		if err != nil {
			return total, s.fail("expire", err)
		}
		if len(vals) != 2 {
			return total, s.fail("expire", fmt.Errorf("answer %v", vals))
		}
		total += int(vals[0])
		if vals[1] < expireBatch {
			return total, nil
		}
	}
}

func (s *RedisStore) Rooms(ctx context.Context, now time.Time) ([]Room, error) {
	raw, err := s.run(ctx, scripts.rooms, ms(now)).Text()
	if err != nil {
		return nil, s.fail("rooms", err)
	}
	var rrs []redisRoom
	if err := json.Unmarshal([]byte(raw), &rrs); err != nil {
		return nil, s.fail("rooms", err)
	}
	out := make([]Room, len(rrs))
	for i, rr := range rrs {
		if out[i], err = rr.room(); err != nil {
			return nil, s.fail("rooms", err)
		}
	}
	sortRooms(out)
	return out, nil
}

func (s *RedisStore) RoomByCode(ctx context.Context, code string, now time.Time) (Room, error) {
	raw, err := s.run(ctx, scripts.roomByCode, ms(now), code).Text()
	if err != nil {
		return Room{}, s.fail("room by code", err)
	}
	if raw == "" {
		return Room{}, ErrNotFound
	}
	var rr redisRoom
	if err := json.Unmarshal([]byte(raw), &rr); err != nil {
		return Room{}, s.fail("room by code", err)
	}
	r, err := rr.room()
	if err != nil {
		return Room{}, s.fail("room by code", err)
	}
	return r, nil
}

func (s *RedisStore) SetMatch(ctx context.Context, room string, ends time.Time) error {
	if err := s.run(ctx, scripts.setMatch, room, ms(ends)).Err(); err != nil {
		return s.fail("set match", err)
	}
	return nil
}

func (s *RedisStore) SetSpectators(ctx context.Context, room string, spectators, limit int) error {
	if err := s.run(ctx, scripts.setSpectators, room, spectators, limit).Err(); err != nil {
		return s.fail("set spectators", err)
	}
	return nil
}

func (s *RedisStore) CreateParty(ctx context.Context, p Party) error {
	raw, err := json.Marshal(redisParty{ID: p.ID, Code: p.Code, Leader: idString(p.Leader), Members: []string{idString(p.Leader)}, Names: []string{firstName(p.Names)}})
	if err != nil {
		return s.fail("create party", err)
	}
	code, err := s.run(ctx, scripts.partyCreate, raw).Text()
	if err != nil {
		return s.fail("create party", err)
	}
	return scriptError(code)
}

// partyAnswer reads the {'ok', party} or {'err', reason} of a party script.
func (s *RedisStore) partyAnswer(op string, cmd *redis.Cmd) (Party, error) {
	vals, err := cmd.StringSlice()
	if err != nil {
		return Party{}, s.fail(op, err)
	}
	if len(vals) != 2 {
		return Party{}, s.fail(op, fmt.Errorf("answer %v", vals))
	}
	if vals[0] != "ok" {
		return Party{}, scriptError(vals[1])
	}
	p, err := decodeParty(vals[1])
	if err != nil {
		return Party{}, s.fail(op, err)
	}
	return p, nil
}

func (s *RedisStore) JoinParty(ctx context.Context, code string, player uint64, name string, max int) (Party, error) {
	return s.partyAnswer("join party", s.run(ctx, scripts.partyJoin, code, idString(player), max, name))
}

func (s *RedisStore) LeaveParty(ctx context.Context, player uint64) (Party, error) {
	return s.partyAnswer("leave party", s.run(ctx, scripts.partyLeave, idString(player)))
}

func (s *RedisStore) PartyOf(ctx context.Context, player uint64) (Party, error) {
	raw, err := s.run(ctx, scripts.partyOf, idString(player)).Text()
	if err != nil {
		return Party{}, s.fail("party of", err)
	}
	if raw == "" {
		return Party{}, ErrNotFound
	}
	p, err := decodeParty(raw)
	if err != nil {
		return Party{}, s.fail("party of", err)
	}
	return p, nil
}

func (s *RedisStore) Changes(ctx context.Context) (uint64, error) {
	n, err := s.c.Get(ctx, s.key("changes")).Uint64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, s.fail("changes", err)
	}
	return n, nil
}

func (s *RedisStore) PutNode(ctx context.Context, n Node) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return s.fail("put node", err)
	}
	if err := s.run(ctx, scripts.putNode, n.ID, raw, ms(n.Expires)).Err(); err != nil {
		return s.fail("put node", err)
	}
	return nil
}

func (s *RedisStore) ExpireNodes(ctx context.Context, now time.Time) (int, error) {
	n, err := s.run(ctx, scripts.expireNodes, ms(now)).Int()
	if err != nil {
		return 0, s.fail("expire nodes", err)
	}
	return n, nil
}

func (s *RedisStore) RemoveNode(ctx context.Context, id string) (int, error) {
	n, err := s.run(ctx, scripts.removeNode, id).Int()
	if err != nil {
		return 0, s.fail("remove node", err)
	}
	return n, nil
}

func (s *RedisStore) Nodes(ctx context.Context, now time.Time) ([]Node, error) {
	vals, err := s.run(ctx, scripts.nodes, ms(now)).StringSlice()
	if err != nil {
		return nil, s.fail("nodes", err)
	}
	out := make([]Node, 0, len(vals)/2)
	for i := 0; i+1 < len(vals); i += 2 {
		var n Node
		if err := json.Unmarshal([]byte(vals[i]), &n); err != nil {
			return nil, s.fail("nodes", err)
		}
		exp, err := strconv.ParseFloat(vals[i+1], 64)
		if err != nil {
			return nil, s.fail("nodes", err)
		}
		n.Expires = fromMS(int64(exp))
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b Node) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *RedisStore) PutKey(ctx context.Context, key string, expires time.Time) error {
	err := s.c.ZAddGT(ctx, s.key("keys"), redis.Z{Score: float64(ms(expires)), Member: key}).Err()
	if err != nil {
		return s.fail("put key", err)
	}
	return nil
}

func (s *RedisStore) Keys(ctx context.Context, now time.Time) ([]string, error) {
	keys, err := s.c.ZRangeByScore(ctx, s.key("keys"), &redis.ZRangeBy{Min: "(" + strconv.FormatInt(ms(now), 10), Max: "+inf"}).Result()
	if err != nil {
		return nil, s.fail("keys", err)
	}
	slices.Sort(keys)
	return keys, nil
}

// Lead uses Redis's own clock for the turn's expiry (now is not needed):
// a turn is a lease between processes, not part of the game's time.
func (s *RedisStore) Lead(ctx context.Context, owner string, _ time.Time, ttl time.Duration) (bool, error) {
	n, err := s.run(ctx, scripts.lead, owner, ttl.Milliseconds()).Int64()
	if err != nil {
		return false, s.fail("lead", err)
	}
	return n == 1, nil
}
