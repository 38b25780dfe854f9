// store_hold_test.go — Store.Hold, against both backends: a dropped
// player's connected seat becomes a reservation until the hold ends, which
// Claim connects again and Expire frees; a node's holds go with the node.

package lobby_test

import (
	"testing"
	"time"

	"skirmish/lobby"
)

func TestStoreHold(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		until := at0.Add(15 * time.Second)
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r1", 4), Create: true, Members: members(1, 2), Until: until}))
		wantErr(t, "hold of a reservation", s.Hold(bg, "r1", "", 1, at0.Add(30*time.Second)), lobby.ErrNoSeat)
		must(t, s.Claim(bg, "r1", "", 1, at0))
		must(t, s.Claim(bg, "r1", "", 2, at0))
		wantErr(t, "hold in a room that is not there", s.Hold(bg, "r9", "", 1, at0), lobby.ErrNoSeat)
		wantErr(t, "hold of a stranger", s.Hold(bg, "r1", "", 9, at0), lobby.ErrNoSeat)
		wantErr(t, "hold by a node", s.Hold(bg, "r1", "a", 1, at0), lobby.ErrWrongNode)

		held := at0.Add(30 * time.Second)
		must(t, s.Hold(bg, "r1", "", 1, held))
		st, err := s.Seat(bg, 1, at0.Add(time.Second))
		if err != nil || st.Room != "r1" || st.Connected || !st.Until.Equal(held) {
			t.Errorf("held seat = %+v, %v; want r1, a reservation until %v", st, err, held)
		}
		wantErr(t, "held player queueing", s.Enqueue(bg, entry(1, "ffa", at0), at0), lobby.ErrSeated)
		if r := roomsByID(t, s, at0)["r1"]; r.Connected != 1 || r.Reserved != 1 {
			t.Errorf("r1 with a hold = %+v; want 1 connected, 1 reserved", r)
		}
		// The player comes back: the seat is connected again, for good.
		must(t, s.Claim(bg, "r1", "", 1, at0.Add(10*time.Second)))
		if n, err := s.Expire(bg, held.Add(time.Second)); err != nil || n != 0 {
			t.Errorf("Expire after a resume = %d, %v; want 0", n, err)
		}
		if st, err := s.Seat(bg, 1, held.Add(time.Second)); err != nil || !st.Connected {
			t.Errorf("resumed seat = %+v, %v; want connected", st, err)
		}
		// Dropped again, and not back in time: the hold ends at until.
		again := held.Add(30 * time.Second)
		must(t, s.Hold(bg, "r1", "", 1, again))
		if n, err := s.Expire(bg, again); err != nil || n != 1 {
			t.Errorf("Expire at the hold's end = %d, %v; want 1", n, err)
		}
		wantErr(t, "claim after the hold ended", s.Claim(bg, "r1", "", 1, again), lobby.ErrNoSeat)
		must(t, s.Enqueue(bg, entry(1, "ffa", again), again))
	})
}

func TestStoreHoldGoesWithItsNode(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		must(t, s.PutNode(bg, node("a", at0.Add(5*time.Second))))
		must(t, reserve(t, s, at0, lobby.Reservation{Room: onNode("r1", "a"), Create: true, Members: members(1), Until: at0.Add(15 * time.Second)}))
		must(t, s.Claim(bg, "r1", "a", 1, at0))
		wantErr(t, "hold by the lobby's process", s.Hold(bg, "r1", "", 1, at0.Add(time.Minute)), lobby.ErrWrongNode)
		must(t, s.Hold(bg, "r1", "a", 1, at0.Add(time.Minute)))
		if n, err := s.ExpireNodes(bg, at0.Add(5*time.Second)); err != nil || n != 1 {
			t.Errorf("ExpireNodes = %d, %v; want the hold freed", n, err)
		}
		if _, err := s.Seat(bg, 1, at0.Add(5*time.Second)); err == nil {
			t.Error("a hold on a lapsed node is still a seat")
		}
	})
}
