// fault_test.go — faults over real sockets: a client that vanishes without a close, a room whose game panics, and a graceful shutdown with players connected.

package server_test

import (
	"context"
	"net/http"
	"sync/atomic"
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

// TestVanishedClientIsRemoved: a client that upgrades and then goes
// silent, without a close frame and without answering pings, is removed
// once SilenceTimeout has passed with nothing from it, and not before;
// a player in the same room that keeps sending stays.
func TestVanishedClientIsRemoved(t *testing.T) {
	t.Parallel()
	const silence = 1500 * time.Millisecond
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.SilenceTimeout = silence
		o.Server.PingInterval = 200 * time.Millisecond
	})
	good := joinBot(t, st, "alive", bots.Wander())
	ghost := play(t, st, "ghost")
	start := time.Now() // before the dial: the server hears the ghost last after it
	conn, _ := rawDial(t, ghost.DialURL(), nil)
	st.WaitMetric(t, playersConnected, 10*time.Second, eq(2))
	st.WaitMetric(t, disconnects("silent"), silence+30*time.Second, eq(1))
	if took := time.Since(start); took < silence {
		t.Errorf("silent client removed after %v; SilenceTimeout is %v", took, silence)
	}
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(1))

	// The server closed the socket: reading it drains what was sent, then ends.
	expectServerClosed(t, conn, "silent")
	waitSnapshots(t, good, 30, 5*time.Second)
}

// crashingGame is the sim until broken is set; from then on every call the
// room makes into it panics, as a game whose state is corrupt might.
type crashingGame struct {
	server.Game
	broken *atomic.Bool
}

func (g crashingGame) Step(in []server.PlayerInput) {
	if g.broken.Load() {
		panic("test: the game of room r1 broke")
	}
	g.Game.Step(in)
}

func (g crashingGame) RemovePlayer(id uint32) {
	if g.broken.Load() {
		panic("test: the game of room r1 broke, even its RemovePlayer")
	}
	g.Game.RemovePlayer(id)
}

// TestRoomPanic: a panic in one room's game ends that room, not the
// process: its players get a Kick with KICK_REASON_ROOM_CLOSED and close
// 1011, the other room plays on, the crash is counted, and the lobby
// places new players in a working room.
func TestRoomPanic(t *testing.T) {
	t.Parallel()
	var broken atomic.Bool
	st := testkit.Start(t, func(o *stack.Options) {
		testkit.RoomSize(o, 2)
		o.Server.NewGame = func(room string) server.Game {
			g := server.NewSimGame(sim.DefaultConfig())
			if room == "r1" {
				return crashingGame{Game: g, broken: &broken}
			}
			return g
		}
	})
	var bs []*bots.Bot
	for i, room := range []string{"r1", "r1", "r2", "r2"} {
		b := joinBot(t, st, "p", bots.Wander())
		if got := b.Assignment().Room; got != room {
			t.Fatalf("bot %d in room %s, want %s", i, got, room)
		}
		bs = append(bs, b)
	}
	waitSnapshots(t, bs[0], 10, 5*time.Second)

	broken.Store(true)
	for _, b := range bs[:2] {
		select {
		case <-b.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("bot %d of the crashed room still connected", b.ID())
		}
		if k := b.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_ROOM_CLOSED || closeCode(b.Err()) != 1011 {
			t.Errorf("bot %d of the crashed room: kick %v, close %v; want KICK_REASON_ROOM_CLOSED, 1011", b.ID(), k, b.Err())
		}
	}
	st.WaitMetric(t, "skirmish_rooms_crashed_total", 5*time.Second, eq(1))
	for _, b := range bs[2:] {
		waitSnapshots(t, b, 30, 5*time.Second)
	}
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(2))

	// New players land in a working room, never the crashed one.
	nb := joinBot(t, st, "late", bots.Wander())
	if nb.Assignment().Room == "r1" {
		t.Fatalf("a new player was placed in the crashed room")
	}
	waitSnapshots(t, nb, 30, 5*time.Second)
	for _, r := range st.Server.Rooms() {
		if r.ID == "r1" {
			t.Errorf("crashed room r1 still listed: %+v", st.Server.Rooms())
		}
	}
}

// TestShutdownDrains: Shutdown tells every connected player why (Kick with
// KICK_REASON_SHUTDOWN, close 1001), returns nil once they are gone, and
// the endpoint then answers 503.
func TestShutdownDrains(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, func(o *stack.Options) { testkit.RoomSize(o, 2) })
	var bs []*bots.Bot
	for range 3 {
		bs = append(bs, joinBot(t, st, "p", bots.Wander()))
	}
	for _, b := range bs {
		waitSnapshots(t, b, 5, 5*time.Second)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := st.Server.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for _, b := range bs {
		select {
		case <-b.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("bot %d still connected after Shutdown returned", b.ID())
		}
		if k := b.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_SHUTDOWN || closeCode(b.Err()) != 1001 {
			t.Errorf("bot %d: kick %v, close %v; want KICK_REASON_SHUTDOWN, 1001", b.ID(), k, b.Err())
		}
	}
	if v := st.Metric(disconnects("shutdown")); v != 3 {
		t.Errorf("%s = %v, want 3", disconnects("shutdown"), v)
	}
	if v := st.Metric(playersConnected); v != 0 {
		t.Errorf("players_connected = %v after Shutdown", v)
	}

	// A ticket minted before the shutdown is refused too.
	late := st.Signer.Sign(ticket.Ticket{PlayerID: 42, Name: "late", Room: "r1", Expires: time.Now().Add(time.Minute), Nonce: 42})
	if got := handshake(t, wsURL(st, late), ""); got != http.StatusServiceUnavailable {
		t.Errorf("/ws after Shutdown: status %d, want 503", got)
	}
	resp, err := http.Get(st.URL + "/ws")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("plain GET /ws after Shutdown: %s, want 503", resp.Status)
	}
	if err := st.Server.Shutdown(ctx); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}
