// welcome_test.go covers welcome.go: what Describe writes, Config reads
// back over the wire, for the default rules and for every rule changed;
// what a Welcome leaves out is the default; Config clamps as the sim does
// and refuses a missing or malformed arena.

package simwire_test

import (
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// overWire describes cfg in a Welcome, sends it through the wire's writer
// and reader, and reads the sim's map and config back.
func overWire(t *testing.T, cfg sim.Config) (sim.Map, sim.Config) {
	t.Helper()
	w := &pb.Welcome{ProtocolVersion: 1, Room: "r", TickRate: sim.TickRate}
	simwire.Describe(w, &cfg)
	b, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Welcome{Welcome: w}})
	if err != nil {
		t.Fatal(err)
	}
	_, body, err := pb.SplitServerMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := pb.ReadWelcome(body)
	if err != nil {
		t.Fatal(err)
	}
	var m sim.Map
	read, err := simwire.Config(got, &m)
	if err != nil {
		t.Fatal(err)
	}
	if read.Map != &m {
		t.Fatal("the config's Map is not the map Config filled")
	}
	return m, read
}

func sameMap(t *testing.T, got, want *sim.Map) {
	t.Helper()
	if got.Width != want.Width || got.Height != want.Height || !slices.Equal(got.Walls, want.Walls) || !slices.Equal(got.Spawns, want.Spawns) {
		t.Errorf("map %+v, want %+v", *got, *want)
	}
}

func TestWelcomeRoundTrip(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		m, cfg := overWire(t, sim.DefaultConfig())
		want := sim.DefaultConfig()
		sameMap(t, &m, want.Map)
		cfg.Map, want.Map = nil, nil
		if cfg != want {
			t.Errorf("config %+v, want %+v", cfg, want)
		}
	})
	t.Run("a nil map is the default map", func(t *testing.T) {
		m, _ := overWire(t, sim.Config{})
		sameMap(t, &m, sim.DefaultMap())
	})
	t.Run("every rule changed", func(t *testing.T) {
		arena := &sim.Map{Width: 5000, Height: 4000,
			Walls:  []sim.Rect{{MinX: 1, MinY: 2, MaxX: 300, MaxY: 400}, {MinX: 900, MinY: 900, MaxX: 1000, MaxY: 1200}},
			Spawns: []sim.Point{{X: 100, Y: 100}, {X: 4000, Y: 3000}}}
		in := sim.Config{Seed: 7, Map: arena, MatchTicks: 600, ScoreLimit: 3, IntermissionTicks: 60, RespawnTicks: 30,
			PlayerSpeed: 40, PlayerRadius: 100, MaxHealth: 250, FireCooldownTicks: 4, ProjectileSpeed: 300,
			ProjectileDamage: 50, ProjectileLifetimeTicks: 20}
		m, cfg := overWire(t, in)
		sameMap(t, &m, arena)
		// What travels comes back; what stays on the server reads as the default.
		d := sim.DefaultConfig()
		want := in
		want.Map, cfg.Map = nil, nil
		want.Seed, want.IntermissionTicks, want.RespawnTicks = 0, d.IntermissionTicks, d.RespawnTicks
		want.ProjectileDamage, want.ProjectileLifetimeTicks = d.ProjectileDamage, d.ProjectileLifetimeTicks
		want.LagCompTicks = d.LagCompTicks
		if cfg != want {
			t.Errorf("config %+v, want %+v", cfg, want)
		}
	})
}

