// concurrency_test.go — 500 players queue at once: through two lobby
// processes (two lobby HTTP servers, each with its own Redis client and
// matcher) sharing one redis-server, and through one lobby on the memory
// store. Every player ends up in exactly one room, no room holds more than
// its capacity, and every party lands in one room together.

package lobby_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"skirmish/internal/redistest"
	"skirmish/lobby"
)

const (
	concurrentPlayers = 500
	concurrentParties = 45 // of 2, 3 and 4 players in turn: 135 players in parties
	concurrentRoom    = 16
)

func TestConcurrentQueueTwoLobbiesOnRedis(t *testing.T) {
	srv := redistest.Start(t)
	const prefix = "concurrent:"
	s1 := lobby.NewRedisStore(newRedisClient(t, srv), lobby.RedisOptions{Prefix: prefix})
	s2 := lobby.NewRedisStore(newRedisClient(t, srv), lobby.RedisOptions{Prefix: prefix})
	runConcurrentQueue(t, s1, concurrentAPI(t, s1), concurrentAPI(t, s2))
}

func TestConcurrentQueueOneLobbyInMemory(t *testing.T) {
	s := lobby.NewMemoryStore()
	runConcurrentQueue(t, s, concurrentAPI(t, s))
}

// concurrentAPI is a lobby for the crowd: one mode of 16-seat rooms, and
// a client that keeps enough connections for everyone.
func concurrentAPI(t *testing.T, s lobby.Store) *api {
	a := newAPI(t, s, func(o *lobby.Options) {
		o.Modes = map[string]int{"ffa": concurrentRoom}
		o.MaxPartySize = 4
	})
	a.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrentPlayers}, Timeout: time.Minute}
	t.Cleanup(a.client.CloseIdleConnections)
	return a
}

// crowdMember is one player of the crowd and what became of them.
type crowdMember struct {
	player
	via   *api // the lobby this player talks to
	party int  // index into parties, or -1
	room  string
}

