// store_test.go — one contract suite for every Store backend (store.go):
// the memory store and the Redis store on a real redis-server. Each case
// states a rule of the interface and runs against both.

package lobby_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skirmish/internal/redistest"
	"skirmish/lobby"
)

// backend opens fresh, empty stores of one kind.
type backend struct {
	name string
	open func(t *testing.T) lobby.Store
}

// backends returns the memory backend and the Redis one, whose stores
// share one redis-server for the calling test, each under its own prefix.
func backends(t *testing.T) []backend {
	t.Helper()
	var (
		once sync.Once
		srv  *redistest.Server
		n    atomic.Int64
	)
	return []backend{
		{"memory", func(*testing.T) lobby.Store { return lobby.NewMemoryStore() }},
		{"redis", func(st *testing.T) lobby.Store {
			once.Do(func() { srv = redistest.Start(t) })
			return lobby.NewRedisStore(newRedisClient(st, srv), lobby.RedisOptions{Prefix: fmt.Sprintf("t%d:", n.Add(1))})
		}},
	}
}

// newRedisClient is a client of srv, closed when the test ends.
func newRedisClient(t testing.TB, srv *redistest.Server) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	opts.PoolSize = 64
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// forEachStore runs test against a fresh store of each backend.
func forEachStore(t *testing.T, test func(t *testing.T, s lobby.Store)) {
	t.Helper()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { test(t, b.open(t)) })
	}
}

var (
	bg  = context.Background()
	at0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
)

func entry(id uint64, mode string, at time.Time, members ...uint64) lobby.Entry {
	e := lobby.Entry{ID: fmt.Sprint(id), Mode: mode, Enqueued: at, Members: []lobby.Member{{ID: id, Rating: 1500}}}
	for _, m := range members {
		e.Members = append(e.Members, lobby.Member{ID: m, Rating: 1500})
	}
	return e
}

func members(ids ...uint64) []lobby.Member {
	out := make([]lobby.Member, len(ids))
	for i, id := range ids {
		out[i] = lobby.Member{ID: id, Rating: 1000 + float64(id)}
	}
	return out
}

func room(id string, capacity int) lobby.Room {
	return lobby.Room{ID: id, Mode: "ffa", Capacity: capacity}
}

// reserve applies one reservation and returns its error.
func reserve(t *testing.T, s lobby.Store, now time.Time, r lobby.Reservation) error {
	t.Helper()
	errs, err := s.Reserve(bg, now, []lobby.Reservation{r})
	if err != nil {
		t.Fatalf("Reserve: %v", err)
	}
	return errs[0]
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: %v; want %v", what, err, want)
	}
}

func roomsByID(t *testing.T, s lobby.Store, now time.Time) map[string]lobby.Room {
	t.Helper()
	rooms, err := s.Rooms(bg, now)
	must(t, err)
	m := make(map[string]lobby.Room)
	for _, r := range rooms {
		m[r.ID] = r
	}
	return m
}

func TestStoreSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		if _, err := s.Session(bg, "nope"); !errors.Is(err, lobby.ErrNotFound) {
			t.Errorf("unknown session: %v; want ErrNotFound", err)
		}
		want := lobby.Session{Key: "k1", PlayerID: math.MaxUint64, Name: "Ada", Expires: at0.Add(time.Hour)}
		must(t, s.PutSession(bg, want, at0, time.Hour))
		got, err := s.Session(bg, "k1")
		must(t, err)
		if got.PlayerID != want.PlayerID || got.Name != want.Name || !got.Expires.Equal(want.Expires) || got.Key != "k1" {
			t.Errorf("session %+v; want %+v (a uint64 id must survive whole)", got, want)
		}
		want.Expires = at0.Add(2 * time.Hour)
		must(t, s.PutSession(bg, want, at0, time.Hour))
		if got, _ := s.Session(bg, "k1"); !got.Expires.Equal(want.Expires) {
			t.Errorf("refreshed expiry %v; want %v", got.Expires, want.Expires)
		}
	})
}

