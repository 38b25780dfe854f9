// Tests of lagcomp.go: shots judged where their shooter saw the targets, within the window;
// who can be hit in the past; walls; the counts.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

// The cover scene: the shooter (1) stands at (200, 480) px and shoots east along y = 480 px
// with projectiles fast enough (240 px a tick) to pass the target's spot A = (600, 480) px
// in their second tick of flight. A wall below the line, x 560–580 px from y 500 px down,
// hides from the shooter whoever stands south of A by more than about 20 px. The target (2)
// stands at A for coverStand Steps, then walks south at full speed for coverWalk Steps (40
// px, well behind the wall), then stands there. Its hit circle (14 px) still meets the line
// of fire in the frames up to coverStand+3: afterwards it is out of the line.
const (
	coverStand = 40
	coverWalk  = 10
	coverOnto  = coverStand + 3 // the last frame in which a shot along the line would hit
)

var coverWall = sim.Rect{MinX: px(560), MinY: px(500), MaxX: px(580), MaxY: px(700)}

func coverConfig(window int32) sim.Config {
	return sim.Config{
		Map: openMap(coverWall), ProjectileSpeed: px(240), PlayerSpeed: sim.MaxPlayerSpeed,
		LagCompTicks: window, FireCooldownTicks: 1, ScoreLimit: 1000,
	}
}

// coverWorld runs the cover scene up to (not including) Step fireAt.
func coverWorld(t *testing.T, window, fireAt int32) *sim.World {
	t.Helper()
	w := newWorld(t, coverConfig(window), 1, 2)
	place(w, 1, px(200), px(480), 0)
	place(w, 2, px(600), px(480), 0)
	for w.Tick+1 < fireAt {
		var in []sim.PlayerInput
		switch w.Tick + 1 {
		case coverStand + 1:
			in = []sim.PlayerInput{{ID: 2, Input: sim.Input{Move: sim.MoveDown}}}
		case coverStand + coverWalk + 1:
			in = []sim.PlayerInput{{ID: 2, Input: sim.Input{}}}
		}
		w.Step(in)
	}
	return w
}

// shoot fires player 1 along aim with the given render lag in the next Step and flies the
// shot out (a few Steps); it returns the hits on 2 it made.
func shoot(t *testing.T, w *sim.World, aim uint16, lag uint8) int {
	t.Helper()
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Aim: aim, Buttons: sim.ButtonFire, RenderLag: lag}}})
	if len(w.Projectiles) == 0 && countEvents(w, sim.EventHit, 1, 2) == 0 {
		t.Fatalf("tick %d: no projectile fired", w.Tick)
	}
	hits := countEvents(w, sim.EventHit, 1, 2)
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Aim: aim}}})
	hits += countEvents(w, sim.EventHit, 1, 2)
	for range 4 {
		w.Step(nil)
		hits += countEvents(w, sim.EventHit, 1, 2)
	}
	return hits
}

func TestRewoundHitOnTargetThatMoved(t *testing.T) {
	// Fired in Step 52, two Steps after the target reached cover: the shot passes A in
	// Step 53, where a shooter 10 ticks behind saw the target at frame 43, still on A.
	const fireAt = coverStand + coverWalk + 2
	for _, tc := range []struct {
		lag  uint8
		hits int
	}{
		{0, 0},                          // judged against the present: the target is behind the wall
		{fireAt + 1 - coverOnto, 1},     // the last frame in which it stood in the line of fire
		{fireAt + 1 - coverOnto - 1, 0}, // one tick later it had left it
		{12, 1},                         // the whole window back: it had just set off
	} {
		w := coverWorld(t, 0, fireAt)
		if p := w.Player(2); p.Y <= px(519) {
			t.Fatalf("target at y %d px: not behind the wall", p.Y/sim.UnitsPerPixel)
		}
		if got := shoot(t, w, 0, tc.lag); got != tc.hits {
			t.Errorf("render lag %d: %d hits; want %d", tc.lag, got, tc.hits)
		}
		if tc.hits == 1 && w.Player(2).Health != w.Config().MaxHealth-w.Config().ProjectileDamage {
			t.Errorf("render lag %d: target health %d after the hit", tc.lag, w.Player(2).Health)
		}
		if w.Rewinds.Shots[tc.lag] != 1 || w.Rewinds.Clamped != 0 {
			t.Errorf("render lag %d: counted %+v", tc.lag, w.Rewinds)
		}
	}
}

func TestNoHitFromBeyondTheWindow(t *testing.T) {
	// Fired in Step 66: the target has been behind the wall for 15 ticks and out of the line
	// of fire for 22. A shooter 24 ticks behind still saw it standing on A (frame 42).
	const fireAt, lag = coverStand + coverWalk + 16, 24
	w := coverWorld(t, 0, fireAt) // the default window: 12 ticks
	if got := shoot(t, w, 0, lag); got != 0 {
		t.Fatalf("%d hits from %d ticks back with a window of 12", got, lag)
	}
	if w.Rewinds.Clamped != 1 || w.Rewinds.Shots[12] != 1 {
		t.Fatalf("the claim was not clamped to the window and counted: %+v", w.Rewinds)
	}

	// The same claim with a window that reaches it hits: the window is what refused it.
	w = coverWorld(t, 30, fireAt)
	if got := shoot(t, w, 0, lag); got != 1 {
		t.Fatalf("%d hits from %d ticks back with a window of 30; want 1", got, lag)
	}
	if w.Rewinds.Clamped != 0 || w.Rewinds.Shots[lag] != 1 {
		t.Fatalf("counted %+v", w.Rewinds)
	}
}

