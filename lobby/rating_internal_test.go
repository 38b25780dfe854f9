// rating_internal_test.go — Glicko-2 (rating.go) against the worked
// example in Glickman's "Example of the Glicko-2 system", and a match's
// round-robin reading.

package lobby

import (
	"math"
	"testing"

	"skirmish/ticket"
)

func TestGlicko2WorkedExample(t *testing.T) {
	p := Rating{R: 1500, RD: 200, Vol: 0.06}
	got := glicko2(p, []Rating{{R: 1400, RD: 30}, {R: 1550, RD: 100}, {R: 1700, RD: 300}}, []float64{1, 0, 0})
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"rating", got.R, 1464.06, 0.01},
		{"deviation", got.RD, 151.52, 0.01},
		{"volatility", got.Vol, 0.05999, 0.00001},
	} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s %.5f; want %.5f (Glickman's example)", c.name, c.got, c.want)
		}
	}
	if idle := glicko2(p, nil, nil); idle.R != p.R || idle.RD <= p.RD || idle.RD > glickoStartRD {
		t.Errorf("a period without games: %+v; want the same rating, a wider deviation", idle)
	}
}

func TestRateMatchIsARoundRobin(t *testing.T) {
	results := []ticket.MatchResult{
		{PlayerID: 3, Kills: 0, Deaths: 5},
		{PlayerID: 1, Kills: 5, Deaths: 0},
		{PlayerID: 2, Kills: 2, Deaths: 2},
		{PlayerID: 4, Kills: 2, Deaths: 2}, // ties with 2
	}
	old := map[uint64]Rating{1: {R: 1500, RD: 200, Vol: 0.06}} // the others are new
	got := rateMatch(results, old)
	if len(got) != 4 {
		t.Fatalf("rated %d players; want 4", len(got))
	}
	if !(got[1].R > got[2].R && got[2].R > got[3].R) {
		t.Errorf("ratings %v; want best first: 1, then 2, then 3", got)
	}
	if math.Abs(got[2].R-got[4].R) > 1e-9 || got[2].RD != got[4].RD {
		t.Errorf("equal results rated apart: %+v, %+v", got[2], got[4])
	}
	// The new players, less certain, move further than the rated one.
	if got[1].R-1500 >= 1500-got[3].R {
		t.Errorf("winner (RD 200) moved %.1f, loser (RD 350) %.1f; want the new player to move more", got[1].R-1500, 1500-got[3].R)
	}
	// Fewer deaths break a tie in kills.
	if compareResults(ticket.MatchResult{Kills: 3, Deaths: 1}, ticket.MatchResult{Kills: 3, Deaths: 2}) >= 0 {
		t.Error("3/1 does not rank above 3/2")
	}
}
