// spectate_test.go — spectators over real sockets (spectate.go): a
// spectator's ticket from POST /api/watch sees the room's players move, is
// kicked for an input, takes no seat, and one past the room's limit is
// refused by the lobby and at the handshake. The delay is tested tick by
// tick in spectate_room_test.go.

package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/ticket"
)

const spectators = "skirmish_spectators"

// watch asks the stack's lobby for a spectator's ticket to room.
func watch(t testing.TB, st *testkit.Stack, room string) (bots.Assignment, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return bots.RequestWatch(ctx, http.DefaultClient, st.URL, room)
}

// dialWatch watches room through the lobby.
func dialWatch(t testing.TB, st *testkit.Stack, room string) *wsClient {
	t.Helper()
	a, err := watch(t, st, room)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := dialWS(t, a.DialURL(), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

// waitSees waits until c's state holds n players, one of whom has moved
// since c first saw them, and c was sent more snapshots since.
func waitSees(t testing.TB, c *wsClient, n int) {
	t.Helper()
	var first map[uint32][2]int32
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		ok, saw := false, ""
		c.view(func(c *wsClient) {
			if len(c.state.Players) < n {
				saw = "spectator sees fewer players than " + string(rune('0'+n))
				return
			}
			if first == nil {
				first = map[uint32][2]int32{}
				for _, p := range c.state.Players {
					first[p.ID] = [2]int32{p.F[pb.FieldX], p.F[pb.FieldY]}
				}
			}
			for _, p := range c.state.Players {
				if was, seen := first[p.ID]; seen && was != [2]int32{p.F[pb.FieldX], p.F[pb.FieldY]} {
					ok = true
				}
			}
			saw = "no player moved in the spectator's view"
		})
		return ok, saw
	})
}

func TestSpectatorSeesPlayersAndIsKickedForAnInput(t *testing.T) {
	st := testkit.Start(t, nil)
	a := joinBot(t, st, "Ada", bots.Wander())
	joinBot(t, st, "Bob", bots.Wander())
	room := a.Assignment().Room
	c := dialWatch(t, st, room)
	waitSees(t, c, 2)
	c.view(func(c *wsClient) {
		if !c.spectator || c.id != 0 || c.ack != 0 {
			t.Errorf("Welcome said spectator %v, player id %d, ack %d; want true, 0, 0", c.spectator, c.id, c.ack)
		}
	})
	st.WaitMetric(t, spectators, 5*time.Second, eq(1))
	if n := st.Metric(playersConnected); n != 2 {
		t.Errorf("%s = %v with a spectator watching two players; want 2", playersConnected, n)
	}
	c.send(t, pb.AppendPing(nil, 7)) // a ping is fine
	c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: 1, Move: 1}))
	err, kick := c.closed(t, 5*time.Second)
	if kick.GetReason() != pb.KickReason_KICK_REASON_SPECTATOR || closeCode(err) != 1008 || !strings.Contains(kick.GetMessage(), "spectators send no inputs") {
		t.Errorf("after an input: kick %v, close %v; want KICK_REASON_SPECTATOR, 1008", kick, err)
	}
	st.WaitMetric(t, "skirmish_spectator_inputs_total", 5*time.Second, eq(1))
	st.WaitMetric(t, disconnects("spectator_input"), 5*time.Second, eq(1))
	st.WaitMetric(t, spectators, 5*time.Second, eq(0))
	if n := st.Metric(playersConnected); n != 2 {
		t.Errorf("%s = %v after the spectator's kick; want the two players still", playersConnected, n)
	}
}

func TestSpectatorTakesNoSeat(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) { testkit.RoomSize(o, 2) })
	a := joinBot(t, st, "Ada", bots.Wander())
	room := a.Assignment().Room
	c := dialWatch(t, st, room)
	waitSees(t, c, 1)
	// The room still fills to its two seats with players.
	b := joinBot(t, st, "Bob", bots.Wander())
	if b.Assignment().Room != room {
		t.Fatalf("Bob was sent to room %s; want %s, whose second seat the spectator must not take", b.Assignment().Room, room)
	}
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(2))
	waitSees(t, c, 2)
	if n := st.Metric(spectators); n != 1 {
		t.Errorf("%s = %v; want 1", spectators, n)
	}
	rooms := st.Server.Rooms()
	if len(rooms) != 1 || rooms[0].Seats != 2 || rooms[0].Spectators != 1 {
		t.Errorf("the server's rooms: %+v; want one with 2 seats and 1 spectator", rooms)
	}
	if l := st.Server.Load(); l.Players != 2 || l.Spectators != 1 {
		t.Errorf("the server's load %+v; want 2 players (what a node reports) and 1 spectator apart", l)
	}
	// The operator's console tells the spectator from the players.
	if rs := st.Server.RoomStats(); len(rs) != 1 || rs[0].Spectators != 1 || rs[0].Seats != 2 {
		t.Errorf("the console's rooms %+v; want one with 2 seats and 1 spectator", rs)
	}
	watching := 0
	for _, p := range st.Server.Players() {
		if p.Spectator {
			watching++
		}
	}
	if watching != 1 {
		t.Errorf("the console's connections %+v: %d marked spectator; want 1", st.Server.Players(), watching)
	}
}

func TestSpectatorsOverTheLimitAreRefused(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) { o.Server.MaxSpectators = 2 })
	a := joinBot(t, st, "Ada", bots.Wander())
	room := a.Assignment().Room
	for range 2 {
		waitSees(t, dialWatch(t, st, room), 1)
	}
	// The server's count reaches the lobby's store: the lobby refuses the third.
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		_, err := watch(t, st, room)
		return err != nil && strings.Contains(err.Error(), "409") && strings.Contains(err.Error(), "has all the 2 spectators it takes"),
			"POST /api/watch for a third spectator answered " + errString(err)
	})
	// A ticket the lobby would not hand out is refused at the handshake too.
	tk := st.Signer.Sign(ticket.Ticket{PlayerID: 99, Name: "spectator", Room: room, Expires: time.Now().Add(time.Minute), Nonce: 1, Spectator: true})
	status, body := getWS(t, st.URL, tk)
	if status != http.StatusConflict || !strings.Contains(body, "room takes no more spectators") {
		t.Errorf("a third spectator's handshake: %d %q; want 409, room takes no more spectators", status, body)
	}
	if n := st.Metric(`skirmish_handshakes_rejected_total{reason="spectators_full"}`); n != 1 {
		t.Errorf("spectators_full refusals = %v; want 1", n)
	}
	// A room this server does not run: 404 at the handshake, 404 at the lobby.
	tk = st.Signer.Sign(ticket.Ticket{PlayerID: 98, Name: "spectator", Room: "nowhere", Expires: time.Now().Add(time.Minute), Nonce: 2, Spectator: true})
	if status, body := getWS(t, st.URL, tk); status != http.StatusNotFound || !strings.Contains(body, "not open on this server") {
		t.Errorf("watching a room the server does not run: %d %q; want 404", status, body)
	}
	if _, err := watch(t, st, "nowhere"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("POST /api/watch for an unknown room: %v; want 404", err)
	}
	st.WaitMetric(t, spectators, 5*time.Second, eq(2))
}

func errString(err error) string {
	if err == nil {
		return "200"
	}
	return err.Error()
}
