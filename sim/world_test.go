// Tests of world.go: construction, joining and leaving; helpers shared by the tests.

package sim_test

import (
	"errors"
	"slices"
	"testing"

	"skirmish/sim"
)

// px converts pixels to units.
func px(v int32) int32 { return v * sim.UnitsPerPixel }

// openMap returns a 1280×960 px arena with the given walls and one spawn point per corner
// region, far from the middle where tests place players.
func openMap(walls ...sim.Rect) *sim.Map {
	return &sim.Map{
		Width:  px(1280),
		Height: px(960),
		Walls:  walls,
		Spawns: []sim.Point{{px(40), px(40)}, {px(1240), px(40)}, {px(40), px(920)}, {px(1240), px(920)}},
	}
}

// newWorld returns a World from cfg with the given players added.
func newWorld(t testing.TB, cfg sim.Config, ids ...sim.PlayerID) *sim.World {
	t.Helper()
	w := sim.New(cfg)
	for _, id := range ids {
		if err := w.AddPlayer(id); err != nil {
			t.Fatalf("AddPlayer(%d): %v", id, err)
		}
	}
	return w
}

// place puts a player at (x, y) units, aiming at aim.
func place(w *sim.World, id sim.PlayerID, x, y int32, aim uint16) *sim.Player {
	p := w.Player(id)
	p.X, p.Y, p.Aim = x, y, aim
	return p
}

// countEvents returns how many of w.Events match kind, A and B (0 matches any player).
func countEvents(w *sim.World, kind sim.EventKind, a, b sim.PlayerID) int {
	n := 0
	for _, e := range w.Events {
		if e.Kind == kind && (a == 0 || e.A == a) && (b == 0 || e.B == b) {
			n++
		}
	}
	return n
}

func TestNewStartsFirstMatch(t *testing.T) {
	w := sim.New(sim.Config{})
	cfg := w.Config()
	if cfg.MatchTicks != 3*60*sim.TickRate || cfg.Map == nil || cfg.PlayerSpeed != 48 {
		t.Fatalf("defaults not filled in: %+v", cfg)
	}
	want := sim.Match{Number: 1, Phase: sim.PhasePlaying, EndTick: cfg.MatchTicks}
	if w.Match != want || w.Tick != 0 {
		t.Fatalf("match %+v at tick %d; want %+v at 0", w.Match, w.Tick, want)
	}
	w.Step(nil)
	if countEvents(w, sim.EventMatchStart, 0, 0) != 1 || w.Events[0].Value != 1 {
		t.Fatalf("first Step events %+v; want EventMatchStart for match 1", w.Events)
	}
}

func TestConfigClampsAndDefaults(t *testing.T) {
	cfg := sim.New(sim.Config{PlayerSpeed: 1000, RespawnTicks: -5, ProjectileSpeed: 1 << 30}).Config()
	if cfg.PlayerSpeed != sim.MaxPlayerSpeed || cfg.ProjectileSpeed != sim.MaxProjectileSpeed {
		t.Errorf("speeds %d, %d not clamped", cfg.PlayerSpeed, cfg.ProjectileSpeed)
	}
	if cfg.RespawnTicks != sim.DefaultConfig().RespawnTicks {
		t.Errorf("negative RespawnTicks became %d, not the default", cfg.RespawnTicks)
	}
}

func TestAddPlayer(t *testing.T) {
	w := newWorld(t, sim.Config{}, 5, 2, 9)
	for _, tc := range []struct {
		id   sim.PlayerID
		want error
	}{
		{0, sim.ErrPlayerID},
		{sim.MaxPlayers + 1, sim.ErrPlayerID},
		{5, sim.ErrPlayerExists},
		{sim.MaxPlayers, nil},
	} {
		if err := w.AddPlayer(tc.id); !errors.Is(err, tc.want) {
			t.Errorf("AddPlayer(%d) = %v; want %v", tc.id, err, tc.want)
		}
	}
	var ids []sim.PlayerID
	for _, p := range w.Players {
		ids = append(ids, p.ID)
		if !p.Alive || p.Health != w.Config().MaxHealth {
			t.Errorf("player %d joined dead or hurt: %+v", p.ID, p)
		}
	}
	if want := []sim.PlayerID{2, 5, 9, sim.MaxPlayers}; !slices.Equal(ids, want) {
		t.Fatalf("players %v; want sorted %v", ids, want)
	}
	if len(w.Events) != 0 {
		t.Fatalf("AddPlayer wrote Events %+v before any Step", w.Events)
	}
	w.Step(nil)
	for _, id := range ids {
		if countEvents(w, sim.EventSpawn, id, 0) != 1 {
			t.Errorf("no EventSpawn for %d in the Step after AddPlayer: %+v", id, w.Events)
		}
	}
}

func TestRemovePlayer(t *testing.T) {
	w := newWorld(t, sim.Config{}, 1, 2, 3)
	if !w.RemovePlayer(2) || w.RemovePlayer(2) || w.RemovePlayer(7) {
		t.Fatal("RemovePlayer reports wrongly")
	}
	if w.Player(2) != nil || w.Player(1) == nil || w.Player(3) == nil || len(w.Players) != 2 {
		t.Fatalf("players after removing 2: %+v", w.Players)
	}
	w.Step(nil)
	if countEvents(w, sim.EventSpawn, 2, 0) != 0 {
		t.Fatal("a player removed before the Step still had its EventSpawn reported")
	}
}

func TestRemovedPlayersProjectilesKeepFlying(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Buttons: sim.ButtonFire}}})
	w.RemovePlayer(1)
	x := w.Projectiles[0].X
	w.Step(nil)
	if len(w.Projectiles) != 1 || w.Projectiles[0].X != x+w.Projectiles[0].VX {
		t.Fatalf("projectile of a removed player: %+v", w.Projectiles)
	}
}

func TestStepIgnoresUnknownPlayers(t *testing.T) {
	w := newWorld(t, sim.Config{}, 1)
	before := *w.Player(1)
	w.Step([]sim.PlayerInput{{ID: 2, Input: sim.Input{Move: sim.MoveRight}}, {ID: 0}})
	if *w.Player(1) != before || len(w.Players) != 1 {
		t.Fatalf("input for unknown players changed the world: %+v", w.Players)
	}
}
