// resume_test.go — a dropped player comes back as themself (hold.go),
// over real sockets on the stack `skirmish serve` runs: the same id,
// place, health and score after a reconnect within the hold; the hold
// ending removes the player; a second connection replaces the first at
// once (KICK_REASON_REPLACED), a silent one included, so the name never
// shows twice.

package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
)

const (
	playersHeld  = "skirmish_players_held"
	resumedTotal = "skirmish_resumed_total"
	holdsExpired = "skirmish_holds_expired_total"
	replaced     = "skirmish_replaced_total"
)

// duelArena is an open field with two spawns on one line, 200 px apart:
// two players face each other across it.
func duelArena(o *server.Options) {
	o.NewGame = func(string) server.Game {
		return server.NewSimGame(sim.Config{
			Seed: 1,
			Map: &sim.Map{Width: 1280 * sim.UnitsPerPixel, Height: 960 * sim.UnitsPerPixel,
				Spawns: []sim.Point{{X: 540 * sim.UnitsPerPixel, Y: 480 * sim.UnitsPerPixel}, {X: 740 * sim.UnitsPerPixel, Y: 480 * sim.UnitsPerPixel}}},
		})
	}
}

// login makes a session for name and returns its token.
func login(t testing.TB, st *testkit.Stack, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	token, err := bots.Login(ctx, http.DefaultClient, st.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// dialAs takes the seat of the session's player through the lobby (the
// one it holds, if any) and connects to it.
func dialAs(t testing.TB, st *testkit.Stack, token string) (*wsClient, bots.Assignment) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	a, err := bots.RequestPlayAs(ctx, http.DefaultClient, st.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := dialWS(t, a.DialURL(), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c, a
}

// welcomed waits for c's Welcome, and its own player in the state.
func welcomed(t testing.TB, c *wsClient) {
	t.Helper()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var ok bool
		c.view(func(c *wsClient) { ok = c.id != 0 && c.state.Player(c.id) != nil })
		return ok, "a Welcome with the player in it"
	})
}

// self is what c sees of its own player, and the tick it saw it at.
func self(c *wsClient) (p pb.PlayerState, tick uint32) {
	c.view(func(c *wsClient) {
		if me := c.state.Player(c.id); me != nil {
			p = *me
		}
		tick = c.state.Tick
	})
	return p, tick
}

// names lists the names of the players c sees.
func names(c *wsClient) (out []string) {
	c.view(func(c *wsClient) {
		for _, p := range c.state.Players {
			out = append(out, p.Name)
		}
	})
	return out
}

// count is how many times name is among names.
func count(names []string, name string) (n int) {
	for _, s := range names {
		if s == name {
			n++
		}
	}
	return n
}

// settled waits until c has seen ticks more ticks go by.
func settled(t testing.TB, c *wsClient, ticks uint32) {
	t.Helper()
	_, from := self(c)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		_, now := self(c)
		return now >= from+ticks, fmt.Sprintf("tick %d of %d", now, from+ticks)
	})
}

// duel is Ada, a session's player, and Bob, a guest, on the duel arena,
// both welcomed, each seeing the other.
type duel struct {
	st           *testkit.Stack
	token        string
	a            bots.Assignment // Ada's
	ada, bob     *wsClient
	adaID, bobID uint32
}

func startDuel(t *testing.T) *duel {
	t.Helper()
	d := &duel{st: testkit.Start(t, func(o *stack.Options) { duelArena(&o.Server) })}
	d.token = login(t, d.st, "Ada")
	d.ada, d.a = dialAs(t, d.st, d.token)
	d.bob = dialPlay(t, d.st, "Bob")
	welcomed(t, d.ada)
	welcomed(t, d.bob)
	d.ada.view(func(c *wsClient) { d.adaID = c.id })
	d.bob.view(func(c *wsClient) { d.bobID = c.id })
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var ok bool
		d.ada.view(func(c *wsClient) { ok = c.state.Player(d.bobID) != nil })
		d.bob.view(func(c *wsClient) { ok = ok && c.state.Player(d.adaID) != nil })
		return ok, "Ada and Bob seeing each other"
	})
	return d
}

