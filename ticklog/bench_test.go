// bench_test.go measures what recording adds to a room's tick: the
// Recorder's Stepped after a Step of 16 players (the World's hash, the
// tick's changes into the chunk, a keyframe every KeyframeEvery ticks), and
// the hash alone.

package ticklog_test

import (
	"testing"

	"skirmish/sim"
	"skirmish/ticklog"
)

// recordedRoom is a room of 16 players in a match that does not end, its
// buffers grown.
func recordedRoom(b *testing.B) *room {
	d, _ := openDir(b, ticklog.Options{})
	r := newRoom(d, sim.Config{Seed: 2, MatchTicks: 1 << 30}, 3)
	for id := sim.PlayerID(1); id <= 16; id++ {
		r.join(b, id)
	}
	for range 1200 {
		r.step()
	}
	return r
}

// BenchmarkStepRecorded is a tick's inputs, Step and Stepped;
// BenchmarkStep the same without Stepped.
func BenchmarkStepRecorded(b *testing.B) {
	r := recordedRoom(b)
	b.ReportAllocs()
	for b.Loop() {
		r.step()
	}
}

func BenchmarkStep(b *testing.B) {
	r := recordedRoom(b)
	r.rec = nil
	b.ReportAllocs()
	for b.Loop() {
		r.step()
	}
}

func BenchmarkHash16(b *testing.B) {
	r := recordedRoom(b)
	for b.Loop() {
		_ = r.w.Hash()
	}
}

func BenchmarkDigest16(b *testing.B) {
	r := recordedRoom(b)
	for b.Loop() {
		_ = r.w.Digest()
	}
}
