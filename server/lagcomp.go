// lagcomp.go — lag compensation as the server sees it: what its game did
// with the shots' render lags (Game.Rewinds, game.go), read once a second
// from the room's tick loop (tick.go, through roomStats.flush in
// metrics.go) and added to the metrics: a histogram of the rewinds used
// and a counter of the claims clamped to the window. The render lag itself
// comes in on every firing Input (inbound.go), is brought within 255 by
// Game.Sanitize, and is judged by the sim (sim/lagcomp.go).

package server

import "skirmish/sim"

// Rewinds is what a game reports of lag compensation since it began.
type Rewinds struct {
	// Shots counts the shots by the rewind they were judged with: Shots[r]
	// were judged against the targets as they were r ticks before.
	Shots [sim.MaxLagCompTicks + 1]uint64
	// Clamped counts the shots whose render lag was beyond the window:
	// they were judged at its edge.
	Clamped uint64
}

// rewindBuckets are the histogram's bounds, in ticks: every tick up to the
// default window (12, 200 ms), then coarser up to the largest (60, 1 s).
var rewindBuckets = []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30, 45, 60}

// lagCompStats turns a game's running counts into metrics.
type lagCompStats struct {
	seen, now Rewinds
}

// flush adds what g counted since the last flush to m.
func (l *lagCompStats) flush(m *metrics, g Game) {
	g.Rewinds(&l.now)
	for r, n := range l.now.Shots {
		for range n - l.seen.Shots[r] {
			m.lagCompRewind.Observe(float64(r))
		}
	}
	m.lagCompClamped.Add(float64(l.now.Clamped - l.seen.Clamped))
	l.seen = l.now
}
