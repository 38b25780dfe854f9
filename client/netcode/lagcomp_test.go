// lagcomp_test.go covers the render lag a firing input carries (client.go's
// Input, rewind.go) over the test link: the tick the server applies the
// input drawn as the present in the last frame before the shot, minus the
// render lag, is the tick that frame drew the others at, so the server
// rewinds to the picture the shot flies in.

package netcode_test

import (
	"math"
	"testing"
	"time"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

func TestRenderLagPointsAtTheTickOnScreen(t *testing.T) {
	for _, fps := range []int{60, 20} {
		h := newHarness(t, linkOptions{seed: 3, bots: 3, fps: fps, downJitter: 8 * time.Millisecond})
		// Fire every 15 inputs (an update's inputs share its wish: at 20 fps
		// three fire together, and the first is checked); remember the render
		// tick of the last frame drawn before it was made.
		renderAt, drawn := map[uint32]float64{}, map[uint32]float64{}
		nextFire := uint32(15)
		h.wish = func(seq uint32) sim.Input {
			if seq < nextFire {
				return sim.Input{}
			}
			drawn[seq] = h.view.RenderTick
			return sim.Input{Buttons: sim.ButtonFire}
		}
		// What the inputs of each frame claimed, read off the uplink.
		lags := map[uint32]uint32{}
		h.afterFrame = func(*netcode.View) {
			if n := len(h.up.queue); n > 0 {
				for _, f := range h.up.queue[n-1].frames {
					var m pb.ClientMsg
					if err := pb.DecodeClientMessage(f, &m); err != nil {
						t.Fatal(err)
					}
					ins := m.Inputs[:m.NInputs]
					if m.Kind == pb.ClientInput {
						ins = []pb.InputMsg{m.Input}
					}
					if len(ins) == 0 {
						continue // a Ping
					}
					if r, ok := drawn[ins[0].Seq]; ok && ins[0].Buttons != 0 {
						renderAt[ins[0].Seq] = r
						nextFire = ins[0].Seq + 15
					}
					for _, in := range ins {
						if in.Buttons&uint32(sim.ButtonFire) != 0 {
							lags[in.Seq] = in.RenderLag
						} else if in.RenderLag != 0 {
							t.Fatalf("input %d does not fire and claims a render lag of %d", in.Seq, in.RenderLag)
						}
					}
				}
			}
		}
		// The tick the server applied each input in.
		appliedAt := map[uint32]int32{}
		h.srv.afterStep = func(w *sim.World) {
			if _, ok := appliedAt[h.srv.seat.ack()]; !ok {
				appliedAt[h.srv.seat.ack()] = w.Tick
			}
		}
		h.run(10 * time.Second)

		checked := 0
		var lo, hi uint32 = math.MaxUint32, 0
		for seq, r := range renderAt {
			lag, sent := lags[seq]
			tick, applied := appliedAt[seq-1] // the present of the frame drawn before it
			if !sent || !applied || r == 0 {
				continue // the last ones, still in flight; or before the first frame
			}
			checked++
			lo, hi = min(lo, lag), max(hi, lag)
			// The frame before the shot drew the present (the input before it,
			// applied at tick) beside the others at r; the server judges the shot
			// against the others lag ticks before each tick of its flight: they
			// agree to the rounding of r.
			if seen := float64(tick) - float64(lag); math.Abs(seen-r) > 0.5+1e-9 {
				t.Errorf("%d fps: input %d's render lag %d, from the present applied at tick %d, points at tick %v; drawn at %.2f",
					fps, seq, lag, tick, seen, r)
			}
		}
		t.Logf("%d fps, 50 ms each way: %d shots, render lags %d to %d ticks", fps, checked, lo, hi)
		if checked < 30 {
			t.Fatalf("%d fps: only %d shots checked", fps, checked)
		}
		// 50 ms up, 50 ms down, and the interpolation delay: within the server's
		// default window (12 ticks) at 60 fps and at 20 fps, where the Client sees
		// snapshots 50 ms apart but the picture, and so the lag, is a frame's.
		want := [2]uint32{6, 12}
		if lo < want[0] || hi > want[1] {
			t.Errorf("%d fps: render lags from %d to %d ticks over a 100 ms round trip; want %d to %d", fps, lo, hi, want[0], want[1])
		}
		if s := h.srv.seat; s.standIns+s.dropped+s.idle != 0 {
			t.Errorf("%d fps: the uplink starved the server (%d stand-ins, %d dropped, %d idle): the ticks are not the predicted ones",
				fps, s.standIns, s.dropped, s.idle)
		}
	}
}
