// predict_internal_test.go checks predict.go's shortcut against what it
// stands for: reconcile leaving a chained history as it is against the
// replay of every unacknowledged input.

package netcode

import (
	"math/rand/v2"
	"testing"
	"time"

	pb "skirmish/proto"
	"skirmish/sim"
)

// unchain makes p's next reconcile replay every input it holds, as
// reconcile did before it kept chained runs.
func unchain(p *predictor) {
	for i := range p.hist {
		p.hist[i].chained = false
	}
}

// TestReconcileSkipsOnlyWhatAReplayRepeats feeds two predictors the same
// inputs and snapshots (mostly agreeing with the prediction, some
// corrections, deaths and respawns, acks that jump, stall, go backwards or
// run past the inputs, a match that ends and restarts) and makes one of them
// replay everything: their players, histories, offsets and corrections
// stay the same.
func TestReconcileSkipsOnlyWhatAReplayRepeats(t *testing.T) {
	m, cfg := sim.DefaultMap(), sim.DefaultConfig()
	opts := Options{}.withDefaults()
	kept, replayed := newPredictor(m, &cfg, &opts), newPredictor(m, &cfg, &opts)
	rng := rand.New(rand.NewPCG(5, 6))
	now := time.Unix(0, 0)
	tick, ack := uint32(100), uint32(0)
	match := pb.MatchInfo{Number: 1, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: 1 << 20}
	alive := int32(1)
	x, y := m.Spawns[0].X, m.Spawns[0].Y
	var in sim.Input
	skipped := 0
	for i := range 20000 {
		now = now.Add(time.Second / 60)
		if rng.IntN(30) == 0 {
			in.Move = uint8(rng.IntN(16))
		}
		for range rng.IntN(3) {
			kept.input(in)
			replayed.input(in)
		}
		if rng.IntN(400) == 0 {
			for range historyLen + rng.IntN(8) { // a long wait for the server
				kept.input(in)
				replayed.input(in)
			}
		}
		tick++
		switch r := rng.IntN(100); {
		case r < 80 && ack < kept.seq:
			ack += uint32(1 + rng.IntN(int(kept.seq-ack)))
		case r < 83 && ack > 3:
			ack -= uint32(1 + rng.IntN(3)) // regressed
		case r < 86:
			ack = kept.seq + uint32(rng.IntN(8)) // stood in for inputs not made yet
		}
		switch r := rng.IntN(1000); {
		case r < 5:
			alive = 1 - alive
		case r < 8:
			match.Phase = pb.MatchPhase_MATCH_PHASE_INTERMISSION
		case r < 11:
			match.Phase = pb.MatchPhase_MATCH_PHASE_PLAYING
		case r < 13:
			match.EndTick = tick + uint32(rng.IntN(10))
		case r < 15:
			match.EndTick = 1 << 20
		}
		// The server has the player where the prediction had it after ack,
		// unless it corrects it.
		if e := &kept.hist[ack%historyLen]; e.seq == ack && kept.seq-ack < historyLen {
			x, y = e.x, e.y
		}
		if rng.IntN(50) == 0 {
			x += int32(rng.IntN(65) - 32)
		}
		sp := &pb.PlayerState{ID: 1, F: [pb.NumPlayerFields]int32{pb.FieldX: x, pb.FieldY: y, pb.FieldAlive: alive}}
		teleport := rng.IntN(200) == 0
		before, chained := kept.corrections, kept.seq > ack && kept.chained(ack+1)
		unchain(&replayed)
		ks := kept.reconcile(sp, ack, 0, tick, match, teleport, now)
		rs := replayed.reconcile(sp, ack, 0, tick, match, teleport, now)
		if chained && kept.corrections == before {
			skipped++
		}
		if ks != rs || kept.me != replayed.me || kept.off != replayed.off || kept.corrections != replayed.corrections ||
			kept.lastError != replayed.lastError {
			t.Fatalf("snapshot %d (ack %d, seq %d): kept %+v %+v, replayed %+v %+v", i, ack, kept.seq, kept.me, kept.off, replayed.me, replayed.off)
		}
		for s := range kept.hist {
			k, r := kept.hist[s], replayed.hist[s]
			if k.seq != r.seq || k.x != r.x || k.y != r.y {
				t.Fatalf("snapshot %d: history %d: kept %+v, replayed %+v", i, s, k, r)
			}
		}
	}
	if skipped < 1000 || kept.corrections < 100 {
		t.Errorf("%d snapshots kept a chained history, %d corrections: the run does not test both ways", skipped, kept.corrections)
	}
}
