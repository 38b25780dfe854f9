// welcome.go — the arena and rules of a Welcome, both sides: Describe
// (server/game.go's Game.Describe calls it) writes a sim.Config into the
// Welcome; Config (client/netcode/client.go, bots/arena.go) reads it back.
// proto/messages.go reads and writes the Welcome's bytes.

package simwire

import (
	"fmt"

	pb "skirmish/proto"
	"skirmish/sim"
)

// Describe fills w's arena and rules from cfg (a nil Map is the sim's
// default map). Only the rules a client needs travel: movement, health,
// shots and the match's length and score limit; the seed, respawn and
// intermission times, damage and projectile lifetime stay on the server.
func Describe(w *pb.Welcome, cfg *sim.Config) {
	m := cfg.Map
	if m == nil {
		m = sim.DefaultMap()
	}
	arena := &pb.Arena{Width: m.Width, Height: m.Height}
	for _, r := range m.Walls {
		arena.Walls = append(arena.Walls, r.MinX, r.MinY, r.MaxX, r.MaxY)
	}
	for _, p := range m.Spawns {
		arena.Spawns = append(arena.Spawns, p.X, p.Y)
	}
	w.Arena = arena
	w.Rules = &pb.Rules{
		PlayerSpeed:       cfg.PlayerSpeed,
		PlayerRadius:      cfg.PlayerRadius,
		MaxHealth:         cfg.MaxHealth,
		ProjectileSpeed:   cfg.ProjectileSpeed,
		FireCooldownTicks: cfg.FireCooldownTicks,
		MatchTicks:        cfg.MatchTicks,
		ScoreLimit:        cfg.ScoreLimit,
	}
}

// Config reads what Describe wrote: the Welcome's arena into *m, and the
// sim configuration its rules describe on it (cfg.Map is m): the defaults,
// with every rule the Welcome carries, clamped as the sim clamps it.
// Prediction needs only the speed and radius; the rest is for display. A
// Welcome without an arena, with an empty one, or with a wall or spawn
// point cut short is an error wrapping pb.ErrMalformed, and *m is left
// alone.
func Config(w *pb.Welcome, m *sim.Map) (sim.Config, error) {
	a := w.GetArena()
	walls, spawns := a.GetWalls(), a.GetSpawns()
	switch {
	case a == nil:
		return sim.Config{}, malformed("no arena")
	case a.GetWidth() <= 0 || a.GetHeight() <= 0:
		return sim.Config{}, malformed("arena of %d×%d", a.GetWidth(), a.GetHeight())
	case len(walls)%4 != 0 || len(spawns)%2 != 0:
		return sim.Config{}, malformed("%d wall and %d spawn numbers", len(walls), len(spawns))
	}
	*m = sim.Map{Width: a.GetWidth(), Height: a.GetHeight()}
	for i := 0; i < len(walls); i += 4 {
		m.Walls = append(m.Walls, sim.Rect{MinX: walls[i], MinY: walls[i+1], MaxX: walls[i+2], MaxY: walls[i+3]})
	}
	for i := 0; i < len(spawns); i += 2 {
		m.Spawns = append(m.Spawns, sim.Point{X: spawns[i], Y: spawns[i+1]})
	}

	cfg := sim.DefaultConfig()
	cfg.Map = m
	r := w.GetRules()
	rule(&cfg.PlayerSpeed, r.GetPlayerSpeed())
	rule(&cfg.PlayerRadius, r.GetPlayerRadius())
	rule(&cfg.MaxHealth, r.GetMaxHealth())
	rule(&cfg.ProjectileSpeed, r.GetProjectileSpeed())
	rule(&cfg.FireCooldownTicks, r.GetFireCooldownTicks())
	rule(&cfg.MatchTicks, r.GetMatchTicks())
	rule(&cfg.ScoreLimit, r.GetScoreLimit())
	cfg.PlayerSpeed = min(cfg.PlayerSpeed, sim.MaxPlayerSpeed)
	cfg.PlayerRadius = min(cfg.PlayerRadius, sim.MaxPlayerRadius)
	cfg.ProjectileSpeed = min(cfg.ProjectileSpeed, sim.MaxProjectileSpeed)
	return cfg, nil
}

// rule sets *dst to a rule the Welcome carries; 0 (absent) or less keeps
// the default.
func rule(dst *int32, v int32) {
	if v > 0 {
		*dst = v
	}
}

// malformed returns an error about a Welcome wrapping pb.ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf("simwire: %w: welcome: "+format, append([]any{pb.ErrMalformed}, args...)...)
}