func TestStoreRatings(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		got, err := s.Ratings(bg, []uint64{1, 2})
		must(t, err)
		if len(got) != 0 {
			t.Errorf("ratings of unrated players: %v; want none", got)
		}
		must(t, s.UpdateRatings(bg, []uint64{1, 2}, func(old map[uint64]lobby.Rating) map[uint64]lobby.Rating {
			return map[uint64]lobby.Rating{1: {R: 1600, RD: 100, Vol: 0.06}, 2: {R: 1400.5, RD: 90, Vol: 0.05}}
		}))
		got, err = s.Ratings(bg, []uint64{1, 2, 3})
		must(t, err)
		if len(got) != 2 || got[1].R != 1600 || got[2].R != 1400.5 || got[2].Vol != 0.05 {
			t.Errorf("ratings %v; want players 1 and 2 as stored", got)
		}
		// Concurrent increments through UpdateRatings lose nothing.
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				err := s.UpdateRatings(bg, []uint64{1}, func(old map[uint64]lobby.Rating) map[uint64]lobby.Rating {
					r := old[1]
					r.R++
					return map[uint64]lobby.Rating{1: r}
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got, _ := s.Ratings(bg, []uint64{1}); got[1].R != 1620 {
			t.Errorf("after 20 concurrent +1: %v; want 1620", got[1].R)
		}
	})
}

func TestStoreQueue(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		must(t, s.Enqueue(bg, entry(3, "ffa", at0.Add(2*time.Millisecond)), at0))
		must(t, s.Enqueue(bg, entry(1, "ffa", at0.Add(2*time.Millisecond), 7, math.MaxUint64), at0))
		must(t, s.Enqueue(bg, entry(2, "ffa", at0), at0))
		must(t, s.Enqueue(bg, entry(9, "duel", at0), at0))
		q, err := s.Queue(bg, "ffa", 0)
		must(t, err)
		var ids []string
		for _, e := range q {
			ids = append(ids, e.ID)
		}
		if got := fmt.Sprint(ids); got != "[2 1 3]" {
			t.Errorf("queue order %s; want [2 1 3] (by time, then id)", got)
		}
		if q, err := s.Queue(bg, "ffa", 2); err != nil || len(q) != 2 || q[1].ID != "1" {
			t.Errorf("the oldest two: %+v, %v; want entries 2 and 1", q, err)
		}
		if len(q) == 3 && (len(q[1].Members) != 3 || q[1].Members[2].ID != math.MaxUint64 || !q[1].Enqueued.Equal(at0.Add(2*time.Millisecond))) {
			t.Errorf("entry 1 read back as %+v", q[1])
		}
		wantErr(t, "queue a queued player", s.Enqueue(bg, entry(4, "duel", at0, 7), at0), lobby.ErrQueued)
		e, err := s.QueuedEntry(bg, math.MaxUint64)
		if err != nil || e.ID != "1" || e.Mode != "ffa" {
			t.Errorf("QueuedEntry(member) = %+v, %v; want entry 1", e, err)
		}
		c0, err := s.Changes(bg)
		must(t, err)
		e, err = s.Dequeue(bg, "1")
		if err != nil || len(e.Members) != 3 {
			t.Errorf("Dequeue = %+v, %v; want entry 1 with its members", e, err)
		}
		if c1, err := s.Changes(bg); err != nil || c1 <= c0 {
			t.Errorf("Changes after a Dequeue: %d, %v; want more than %d", c1, err, c0)
		}
		wantErr(t, "Dequeue twice", func() error { _, err := s.Dequeue(bg, "1"); return err }(), lobby.ErrNotFound)
		wantErr(t, "QueuedEntry after Dequeue", func() error { _, err := s.QueuedEntry(bg, 7); return err }(), lobby.ErrNotFound)
		must(t, s.Enqueue(bg, entry(7, "duel", at0), at0)) // free to queue again
		if q, _ := s.Queue(bg, "duel", 0); len(q) != 2 {
			t.Errorf("duel queue has %d entries; want 2", len(q))
		}
		// A player with a live seat cannot queue; once it expires, they can.
		c1, err := s.Changes(bg)
		must(t, err)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r1", 4), Create: true, Members: members(20), Until: at0.Add(15 * time.Second)}))
		if c2, err := s.Changes(bg); err != nil || c2 <= c1 {
			t.Errorf("Changes after a reservation: %d, %v; want more than %d", c2, err, c1)
		}
		wantErr(t, "queue a seated player", s.Enqueue(bg, entry(20, "ffa", at0), at0), lobby.ErrSeated)
		must(t, s.Enqueue(bg, entry(20, "ffa", at0), at0.Add(15*time.Second)))
	})
}