func TestLagCompensationOff(t *testing.T) {
	w := coverWorld(t, -1, coverStand+coverWalk+2)
	if cfg := w.Config(); cfg.LagCompTicks != 0 {
		t.Fatalf("LagCompTicks %d with a negative window; want 0", cfg.LagCompTicks)
	}
	if got := shoot(t, w, 0, 10); got != 0 {
		t.Fatalf("%d hits with lag compensation off", got)
	}
	if w.Rewinds.Clamped != 1 || w.Rewinds.Shots[0] != 1 {
		t.Fatalf("counted %+v", w.Rewinds)
	}
}

func TestWallsStayExact(t *testing.T) {
	// The target is behind the wall now. Aimed straight at it, a shot is stopped by the
	// wall whatever its rewind: the wall is where it is.
	w := coverWorld(t, 0, coverStand+coverWalk+3)
	p := w.Player(2)
	aim := aimAt(px(200), px(480), p.X, p.Y)
	if got := shoot(t, w, aim, 0); got != 0 {
		t.Fatalf("%d hits through the wall", got)
	}

	// The other way round: the target stood behind the wall (frames 1–20) and has walked
	// out into the line of fire (frames 21–30). A shooter who saw it behind the wall and
	// aims there cannot reach it there; one aiming along the line, where it is now, is
	// judged against the past and misses too: on its screen the target was not there yet.
	outOfCover := func() *sim.World {
		w := newWorld(t, coverConfig(0), 1, 2)
		place(w, 1, px(200), px(480), 0)
		place(w, 2, px(600), px(520), 0)
		for range 20 {
			w.Step(nil)
		}
		w.Step([]sim.PlayerInput{{ID: 2, Input: sim.Input{Move: sim.MoveUp}}})
		for range 9 {
			w.Step(nil)
		}
		w.Step([]sim.PlayerInput{{ID: 2, Input: sim.Input{}}})
		if p := w.Player(2); p.Y > px(490) {
			t.Fatalf("target at y %d px: not in the open", p.Y/sim.UnitsPerPixel)
		}
		return w
	}
	// Fired in Step 32, passing x = 600 px in Step 33: 12 back is frame 21.
	if got := shoot(t, outOfCover(), aimAt(px(200), px(480), px(600), px(520)), 12); got != 0 {
		t.Fatalf("%d hits through the wall on a rewound target", got)
	}
	if got := shoot(t, outOfCover(), 0, 12); got != 0 {
		t.Fatalf("%d hits where the shooter did not see the target", got)
	}
	if got := shoot(t, outOfCover(), 0, 0); got != 1 {
		t.Fatalf("%d hits on the target in the open, judged now; want 1", got)
	}
}

// aimAt is the aim from (x, y) toward (tx, ty), to the nearest step.
func aimAt(x, y, tx, ty int32) uint16 {
	best, bestErr := uint16(0), int64(-1)
	for a := range uint16(sim.AimSteps) {
		dx, dy := sim.Dir(a)
		// The cross product of the direction with the offset, for directions that point
		// toward the target: the smallest is the closest aim.
		ox, oy := int64(tx-x), int64(ty-y)
		if int64(dx)*ox+int64(dy)*oy <= 0 {
			continue
		}
		err := int64(dx)*oy - int64(dy)*ox
		if err < 0 {
			err = -err
		}
		if bestErr < 0 || err < bestErr {
			best, bestErr = a, err
		}
	}
	return best
}