func TestConfigDefaultsAndClamps(t *testing.T) {
	var m sim.Map
	arena := &pb.Arena{Width: 100, Height: 100}
	cfg, err := simwire.Config(&pb.Welcome{Arena: arena}, &m)
	if err != nil {
		t.Fatal(err)
	}
	want := sim.DefaultConfig()
	cfg.Map, want.Map = nil, nil
	if cfg != want {
		t.Errorf("no rules: config %+v, want the defaults %+v", cfg, want)
	}
	cfg, err = simwire.Config(&pb.Welcome{Arena: arena, Rules: &pb.Rules{
		PlayerSpeed: 1000, PlayerRadius: 1 << 30, ProjectileSpeed: 1 << 30, MaxHealth: -5}}, &m)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PlayerSpeed != sim.MaxPlayerSpeed || cfg.PlayerRadius != sim.MaxPlayerRadius ||
		cfg.ProjectileSpeed != sim.MaxProjectileSpeed || cfg.MaxHealth != sim.DefaultConfig().MaxHealth {
		t.Errorf("speed %d radius %d shot speed %d health %d: want the sim's limits and the default health",
			cfg.PlayerSpeed, cfg.PlayerRadius, cfg.ProjectileSpeed, cfg.MaxHealth)
	}
	// The sim itself makes the same of those rules.
	sc := sim.New(sim.Config{Map: sim.DefaultMap(), PlayerSpeed: 1000, PlayerRadius: 1 << 30, ProjectileSpeed: 1 << 30, MaxHealth: -5}).Config()
	if sc.PlayerSpeed != cfg.PlayerSpeed || sc.PlayerRadius != cfg.PlayerRadius || sc.ProjectileSpeed != cfg.ProjectileSpeed || sc.MaxHealth != cfg.MaxHealth {
		t.Errorf("the sim clamps to %+v, Config to %+v", sc, cfg)
	}
}

func TestConfigRefusesMalformedArenas(t *testing.T) {
	for name, a := range map[string]*pb.Arena{
		"no arena":                nil,
		"no width":                {Height: 100},
		"negative height":         {Width: 100, Height: -1},
		"three numbers of a wall": {Width: 100, Height: 100, Walls: []int32{1, 2, 3}},
		"half a spawn point":      {Width: 100, Height: 100, Spawns: []int32{1, 2, 3}},
	} {
		m := sim.Map{Width: 42}
		_, err := simwire.Config(&pb.Welcome{Arena: a, Rules: &pb.Rules{PlayerSpeed: 10}}, &m)
		if !errors.Is(err, pb.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
		if m.Width != 42 {
			t.Errorf("%s: the map was changed on error", name)
		}
	}
}

// FuzzConfig reads any Welcome's arena and rules: Config may refuse it,
// with ErrMalformed, never panic; what it accepts is a map with area and
// rules within the sim's limits, and describing that again reads the same.
func FuzzConfig(f *testing.F) {
	for _, cfg := range []sim.Config{sim.DefaultConfig(), {Map: &sim.Map{Width: 10, Height: 10}, PlayerSpeed: 1 << 20}} {
		w := &pb.Welcome{}
		simwire.Describe(w, &cfg)
		b, err := proto.Marshal(w)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w, _, err := pb.ReadWelcome(b)
		if err != nil {
			return
		}
		var m sim.Map
		cfg, err := simwire.Config(w, &m)
		if err != nil {
			if !errors.Is(err, pb.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if m.Width <= 0 || m.Height <= 0 || cfg.PlayerSpeed <= 0 || cfg.PlayerSpeed > sim.MaxPlayerSpeed ||
			cfg.PlayerRadius <= 0 || cfg.PlayerRadius > sim.MaxPlayerRadius ||
			cfg.ProjectileSpeed <= 0 || cfg.ProjectileSpeed > sim.MaxProjectileSpeed || cfg.MaxHealth <= 0 {
			t.Fatalf("accepted map %dx%d with config %+v", m.Width, m.Height, cfg)
		}
		again := &pb.Welcome{}
		simwire.Describe(again, &cfg)
		var m2 sim.Map
		cfg2, err := simwire.Config(again, &m2)
		if err != nil {
			t.Fatalf("described again: %v", err)
		}
		sameMap(t, &m2, &m)
		cfg.Map, cfg2.Map = nil, nil
		if cfg != cfg2 {
			t.Fatalf("described again: %+v, first read %+v", cfg2, cfg)
		}
	})
}