func TestStoreReserve(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		until := at0.Add(15 * time.Second)
		r1 := room("r1", 4)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: r1, Create: true, Members: members(1, 2), Until: until}))
		wantErr(t, "create twice", reserve(t, s, at0, lobby.Reservation{Room: r1, Create: true, Members: members(3), Until: until}), lobby.ErrRoomExists)
		wantErr(t, "into a missing room", reserve(t, s, at0, lobby.Reservation{Room: room("r9", 4), Members: members(3), Until: until}), lobby.ErrRoomGone)
		wantErr(t, "a second seat", reserve(t, s, at0, lobby.Reservation{Room: room("r2", 4), Create: true, Members: members(3, 1), Until: until}), lobby.ErrSeated)
		if rooms := roomsByID(t, s, at0); len(rooms) != 1 {
			t.Errorf("a refused create left rooms %v", rooms)
		}
		wantErr(t, "over capacity", reserve(t, s, at0, lobby.Reservation{Room: r1, Members: members(3, 4, 5), Until: until}), lobby.ErrRoomFull)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: r1, Members: members(3, 4), Until: until}))
		wantErr(t, "into a full room", reserve(t, s, at0, lobby.Reservation{Room: r1, Members: members(5), Until: until}), lobby.ErrRoomFull)

		got := roomsByID(t, s, at0)["r1"]
		if got.Reserved != 4 || got.Connected != 0 || got.Free() != 0 || got.Mode != "ffa" || got.Capacity != 4 {
			t.Errorf("r1 = %+v; want 4 reserved of 4", got)
		}
		if want := 1000 + 2.5; math.Abs(got.Rating-want) > 1e-9 {
			t.Errorf("r1 rating %v; want the mean %v", got.Rating, want)
		}

		// From the queue: the entry must still be queued, and leaves it.
		must(t, s.Enqueue(bg, entry(10, "ffa", at0, 11), at0))
		e := lobby.Reservation{Room: room("r2", 4), Create: true, Entry: "10", Members: members(10, 11), Until: until}
		must(t, reserve(t, s, at0, e))
		if q, _ := s.Queue(bg, "ffa", 0); len(q) != 0 {
			t.Errorf("queue after the entry was seated: %v", q)
		}
		e.Room, e.Create = room("r3", 4), true
		wantErr(t, "the same entry twice", reserve(t, s, at0, e), lobby.ErrEntryGone)
		must(t, s.Enqueue(bg, entry(12, "ffa", at0), at0))
		wantErr(t, "a queued player without the entry", reserve(t, s, at0, lobby.Reservation{Room: room("r2", 4), Members: members(12), Until: until}), lobby.ErrQueued)

		// Private codes are unique.
		p := lobby.Room{ID: "r4", Mode: "ffa", Capacity: 2, Private: true, Code: "ABCDE"}
		must(t, reserve(t, s, at0, lobby.Reservation{Room: p, Create: true, Members: members(20), Until: until}))
		p.ID = "r5"
		wantErr(t, "a taken code", reserve(t, s, at0, lobby.Reservation{Room: p, Create: true, Members: members(21), Until: until}), lobby.ErrCodeTaken)
		byCode, err := s.RoomByCode(bg, "ABCDE", at0)
		if err != nil || byCode.ID != "r4" || !byCode.Private || byCode.Reserved != 1 || byCode.Capacity != 2 {
			t.Errorf("RoomByCode = %+v, %v; want r4, private, 1 of 2", byCode, err)
		}
		wantErr(t, "unknown code", func() error { _, err := s.RoomByCode(bg, "ZZZZZ", at0); return err }(), lobby.ErrNotFound)

		// One batch: each reservation on its own.
		errs, err := s.Reserve(bg, at0, []lobby.Reservation{
			{Room: room("r6", 2), Create: true, Members: members(30), Until: until},
			{Room: room("r6", 2), Members: members(31, 32), Until: until},
			{Room: room("r6", 2), Members: members(31), Until: until},
		})
		must(t, err)
		if len(errs) != 3 || errs[0] != nil || !errors.Is(errs[1], lobby.ErrRoomFull) || errs[2] != nil {
			t.Errorf("batch errors %v; want [nil ErrRoomFull nil]", errs)
		}
	})
}