func TestRewoundTargetMustBeThereThen(t *testing.T) {
	// One spawn point, on the line of fire at A: whoever spawns, spawns there.
	m := openMap()
	m.Spawns = []sim.Point{{X: px(600), Y: px(480)}}
	cfg := sim.Config{Map: m, ProjectileSpeed: px(240), FireCooldownTicks: 1, RespawnTicks: 4, ScoreLimit: 1000}
	setup := func(y2 int32) *sim.World {
		w := newWorld(t, cfg, 1, 2)
		place(w, 1, px(200), px(480), 0)
		place(w, 2, px(600), y2, 0)
		for range 30 {
			w.Step(nil)
		}
		return w
	}

	t.Run("not yet joined", func(t *testing.T) {
		w := setup(px(800))                    // 2 out of the way
		if err := w.AddPlayer(3); err != nil { // at A
			t.Fatal(err)
		}
		w.Step(nil) // Step 31: 3's first frame
		// Fired in Step 32, the shot passes A in Step 33: 3 back is frame 30, before 3
		// joined. The next, two Steps later, sees frame 31, 3's first.
		if got := shootAt(t, w, 3, 3); got != 0 {
			t.Fatalf("%d hits on a player who had not joined on the shooter's screen", got)
		}
		if got := shootAt(t, w, 3, 4); got != 1 {
			t.Fatalf("%d hits on a player who had joined on the shooter's screen; want 1", got)
		}
	})

	t.Run("killed since", func(t *testing.T) {
		// 2 stands at A, 3 behind it on the line of fire. A shot kills 2 at A; a second,
		// from a shooter 3 ticks behind, who still sees 2 alive at A, stops on it there,
		// as it did on that screen: a hit, but the dead take no damage, and 3 is not hit
		// through the body. Judged against the present, the shot passes the body and hits 3.
		for _, tc := range []struct {
			lag            uint8
			on2, on3, dmg2 int
		}{{3, 1, 0, 0}, {0, 0, 1, 0}} {
			w := setup(px(480))
			if err := w.AddPlayer(3); err != nil {
				t.Fatal(err)
			}
			place(w, 3, px(800), px(480), 0)
			w.Player(2).Health = 1
			w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire}}})
			w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{}}}) // the shot kills 2 at A
			if countEvents(w, sim.EventKill, 1, 2) != 1 {
				t.Fatal("setup: no kill")
			}
			on2, on3, dmg2, kills := 0, 0, 0, 0
			w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire, RenderLag: tc.lag}}})
			for range 4 {
				for _, e := range w.Events {
					switch {
					case e.Kind == sim.EventHit && e.B == 2:
						on2++
						dmg2 += int(e.Value)
					case e.Kind == sim.EventHit && e.B == 3:
						on3++
					case e.Kind == sim.EventKill:
						kills++
					}
				}
				w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{}}})
			}
			if on2 != tc.on2 || on3 != tc.on3 || dmg2 != tc.dmg2 || kills != 0 {
				t.Errorf("render lag %d: %d hits on the body (%d damage), %d on the player behind, %d kills; want %d, %d, %d, 0",
					tc.lag, on2, dmg2, on3, kills, tc.on2, tc.dmg2, tc.on3)
			}
			if p := w.Player(2); p.Deaths != 1 {
				t.Errorf("render lag %d: %d deaths", tc.lag, p.Deaths)
			}
		}
	})

	t.Run("spawned since", func(t *testing.T) {
		// 2 dies at A and respawns there: a shooter that saw its previous life at A (the
		// frames before it died), or saw it dead, does not hit the new one; one that saw
		// it back does. The shot is fired in the Step after the respawn and passes A in
		// the next.
		for _, tc := range []struct {
			seen int32 // the frame the shooter saw, from the death
			hits int
		}{{-1, 0}, {0, 0}, {1, 0}, {cfg.RespawnTicks - 1, 0}, {cfg.RespawnTicks, 1}} {
			w := setup(px(480))
			w.Player(2).Health = 1
			w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire}}})
			w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{}}})
			died := w.Tick
			if countEvents(w, sim.EventKill, 1, 2) != 1 {
				t.Fatal("setup: no kill")
			}
			for !w.Player(2).Alive {
				w.Step(nil)
			}
			if p := w.Player(2); w.Tick != died+cfg.RespawnTicks || p.X != px(600) || p.Y != px(480) {
				t.Fatalf("respawned at tick %d at (%d, %d), died at %d", w.Tick, p.X, p.Y, died)
			}
			lag := w.Tick + 2 - (died + tc.seen)
			if got := shoot(t, w, 0, uint8(lag)); got != tc.hits {
				t.Errorf("seen at the death's tick %+d (respawn %+d): %d hits; want %d", tc.seen, cfg.RespawnTicks, got, tc.hits)
			}
		}
	})
}

// shootAt fires player 1 along the line with the given render lag and returns the hits on
// victim.
func shootAt(t *testing.T, w *sim.World, victim sim.PlayerID, lag uint8) int {
	t.Helper()
	hits := 0
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire, RenderLag: lag}}})
	hits += countEvents(w, sim.EventHit, 1, victim)
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{}}})
	hits += countEvents(w, sim.EventHit, 1, victim)
	return hits
}

func TestShooterIsNotRewound(t *testing.T) {
	// The shooter walks east while firing with a render lag: its shot starts where it is
	// now, on the edge of its hit circle.
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	place(w, 1, px(200), px(480), 0)
	for range 20 {
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight}}})
	}
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Move: sim.MoveRight, Buttons: sim.ButtonFire, RenderLag: 12}}})
	p, cfg := w.Player(1), w.Config()
	if len(w.Projectiles) != 1 {
		t.Fatalf("%d projectiles", len(w.Projectiles))
	}
	pr := w.Projectiles[0]
	if pr.X != p.X+cfg.PlayerRadius+cfg.ProjectileSpeed || pr.Y != p.Y || pr.Rewind != 12 {
		t.Fatalf("projectile %+v; shooter at (%d, %d)", pr, p.X, p.Y)
	}
}
