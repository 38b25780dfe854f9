// match_test.go — the matcher's rules (match.go): backfill before new
// rooms, reservations that lapse after their 15 s, and the rating window
// that widens with waiting, on each Store backend with a made-up clock.

package lobby_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"skirmish/lobby"
)

// TestAPIBackfillBeforeNewRooms: rooms fill one after another, and a seat
// freed by an expired reservation is filled before another room opens.
func TestAPIBackfillBeforeNewRooms(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil) // ffa rooms of 4
		var ps []player
		var rooms []string
		for i := range 9 {
			p := a.login(t, "P"+strconv.Itoa(i))
			a.queue(t, p, "")
			rooms = append(rooms, a.await(t, p).Room)
			ps = append(ps, p)
		}
		count := make(map[string]int)
		for _, r := range rooms {
			count[r]++
		}
		if len(count) != 3 || count[rooms[0]] != 4 || count[rooms[4]] != 4 || count[rooms[8]] != 1 {
			t.Fatalf("rooms %v; want 4, 4 and 1 in order", rooms)
		}
		// Everyone but P0 connects; P0's reservation lapses after 15 s.
		for i, p := range ps[1:] {
			if err := a.lobby.Claim(bg, rooms[i+1], p.id(t)); err != nil {
				t.Fatal(err)
			}
		}
		a.clock.Advance(15 * time.Second) // the seats were held until a whole second 15.5 s on
		a.pass(t)
		if r := a.rooms(t)[rooms[0]]; r.Connected != 3 || r.Reserved != 1 {
			t.Errorf("15 s on, %s = %+v; want P0's seat still held", rooms[0], r)
		}
		a.clock.Advance(time.Second)
		a.pass(t)
		if r := a.rooms(t)[rooms[0]]; r.Connected != 3 || r.Reserved != 0 {
			t.Errorf("after P0's reservation lapsed, %s = %+v; want 3 connected", rooms[0], r)
		}
		if err := a.lobby.Claim(bg, rooms[0], ps[0].id(t)); !errors.Is(err, lobby.ErrNoSeat) {
			t.Errorf("claim after the seat lapsed: %v; want ErrNoSeat", err)
		}
		// The next two players: P0's old seat first (the fullest room with
		// space), then the room with one player.
		x, y := a.login(t, "X"), a.login(t, "Y")
		a.queue(t, x, "")
		if got := a.await(t, x).Room; got != rooms[0] {
			t.Errorf("X went to %s; want the freed seat in %s", got, rooms[0])
		}
		a.queue(t, y, "")
		if got := a.await(t, y).Room; got != rooms[8] {
			t.Errorf("Y went to %s; want %s, not a new room", got, rooms[8])
		}
		// A connected player's seat never lapses; leaving frees it.
		a.clock.Advance(time.Hour)
		a.pass(t)
		if r := a.rooms(t)[rooms[4]]; r.Connected != 4 {
			t.Errorf("an hour on, %s = %+v; want its 4 connected players", rooms[4], r)
		}
		if err := a.lobby.Release(bg, rooms[4], ps[4].id(t)); err != nil {
			t.Fatal(err)
		}
		if r := a.rooms(t)[rooms[4]]; r.Connected != 3 {
			t.Errorf("after a leave, %s = %+v; want 3", rooms[4], r)
		}
	})
}

// TestAPIRatingWindow: a strong player waits while the only room with
// space is far below them, and joins it once the window has widened.
func TestAPIRatingWindow(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, func(o *lobby.Options) {
			o.RatingWindow, o.RatingWindowGrowth, o.RatingWindowFull = 100, 100, time.Minute
		})
		low, high := a.login(t, "Low"), a.login(t, "High")
		if err := s.UpdateRatings(bg, []uint64{high.id(t)}, func(map[uint64]lobby.Rating) map[uint64]lobby.Rating {
			return map[uint64]lobby.Rating{high.id(t): {R: 1900, RD: 50, Vol: 0.06}}
		}); err != nil {
			t.Fatal(err)
		}
		a.queue(t, low, "")
		room := a.await(t, low).Room // 1500
		a.queue(t, high, "")
		a.pass(t)
		if q := decodeAs[queued](t, a.do(t, http.MethodGet, "/api/queue", high.Token, ""), http.StatusOK); q.Status != "queued" {
			t.Errorf("High at once: %+v; want still queued (400 points from the only room)", q)
		}
		a.clock.Advance(2 * time.Second) // window 300
		a.pass(t)
		if q := decodeAs[queued](t, a.do(t, http.MethodGet, "/api/queue", high.Token, ""), http.StatusOK); q.Status != "queued" {
			t.Errorf("High after 2 s: %+v; want still queued", q)
		}
		a.clock.Advance(time.Second) // window 400
		a.pass(t)
		if got := a.await(t, high).Room; got != room {
			t.Errorf("High went to %s; want %s once the window reached it", got, room)
		}
		if r := a.rooms(t)[room]; r.Rating != 1700 {
			t.Errorf("room rating %v; want the mean 1700", r.Rating)
		}
	})
}
