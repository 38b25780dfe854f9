// bench_test.go measures one tick of the client's steady state (Handle,
// Input with its own shots predicted, Advance, View, Events) in a
// 16-player room, and checks that it allocates nothing.

package netcode_test

import (
	"slices"
	"testing"
	"time"

	"skirmish/client/netcode"
	"skirmish/sim"
	"skirmish/simwire"
)

// benchLag is the ticks from an input's Input call to the server tick
// that applies it: a 100 ms round trip.
const benchLag = 6

// benchWish is the local player's input numbered seq in the benchmark: a
// new direction every 40 ticks, the aim turning, firing half the time.
func benchWish(seq uint32) sim.Input {
	return sim.Input{
		Move:    eightWays[seq/40%uint32(len(eightWays))],
		Aim:     uint16(seq * 9 % sim.AimSteps),
		Buttons: uint8(seq / 30 % 2),
	}
}

// benchFrames runs a room of the local player and 15 firing bots for n
// ticks, the local player's inputs reaching the server benchLag ticks
// after they are made, and returns the frame sent to the local player at
// every tick: the Welcome first.
func benchFrames(tb testing.TB, n int) [][]byte {
	srv := newTestServer(tb, 11, 15, true)
	frames := make([][]byte, 0, n)
	for tick := 1; tick <= n; tick++ {
		if seq := tick - benchLag; seq >= 1 {
			srv.arrive(simwire.InputMsg(uint32(seq), benchWish(uint32(seq))))
		}
		frames = append(frames, slices.Clone(srv.step()))
	}
	return frames
}

// benchTick is tick i of the client: the frame of tick i arrives, the
// input numbered i goes out, the client advances, the view is drawn and
// the events collected.
func benchTick(tb testing.TB, c *netcode.Client, frames [][]byte, i int, v *netcode.View) {
	now := t0.Add(time.Duration(i) * tickDur)
	if err := c.Handle(frames[i], now); err != nil {
		tb.Fatal(err)
	}
	c.Input(benchWish(uint32(i)), now)
	drawFrame(c, now, v)
	c.Events()
}

// startBench returns a client that took frames[0] (the Welcome) and ran
// warm ticks.
func startBench(tb testing.TB, frames [][]byte, warm int, v *netcode.View) *netcode.Client {
	c := netcode.New(netcode.Options{})
	if err := c.Handle(frames[0], t0); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i < warm; i++ {
		benchTick(tb, c, frames, i, v)
	}
	return c
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	frames := benchFrames(t, 500)
	var v netcode.View
	c := startBench(t, frames, 300, &v)
	i := 300
	own := 0
	allocs := testing.AllocsPerRun(150, func() {
		benchTick(t, c, frames, i, &v)
		i++
		for _, s := range v.Shots {
			if s.Own {
				own++
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per tick in steady state, want 0", allocs)
	}
	if len(v.Players) != 16 || len(v.Shots) == 0 || own == 0 {
		t.Errorf("the view has %d players and %d shots; %d own shots drawn in all", len(v.Players), len(v.Shots), own)
	}
}

// BenchmarkClient is one tick of a client in a 16-player room: Handle a
// snapshot, Input, Frame, Events. The room is replayed from recorded
// frames; a new client takes over, off the clock, when they run out.
func BenchmarkClient(b *testing.B) {
	const warm = 300
	frames := benchFrames(b, 3600)
	var v netcode.View
	var c *netcode.Client
	i := len(frames)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if i == len(frames) {
			b.StopTimer()
			c, i = startBench(b, frames, warm, &v), warm
			b.StartTimer()
		}
		benchTick(b, c, frames, i, &v)
		i++
	}
	b.StopTimer()
	st := c.Stats()
	b.ReportMetric(float64(st.Corrections), "corrections")
	b.ReportMetric(float64(st.OwnShots), "own_shots")
	b.ReportMetric(float64(st.BytesInPerSec), "bytes_in/s")
}
