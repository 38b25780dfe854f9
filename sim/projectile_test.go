// Tests of projectile.go: firing, cooldown, walls, hits, kills and no tunnelling, and the
// exported Shoot and Fly the client predicts with.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

var fire = sim.Input{Buttons: sim.ButtonFire}

func TestFireSpawnsProjectile(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Aim: sim.AimSteps / 4, Buttons: sim.ButtonFire}}})
	cfg := w.Config()
	if len(w.Projectiles) != 1 {
		t.Fatalf("%d projectiles after firing; want 1", len(w.Projectiles))
	}
	// Aim south: starts on the shooter's edge and has already flown once.
	want := sim.Projectile{
		ID: 1, Owner: 1,
		X: px(640), Y: px(480) + cfg.PlayerRadius + cfg.ProjectileSpeed,
		VX: 0, VY: cfg.ProjectileSpeed,
		ExpiresAt: 1 + cfg.ProjectileLifetimeTicks,
	}
	if got := w.Projectiles[0]; got != want {
		t.Fatalf("projectile %+v; want %+v", got, want)
	}
	if p := w.Player(1); p.NextFire != 1+cfg.FireCooldownTicks {
		t.Fatalf("NextFire %d; want %d", p.NextFire, 1+cfg.FireCooldownTicks)
	}
}

func TestHeldFireRespectsCooldown(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap(), ProjectileLifetimeTicks: 1000}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	var fired []int32
	for range 40 {
		n := len(w.Projectiles)
		w.Step(nil) // Fire held
		if len(w.Projectiles) > n {
			fired = append(fired, w.Tick)
		}
	}
	cd := w.Config().FireCooldownTicks
	if len(fired) != 3 || fired[0] != 1+cd || fired[1] != 1+2*cd || fired[2] != 1+3*cd {
		t.Fatalf("held fire shot at ticks %v; want every %d ticks after tick 1", fired, cd)
	}
	ids := w.Projectiles
	for i := 1; i < len(ids); i++ {
		if ids[i].ID <= ids[i-1].ID {
			t.Fatalf("projectile IDs not increasing: %+v", ids)
		}
	}
}

func TestProjectileExpires(t *testing.T) {
	w := newWorld(t, sim.Config{Map: &sim.Map{Width: px(100000), Height: px(960),
		Spawns: []sim.Point{{px(40), px(40)}}}, ProjectileLifetimeTicks: 10}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	w.Step([]sim.PlayerInput{{ID: 1}})
	for w.Tick < 10 {
		w.Step(nil)
	}
	if len(w.Projectiles) != 1 {
		t.Fatalf("tick %d: projectile gone before it expired", w.Tick)
	}
	w.Step(nil)
	if len(w.Projectiles) != 0 {
		t.Fatalf("tick %d: projectile still flying at its ExpiresAt", w.Tick)
	}
}

func TestProjectileStopsAtWall(t *testing.T) {
	wall := sim.Rect{MinX: px(800), MinY: px(0), MaxX: px(832), MaxY: px(960)}
	w := newWorld(t, sim.Config{Map: openMap(wall)}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	w.Step([]sim.PlayerInput{{ID: 1}})
	for range 30 {
		w.Step(nil)
		for _, pr := range w.Projectiles {
			if pr.X >= wall.MinX {
				t.Fatalf("tick %d: projectile at x=%d, in or past the wall at %d", w.Tick, pr.X, wall.MinX)
			}
		}
	}
	if len(w.Projectiles) != 0 {
		t.Fatalf("projectile not removed at the wall: %+v", w.Projectiles)
	}
}

func TestProjectileLeavesArena(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	place(w, 1, px(1200), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	w.Step([]sim.PlayerInput{{ID: 1}})
	for range 10 {
		w.Step(nil)
	}
	if len(w.Projectiles) != 0 {
		t.Fatalf("projectile outside the arena still flying: %+v", w.Projectiles)
	}
}

func TestHitDamagesAndKills(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap(), FireCooldownTicks: 1}, 1, 2)
	place(w, 1, px(400), px(480), 0)
	place(w, 2, px(700), px(480), 0)
	cfg := w.Config()
	shots := cfg.MaxHealth / cfg.ProjectileDamage
	hits := 0
	var killTick int32
	for tick := 0; tick < 200 && killTick == 0; tick++ {
		in := sim.Input{}
		if int32(tick) < shots {
			in = fire
		}
		w.Step([]sim.PlayerInput{{ID: 1, Input: in}})
		hits += countEvents(w, sim.EventHit, 1, 2)
		for _, e := range w.Events {
			if e.Kind == sim.EventHit && e.Value != cfg.ProjectileDamage {
				t.Fatalf("hit event %+v; want damage %d", e, cfg.ProjectileDamage)
			}
		}
		if countEvents(w, sim.EventKill, 1, 2) == 1 {
			killTick = w.Tick
		}
	}
	if killTick == 0 || hits != int(shots) {
		t.Fatalf("%d hits, kill at tick %d; want %d hits and a kill", hits, killTick, shots)
	}
	victim, killer := w.Player(2), w.Player(1)
	if victim.Alive || victim.Health != 0 || victim.Deaths != 1 || killer.Kills != 1 || killer.Deaths != 0 {
		t.Fatalf("after the kill: victim %+v, killer %+v", victim, killer)
	}
	if victim.RespawnAt != killTick+cfg.RespawnTicks {
		t.Fatalf("RespawnAt %d; want %d", victim.RespawnAt, killTick+cfg.RespawnTicks)
	}
}

func TestProjectileNeverHitsOwner(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap()}, 1)
	place(w, 1, px(640), px(480), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	// Run after it at the same speed so the projectile stays near its owner.
	w.Player(1).X = w.Projectiles[0].X
	w.Step([]sim.PlayerInput{{ID: 1}})
	if countEvents(w, sim.EventHit, 0, 0) != 0 || len(w.Projectiles) != 1 {
		t.Fatalf("projectile hit its owner: events %+v", w.Events)
	}
}

