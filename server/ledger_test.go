// ledger_test.go — the server's seats are the lobby's (Options.Ledger,
// registry.go) and it reports its matches (matchreport.go), on the stack
// `skirmish serve` runs (testkit.Start): bots join through the lobby, the
// server opens the room their tickets name and confirms each connect and
// leave to the lobby's store, and match results come back as ratings.

package server_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/server"
	"skirmish/sim"
	"skirmish/ticket"
)

func playerID(t *testing.T, b *bots.Bot) uint64 {
	t.Helper()
	id, err := strconv.ParseUint(b.Assignment().PlayerID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestLedgerKeepsTheSeats(t *testing.T) {
	st := testkit.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var bs []*bots.Bot
	for i := range 3 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: "bot" + strconv.Itoa(i), Behavior: bots.Wander()})
		if err != nil {
			t.Fatal(err)
		}
		go b.Run(ctx)
		bs = append(bs, b)
	}
	room := bs[0].Assignment().Room
	for _, b := range bs {
		if b.Assignment().Room != room {
			t.Fatalf("bots in rooms %s and %s; want one room (backfill)", room, b.Assignment().Room)
		}
		if err := b.WaitFor(ctx, func(_ *pb.State, s *bots.Stats) bool { return s.Snapshots > 5 }); err != nil {
			t.Fatal(err)
		}
		// The handshake claimed the seat: the store has it connected.
		if seat, err := st.Store.Seat(ctx, playerID(t, b), time.Now()); err != nil || !seat.Connected || seat.Room != room {
			t.Errorf("store seat %+v, %v; want connected in %s", seat, err, room)
		}
	}
	// The server hosts the room the tickets named, with their 3 players.
	if rooms := st.Server.Rooms(); len(rooms) != 1 || rooms[0].ID != room || rooms[0].Seats != 3 {
		t.Errorf("server rooms %+v; want %s with 3 seats", rooms, room)
	}
	// Leaving frees the seat in the store.
	bs[0].Close()
	testkit.WaitUntil(t, 15*time.Second, func() (bool, string) {
		_, err := st.Store.Seat(ctx, playerID(t, bs[0]), time.Now())
		return err != nil, "the store freeing the leaver's seat"
	})
	rooms, err := st.Store.Rooms(ctx, time.Now())
	if err != nil || len(rooms) != 1 || rooms[0].Connected != 2 {
		t.Errorf("store rooms %+v, %v; want %s with 2 connected", rooms, err, room)
	}
}

func TestLedgerRefusesATicketWithoutASeat(t *testing.T) {
	st := testkit.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := bots.RequestPlay(ctx, http.DefaultClient, st.URL, "Ada")
	if err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseUint(a.PlayerID, 10, 64)
	if err := st.Store.Release(ctx, a.Room, id); err != nil { // the seat lapses before Ada connects
		t.Fatal(err)
	}
	resp, err := http.Get(st.URL + "/ws?ticket=" + a.Ticket)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("ticket whose seat is gone: status %d; want 401", resp.StatusCode)
	}
	if rooms := st.Server.Rooms(); len(rooms) != 0 {
		t.Errorf("a refused ticket opened rooms %+v", rooms)
	}
}

func TestMatchResultsComeBack(t *testing.T) {
	var mu sync.Mutex
	var ends []time.Time
	results := make(chan []ticket.MatchResult, 4)
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.NewGame = func(string) server.Game {
			cfg := sim.DefaultConfig()
			cfg.MatchTicks, cfg.IntermissionTicks = 90, 30 // 1.5 s matches
			return server.NewSimGame(cfg)
		}
		// Told after the lobby (stack.Options.Server).
		o.Server.OnMatchStart = func(_ string, end time.Time) {
			mu.Lock()
			ends = append(ends, end)
			mu.Unlock()
		}
		o.Server.OnMatchEnd = func(_ string, rs []ticket.MatchResult) { results <- rs }
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	want := map[uint64]bool{}
	for i := range 2 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: "bot" + strconv.Itoa(i), Behavior: bots.Fight()})
		if err != nil {
			t.Fatal(err)
		}
		go b.Run(ctx)
		want[playerID(t, b)] = true
	}
	var rs []ticket.MatchResult
	for len(rs) < 2 {
		select {
		case rs = <-results:
		case <-ctx.Done():
			t.Fatal("no match with both bots ended within 30 s")
		}
	}
	for _, r := range rs {
		if !want[r.PlayerID] || r.Kills < 0 || r.Deaths < 0 {
			t.Errorf("result %+v is not one of the bots %v", r, want)
		}
	}
	// The report reached the ratings: both bots were rated by it.
	ids := make([]uint64, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	ratings, err := st.Store.Ratings(ctx, ids)
	if err != nil || len(ratings) != 2 {
		t.Fatalf("ratings %v, %v; want both bots rated", ratings, err)
	}
	for id, r := range ratings {
		if r.RD >= 350 {
			t.Errorf("player %d: deviation %v; want it shrunk by a rated match", id, r.RD)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ends) == 0 || ends[0].Before(time.Now().Add(-30*time.Second)) || ends[0].After(time.Now().Add(30*time.Second)) {
		t.Errorf("match ends reported %v; want times around now", ends)
	}
}
