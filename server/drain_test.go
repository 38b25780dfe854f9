// drain_test.go covers drain.go over real sockets: a draining server tells its players, refuses tickets for rooms it does not host (503) and takes those for the rooms it does, lets each match end, then kicks its players with KICK_REASON_SHUTDOWN; rooms without players or between matches close at once; a deadline, or a Shutdown, ends the drain early.

package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	"skirmish/lobby"
	pb "skirmish/proto"
	"skirmish/server"
	"skirmish/sim"
	"skirmish/ticket"
)

// What a draining server tells its players.
const (
	drainNotice = "This server is shutting down after this match. You will be asked to queue again."
	drainKick   = "The match is over and this server is shutting down: queue again."
)

const serverDraining = "skirmish_server_draining"

// getWS sends a plain GET to /ws with ticket, as a handshake the server
// refuses before any upgrade, and returns the status and body.
func getWS(t *testing.T, baseURL, ticket string) (int, string) {
	t.Helper()
	resp, err := http.Get(baseURL + "/ws?ticket=" + url.QueryEscape(ticket))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// runBot runs b until its connection ends, stop is called or the test
// ends. stop returns once b sends no more.
func runBot(t *testing.T, b *bots.Bot) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Run(ctx) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(func() { stop(); b.Close() })
	return stop
}

// joinReader joins a bot that only reads: it sends no input, so no write
// of its own can end its connection before it reads the server's close
// frame, and the close code it reports is the server's.
func joinReader(t *testing.T, st *testkit.Stack, name string) *bots.Bot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: name})
	if err != nil {
		t.Fatalf("bot %s: %v", name, err)
	}
	t.Cleanup(b.Close)
	return b
}

// kickedWith waits for b's connection to end and checks what the server
// said: reason, message and close code 1001.
func kickedWith(t *testing.T, b *bots.Bot, reason pb.KickReason, message string) {
	t.Helper()
	select {
	case <-b.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("bot %d still connected", b.ID())
	}
	if k := b.Kick(); k.GetReason() != reason || k.GetMessage() != message || closeCode(b.Err()) != 1001 {
		t.Errorf("bot %d: kick %v, close %v; want %v %q, 1001", b.ID(), k, b.Err(), reason, message)
	}
}

// waitNotice waits until b has been sent the drain's Notice.
func waitNotice(t *testing.T, ctx context.Context, b *bots.Bot) {
	t.Helper()
	if err := b.WaitFor(ctx, func(_ *pb.State, st *bots.Stats) bool { return st.Notices > 0 }); err != nil {
		t.Fatalf("bot %d: no notice: %v (kick %v)", b.ID(), err, b.Kick())
	}
	if got := b.Notice(); got != drainNotice {
		t.Errorf("bot %d: notice %q, want %q", b.ID(), got, drainNotice)
	}
}

