// rating.go — skill: a Glicko-2 rating per player, updated from the
// results of each match the game server reports (ledger.go), and read by
// the matcher (match.go) to seat players with players of like skill.
//
// Why Glicko-2 and not Elo: a guest's first matches should move their
// rating a lot and later ones less. Elo needs a hand-tuned K factor (and
// usually a second one for newcomers) for that; Glicko-2 carries the
// uncertainty itself (RD starts at 350 and shrinks with every match), and
// its volatility follows players whose results swing. An arena match is
// free-for-all, which neither system rates directly; we rate it as the
// round-robin it implies: each player beat everyone ranked below them (by
// kills, then fewer deaths), drew with equals and lost to the rest, all in
// one rating period. A full room gives each player 15 results per match,
// about the period size Glickman recommends.

package lobby

import (
	"cmp"
	"math"
	"slices"

	"skirmish/ticket"
)

const (
	glickoStart     = 1500.0   // rating of a new player
	glickoStartRD   = 350.0    // rating deviation of a new player, also the cap
	glickoStartVol  = 0.06     // volatility of a new player
	glickoTau       = 0.5      // how much volatility may change per period
	glickoScale     = 173.7178 // Glicko scale ↔ Glicko-2 scale
	glickoTolerance = 1e-6     // convergence of the volatility iteration
)

// newRating is the rating of a player never rated.
func newRating() Rating {
	return Rating{R: glickoStart, RD: glickoStartRD, Vol: glickoStartVol}
}

// rateMatch returns everyone's rating after the match: old holds the
// ratings before it (players missing from it are new).
func rateMatch(results []ticket.MatchResult, old map[uint64]Rating) map[uint64]Rating {
	ranked := slices.Clone(results)
	slices.SortFunc(ranked, compareResults)
	before := make([]Rating, len(ranked))
	for i, r := range ranked {
		rt, ok := old[r.PlayerID]
		if !ok {
			rt = newRating()
		}
		before[i] = rt
	}
	out := make(map[uint64]Rating, len(ranked))
	opps := make([]Rating, 0, len(ranked))
	scores := make([]float64, 0, len(ranked))
	for i, r := range ranked {
		opps, scores = opps[:0], scores[:0]
		for j, o := range ranked {
			if i == j {
				continue
			}
			opps = append(opps, before[j])
			switch c := compareResults(r, o); {
			case c < 0:
				scores = append(scores, 1)
			case c == 0:
				scores = append(scores, 0.5)
			default:
				scores = append(scores, 0)
			}
		}
		out[r.PlayerID] = glicko2(before[i], opps, scores)
	}
	return out
}

// compareResults orders results best first: more kills, then fewer deaths.
func compareResults(a, b ticket.MatchResult) int {
	if c := cmp.Compare(b.Kills, a.Kills); c != 0 {
		return c
	}
	return cmp.Compare(a.Deaths, b.Deaths)
}

// glicko2 is one rating period of Glickman's Glicko-2 for player p, who
// scored scores[i] (1 win, 0.5 draw, 0 loss) against opps[i]. With no
// games, only the deviation grows.
func glicko2(p Rating, opps []Rating, scores []float64) Rating {
	mu, phi := (p.R-glickoStart)/glickoScale, p.RD/glickoScale
	if len(opps) == 0 {
		return Rating{R: p.R, RD: min(math.Sqrt(phi*phi+p.Vol*p.Vol)*glickoScale, glickoStartRD), Vol: p.Vol}
	}
	var vInv, sum float64
	for i, o := range opps {
		muJ, phiJ := (o.R-glickoStart)/glickoScale, o.RD/glickoScale
		g := 1 / math.Sqrt(1+3*phiJ*phiJ/(math.Pi*math.Pi))
		e := 1 / (1 + math.Exp(-g*(mu-muJ)))
		vInv += g * g * e * (1 - e)
		sum += g * (scores[i] - e)
	}
	v := 1 / vInv
	delta := v * sum
	vol := newVolatility(phi, v, delta, p.Vol)
	phiStar := math.Sqrt(phi*phi + vol*vol)
	phiNew := 1 / math.Sqrt(1/(phiStar*phiStar)+1/v)
	muNew := mu + phiNew*phiNew*sum
	return Rating{R: muNew*glickoScale + glickoStart, RD: min(phiNew*glickoScale, glickoStartRD), Vol: vol}
}

// newVolatility solves for the new volatility with the Illinois algorithm,
// step 5 of Glickman's "Example of the Glicko-2 system".
func newVolatility(phi, v, delta, vol float64) float64 {
	a := math.Log(vol * vol)
	f := func(x float64) float64 {
		ex := math.Exp(x)
		d := phi*phi + v + ex
		return ex*(delta*delta-phi*phi-v-ex)/(2*d*d) - (x-a)/(glickoTau*glickoTau)
	}
	A := a
	var B float64
	if delta*delta > phi*phi+v {
		B = math.Log(delta*delta - phi*phi - v)
	} else {
		k := 1.0
		for f(a-k*glickoTau) < 0 {
			k++
		}
		B = a - k*glickoTau
	}
	fA, fB := f(A), f(B)
	for math.Abs(B-A) > glickoTolerance {
		C := A + (A-B)*fA/(fB-fA)
		fC := f(C)
		if fC*fB <= 0 {
			A, fA = B, fB
		} else {
			fA /= 2
		}
		B, fB = C, fC
	}
	return math.Exp(A / 2)
}
