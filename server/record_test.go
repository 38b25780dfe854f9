// record_test.go measures what recording costs a room's tick: whole ticks
// of 16 moving players with every match recorded into a ticklog.Dir,
// beside BenchmarkTick16 (bench_test.go) without. Run them alternating:
// go test ./server -run '^$' -bench 'Tick16' -count 6.

package server

import (
	"log/slog"
	"testing"

	"skirmish/ticklog"
)

func BenchmarkTick16Recorded(b *testing.B) {
	d, err := ticklog.Open(b.TempDir(), ticklog.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	benchTickWith(b, 16, 0, func(o *Options) {
		longMatches(o)
		o.Replays = d
	})
	if st := d.Stats(); st.Dropped != 0 {
		b.Fatalf("%d logs dropped", st.Dropped)
	}
}