func TestStoreNewRoomID(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		seen := make(map[string]bool)
		for range 5 {
			id, err := s.NewRoomID(bg)
			must(t, err)
			if seen[id] || id == "" {
				t.Errorf("NewRoomID gave %q twice or empty", id)
			}
			seen[id] = true
		}
	})
}

func TestStoreSeatLifecycle(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		until := at0.Add(15 * time.Second)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r1", 4), Create: true, Members: members(1, 2, 3), Until: until}))
		st, err := s.Seat(bg, 1, at0)
		if err != nil || st.Room != "r1" || st.Connected || !st.Until.Equal(until) {
			t.Errorf("Seat = %+v, %v; want r1 reserved until %v", st, err, until)
		}
		wantErr(t, "claim in another room", s.Claim(bg, "r2", "", 1, at0), lobby.ErrNoSeat)
		wantErr(t, "claim of a stranger", s.Claim(bg, "r1", "", 9, at0), lobby.ErrNoSeat)
		must(t, s.Claim(bg, "r1", "", 1, at0.Add(14*time.Second)))
		wantErr(t, "claim twice", s.Claim(bg, "r1", "", 1, at0), lobby.ErrNoSeat)
		if st, err := s.Seat(bg, 1, at0.Add(time.Hour)); err != nil || !st.Connected {
			t.Errorf("connected seat later: %+v, %v; want connected (it never expires)", st, err)
		}
		// Reservations expire at until, exactly.
		wantErr(t, "claim at expiry", s.Claim(bg, "r1", "", 2, until), lobby.ErrNoSeat)
		wantErr(t, "seat after expiry", func() error { _, err := s.Seat(bg, 3, until); return err }(), lobby.ErrNotFound)
		r := roomsByID(t, s, until)["r1"]
		if r.Connected != 1 || r.Reserved != 0 {
			t.Errorf("r1 at expiry = %+v; want 1 connected, 0 reserved", r)
		}
		n, err := s.Expire(bg, until)
		must(t, err)
		if n != 1 { // player 2's seat was freed by the failed claim already
			t.Errorf("Expire freed %d; want 1", n)
		}
		if n, _ := s.Expire(bg, until); n != 0 {
			t.Errorf("second Expire freed %d; want 0", n)
		}
		// The last seat released deletes the room.
		must(t, s.Release(bg, "r1", 9)) // not there: nothing happens
		must(t, s.Release(bg, "r1", 1))
		if rooms := roomsByID(t, s, until); len(rooms) != 0 {
			t.Errorf("rooms after the last seat left: %v", rooms)
		}
		wantErr(t, "seat after release", func() error { _, err := s.Seat(bg, 1, until); return err }(), lobby.ErrNotFound)
		// A released player can take a seat elsewhere.
		must(t, reserve(t, s, until, lobby.Reservation{Room: room("r2", 4), Create: true, Members: members(1), Until: until.Add(time.Second)}))
	})
}

