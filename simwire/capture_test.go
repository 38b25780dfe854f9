// capture_test.go covers capture.go: every replicated field of a World
// lands in the State it captures, the events come with the tick and the
// wire's kinds, Capture reuses its buffers, and the enum mappings.

package simwire_test

import (
	"testing"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// fightingWorld is a short match of two players facing each other
// across an empty arena.
func fightingWorld(t *testing.T) *sim.World {
	t.Helper()
	px := func(v int32) int32 { return v * sim.UnitsPerPixel }
	arena := &sim.Map{Width: px(800), Height: px(200), Spawns: []sim.Point{{X: px(100), Y: px(100)}, {X: px(700), Y: px(100)}}}
	w := sim.New(sim.Config{Seed: 3, Map: arena, MatchTicks: 240})
	for id := sim.PlayerID(1); id <= 2; id++ {
		if err := w.AddPlayer(id); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// fightingInputs has each player stand and fire at the other.
func fightingInputs(w *sim.World) []sim.PlayerInput {
	in := make([]sim.PlayerInput, 0, 2)
	for i, p := range w.Players {
		other := w.Players[1-i]
		aim := uint16(0) // east
		if other.X < p.X {
			aim = sim.AimSteps / 2
		}
		in = append(in, sim.PlayerInput{ID: p.ID, Input: sim.Input{Aim: aim, Buttons: sim.ButtonFire}})
	}
	return in
}

func TestCapture(t *testing.T) {
	w := fightingWorld(t)
	var s pb.State
	var events []pb.EventInfo
	seen := map[pb.EventKind]int{}
	phases := map[pb.MatchPhase]bool{}
	for w.Tick < 300 {
		w.Step(fightingInputs(w))
		events = simwire.Capture(w, &s, events[:0])

		if s.Tick != uint32(w.Tick) || s.Match.Number != uint32(w.Match.Number) || s.Match.EndTick != uint32(w.Match.EndTick) ||
			s.Match.Phase != simwire.MatchPhase(w.Match.Phase) {
			t.Fatalf("tick %d: state tick %d match %+v, world match %+v", w.Tick, s.Tick, s.Match, w.Match)
		}
		phases[s.Match.Phase] = true
		if len(s.Players) != len(w.Players) || len(s.Shots) != len(w.Projectiles) {
			t.Fatalf("tick %d: %d players and %d shots captured of %d and %d", w.Tick, len(s.Players), len(s.Shots), len(w.Players), len(w.Projectiles))
		}
		for i, p := range w.Players {
			got := s.Players[i]
			alive := int32(0)
			if p.Alive {
				alive = 1
			}
			want := [pb.NumPlayerFields]int32{pb.FieldX: p.X, pb.FieldY: p.Y, pb.FieldAim: int32(p.Aim), pb.FieldHealth: p.Health,
				pb.FieldAlive: alive, pb.FieldKills: p.Kills, pb.FieldDeaths: p.Deaths}
			if got.ID != uint32(p.ID) || got.F != want || got.Name != "" || got.Serial != 0 {
				t.Fatalf("tick %d: player %+v captured as %+v", w.Tick, p, got)
			}
		}
		for i, pr := range w.Projectiles {
			want := pb.ShotState{ID: pr.ID, Owner: uint32(pr.Owner), X: pr.X, Y: pr.Y, VX: pr.VX, VY: pr.VY}
			if s.Shots[i] != want {
				t.Fatalf("tick %d: projectile %+v captured as %+v", w.Tick, pr, s.Shots[i])
			}
		}
		if len(events) != len(w.Events) {
			t.Fatalf("tick %d: %d events captured of %d", w.Tick, len(events), len(w.Events))
		}
		for i, ev := range w.Events {
			want := pb.EventInfo{Tick: uint32(w.Tick), Kind: simwire.EventKind(ev.Kind), A: uint32(ev.A), B: uint32(ev.B), Value: ev.Value}
			if events[i] != want {
				t.Fatalf("tick %d: event %+v captured as %+v", w.Tick, ev, events[i])
			}
			seen[events[i].Kind]++
		}
	}
	for _, k := range []pb.EventKind{pb.EventKind_EVENT_KIND_HIT, pb.EventKind_EVENT_KIND_KILL, pb.EventKind_EVENT_KIND_SPAWN,
		pb.EventKind_EVENT_KIND_MATCH_END, pb.EventKind_EVENT_KIND_MATCH_START} {
		if seen[k] == 0 {
			t.Errorf("no %v event in the run: it tested too little (%v)", k, seen)
		}
	}
	if !phases[pb.MatchPhase_MATCH_PHASE_PLAYING] || !phases[pb.MatchPhase_MATCH_PHASE_INTERMISSION] {
		t.Errorf("phases seen %v: want both", phases)
	}

	// Appending keeps what events held.
	events = simwire.Capture(w, &s, []pb.EventInfo{{Tick: 1}})
	if len(events) != 1+len(w.Events) || events[0].Tick != 1 {
		t.Errorf("Capture did not append: %+v", events)
	}
}

func TestCaptureAllocatesNothing(t *testing.T) {
	w := fightingWorld(t)
	var s pb.State
	events := make([]pb.EventInfo, 0, 256)
	for w.Tick < 60 {
		w.Step(fightingInputs(w))
		events = simwire.Capture(w, &s, events[:0])
	}
	allocs := testing.AllocsPerRun(20, func() { events = simwire.Capture(w, &s, events[:0]) })
	if allocs != 0 {
		t.Errorf("Capture allocates %v times once its buffers have grown", allocs)
	}
}

func TestEnumMappings(t *testing.T) {
	for k, want := range map[sim.EventKind]pb.EventKind{
		sim.EventHit:        pb.EventKind_EVENT_KIND_HIT,
		sim.EventKill:       pb.EventKind_EVENT_KIND_KILL,
		sim.EventSpawn:      pb.EventKind_EVENT_KIND_SPAWN,
		sim.EventMatchEnd:   pb.EventKind_EVENT_KIND_MATCH_END,
		sim.EventMatchStart: pb.EventKind_EVENT_KIND_MATCH_START,
		0:                   pb.EventKind_EVENT_KIND_UNSPECIFIED,
		200:                 pb.EventKind_EVENT_KIND_UNSPECIFIED, // one the wire does not know
	} {
		if got := simwire.EventKind(k); got != want {
			t.Errorf("sim event kind %d is %v on the wire, want %v", k, got, want)
		}
	}
	if got := simwire.MatchPhase(sim.PhasePlaying); got != pb.MatchPhase_MATCH_PHASE_PLAYING {
		t.Errorf("playing is %v", got)
	}
	if got := simwire.MatchPhase(sim.PhaseIntermission); got != pb.MatchPhase_MATCH_PHASE_INTERMISSION {
		t.Errorf("intermission is %v", got)
	}
}
