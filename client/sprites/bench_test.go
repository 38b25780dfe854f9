package sprites_test

import (
	"testing"

	"skirmish/client/sprites"
)

// BenchmarkAppendWorld16: a frame's batch for a full room of 16 with 64
// shots in flight.
func BenchmarkAppendWorld16(b *testing.B) {
	v := view(16)
	var batch sprites.Batch
	b.ReportAllocs()
	for b.Loop() {
		batch.Reset()
		sprites.AppendWorld(&batch, v)
	}
}
