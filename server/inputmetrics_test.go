// inputmetrics_test.go — how players' inputs arrive, as an operator sees
// it, over a real socket: input_slots_total counts the slots by their
// lead (stood in, in time, early), inputs_amended_total the inputs that
// came a tick late and amended their slot, inputs_late_total those that
// came later, input_margin_seconds how long before (or after) their slots
// they came, and the console's room figures the share stood in.

package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/lxzan/gws"

	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

func TestInputArrivalMetrics(t *testing.T) {
	st := testkit.Start(t, nil)
	c := dialPlay(t, st, "arrivals")
	slots := func(lead string) float64 {
		return st.Metric(`skirmish_input_slots_total{lead="` + lead + `"}`)
	}
	margins := func(le string) float64 {
		if le == "" {
			return st.Metric("skirmish_input_margin_seconds_count")
		}
		return st.Metric(`skirmish_input_margin_seconds_bucket{le="` + le + `"}`)
	}
	ack := func() (a uint32) {
		c.view(func(c *wsClient) { a = c.ack })
		return a
	}

	// One input, then silence: it fills its slot in time, then stands in
	// for the ones that do not come.
	c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: 1, Move: 8}))
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		return ack() >= 4, "the ack has not moved three past seq 1 on stand-ins"
	})
	// Seq 2 comes after three stand-ins filled slots from its own on, too
	// late to amend its slot: dropped, late.
	c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: 2, Move: 8}))
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		return st.Metric("skirmish_inputs_late_total") >= 1, "seq 2 not counted late"
	})
	// A burst of inputs ahead of their slots: the first fills its slot with
	// the rest waiting behind it, early.
	next := ack() + 1
	for i := range uint32(6) {
		c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: next + i, Move: 4}))
	}
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		return slots("3+") >= 1 && slots("0") >= 1, "no slot filled three or more ticks early, or none just in time"
	})
	// The last of the burst waited five ticks in the queue: its margin is
	// over 50 ms.
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		n := margins("") - margins("0.05")
		return n >= 1, fmt.Sprintf("%v input margins over 50 ms after a burst of six, want ≥ 1", n)
	})
	if n := slots("stood_in"); n < 2 {
		t.Errorf(`input_slots_total{lead="stood_in"} = %v after a silence, want ≥ 2`, n)
	}

	// A player a tick late: each input sent the moment a snapshot says a
	// stand-in took its slot, the one after the newest input (lead −1). It
	// comes before the next tick, and amends its slot.
	amended, late := st.Metric("skirmish_inputs_amended_total"), st.Metric("skirmish_inputs_late_total")
	behind := margins("0")
	c.view(func(c *wsClient) {
		c.onSnapshot = func(ack uint32, lead int32) {
			if lead == -1 {
				if err := c.conn.WriteMessage(gws.OpcodeBinary, pb.AppendInput(nil, pb.InputMsg{Seq: ack, Move: 2})); err != nil {
					t.Errorf("send: %v", err)
				}
			}
		}
	})
	// The player idles now, silent past the stand-ins: an input in time
	// for the next slot starts it again.
	c.send(t, pb.AppendInput(nil, pb.InputMsg{Seq: ack() + 1, Move: 2}))
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		n := st.Metric("skirmish_inputs_amended_total") - amended
		return n >= 30, fmt.Sprintf("%v inputs amended (%v dropped late), want 30", n, st.Metric("skirmish_inputs_late_total")-late)
	})
	// An amending input came after its slot was filled, by less than two
	// ticks: its margin is below 0, above −33 ms.
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		n := margins("0") - behind
		return n >= 30, fmt.Sprintf("%v input margins below 0 from 30 amends, want ≥ 30", n)
	})
	// Only a dropped input comes two ticks late or more.
	if far, dropped := margins("-0.033"), st.Metric("skirmish_inputs_late_total"); far > dropped {
		t.Errorf("%v input margins two ticks late or more, for %v inputs dropped late", far, dropped)
	}
	c.view(func(c *wsClient) { c.onSnapshot = nil })
	next = ack() + 1

	// The console's figures: the room's last second, published about once a
	// second, while the player sends an input every other tick, so that
	// every second has stand-ins among its slots.
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Second / 60)
		defer tick.Stop()
		for seq := next; ; seq++ {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			if err := c.conn.WriteMessage(gws.OpcodeBinary, pb.AppendInput(nil, pb.InputMsg{Seq: seq, Move: 4})); err != nil {
				t.Errorf("send: %v", err)
				return
			}
		}
	}()
	defer func() { close(quit); <-done }()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		rs := st.Server.RoomStats()
		if len(rs) != 1 {
			return false, "no single room"
		}
		r := rs[0]
		return r.InputSlots > 0 && r.StandIns > 0 && r.StandIns <= r.InputSlots,
			"room stats without stand-ins among its input slots"
	})
}