func TestStoreExpireDeletesRoomsAndCodes(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		p := lobby.Room{ID: "r1", Mode: "ffa", Capacity: 4, Private: true, Code: "ABCDE"}
		must(t, reserve(t, s, at0, lobby.Reservation{Room: p, Create: true, Members: members(1, 2), Until: at0.Add(time.Second)}))
		must(t, s.SetMatch(bg, "r1", at0.Add(time.Minute)))
		if r := roomsByID(t, s, at0)["r1"]; !r.MatchEnds.Equal(at0.Add(time.Minute)) {
			t.Errorf("MatchEnds %v; want %v", r.MatchEnds, at0.Add(time.Minute))
		}
		n, err := s.Expire(bg, at0.Add(time.Second))
		if err != nil || n != 2 {
			t.Errorf("Expire = %d, %v; want 2", n, err)
		}
		if rooms := roomsByID(t, s, at0); len(rooms) != 0 {
			t.Errorf("rooms after every seat expired: %v", rooms)
		}
		wantErr(t, "code of a deleted room", func() error { _, err := s.RoomByCode(bg, "ABCDE", at0); return err }(), lobby.ErrNotFound)
		must(t, s.SetMatch(bg, "r1", at0)) // a missing room is left alone
		if rooms := roomsByID(t, s, at0); len(rooms) != 0 {
			t.Errorf("SetMatch created %v", rooms)
		}
		p.ID = "r2"
		must(t, reserve(t, s, at0, lobby.Reservation{Room: p, Create: true, Members: members(3), Until: at0.Add(time.Minute)}))
	})
}

func TestStoreSpectators(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r1", 4), Create: true, Members: members(1), Until: at0.Add(time.Minute)}))
		if r := roomsByID(t, s, at0)["r1"]; r.Spectators != 0 || r.SpectatorLimit != 0 || !r.Watchable() {
			t.Errorf("a new room: %d spectators, limit %d, watchable %v; want 0, 0 (not reported), true", r.Spectators, r.SpectatorLimit, r.Watchable())
		}
		must(t, s.SetSpectators(bg, "r1", 3, 3))
		if r := roomsByID(t, s, at0)["r1"]; r.Spectators != 3 || r.SpectatorLimit != 3 || r.Watchable() {
			t.Errorf("after SetSpectators(3, 3): %d spectators, limit %d, watchable %v; want 3, 3, false", r.Spectators, r.SpectatorLimit, r.Watchable())
		}
		must(t, s.SetSpectators(bg, "r1", 2, 3))
		if r := roomsByID(t, s, at0)["r1"]; r.Spectators != 2 || !r.Watchable() {
			t.Errorf("after SetSpectators(2, 3): %d spectators, watchable %v; want 2, true", r.Spectators, r.Watchable())
		}
		must(t, s.SetSpectators(bg, "r1", 0, -1))
		if r := roomsByID(t, s, at0)["r1"]; r.Watchable() {
			t.Errorf("a room whose server takes no spectators (limit -1) is watchable")
		}
		must(t, s.SetSpectators(bg, "nowhere", 1, 3)) // a missing room is left alone
		if rooms := roomsByID(t, s, at0); len(rooms) != 1 {
			t.Errorf("SetSpectators created a room: %v", rooms)
		}
	})
}