func runConcurrentQueue(t *testing.T, s lobby.Store, lobbies ...*api) {
	rng := rand.New(rand.NewPCG(1, 2))
	crowd := make([]*crowdMember, concurrentPlayers)
	for i := range crowd {
		crowd[i] = &crowdMember{via: lobbies[rng.IntN(len(lobbies))], party: -1}
	}
	// Everyone logs in, each through their own lobby.
	parallel(t, len(crowd), func(i int) error {
		c := crowd[i]
		rep, err := c.via.call(http.MethodPost, "/api/login", "", fmt.Sprintf(`{"name":"P%d"}`, i))
		if err != nil {
			return err
		}
		return decodeInto(rep, http.StatusOK, &c.player)
	})
	// Parties: the first players lead, the next ones join by code, each
	// through whichever lobby they use.
	var parties [][]*crowdMember
	next := 0
	for p := range concurrentParties {
		size := 2 + p%3
		party := crowd[next : next+size]
		next += size
		var made partyAnswer
		rep := party[0].via.do(t, http.MethodPost, "/api/party", party[0].Token, "")
		if err := decodeInto(rep, http.StatusCreated, &made); err != nil {
			t.Fatal(err)
		}
		for _, m := range party {
			m.party = len(parties)
		}
		for _, m := range party[1:] {
			if rep := m.via.do(t, http.MethodPost, "/api/party/join", m.Token, `{"code":"`+made.Code+`"}`); rep.status != http.StatusOK {
				t.Fatalf("join party: %d %s", rep.status, rep.body)
			}
		}
		parties = append(parties, party)
	}

	// All at once: every solo player and every leader queues, and every
	// player waits for their seat.
	start := make(chan struct{})
	parallel(t, len(crowd), func(i int) error {
		c := crowd[i]
		<-start
		if c.party < 0 || parties[c.party][0] == c {
			rep, err := c.via.call(http.MethodPost, "/api/queue", c.Token, "")
			if err != nil {
				return err
			}
			if rep.status != http.StatusAccepted {
				return fmt.Errorf("P%d queue: %d %s", i, rep.status, rep.body)
			}
		}
		deadline := time.Now().Add(45 * time.Second)
		for time.Now().Before(deadline) {
			rep, err := c.via.call(http.MethodGet, "/api/queue?wait=10", c.Token, "")
			if err != nil {
				return err
			}
			var as assigned
			if err := decodeInto(rep, http.StatusOK, &as); err != nil {
				// A party member asking before the leader queued: not yet queued.
				if rep.status == http.StatusNotFound && c.party >= 0 {
					continue
				}
				var q queued
				if json.Unmarshal(rep.body, &q) == nil && q.Status == "queued" {
					continue
				}
				return fmt.Errorf("P%d: %v", i, err)
			}
			tk, err := c.via.verifier.Verify(as.Ticket, c.via.clock.Now())
			if err != nil || tk.Room != as.Room || strconv.FormatUint(tk.PlayerID, 10) != c.PlayerID {
				return fmt.Errorf("P%d: ticket %+v, %v for %+v", i, tk, err, as)
			}
			c.room = as.Room
			return nil
		}
		return fmt.Errorf("P%d not seated within 45 s", i)
	}, func() { close(start) })
	if t.Failed() {
		return
	}

	// Every player in exactly one room, as the store sees it too.
	members := make(map[string]int)
	now := lobbies[0].clock.Now()
	for i, c := range crowd {
		st, err := s.Seat(bg, c.id(t), now)
		if err != nil || st.Room != c.room {
			t.Errorf("P%d was told room %s; the store has %+v, %v", i, c.room, st, err)
		}
		members[c.room]++
	}
	rooms, err := s.Rooms(bg, now)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range rooms {
		if r.Reserved > r.Capacity || r.Capacity != concurrentRoom {
			t.Errorf("room %s holds %d of %d seats", r.ID, r.Reserved, r.Capacity)
		}
		if r.Reserved != members[r.ID] {
			t.Errorf("room %s: the store counts %d seats, the players were told %d", r.ID, r.Reserved, members[r.ID])
		}
		total += r.Reserved
	}
	if total != concurrentPlayers || len(members) != len(rooms) {
		t.Errorf("%d seats in %d rooms; want %d players in the %d rooms they were told", total, len(rooms), concurrentPlayers, len(members))
	}
	// Backfill before new rooms: a room is opened only for an entry that
	// no open room has space for, so while a room has 4 (the largest
	// party) or more free seats, no other is opened. Only the newest room
	// of each matcher can be left that empty.
	roomy := 0
	for _, r := range rooms {
		if r.Free() >= 4 {
			roomy++
		}
	}
	if roomy > len(lobbies) {
		t.Errorf("%d rooms have 4 or more free seats; want at most %d (%d rooms for %d players)", roomy, len(lobbies), len(rooms), concurrentPlayers)
	}
	for p, party := range parties {
		for _, m := range party[1:] {
			if m.room != party[0].room {
				t.Errorf("party %d split: leader in %s, a member in %s", p, party[0].room, m.room)
			}
		}
	}
	if q, err := s.Queue(bg, "ffa", 0); err != nil || len(q) != 0 {
		t.Errorf("queue left over: %d entries, %v", len(q), err)
	}
}

// parallel runs f for 0..n-1 on n goroutines, after ready (if any) has
// been called once all are started, and fails the test with their errors.
func parallel(t *testing.T, n int, f func(i int) error, ready ...func()) {
	t.Helper()
	errs := make([]error, n)
	var started, wg sync.WaitGroup
	started.Add(n)
	for i := range n {
		wg.Go(func() {
			started.Done()
			errs[i] = f(i)
		})
	}
	started.Wait()
	for _, r := range ready {
		r()
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil && failed < 10 {
			t.Error(err)
			failed++
		}
	}
}

// decodeInto checks rep's status and strictly decodes its body into v.
func decodeInto(rep reply, status int, v any) error {
	if rep.status != status {
		return fmt.Errorf("status %d (%s); want %d", rep.status, rep.body, status)
	}
	dec := json.NewDecoder(bytes.NewReader(rep.body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
