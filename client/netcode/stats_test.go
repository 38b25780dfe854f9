// stats_test.go covers stats.go: over a link of known latency, jitter and
// rates, Stats measures what the link is.

package netcode_test

import (
	"fmt"
	"testing"
	"time"

	"skirmish/client/netcode"
	"skirmish/sim"
)

func TestStats(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 8, bots: 5, downJitter: 12 * time.Millisecond})
	h.wish = func(seq uint32) sim.Input { return sim.Input{Move: sim.MoveLeft, Aim: uint16(seq % sim.AimSteps)} }
	h.run(10 * time.Second)
	st := h.cl.Stats()
	t.Logf("%+v", st)
	if st.RTT < 88*time.Millisecond || st.RTT > 112*time.Millisecond || st.SmoothedRTT < 88*time.Millisecond || st.SmoothedRTT > 112*time.Millisecond {
		t.Errorf("RTT %v, smoothed %v; the link has 100 ms ± 12 ms", st.RTT, st.SmoothedRTT)
	}
	if st.SnapshotsPerSec < 57 || st.SnapshotsPerSec > 63 || st.Snapshots < 590 || st.Snapshots > 600 {
		t.Errorf("%v snapshots a second, %d in all; the server sends 60 a second", st.SnapshotsPerSec, st.Snapshots)
	}
	// Every input frame is 8 to 11 bytes here, a ping about 8: 60 inputs
	// and a ping a second.
	if st.BytesOutPerSec < 60*8 || st.BytesOutPerSec > 61*11 {
		t.Errorf("%v bytes out a second", st.BytesOutPerSec)
	}
	if st.BytesInPerSec < 60*10 || st.BytesInPerSec > 60*200 {
		t.Errorf("%v bytes in a second", st.BytesInPerSec)
	}
	if st.ServerTick < 595 || st.Seq < 590 || st.Seq-st.Ack > 8 {
		t.Errorf("server tick %d, seq %d, ack %d", st.ServerTick, st.Seq, st.Ack)
	}
	if st.Interval < 15*time.Millisecond || st.Interval > 19*time.Millisecond || st.Jitter <= 0 || st.TargetDelay < netcode.DefaultInterpDelayMin {
		t.Errorf("interval %v, jitter %v, target delay %v", st.Interval, st.Jitter, st.TargetDelay)
	}
}

// TestStatsAtLowFrameRate: a game drawing 20 frames a second (or 12, each
// frame ± 30 ms) drains its socket once a frame, three snapshots at a
// time. Its round trip is the link's, not a frame more, when it hands the
// Client each frame's arrival time; and its interpolation delay is what a
// 60 fps game gets, whether it knows the arrival times or only the frame's
// (the snapshots one frame shows first count as one arrival).
func TestStatsAtLowFrameRate(t *testing.T) {
	run := func(o linkOptions) (netcode.Stats, *interpChecker) {
		o.seed, o.bots, o.downJitter = 8, 5, 4*time.Millisecond
		h := newHarness(t, o)
		c := newInterpChecker(t, h)
		h.run(20 * time.Second)
		return h.cl.Stats(), c
	}
	base, _ := run(linkOptions{})
	for _, o := range []linkOptions{
		{fps: 20, drainPerFrame: true},
		{fps: 20, drainPerFrame: true, stampAtDrain: true},
		{fps: 12, frameJitter: 30 * time.Millisecond, drainPerFrame: true},
	} {
		st, c := run(o)
		what := fmt.Sprintf("%d fps ± %v, arrivals stamped at the drain %v", o.fps, o.frameJitter, o.stampAtDrain)
		t.Logf("%s: RTT %v (60 fps: %v), interpolation delay %v–%v, target %v (60 fps: %v), jitter %v (%v); %d of %d frames held at the newest snapshot",
			what, st.SmoothedRTT, base.SmoothedRTT, c.minDelay, c.maxDelay, st.TargetDelay, base.TargetDelay, st.Jitter, base.Jitter, c.held, c.frames)
		if !o.stampAtDrain && (st.SmoothedRTT-base.SmoothedRTT).Abs() > 2*time.Millisecond {
			t.Errorf("%s: smoothed RTT %v, at 60 fps %v", what, st.SmoothedRTT, base.SmoothedRTT)
		}
		if st.TargetDelay > base.TargetDelay+tickDur/2 || c.maxDelay > base.TargetDelay+tickDur {
			t.Errorf("%s: interpolation delay up to %v, target %v; at 60 fps the target is %v", what, c.maxDelay, st.TargetDelay, base.TargetDelay)
		}
		if c.held > c.frames/20 {
			t.Errorf("%s: %d of %d frames held at the newest snapshot", what, c.held, c.frames)
		}
	}
}