// aimAt is the aim from p towards target, both on the duel arena's line.
func aimAt(p, target *pb.PlayerState) uint32 {
	if target.F[pb.FieldX] < p.F[pb.FieldX] {
		return sim.AimSteps / 2
	}
	return 0
}

// TestResumeKeepsThePlayer: Ada shoots Bob until he dies (a kill for her),
// Bob leaves, and her connection drops (the socket cut, no close frame).
// The room holds her, standing; she asks the lobby again with her session
// token and is back as herself: the same id, place, health, kills and
// deaths, in a Welcome saying resumed, then deltas.
func TestResumeKeepsThePlayer(t *testing.T) {
	d := startDuel(t)
	st, token, ada, bob, a := d.st, d.token, d.ada, d.bob, d.a

	// Ada fires at Bob until he is dead.
	var aim uint32
	ada.view(func(c *wsClient) { aim = aimAt(c.state.Player(d.adaID), c.state.Player(d.bobID)) })
	stop := holdKeys(t, ada, pb.InputMsg{Aim: aim, Buttons: uint32(sim.ButtonFire)})
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		p, _ := self(ada)
		return p.F[pb.FieldKills] >= 1, fmt.Sprintf("Ada has %d kills", p.F[pb.FieldKills])
	})
	stop()
	bob.conn.WriteClose(1000, nil) // Bob leaves: nothing hits Ada while she is away
	settled(t, ada, 30)
	before, _ := self(ada)
	adaID := d.adaID
	t.Logf("before the drop: id %d at (%d, %d), health %d, %d kills, %d deaths", adaID,
		before.F[pb.FieldX], before.F[pb.FieldY], before.F[pb.FieldHealth], before.F[pb.FieldKills], before.F[pb.FieldDeaths])

	_ = ada.conn.NetConn().Close() // the link is cut
	st.WaitMetric(t, playersHeld, 5*time.Second, eq(1))
	if seat, err := st.Store.Seat(context.Background(), playerOf(t, a), time.Now()); err != nil || seat.Connected {
		t.Errorf("the store's seat while held: %+v, %v; want a reservation (the hold)", seat, err)
	}

	back, _ := dialAs(t, st, token)
	welcomed(t, back)
	var id uint32
	var resumed bool
	back.view(func(c *wsClient) { id, resumed = c.id, c.resumed })
	after, _ := self(back)
	if id != adaID || !resumed {
		t.Errorf("back as player %d (resumed %v); want %d, resumed", id, resumed, adaID)
	}
	for _, f := range []struct {
		name  string
		field int
	}{{"x", pb.FieldX}, {"y", pb.FieldY}, {"health", pb.FieldHealth}, {"kills", pb.FieldKills}, {"deaths", pb.FieldDeaths}} {
		if after.F[f.field] != before.F[f.field] {
			t.Errorf("%s after the resume: %d; before the drop: %d", f.name, after.F[f.field], before.F[f.field])
		}
	}
	st.WaitMetric(t, resumedTotal, 5*time.Second, eq(1))
	st.WaitMetric(t, playersHeld, 5*time.Second, eq(0))
	// Then deltas, and the new connection's inputs move the player.
	var from int
	back.view(func(c *wsClient) { from = c.snapshots })
	stop = holdKeys(t, back, pb.InputMsg{Move: uint32(sim.MoveDown)})
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		p, _ := self(back)
		var n int
		back.view(func(c *wsClient) { n = c.snapshots - from })
		return n >= 30 && p.F[pb.FieldY] > after.F[pb.FieldY], fmt.Sprintf("%d snapshots since the Welcome, y %d", n, p.F[pb.FieldY])
	})
	stop()
}