// TestDrainLetsTheMatchEnd: three bots play in a room of four; a fourth
// seat is reserved just before the drain. Draining, the server tells the
// bots, takes the reserved seat (Welcome, then the Notice) and refuses a
// ticket for a new room with 503. When the match ends every player holds
// the final state and is kicked with KICK_REASON_SHUTDOWN; Drain returns
// nil and nothing is left.
func TestDrainLetsTheMatchEnd(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) {
		testkit.RoomSize(o, 4)
		o.Server.NewGame = func(string) server.Game {
			cfg := sim.DefaultConfig()
			cfg.MatchTicks, cfg.IntermissionTicks = 3*sim.TickRate, sim.TickRate/2
			return server.NewSimGame(cfg)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var bs []*bots.Bot
	var stops []func()
	for i := range 3 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: fmt.Sprintf("bot%d", i), Behavior: bots.Wander(), Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		stops = append(stops, runBot(t, b))
		bs = append(bs, b)
	}
	room := bs[0].Assignment().Room
	for _, b := range bs {
		if b.Assignment().Room != room {
			t.Fatalf("bots in rooms %s and %s; want one room", room, b.Assignment().Room)
		}
	}
	// Start from a match with two seconds to go at least: what the test
	// does while it runs fits in it.
	ends := make([]int, len(bs))
	for i, b := range bs {
		err := b.WaitFor(ctx, func(s *pb.State, st *bots.Stats) bool {
			ends[i] = st.Events[pb.EventKind_EVENT_KIND_MATCH_END]
			return s.Match.Phase == pb.MatchPhase_MATCH_PHASE_PLAYING && int64(s.Match.EndTick)-int64(s.Tick) >= 2*sim.TickRate
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The lobby reserves the fourth seat, in the same room, just before the drain.
	late, err := bots.RequestPlay(ctx, http.DefaultClient, st.URL, "late")
	if err != nil || late.Room != room {
		t.Fatalf("fourth seat in %q, %v; want room %s", late.Room, err, room)
	}

	drained := make(chan error, 1)
	go func() { drained <- st.Server.Drain(ctx) }()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) { return st.Server.Draining(), "Draining() is false" })
	for _, b := range bs {
		waitNotice(t, ctx, b)
	}
	if v := st.Metric(serverDraining); v != 1 {
		t.Errorf("%s = %v while draining, want 1", serverDraining, v)
	}

	// The seat in the room it hosts is taken: a Welcome, then the Notice.
	lc, _, err := dialWS(t, late.DialURL(), nil)
	if err != nil {
		t.Fatalf("the seat reserved before the drain: %v", err)
	}
	testkit.WaitUntil(t, 5*time.Second, func() (ok bool, what string) {
		lc.view(func(c *wsClient) {
			ok, what = len(c.notices) > 0, fmt.Sprintf("late player: %d snapshots, no notice", c.snapshots)
		})
		return ok, what
	})
	lc.view(func(c *wsClient) {
		if c.noticeAt < 1 || c.notices[0] != drainNotice {
			t.Errorf("late player: notice %q after %d snapshots; want %q after the Welcome", c.notices[0], c.noticeAt, drainNotice)
		}
	})

	// A ticket for a room it does not host is refused: the lobby put the
	// fifth player in a new room, which a draining server does not open.
	fresh, err := bots.RequestPlay(ctx, http.DefaultClient, st.URL, "fresh")
	if err != nil || fresh.Room == room {
		t.Fatalf("fifth seat in %q, %v; want a room other than the full %s", fresh.Room, err, room)
	}
	if status, body := getWS(t, st.URL, fresh.Ticket); status != http.StatusServiceUnavailable || !strings.Contains(body, "server is draining") {
		t.Errorf("ticket for a new room: %d %q; want 503, server is draining", status, strings.TrimSpace(body))
	}
	if v := st.Metric(rejected("draining")); v != 1 {
		t.Errorf("%s = %v, want 1", rejected("draining"), v)
	}
	// Its seat goes back to the lobby at once, not when its hold runs out:
	// the player may queue again elsewhere.
	freshID, _ := strconv.ParseUint(fresh.PlayerID, 10, 64)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		seat, err := st.Store.Seat(ctx, freshID, time.Now())
		return errors.Is(err, lobby.ErrNotFound), fmt.Sprintf("the refused player's seat: %+v, %v", seat, err)
	})
	if load := st.Server.Load(); load != (server.Load{Rooms: 1, Players: 4}) {
		t.Errorf("Load() = %+v while the match runs; want 1 room, 4 players", load)
	}
	for _, b := range bs {
		if k := b.Kick(); k != nil {
			t.Fatalf("bot %d kicked before the match ended: %v", b.ID(), k)
		}
	}
	for _, stop := range stops {
		stop() // from now on the bots only read: see joinReader
	}

	// The match ends; everyone saw it end, then was kicked.
	select {
	case err := <-drained:
		if err != nil {
			t.Fatalf("Drain: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Drain did not return after the match")
	}
	for i, b := range bs {
		kickedWith(t, b, pb.KickReason_KICK_REASON_SHUTDOWN, drainKick)
		b.View(func(s *pb.State, st *bots.Stats) {
			if s.Match.Phase != pb.MatchPhase_MATCH_PHASE_INTERMISSION || st.Events[pb.EventKind_EVENT_KIND_MATCH_END] != ends[i]+1 {
				t.Errorf("bot %d: last phase %v, %d match ends (%d before); want the end of the match it played", b.ID(), s.Match.Phase, st.Events[pb.EventKind_EVENT_KIND_MATCH_END], ends[i])
			}
		})
	}
	err, k := lc.closed(t, 5*time.Second)
	lc.view(func(c *wsClient) {
		if k.GetReason() != pb.KickReason_KICK_REASON_SHUTDOWN || k.GetMessage() != drainKick || closeCode(err) != 1001 || c.state.Match.Phase != pb.MatchPhase_MATCH_PHASE_INTERMISSION {
			t.Errorf("late player: kick %v, close %v, last phase %v", k, err, c.state.Match.Phase)
		}
	})
	if !st.Server.Draining() {
		t.Error("Draining() is false after Drain")
	}
	if load := st.Server.Load(); load != (server.Load{}) {
		t.Errorf("Load() = %+v after Drain, want zero", load)
	}
	text := testkit.Gather(st.Metrics)
	for series, want := range map[string]float64{disconnects("drain"): 4, disconnects("shutdown"): 0, serverDraining: 1, "skirmish_rooms": 0, playersConnected: 0} {
		if v := testkit.Value(text, series); v != want {
			t.Errorf("%s = %v after Drain, want %v", series, v, want)
		}
	}
}

// TestDrainDeadlineFallsBackToShutdown: a drain whose deadline comes
// before the match ends kicks everyone at once, as Shutdown does, and
// returns the deadline's error.
func TestDrainDeadlineFallsBackToShutdown(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil) // three-minute matches
	bs := []*bots.Bot{joinReader(t, st, "a"), joinReader(t, st, "b")}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	drained := make(chan error, 1)
	go func() { drained <- st.Server.Drain(ctx) }()
	wait, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	for _, b := range bs {
		waitNotice(t, wait, b)
	}
	select {
	case err := <-drained:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Drain past its deadline: %v, want context.DeadlineExceeded", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Drain did not return after its deadline")
	}
	for _, b := range bs {
		kickedWith(t, b, pb.KickReason_KICK_REASON_SHUTDOWN, "server shutting down")
	}
	if v := st.Metric(disconnects("shutdown")); v != 2 {
		t.Errorf("%s = %v, want 2", disconnects("shutdown"), v)
	}
	if !st.Server.Draining() || st.Server.Load().Players != 0 {
		t.Errorf("after the fallback: Draining() %v, Load() %+v", st.Server.Draining(), st.Server.Load())
	}
}

