// stats_test.go covers stats.go: over a link of known latency, jitter and
// rates, Stats measures what the link is.

package netcode_test

import (
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