// playerOf is the lobby's player id in an assignment.
func playerOf(t testing.TB, a bots.Assignment) uint64 {
	t.Helper()
	id, err := strconv.ParseUint(a.PlayerID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestHoldExpiresRemovesThePlayer: a player who does not come back within
// the hold leaves the room when it ends, and their seat is freed.
func TestHoldExpiresRemovesThePlayer(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) {
		openArena(&o.Server)
		o.Server.ResumeHold = time.Second
	})
	token := login(t, st, "Ada")
	ada, a := dialAs(t, st, token)
	bob := dialPlay(t, st, "Bob")
	welcomed(t, ada)
	welcomed(t, bob)
	var adaID uint32
	ada.view(func(c *wsClient) { adaID = c.id })
	player := playerOf(t, a)

	_ = ada.conn.NetConn().Close()
	st.WaitMetric(t, playersHeld, 5*time.Second, eq(1))
	if n := count(names(bob), "Ada"); n != 1 {
		t.Errorf("Bob sees Ada %d times while she is held; want once", n)
	}
	st.WaitMetric(t, holdsExpired, 5*time.Second, eq(1))
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var there bool
		bob.view(func(c *wsClient) { there = c.state.Player(adaID) != nil })
		return !there, "Bob still sees Ada"
	})
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		_, err := st.Store.Seat(context.Background(), player, time.Now())
		return errors.Is(err, lobby.ErrNotFound), fmt.Sprintf("the store's seat: %v", err)
	})
	if v := st.Metric(playersHeld); v != 0 {
		t.Errorf("%s = %v after the hold ended; want 0", playersHeld, v)
	}
	// Asking again is a new start: a fresh player, not resumed.
	again, _ := dialAs(t, st, token)
	welcomed(t, again)
	var resumed bool
	again.view(func(c *wsClient) { resumed = c.resumed })
	if p, _ := self(again); resumed || p.F[pb.FieldKills] != 0 || p.F[pb.FieldDeaths] != 0 {
		t.Errorf("after the hold ended: resumed %v, %d kills, %d deaths; want a fresh player", resumed, p.F[pb.FieldKills], p.F[pb.FieldDeaths])
	}
}

// TestSecondConnectionReplacesTheFirst: the same player connecting again
// while connected takes the player over at once, and the first connection
// is kicked with KICK_REASON_REPLACED (close code 4000): no ghost, the
// name shown once.
func TestSecondConnectionReplacesTheFirst(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) { openArena(&o.Server) })
	token := login(t, st, "Ada")
	first, _ := dialAs(t, st, token)
	welcomed(t, first)
	bob := dialPlay(t, st, "Bob")
	welcomed(t, bob)
	var adaID uint32
	first.view(func(c *wsClient) { adaID = c.id })

	second, _ := dialAs(t, st, token)
	err, kick := first.closed(t, 5*time.Second)
	if kick.GetReason() != pb.KickReason_KICK_REASON_REPLACED || closeCode(err) != 4000 {
		t.Errorf("the first connection ended with %v (close %d); want a Kick replaced, close 4000", kick, closeCode(err))
	}
	welcomed(t, second)
	var id uint32
	var resumed bool
	second.view(func(c *wsClient) { id, resumed = c.id, c.resumed })
	if id != adaID || !resumed {
		t.Errorf("the second connection is player %d (resumed %v); want %d, resumed", id, resumed, adaID)
	}
	settled(t, bob, 10)
	if n := count(names(bob), "Ada"); n != 1 {
		t.Errorf("Bob sees %v: Ada %d times; want once", names(bob), n)
	}
	if v := st.Metric(replaced); v != 1 {
		t.Errorf("%s = %v; want 1", replaced, v)
	}
	if v := st.Metric(disconnects("replaced")); v != 1 {
		t.Errorf("%s = %v; want 1", disconnects("replaced"), v)
	}
	if v := st.Metric(playersConnected); v != 2 {
		t.Errorf("%s = %v; want 2 (Ada once, Bob)", playersConnected, v)
	}
}