func TestStoreParties(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		must(t, s.CreateParty(bg, lobby.Party{ID: "p1", Code: "AAAAA", Leader: 1, Names: []string{"Ada"}}))
		wantErr(t, "leader leads two", s.CreateParty(bg, lobby.Party{ID: "p2", Code: "BBBBB", Leader: 1}), lobby.ErrInParty)
		wantErr(t, "code taken", s.CreateParty(bg, lobby.Party{ID: "p2", Code: "AAAAA", Leader: 2}), lobby.ErrCodeTaken)
		p, err := s.JoinParty(bg, "AAAAA", math.MaxUint64, "nmax", 3)
		if err != nil || p.ID != "p1" || p.Leader != 1 || fmt.Sprint(p.Members) != fmt.Sprint([]uint64{1, math.MaxUint64}) || !slices.Equal(p.Names, []string{"Ada", "nmax"}) {
			t.Errorf("JoinParty = %+v, %v", p, err)
		}
		if p, err := s.JoinParty(bg, "AAAAA", math.MaxUint64, "nmax", 3); err != nil || len(p.Members) != 2 {
			t.Errorf("joining again = %+v, %v; want no change", p, err)
		}
		must(t, s.CreateParty(bg, lobby.Party{ID: "p2", Code: "BBBBB", Leader: 2}))
		wantErr(t, "join a second party", func() error { _, err := s.JoinParty(bg, "BBBBB", 1, "n1", 3); return err }(), lobby.ErrInParty)
		wantErr(t, "unknown code", func() error { _, err := s.JoinParty(bg, "CCCCC", 5, "n5", 3); return err }(), lobby.ErrNotFound)
		if _, err := s.JoinParty(bg, "AAAAA", 3, "n3", 3); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "full", func() error { _, err := s.JoinParty(bg, "AAAAA", 4, "n4", 3); return err }(), lobby.ErrPartyFull)
		// While the leader is queued, the party is fixed.
		must(t, s.Enqueue(bg, entry(1, "ffa", at0, math.MaxUint64, 3), at0))
		wantErr(t, "leave while queued", func() error { _, err := s.LeaveParty(bg, 3); return err }(), lobby.ErrPartyQueued)
		wantErr(t, "join while queued", func() error { _, err := s.JoinParty(bg, "AAAAA", 6, "n6", 9); return err }(), lobby.ErrPartyQueued)
		_, err = s.Dequeue(bg, "1")
		must(t, err)
		was, err := s.LeaveParty(bg, 3)
		if err != nil || len(was.Members) != 3 {
			t.Errorf("LeaveParty = %+v, %v; want the party as it was", was, err)
		}
		if p, _ := s.PartyOf(bg, 1); !slices.Equal(p.Members, []uint64{1, math.MaxUint64}) || !slices.Equal(p.Names, []string{"Ada", "nmax"}) {
			t.Errorf("members after a leave: %v %q", p.Members, p.Names)
		}
		wantErr(t, "PartyOf a leaver", func() error { _, err := s.PartyOf(bg, 3); return err }(), lobby.ErrNotFound)
		// The leader leaving disbands the party and frees its code.
		_, err = s.LeaveParty(bg, 1)
		must(t, err)
		for _, id := range []uint64{1, math.MaxUint64} {
			wantErr(t, "PartyOf after disband", func() error { _, err := s.PartyOf(bg, id); return err }(), lobby.ErrNotFound)
		}
		wantErr(t, "join a disbanded party", func() error { _, err := s.JoinParty(bg, "AAAAA", 5, "n5", 3); return err }(), lobby.ErrNotFound)
		must(t, s.CreateParty(bg, lobby.Party{ID: "p3", Code: "AAAAA", Leader: math.MaxUint64}))
	})
}

func TestStoreLead(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		lead := func(owner string) bool {
			ok, err := s.Lead(bg, owner, at0, time.Minute)
			must(t, err)
			return ok
		}
		if !lead("a") || !lead("a") || lead("b") {
			t.Errorf("a then a then b: want a to lead and b to stand by")
		}
		// A reservation planned by a matcher that does not lead is refused.
		r := lobby.Reservation{Room: room("r1", 4), Create: true, Members: members(1), Until: at0.Add(time.Minute), Leader: "b"}
		wantErr(t, "reserve for b while a leads", reserve(t, s, at0, r), lobby.ErrNotLeader)
		if rooms := roomsByID(t, s, at0); len(rooms) != 0 {
			t.Errorf("a refused reservation opened %v", rooms)
		}
		r.Leader = "a"
		must(t, reserve(t, s, at0, r))
	})
}

