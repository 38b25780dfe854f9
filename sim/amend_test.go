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
	if !amended.Amend(1, 1, late) {
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
			return spawnedBack(t, 1), 2
		},
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			w, id := make()
			before := w.Hash()
			if w.Amend(id, 1, in) {
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
	if !amended.Amend(1, 1, late) {
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

// twoLate is a World whose last two Steps stood in for player 1 with held (without its
// fire), after steps Steps of held for both players from where place puts them; and the
// World in which those two Steps had first and second in time instead.
func twoLate(t *testing.T, cfg sim.Config, steps int, held, first, second sim.Input, place func(*sim.World)) (amended, inTime *sim.World) {
	t.Helper()
	start := func() *sim.World {
		w := newWorld(t, cfg, 1, 2)
		place(w)
		for range steps {
			w.Step([]sim.PlayerInput{{ID: 1, Input: held}, {ID: 2, Input: held}})
		}
		return w
	}
	inTime = start()
	inTime.Step([]sim.PlayerInput{{ID: 1, Input: first}, {ID: 2, Input: held}})
	inTime.Step([]sim.PlayerInput{{ID: 1, Input: second}, {ID: 2, Input: held}})
	amended = start()
	standIn := held
	standIn.Buttons &^= sim.ButtonFire
	amended.Step([]sim.PlayerInput{{ID: 1, Input: standIn}, {ID: 2, Input: held}})
	amended.Step([]sim.PlayerInput{{ID: 1, Input: standIn}, {ID: 2, Input: held}})
	if amended.Hash() == inTime.Hash() {
		t.Fatal("the stand-ins made the Steps the late inputs made: the test shows nothing")
	}
	return amended, inTime
}

// sameAfter checks that amended and inTime agree, by Hash, now (if now) and after each of
// three Steps that hand player 1 next.
func sameAfter(t *testing.T, amended, inTime *sim.World, now bool, next sim.Input) {
	t.Helper()
	for step := range 4 {
		if a, b := amended.Hash(), inTime.Hash(); (step > 0 || now) && a != b {
			t.Fatalf("%d Steps after the amendment: hash %016x amended, %016x in time", step, a, b)
		}
		for _, w := range []*sim.World{amended, inTime} {
			w.Step([]sim.PlayerInput{{ID: 1, Input: next}, {ID: 2}})
		}
	}
}

func TestAmendBack2IsTheStepsTheInputWouldHaveMade(t *testing.T) {
	held := sim.Input{Aim: 100}
	late := sim.Input{Move: sim.MoveUp | sim.MoveLeft, Aim: 300, Buttons: sim.ButtonFire, RenderLag: 3}
	waiting := late
	waiting.Buttons = 0
	// A wall to the left of player 1, which the amended moves meet and slide along.
	wall := sim.Rect{MinX: px(580), MinY: px(300), MaxX: px(590), MaxY: px(700)}
	amended, inTime := twoLate(t, sim.Config{Map: openMap(wall)}, 5, held, late, waiting, func(w *sim.World) {
		place(w, 1, px(605), px(480), 0)
		place(w, 2, px(900), px(480), 0)
	})
	if !amended.Amend(1, 2, late) {
		t.Fatal("Amend refused a live player in play")
	}
	p, q := *amended.Player(1), *inTime.Player(1)
	if p.X != px(604) || p.Y >= px(480) {
		t.Errorf("amended player at (%d, %d); want stopped by the wall at x %d, slid up", p.X, p.Y, px(604))
	}
	if p.Input != late {
		t.Errorf("held input %+v; want the late one, %+v", p.Input, late)
	}
	p.Input = q.Input // in time, the last Step held late without its fire
	if p != q {
		t.Errorf("player %+v amended, %+v in time", p, q)
	}
	if len(amended.Projectiles) != 1 || len(inTime.Projectiles) != 1 || amended.Projectiles[0] != inTime.Projectiles[0] {
		t.Fatalf("shots %+v amended, %+v in time; want the late input's one", amended.Projectiles, inTime.Projectiles)
	}
	sameAfter(t, amended, inTime, false, sim.Input{Move: sim.MoveDown, Aim: 310})
}

func TestAmendBack2ThenBack1IsBothInTime(t *testing.T) {
	a := sim.Input{Move: sim.MoveUp, Aim: 300, Buttons: sim.ButtonFire, RenderLag: 2}
	b := sim.Input{Move: sim.MoveRight | sim.MoveDown, Aim: 500, Buttons: sim.ButtonFire, RenderLag: 1}
	cfg := sim.Config{Map: openMap(), FireCooldownTicks: 1} // both fire
	amended, inTime := twoLate(t, cfg, 4, sim.Input{Move: sim.MoveLeft, Aim: 7}, a, b, func(w *sim.World) {
		place(w, 1, px(600), px(480), 0)
		place(w, 2, px(900), px(300), 0)
	})
	if !amended.Amend(1, 2, a) || !amended.Amend(1, 1, b) {
		t.Fatal("Amend refused a live player in play")
	}
	if len(amended.Projectiles) != 2 || len(inTime.Projectiles) != 2 {
		t.Fatalf("%d shots amended, %d in time; want a's and b's", len(amended.Projectiles), len(inTime.Projectiles))
	}
	sameAfter(t, amended, inTime, true, sim.Input{Move: sim.MoveDown, Aim: 310})
}

func TestAmendBack2ShotHitsInItsFirstTick(t *testing.T) {
	late := sim.Input{Aim: 0, Buttons: sim.ButtonFire}
	amended, inTime := twoLate(t, sim.Config{Map: openMap()}, 3, sim.Input{}, late, sim.Input{}, func(w *sim.World) {
		place(w, 1, px(600), px(480), 0)
		place(w, 2, px(635), px(480), 0) // point-blank: hit in the shot's first tick
	})
	if !amended.Amend(1, 2, late) {
		t.Fatal("Amend refused")
	}
	if countEvents(amended, sim.EventHit, 0, 0) != 0 {
		t.Fatal("the amended hit was reported into the last Step's events")
	}
	if h1, h2 := amended.Player(2).Health, inTime.Player(2).Health; h1 != h2 || len(amended.Projectiles) != 0 || len(inTime.Projectiles) != 0 {
		t.Errorf("health %d amended, %d in time; shots %d, %d", h1, h2, len(amended.Projectiles), len(inTime.Projectiles))
	}
	amended.Step([]sim.PlayerInput{{ID: 1}, {ID: 2}})
	if countEvents(amended, sim.EventHit, 1, 2) != 1 {
		t.Error("the next Step did not report the amended shot's hit")
	}
	inTime.Step([]sim.PlayerInput{{ID: 1}, {ID: 2}})
	sameAfter(t, amended, inTime, true, sim.Input{})
}

func TestAmendRefusesBack(t *testing.T) {
	in := sim.Input{Move: sim.MoveUp}
	step := func(w *sim.World) { w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight}}}) }
	steps := func(w *sim.World, n int) *sim.World {
		for range n {
			step(w)
		}
		return w
	}
	type amendment struct {
		w    *sim.World
		id   sim.PlayerID
		back int
	}
	cases := map[string]func() amendment{
		"back 0": func() amendment {
			return amendment{steps(newWorld(t, sim.Config{Map: openMap()}, 1), 4), 1, 0}
		},
		"back 3": func() amendment {
			return amendment{steps(newWorld(t, sim.Config{Map: openMap()}, 1), 4), 1, 3}
		},
		"back 2, no two Steps before": func() amendment {
			return amendment{steps(newWorld(t, sim.Config{Map: openMap()}, 1), 2), 1, 2}
		},
		"back 2, a window of two ticks": func() amendment {
			return amendment{steps(newWorld(t, sim.Config{Map: openMap(), LagCompTicks: 2}, 1), 4), 1, 2}
		},
		"back 2, spawned in the Step before last": func() amendment {
			w := spawnedBack(t, 2)
			if !clone(t, w).Amend(2, 1, in) {
				t.Fatal("Amend refused back 1 for a player that spawned two Steps ago")
			}
			return amendment{w, 2, 2}
		},
		"back 2, spawned in the last Step": func() amendment {
			return amendment{spawnedBack(t, 1), 2, 2}
		},
		"back 2, died in the last Step": func() amendment {
			w := newWorld(t, sim.Config{Map: openMap()}, 1, 2)
			place(w, 1, px(600), px(480), 0)
			steps(w, 3)
			kill(t, w, 1, 2)
			return amendment{w, 2, 2}
		},
		"back 1, not in play": func() amendment {
			return amendment{intermission(t), 1, 1}
		},
		"back 2, not in play": func() amendment {
			return amendment{intermission(t), 1, 2}
		},
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			a := make()
			before := a.w.Hash()
			if a.w.Amend(a.id, a.back, in) {
				t.Fatal("Amend amended")
			}
			if a.w.Hash() != before {
				t.Fatal("a refused Amend changed the World")
			}
		})
	}
}

// intermission returns a World of one player some Steps into an intermission.
func intermission(t *testing.T) *sim.World {
	w := newWorld(t, sim.Config{Map: openMap(), MatchTicks: 5}, 1)
	for w.Match.Phase == sim.PhasePlaying || w.Tick < 8 {
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight}}})
	}
	return w
}

// clone returns a copy of w, by Save and Restore.
func clone(t *testing.T, w *sim.World) *sim.World {
	t.Helper()
	var s sim.Saved
	w.Save(&s)
	c, err := sim.Restore(w.Config(), &s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// spawnedBack returns a World in which player 2, killed by player 1,
// spawned n Steps ago, player 1 walking right in the Steps it takes.
func spawnedBack(t *testing.T, n int) *sim.World {
	w := newWorld(t, sim.Config{Map: openMap(), RespawnTicks: 2}, 1, 2)
	place(w, 1, px(600), px(480), 0)
	walk := func() { w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight}}}) }
	walk()
	kill(t, w, 1, 2)
	for !w.Player(2).Alive {
		w.Step(nil)
	}
	for range n - 1 {
		walk()
	}
	return w
}
