// timing_test.go — lateness is measured against the tick schedule without
// a clock shared with the server, and the gaps are what they were.

package bots

import (
	"testing"
	"time"
)

func TestTimingLatenessAgainstTheSchedule(t *testing.T) {
	const period = time.Second / 60
	tm := timing{period: period}
	start := 5 * time.Second // the room's tick 0, unknown to the bot
	arrive := func(tick uint32, late time.Duration) {
		tm.arrived(start+time.Duration(tick)*period+300*time.Microsecond+late, tick)
	}
	arrive(100, 20*time.Millisecond) // the Welcome, late: it sets no gap
	arrive(101, 2*time.Millisecond)  // earlier against the schedule: the new "on time"
	arrive(102, 0)
	arrive(103, 0)
	arrive(105, 0)                    // 104 was skipped
	arrive(106, 10*time.Millisecond)  // late
	arrive(107, 500*time.Microsecond) // a little late

	var gaps, late, rtt, input, hud, shot Histogram
	tm.roundTrip(700*time.Microsecond, 9*time.Millisecond)
	tm.ownShot(50 * time.Millisecond)
	tm.takeInto(&gaps, &late, &rtt, &input, &hud, &shot)
	if gaps.Count() != 6 || late.Count() != 6 || rtt.Count() != 1 || hud.Count() != 1 || shot.Count() != 1 {
		t.Fatalf("%d gaps, %d latenesses, %d round trips, %d HUD ones, %d shots; want 6, 6, 1, 1, 1", gaps.Count(), late.Count(), rtt.Count(), hud.Count(), shot.Count())
	}
	if rtt.Max() != 700*time.Microsecond || hud.Max() != 9*time.Millisecond || shot.Max() != 50*time.Millisecond {
		t.Errorf("round trip %v, HUD's %v, own shot %v; want 700µs, 9ms, 50ms", rtt.Max(), hud.Max(), shot.Max())
	}
	if got := late.Max(); got != 10*time.Millisecond {
		t.Errorf("largest lateness %v, want 10ms", got)
	}
	if got := late.Quantile(0.5); got >= time.Microsecond {
		t.Errorf("median lateness %v, want under 1µs: most arrived on time", got)
	}
	if got := gaps.Max(); got != 2*period {
		t.Errorf("largest gap %v, want two periods, across the skipped tick", got)
	}
	tm.takeInto(&gaps, &late, &rtt, &input, &hud, &shot)
	if gaps.Count() != 6 || shot.Count() != 1 {
		t.Error("samples were taken twice")
	}
}

func TestTimingKeepsBoundedSamples(t *testing.T) {
	tm := timing{period: time.Second / 60}
	for tick := range uint32(3 * maxSamples) {
		tm.arrived(time.Duration(tick+1)*tm.period, tick+1)
	}
	if len(tm.gaps) != maxSamples || len(tm.late) != maxSamples {
		t.Errorf("%d gaps, %d latenesses kept; want the cap, %d", len(tm.gaps), len(tm.late), maxSamples)
	}
}

// TestTimingInputDelay: an input's delay runs from when it was made to the
// first snapshot acknowledging it; an input never made, or acked longer
// ago than the ring remembers, is not measured.
func TestTimingInputDelay(t *testing.T) {
	tm := timing{period: time.Second / 60}
	tm.made(1, 1*time.Second)
	tm.made(2, 1*time.Second+tm.period)
	tm.acked(2, 1*time.Second+tm.period+30*time.Millisecond)
	tm.made(3, 2*time.Second)
	tm.acked(3, 2*time.Second+inputRing*tm.period) // older than the ring: its slot may hold another input
	tm.acked(4, 10*time.Second)                    // never made
	var gaps, late, rtt, input, hud, shot Histogram
	tm.takeInto(&gaps, &late, &rtt, &input, &hud, &shot)
	if input.Count() != 1 || input.Max() != 30*time.Millisecond {
		t.Errorf("%d input delays, largest %v; want 1, 30ms", input.Count(), input.Max())
	}
}