// TestStoreReserveRace has many goroutines race for the seats of one room:
// exactly capacity of them win, and nobody ends up with two seats.
func TestStoreReserveRace(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		const capacity, players = 16, 200
		until := at0.Add(time.Minute)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r1", capacity), Create: true, Members: members(1000), Until: until}))
		var won, full, seated atomic.Int64
		var wg sync.WaitGroup
		for i := range players {
			wg.Go(func() {
				id := uint64(1 + i%(players/2)) // every player tries twice, from two goroutines
				room := "r1"
				if i%3 == 0 {
					room = "r2" // and some try to open a second room at once
				}
				errs, err := s.Reserve(bg, at0, []lobby.Reservation{{Room: lobby.Room{ID: room, Mode: "ffa", Capacity: capacity}, Create: room == "r2", Members: members(id), Until: until}})
				if err != nil {
					t.Error(err)
					return
				}
				switch {
				case errs[0] == nil:
					won.Add(1)
				case errors.Is(errs[0], lobby.ErrRoomFull):
					full.Add(1)
				case errors.Is(errs[0], lobby.ErrSeated), errors.Is(errs[0], lobby.ErrRoomExists), errors.Is(errs[0], lobby.ErrRoomGone):
					seated.Add(1)
				default:
					t.Errorf("unexpected refusal %v", errs[0])
				}
			})
		}
		wg.Wait()
		rooms := roomsByID(t, s, at0)
		total := 0
		for _, r := range rooms {
			if r.Reserved > r.Capacity {
				t.Errorf("room %s over-filled: %d of %d", r.ID, r.Reserved, r.Capacity)
			}
			total += r.Reserved
		}
		if r1 := rooms["r1"]; r1.Reserved != capacity {
			t.Errorf("r1 holds %d; want it full at %d", r1.Reserved, capacity)
		}
		if int64(total) != won.Load()+1 {
			t.Errorf("%d seats held; want the %d won plus the first", total, won.Load())
		}
		held := make(map[uint64]string)
		for id := uint64(1); id <= players/2; id++ {
			if st, err := s.Seat(bg, id, at0); err == nil {
				held[id] = st.Room
			}
		}
		if len(held) != int(won.Load()) {
			t.Errorf("%d players hold a seat; %d reservations won: someone holds two", len(held), won.Load())
		}
	})
}

// Expire frees each reservation at its own until, however many passes
// come between, whichever room or order they were made in, and a hold's
// too (MemoryStore only looks at the seats from the earliest due on).
func TestStoreExpireStaggered(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		late, early := at0.Add(20*time.Second), at0.Add(10*time.Second)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r1", 4), Create: true, Members: members(1), Until: late}))
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r2", 4), Create: true, Members: members(2, 3), Until: early}))
		must(t, s.Claim(bg, "r2", "", 3, at0))
		expire := func(at time.Time, want int) {
			t.Helper()
			if n, err := s.Expire(bg, at); err != nil || n != want {
				t.Errorf("Expire at +%v = %d, %v; want %d", at.Sub(at0), n, err, want)
			}
		}
		expire(at0.Add(5*time.Second), 0)
		expire(early, 1) // player 2's
		held := early.Add(5 * time.Second)
		must(t, s.Hold(bg, "r2", "", 3, held)) // player 3 dropped: held until held
		expire(early.Add(2*time.Second), 0)
		expire(held, 1)
		expire(late.Add(-time.Nanosecond), 0)
		expire(late, 1)
		if rooms := roomsByID(t, s, late); len(rooms) != 0 {
			t.Errorf("rooms after every seat expired: %v", rooms)
		}
	})
}
