// live_test.go covers live.go from inside: the quantiles of a second's
// tick durations, and a room's publication, which runs on the room's
// goroutine once a second and must allocate nothing. operate_test.go
// reads the published figures over real sockets.

package server

import (
	"testing"
	"time"

	pb "skirmish/proto"
)

func TestTickTimesQuantiles(t *testing.T) {
	tt := newTickTimes(120)
	if p50, p99 := tt.quantiles(); p50 != 0 || p99 != 0 {
		t.Errorf("no ticks: %v, %v; want 0, 0", p50, p99)
	}
	for i := 100; i >= 1; i-- {
		tt.add(time.Duration(i) * time.Millisecond)
	}
	if p50, p99 := tt.quantiles(); p50 != 51*time.Millisecond && p50 != 50*time.Millisecond || p99 != 99*time.Millisecond {
		t.Errorf("1..100 ms: p50 %v, p99 %v; want 50 or 51 ms, 99 ms", p50, p99)
	}
	// Past its size the ring keeps the latest: 200 ticks of 1 ms, then
	// 120 of 7 ms.
	for range 200 {
		tt.add(time.Millisecond)
	}
	for range 120 {
		tt.add(7 * time.Millisecond)
	}
	if p50, p99 := tt.quantiles(); p50 != 7*time.Millisecond || p99 != 7*time.Millisecond {
		t.Errorf("the latest 120 at 7 ms: p50 %v, p99 %v; want 7 ms", p50, p99)
	}
}

func TestPublishDoesNotAllocate(t *testing.T) {
	m := newMovingRoom(t, 16, longMatches)
	for range 60 {
		m.tick()
		m.r.durations.add(time.Millisecond)
	}
	m.r.publish(roomStats{bytes: 5000, skipped: 3, merged: 2})
	l := &m.r.live
	if l.players.Load() != 16 || phaseName(pb.MatchPhase(l.phase.Load())) != "playing" || l.ticksLeft.Load() <= 0 ||
		l.p99.Load() != int64(time.Millisecond) || l.bytesOut.Load() != 5000 || l.skippedTotal.Load() != 3 || l.mergedTotal.Load() != 2 {
		t.Errorf("published players %d, phase %d, ticks left %d, p99 %d, bytes %d, skipped %d, merged %d",
			l.players.Load(), l.phase.Load(), l.ticksLeft.Load(), l.p99.Load(), l.bytesOut.Load(), l.skippedTotal.Load(), l.mergedTotal.Load())
	}
	if n := testing.AllocsPerRun(100, func() {
		for range 60 {
			m.r.durations.add(time.Millisecond)
		}
		m.r.publish(roomStats{bytes: 1})
	}); n != 0 {
		t.Errorf("%v allocations per publication; want 0", n)
	}
}