func TestNearestPlayerOnPathTakesTheHit(t *testing.T) {
	w := newWorld(t, sim.Config{Map: openMap(), ProjectileSpeed: sim.MaxProjectileSpeed}, 1, 2, 3)
	place(w, 1, px(300), px(480), 0)
	place(w, 3, px(420), px(480), 0) // lower ID further away: 2 must take it
	place(w, 2, px(400), px(482), 0)
	w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
	if countEvents(w, sim.EventHit, 1, 2) != 1 || countEvents(w, sim.EventHit, 0, 3) != 0 {
		t.Fatalf("events %+v; want player 2, first on the path, hit", w.Events)
	}
}

func TestNoTunnellingThroughThinWall(t *testing.T) {
	// A 1-unit wall and the fastest projectile: a sampled test would skip the wall.
	wall := sim.Rect{MinX: px(500) + 7, MinY: px(0), MaxX: px(500) + 8, MaxY: px(960)}
	w := newWorld(t, sim.Config{Map: openMap(wall), ProjectileSpeed: sim.MaxProjectileSpeed}, 1, 2)
	place(w, 1, px(300), px(480), 0)
	place(w, 2, px(700), px(480), 0) // behind the wall
	for aim := uint16(1008); aim != 16; aim = (aim + 1) % sim.AimSteps {
		w.Player(1).NextFire = 0
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Aim: aim, Buttons: sim.ButtonFire}}})
		w.Step([]sim.PlayerInput{{ID: 1, Input: sim.Input{Aim: aim}}})
		for _, pr := range w.Projectiles {
			if pr.X > wall.MinX {
				t.Fatalf("aim %d: projectile at x=%d went through the wall at %d", aim, pr.X, wall.MinX)
			}
		}
		if countEvents(w, sim.EventHit, 0, 0) != 0 {
			t.Fatalf("aim %d: hit through a wall: %+v", aim, w.Events)
		}
	}
}

func TestNoTunnellingThroughPlayer(t *testing.T) {
	// Projectiles far faster than a player is wide, grazing the victim's edge at every
	// offset: each must hit, whatever point of its flight the victim falls between.
	cfg := sim.Config{Map: openMap(), ProjectileSpeed: sim.MaxProjectileSpeed, FireCooldownTicks: 1}
	r := sim.New(cfg).Config().PlayerRadius
	for dx := int32(0); dx < sim.MaxProjectileSpeed; dx += 97 {
		w := newWorld(t, cfg, 1, 2)
		place(w, 1, px(100), px(480), 0)
		place(w, 2, px(100)+r+px(200)+dx, px(480)+r-1, 0) // just inside the edge
		w.Step([]sim.PlayerInput{{ID: 1, Input: fire}})
		w.Step([]sim.PlayerInput{{ID: 1}})
		w.Step(nil)
		if w.Player(2).Health == w.Config().MaxHealth {
			t.Fatalf("victim %d units further: projectile passed through", dx)
		}
	}
}

// TestShootAndFly drives the exported pair the client predicts its own shots with: Shoot
// fires as the World does (cooldown, spawn on the hit circle) and Fly flies as it does,
// against the players it is given and only those.
func TestShootAndFly(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Map = openMap()
	shooter := sim.Player{ID: 1, X: px(200), Y: px(480), Aim: 0, Alive: true, Input: fire}
	pr, ok := sim.Shoot(&cfg, &shooter, 10)
	if !ok || shooter.NextFire != 10+cfg.FireCooldownTicks {
		t.Fatalf("Shoot: %v, NextFire %d", ok, shooter.NextFire)
	}
	if want := (sim.Projectile{Owner: 1, X: px(200) + cfg.PlayerRadius, Y: px(480), VX: cfg.ProjectileSpeed, ExpiresAt: 10 + cfg.ProjectileLifetimeTicks}); pr != want {
		t.Fatalf("Shoot: %+v, want %+v", pr, want)
	}
	if _, again := sim.Shoot(&cfg, &shooter, 10+cfg.FireCooldownTicks-1); again {
		t.Fatal("Shoot fired within the cooldown")
	}

	// A target 100 px east: without it the shot flies through, with it the shot hits.
	target := sim.Player{ID: 2, X: px(300), Y: px(480), Alive: true}
	free, hit := pr, pr
	for tick := int32(10); tick < 20; tick++ {
		if victim, flies := sim.Fly(cfg.Map, cfg.PlayerRadius, &free, nil, tick); victim >= 0 || !flies {
			t.Fatalf("tick %d: a shot with no players to hit stopped (victim %d)", tick, victim)
		}
	}
	victim, flies, tick := -1, true, int32(10)
	for ; flies; tick++ {
		victim, flies = sim.Fly(cfg.Map, cfg.PlayerRadius, &hit, []sim.Player{shooter, target}, tick)
	}
	if victim != 1 {
		t.Fatalf("the shot stopped at tick %d with victim %d, want the target (index 1)", tick-1, victim)
	}
	// At its ExpiresAt a projectile no longer flies.
	if victim, flies := sim.Fly(cfg.Map, cfg.PlayerRadius, &free, nil, free.ExpiresAt); victim >= 0 || flies {
		t.Fatalf("a projectile flew at its ExpiresAt: victim %d, flies %v", victim, flies)
	}
}
