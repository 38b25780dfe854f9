// operate_test.go covers operate.go, live.go and recent.go over real
// sockets: a room's published figures (players, phase, time left, tick
// times, bytes out), the players listed by their tickets, a kick by an
// operator (KICK_REASON_KICKED, "kicked by operator", close 1008, counted
// and in the recent events), a room an operator closes (every player gets
// KICK_REASON_ROOM_CLOSED, the room leaves the registry) and the errors for
// a player or room that is not there.

package server_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/server"
)

func TestOperatorSeesAndKicks(t *testing.T) {
	st := testkit.Start(t, nil)
	srv := st.Server
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a := joinReader(t, st, "ada")
	b := joinReader(t, st, "bob")
	runBot(t, a)
	runBot(t, b)
	room := a.Assignment().Room

	var rs server.RoomStats
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		all := srv.RoomStats()
		if len(all) != 1 {
			return false, "rooms " + strconv.Itoa(len(all))
		}
		rs = all[0]
		return rs.Players == 2 && rs.BytesOut > 0 && rs.TickP99 > 0, "room " + strconv.Quote(rs.ID) + " players " + strconv.Itoa(rs.Players)
	})
	if rs.ID != room || rs.Seats != 2 || rs.Phase != "playing" || rs.TimeLeft <= 0 || rs.TickP50 > rs.TickP99 {
		t.Errorf("room figures %+v; want room %s, 2 seats, playing with time left, p50 ≤ p99", rs, room)
	}
	players := srv.Players()
	if len(players) != 2 || players[0].Name != "ada" || players[1].Name != "bob" || players[0].Room != room {
		t.Fatalf("players %+v; want ada and bob in %s", players, room)
	}
	if strconv.FormatUint(players[0].ID, 10) != a.Assignment().PlayerID {
		t.Errorf("ada's id %d; her ticket's %s", players[0].ID, a.Assignment().PlayerID)
	}

	if err := srv.Kick(players[0].ID); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.Done():
	case <-ctx.Done():
		t.Fatal("ada still connected after the kick")
	}
	if k := a.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_KICKED || k.GetMessage() != "kicked by operator" || closeCode(a.Err()) != 1008 {
		t.Errorf("ada: kick %v, close %v; want KICKED %q, 1008", k, a.Err(), "kicked by operator")
	}
	st.WaitMetric(t, `skirmish_disconnects_total{reason="operator"}`, 5*time.Second, func(v float64) bool { return v == 1 })
	if ev := srv.Recent(); len(ev) == 0 || ev[0].Kind != "kick" || ev[0].Reason != "operator" || ev[0].Name != "ada" || ev[0].Room != room {
		t.Errorf("recent events %+v; want ada's operator kick first", ev)
	}
	if err := srv.Kick(players[0].ID); !errors.Is(err, server.ErrNoPlayer) {
		t.Errorf("kicking ada again: %v; want ErrNoPlayer", err)
	}

	if err := srv.CloseRoom(room); err != nil {
		t.Fatal(err)
	}
	kickedWith(t, b, pb.KickReason_KICK_REASON_ROOM_CLOSED, "room closed by operator")
	// The room records bob's kick once his connection is done with, which
	// may be after bob has read it: wait for it before the next event.
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		ev := srv.Recent()
		return len(ev) > 0 && ev[0].Reason == "operator_close" && ev[0].Name == "bob", fmt.Sprintf("recent events %+v", ev)
	})
	if rooms := srv.RoomStats(); len(rooms) != 0 {
		t.Errorf("rooms after the close: %+v; want none", rooms)
	}
	st.WaitMetric(t, "skirmish_rooms", 5*time.Second, func(v float64) bool { return v == 0 })
	if err := srv.CloseRoom(room); !errors.Is(err, server.ErrNoRoom) {
		t.Errorf("closing %s again: %v; want ErrNoRoom", room, err)
	}

	if code, _ := getWS(t, st.URL, "forged"); code != 401 {
		t.Fatalf("a forged ticket: %d; want 401", code)
	}
	if ev := srv.Recent(); len(ev) < 3 || ev[0].Kind != "refusal" || ev[0].Reason != "ticket_malformed" || ev[1].Reason != "operator_close" {
		t.Errorf("recent events %+v; want the refusal, then bob's room close", ev)
	}
}
