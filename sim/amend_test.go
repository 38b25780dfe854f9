// Tests of amend.go: an amended Step is the Step the input would have made, and Amend
// refuses where it cannot know where the player was.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

func TestAmendIsTheStepTheInputWouldHaveMade(t *testing.T) {
	held := sim.Input{Move: sim.MoveRight, Aim: 100}
	late := sim.Input{Move: sim.MoveUp | sim.MoveLeft, Aim: 300, Buttons: sim.ButtonFire, RenderLag: 3}
	next := sim.Input{Move: sim.MoveDown, Aim: 310}
	// A wall to the left of player 1, so that the amended move slides along it.
	wall := sim.Rect{MinX: px(580), MinY: px(300), MaxX: px(590), MaxY: px(700)}
	start := func() *sim.World {
		w := newWorld(t, sim.Config{Map: openMap(wall)}, 1, 2)
		place(w, 1, px(600), px(480), 0)
		place(w, 2, px(900), px(480), 0)
		w.Step([]sim.PlayerInput{{ID: 1, Input: held}, {ID: 2, Input: held}})
		return w
	}
	// In time: the Step has the input.
	inTime := start()
	inTime.Step([]sim.PlayerInput{{ID: 1, Input: late}, {ID: 2, Input: held}})
	// Late: the Step holds the input before, then Amend redoes it.
	amended := start()
	amended.Step([]sim.PlayerInput{{ID: 1, Input: held}, {ID: 2, Input: held}})
	if amended.Hash() == inTime.Hash() {
		t.Fatal("the stand-in made the Step the late input made: the test shows nothing")
	}
	if !amended.Amend(1, late) {
		t.Fatal("Amend refused a live player in play")
	}
	if len(amended.Projectiles) != 1 || len(inTime.Projectiles) != 1 {
		t.Fatalf("%d shots amended, %d in time; want the late input's one", len(amended.Projectiles), len(inTime.Projectiles))
	}
	for step := range 3 {
		if a, b := amended.Hash(), inTime.Hash(); a != b {
			t.Fatalf("%d Steps after the amendment: hash %016x amended, %016x in time", step, a, b)
		}
		for _, w := range []*sim.World{amended, inTime} {
			w.Step([]sim.PlayerInput{{ID: 1, Input: next}, {ID: 2, Input: held}})
		}
	}
}

func TestAmendRefuses(t *testing.T) {
	in := sim.Input{Move: sim.MoveUp}
	step := func(w *sim.World) { w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight}}}) }
	cases := map[string]func() (*sim.World, sim.PlayerID){
		"unknown player": func() (*sim.World, sim.PlayerID) {
			w := newWorld(t, sim.Config{Map: openMap()}, 1)
			step(w)
			step(w)
			return w, 2
		},
		"no Step before": func() (*sim.World, sim.PlayerID) {
			w := newWorld(t, sim.Config{Map: openMap()}, 1)
			step(w)
			return w, 1
		},
		"lag compensation off": func() (*sim.World, sim.PlayerID) {
			w := newWorld(t, sim.Config{Map: openMap(), LagCompTicks: -1}, 1)
			step(w)
			step(w)
			return w, 1
		},
		"a window of one tick": func() (*sim.World, sim.PlayerID) {
			w := newWorld(t, sim.Config{Map: openMap(), LagCompTicks: 1}, 1)
			step(w)
			step(w)
			return w, 1
		},
		"dead": func() (*sim.World, sim.PlayerID) {
			w := newWorld(t, sim.Config{Map: openMap()}, 1, 2)
			place(w, 1, px(600), px(480), 0)
			step(w)
			kill(t, w, 1, 2)
			return w, 2
		},
		"spawned in the last Step": func() (*sim.World, sim.PlayerID) {
			w := newWorld(t, sim.Config{Map: openMap(), RespawnTicks: 2}, 1, 2)
			place(w, 1, px(600), px(480), 0)
			step(w)
			kill(t, w, 1, 2)
			for !w.Player(2).Alive {
				w.Step(nil)
			}
			return w, 2
		},
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			w, id := make()
			before := w.Hash()
			if w.Amend(id, in) {
				t.Fatal("Amend amended")
			}
			if w.Hash() != before {
				t.Fatal("a refused Amend changed the World")
			}
		})
	}
}

func TestAmendedShotHitsInItsFirstTick(t *testing.T) {
	late := sim.Input{Aim: 0, Buttons: sim.ButtonFire}
	start := func() *sim.World {
		w := newWorld(t, sim.Config{Map: openMap()}, 1, 2)
		place(w, 1, px(600), px(480), 0)
		place(w, 2, px(635), px(480), 0) // point-blank: hit in the shot's first tick
		w.Step([]sim.PlayerInput{{ID: 1}, {ID: 2}})
		return w
	}
	inTime := start()
	inTime.Step([]sim.PlayerInput{{ID: 1, Input: late}, {ID: 2}})
	if countEvents(inTime, sim.EventHit, 1, 2) != 1 {
		t.Fatal("the shot in time did not hit in its first tick: the test shows nothing")
	}
	amended := start()
	amended.Step([]sim.PlayerInput{{ID: 1}, {ID: 2}})
	if !amended.Amend(1, late) {
		t.Fatal("Amend refused")
	}
	if countEvents(amended, sim.EventHit, 0, 0) != 0 {
		t.Fatal("the amended hit was reported into the Step before's events")
	}
	for _, w := range []*sim.World{amended, inTime} {
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{}}, {ID: 2}})
	}
	if countEvents(amended, sim.EventHit, 1, 2) != 1 {
		t.Error("the next Step did not report the amended shot's hit")
	}
	if h1, h2 := amended.Player(2).Health, inTime.Player(2).Health; h1 != h2 || len(amended.Projectiles) != len(inTime.Projectiles) {
		t.Errorf("health %d amended, %d in time; shots %d, %d", h1, h2, len(amended.Projectiles), len(inTime.Projectiles))
	}
}