// TestSilentDropReplacedAtOnce: Ada's link goes silent (the socket stays
// open, nothing more comes through: a cut cable, a sleeping laptop), so
// the server still sees her connected; she reconnects at once. The new
// connection takes her player over there and then, not after the 15 s
// silence timeout, and the name never shows twice.
func TestSilentDropReplacedAtOnce(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) { openArena(&o.Server) })
	token := login(t, st, "Ada")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	a, err := bots.RequestPlayAs(ctx, http.DefaultClient, st.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	silent, _ := rawDial(t, a.DialURL(), nil) // upgraded, then never read nor written
	bob := dialPlay(t, st, "Bob")
	welcomed(t, bob)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		return count(names(bob), "Ada") == 1, fmt.Sprintf("Bob sees %v", names(bob))
	})

	back, _ := dialAs(t, st, token)
	welcomed(t, back)
	st.WaitMetric(t, replaced, 5*time.Second, eq(1))
	// Replaced, not timed out: the silent connection is still within its
	// 15 s silence timeout.
	if v := st.Metric(disconnects("silent")); v != 0 {
		t.Errorf("%v silence timeouts when the reconnect took over; want none", v)
	}
	var resumed bool
	back.view(func(c *wsClient) { resumed = c.resumed })
	if !resumed {
		t.Error("the reconnect's Welcome does not say resumed")
	}
	settled(t, bob, 10)
	settled(t, back, 10)
	for who, c := range map[string]*wsClient{"Bob": bob, "Ada": back} {
		if n := count(names(c), "Ada"); n != 1 {
			t.Errorf("%s sees %v: Ada %d times; want once", who, names(c), n)
		}
	}
	expectServerClosed(t, silent, "silent")
	if !strings.Contains(testkit.Gather(st.Metrics), disconnects("replaced")) {
		t.Errorf("no %s counted", disconnects("replaced"))
	}
}

// TestHeldPlayerStandsAndCanBeHit: a held player stays in the world where
// the drop left them, takes no step, and is hit like anyone: Bob, across
// the duel arena, shoots the held Ada until she dies.
func TestHeldPlayerStandsAndCanBeHit(t *testing.T) {
	d := startDuel(t)
	st, ada, bob, adaID := d.st, d.ada, d.bob, d.adaID
	_ = ada.conn.NetConn().Close()
	st.WaitMetric(t, playersHeld, 5*time.Second, eq(1))
	if v := st.Metric("skirmish_holds_total"); v != 1 {
		t.Errorf("skirmish_holds_total = %v; want 1", v)
	}
	settled(t, bob, 10)
	var at pb.PlayerState
	var aim uint32
	bob.view(func(c *wsClient) {
		at = *c.state.Player(adaID)
		aim = aimAt(c.state.Player(c.id), &at)
	})
	settled(t, bob, 30)
	var still pb.PlayerState
	bob.view(func(c *wsClient) { still = *c.state.Player(adaID) })
	if still.F[pb.FieldX] != at.F[pb.FieldX] || still.F[pb.FieldY] != at.F[pb.FieldY] {
		t.Errorf("the held player moved from (%d, %d) to (%d, %d)", at.F[pb.FieldX], at.F[pb.FieldY], still.F[pb.FieldX], still.F[pb.FieldY])
	}
	stop := holdKeys(t, bob, pb.InputMsg{Aim: aim, Buttons: uint32(sim.ButtonFire)})
	defer stop()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		var deaths, health int32
		bob.view(func(c *wsClient) {
			p := c.state.Player(adaID)
			deaths, health = p.F[pb.FieldDeaths], p.F[pb.FieldHealth]
		})
		return deaths >= 1, fmt.Sprintf("the held Ada at health %d, %d deaths", health, deaths)
	})
}
