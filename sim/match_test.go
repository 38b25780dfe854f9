// Tests of match.go: match end on time and on score, the winner, the next match.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

func TestMatchEndsOnTime(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap(), MatchTicks: 100, IntermissionTicks: 30}, 1, 2)
	place(w, 1, px(640), px(480), 0)
	kill(t, w, 1, 2) // 1 wins on kills
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	for w.Tick < 99 {
		w.Step(nil)
		if w.Match.Phase != sim.PhasePlaying {
			t.Fatalf("match ended early at tick %d", w.Tick)
		}
	}
	w.Step(nil)
	want := sim.Match{Number: 1, Phase: sim.PhaseIntermission, EndTick: 130}
	if w.Match != want || countEvents(w, sim.EventMatchEnd, 1, 0) != 1 {
		t.Fatalf("tick %d: match %+v, events %+v; want %+v and player 1 winning", w.Tick, w.Match, w.Events, want)
	}
	if len(w.Projectiles) != 0 {
		t.Fatalf("projectiles survived the match end: %+v", w.Projectiles)
	}

	// Intermission: nobody moves or fires.
	x := w.Player(1).X
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveLeft, Buttons: sim.ButtonFire}}})
	if w.Player(1).X != x || len(w.Projectiles) != 0 {
		t.Fatal("a player moved or fired during the intermission")
	}
	for w.Tick < 129 {
		w.Step(nil)
	}
	w.Step(nil)
	if want := (sim.Match{Number: 2, Phase: sim.PhasePlaying, EndTick: 230}); w.Match != want {
		t.Fatalf("tick %d: match %+v; want %+v", w.Tick, w.Match, want)
	}
	if countEvents(w, sim.EventMatchStart, 0, 0) != 1 || countEvents(w, sim.EventSpawn, 0, 0) != 2 {
		t.Fatalf("match start events %+v", w.Events)
	}
	for _, p := range w.Players {
		if p.Kills != 0 || p.Deaths != 0 || !p.Alive || p.Health != w.Config().MaxHealth || !isSpawn(w.Config().Map, p.X, p.Y) {
			t.Fatalf("player not reset for the new match: %+v", p)
		}
	}
	if a, b := w.Players[0], w.Players[1]; a.X == b.X && a.Y == b.Y {
		t.Fatal("both players respawned on the same point")
	}
	x = w.Player(1).X
	w.Step(nil) // held Move: left
	if w.Player(1).X >= x {
		t.Fatal("players cannot move in the new match")
	}
}

func TestMatchEndsOnScoreLimit(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap(), ScoreLimit: 2, RespawnTicks: 1}, 1, 2)
	place(w, 1, px(640), px(480), 0)
	kill(t, w, 1, 2)
	w.Step(nil) // victim respawns
	if w.Match.Phase != sim.PhasePlaying {
		t.Fatal("match ended below the score limit")
	}
	kill(t, w, 1, 2)
	if w.Match.Phase != sim.PhaseIntermission || countEvents(w, sim.EventMatchEnd, 1, 0) != 1 {
		t.Fatalf("tick %d: match %+v, events %+v; want it ended, won by 1", w.Tick, w.Match, w.Events)
	}
}

func TestWinner(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores [][2]int32 // kills, deaths of players 1, 2, 3
		want   sim.PlayerID
	}{
		{"most kills", [][2]int32{{1, 0}, {3, 5}, {2, 0}}, 2},
		{"tie on kills, fewest deaths", [][2]int32{{3, 4}, {3, 2}, {1, 0}}, 2},
		{"full tie, lowest ID", [][2]int32{{1, 1}, {2, 1}, {2, 1}}, 2},
		{"no kills, no winner", [][2]int32{{0, 0}, {0, 3}, {0, 1}}, 0},
	} {
		w := newWorld(t, sim.Config{Map: openMap(), MatchTicks: 1}, 1, 2, 3)
		for i, s := range tc.scores {
			w.Players[i].Kills, w.Players[i].Deaths = s[0], s[1]
		}
		w.Step(nil)
		if n := countEvents(w, sim.EventMatchEnd, 0, 0); n != 1 {
			t.Fatalf("%s: %d match end events", tc.name, n)
		}
		for _, e := range w.Events {
			if e.Kind == sim.EventMatchEnd && e.A != tc.want {
				t.Errorf("%s: winner %d; want %d", tc.name, e.A, tc.want)
			}
		}
	}
}
