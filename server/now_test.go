// now_test.go — Options.Now over real sockets: a server fed made-up time decides by it, not by the real clock: ticket expiry at the handshake (handshake.go), when an empty room closes (registry.go), and when a room's ticks are due (clock.go).

package server_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"skirmish/internal/stack"
	"skirmish/internal/testkit"
)

// madeUpClock is a clock for Options.Now that stands still until the test
// moves it. It starts at the real time, so the lobby's tickets are valid.
type madeUpClock struct{ ns atomic.Int64 }

func newMadeUpClock() *madeUpClock {
	c := &madeUpClock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}

func (c *madeUpClock) Now() time.Time       { return time.Unix(0, c.ns.Load()) }
func (c *madeUpClock) add(d time.Duration)  { c.ns.Add(int64(d)) }
func (c *madeUpClock) fed(o *stack.Options) { o.Server.Now = c.Now }

// TestNowDecidesTicketExpiry: a ticket good for 15 s more is expired for a
// server whose clock reads a minute later, and good again when it reads
// the real time: the refusal did not use it up.
func TestNowDecidesTicketExpiry(t *testing.T) {
	t.Parallel()
	clk := newMadeUpClock()
	st := testkit.Start(t, clk.fed)
	a := play(t, st, "early")

	clk.add(time.Minute)
	if got := handshake(t, a.DialURL(), ""); got != http.StatusUnauthorized {
		t.Errorf("a minute on: status %d, want 401", got)
	}
	if v := st.Metric(rejected("ticket_expired")); v != 1 {
		t.Errorf("%s = %v, want 1", rejected("ticket_expired"), v)
	}
	clk.add(-time.Minute)
	if got := handshake(t, a.DialURL(), ""); got != http.StatusSwitchingProtocols {
		t.Errorf("back at the real time: status %d, want 101", got)
	}
}

// TestNowClosesIdleRooms: a room its last player left closes once the
// server's clock has passed IdleRoomLifetime (30 s), within a few sweeps
// (one every PingInterval) of real time.
func TestNowClosesIdleRooms(t *testing.T) {
	t.Parallel()
	clk := newMadeUpClock()
	st := testkit.Start(t, func(o *stack.Options) {
		clk.fed(o)
		o.Server.PingInterval = 20 * time.Millisecond
	})
	c := dialPlay(t, st, "leaver")
	_ = c.conn.WriteClose(1000, nil)
	c.closed(t, 5*time.Second)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		rooms := st.Server.Rooms()
		return len(rooms) == 1 && rooms[0].Seats == 0, fmt.Sprintf("rooms %+v; want one, empty", rooms)
	})
	clk.add(31 * time.Second)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		rooms := st.Server.Rooms()
		return len(rooms) == 0, fmt.Sprintf("rooms %+v, 31 s after the last player left; want none", rooms)
	})
}

// TestNowDrivesTicks: a room ticks as the server's clock moves. Moved a
// tick at a time, it seats the player (its Welcome goes out with a tick);
// moved 10 s at once, the room runs half a second of ticks (30) back to
// back and skips the other 570, as a room that fell 10 s behind would.
func TestNowDrivesTicks(t *testing.T) {
	t.Parallel()
	clk := newMadeUpClock()
	st := testkit.Start(t, clk.fed)
	c := dialPlay(t, st, "ticked")
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		clk.add(time.Second / 60)
		n := 0
		c.view(func(c *wsClient) { n = c.snapshots })
		return n > 0, "no Welcome yet"
	})
	const skipped = "skirmish_ticks_skipped_total"
	before := st.Metric(skipped)
	clk.add(10 * time.Second)
	st.WaitMetric(t, skipped, 5*time.Second, func(v float64) bool { return v >= before+570 })
}