// TestDrainEmptyServer: with no room, Drain returns at once, and again.
func TestDrainEmptyServer(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	if st.Server.Draining() || st.Metric(serverDraining) != 0 {
		t.Fatal("draining before Drain")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range 2 {
		if err := st.Server.Drain(ctx); err != nil {
			t.Fatalf("Drain %d: %v", i+1, err)
		}
	}
	if !st.Server.Draining() || st.Server.Load() != (server.Load{}) {
		t.Errorf("Draining() %v, Load() %+v", st.Server.Draining(), st.Server.Load())
	}
	if v := st.Metric(serverDraining); v != 1 {
		t.Errorf("%s = %v, want 1", serverDraining, v)
	}
}

// TestDrainClosesARoomWithoutPlayers: of two rooms, the one whose only
// player left (an idle room, kept for IdleRoomLifetime) closes at once,
// a ticket for it is refused and so is a seat the lobby hands out now;
// the other plays on until Shutdown, which a drain lets through.
func TestDrainClosesARoomWithoutPlayers(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) { testkit.RoomSize(o, 1) }) // three-minute matches
	b := joinReader(t, st, "a")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	left := joinReader(t, st, "b")
	empty := left.Assignment().Room
	if empty == b.Assignment().Room {
		t.Fatalf("both players in room %s; want a second room", empty)
	}
	left.Close()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		load := st.Server.Load()
		return load == server.Load{Rooms: 2, Players: 1}, fmt.Sprintf("Load() = %+v, want 2 rooms, 1 player", load)
	})

	drained := make(chan error, 1)
	go func() { drained <- st.Server.Drain(ctx) }()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		load := st.Server.Load()
		return load == server.Load{Rooms: 1, Players: 1}, fmt.Sprintf("Load() = %+v", load)
	})
	if rooms := st.Server.Rooms(); len(rooms) != 1 || rooms[0].ID != b.Assignment().Room {
		t.Errorf("rooms %+v; want only the bot's", rooms)
	}
	tk := st.Signer.Sign(ticket.Ticket{PlayerID: 7, Name: "late", Room: empty, Expires: time.Now().Add(time.Minute), Nonce: 7})
	if status, body := getWS(t, st.URL, tk); status != http.StatusServiceUnavailable || !strings.Contains(body, "server is draining") {
		t.Errorf("ticket for the closed room: %d %q; want 503, server is draining", status, strings.TrimSpace(body))
	}
	if v := st.Metric(rejected("draining")); v != 1 {
		t.Errorf("%s = %v, want 1", rejected("draining"), v)
	}
	fresh, err := bots.RequestPlay(ctx, http.DefaultClient, st.URL, "fresh")
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := getWS(t, st.URL, fresh.Ticket); status != http.StatusServiceUnavailable {
		t.Errorf("a seat the lobby handed out during the drain: %d; want 503", status)
	}
	waitNotice(t, ctx, b)
	select {
	case err := <-drained:
		t.Fatalf("Drain returned %v while a match is on", err)
	default:
	}

	if err := st.Server.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown during a drain: %v", err)
	}
	kickedWith(t, b, pb.KickReason_KICK_REASON_SHUTDOWN, "server shutting down")
	select {
	case err := <-drained:
		if err != nil {
			t.Errorf("Drain after Shutdown: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Drain did not return after Shutdown")
	}
}

// TestDrainBetweenMatches: a room whose match is already over when the
// drain starts closes at once, its player told and kicked.
func TestDrainBetweenMatches(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.NewGame = func(string) server.Game {
			cfg := sim.DefaultConfig()
			cfg.MatchTicks, cfg.IntermissionTicks = sim.TickRate/2, 600*sim.TickRate
			return server.NewSimGame(cfg)
		}
	})
	b := joinReader(t, st, "a")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.WaitFor(ctx, func(s *pb.State, _ *bots.Stats) bool {
		return s.Match.Phase == pb.MatchPhase_MATCH_PHASE_INTERMISSION
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Server.Drain(ctx); err != nil {
		t.Fatalf("Drain between matches: %v", err)
	}
	kickedWith(t, b, pb.KickReason_KICK_REASON_SHUTDOWN, drainKick)
	if got := b.Notice(); got != drainNotice { // read before the kick: the bot's connection has ended
		t.Errorf("notice %q, want %q", got, drainNotice)
	}
	if load := st.Server.Load(); load != (server.Load{}) {
		t.Errorf("Load() = %+v after Drain, want zero", load)
	}
}
