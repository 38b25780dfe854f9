// Stage: configuration. The tuning a World is built with (New in world.go); every default
// is a named constant here and is filled in by DefaultConfig alone.

package sim

// TickRate is the number of ticks per second.
const TickRate = 60

// UnitsPerPixel is the number of sim distance units per screen pixel. All positions are
// int32 units.
const UnitsPerPixel = 16

// Limits that keep movement wire-friendly and the int64 geometry of projectile.go free of
// overflow. Config values above them are clamped.
const (
	// MaxPlayerSpeed keeps a player's per-axis movement in one tick within a signed byte.
	MaxPlayerSpeed = 63
	// MaxProjectileSpeed and MaxPlayerRadius are 256 pixels.
	MaxProjectileSpeed = 256 * UnitsPerPixel
	MaxPlayerRadius    = 256 * UnitsPerPixel
	// MaxLagCompTicks bounds the lag compensation window (lagcomp.go): one second, as far
	// back as Source ever rewinds.
	MaxLagCompTicks = TickRate
)

const (
	defaultMatchTicks              = 3 * 60 * TickRate
	defaultScoreLimit              = 15
	defaultIntermissionTicks       = 5 * TickRate
	defaultRespawnTicks            = 2 * TickRate
	defaultPlayerSpeed             = 3 * UnitsPerPixel
	defaultPlayerRadius            = 14 * UnitsPerPixel
	defaultMaxHealth               = 100
	defaultFireCooldownTicks       = 12
	defaultProjectileSpeed         = 12 * UnitsPerPixel
	defaultProjectileDamage        = 25
	defaultProjectileLifetimeTicks = 90
	defaultLagCompTicks            = 12 // 200 ms
)

// Config is the tuning of a World. A zero (or negative) field means its default; see
// DefaultConfig for the values. Durations are in ticks, distances in units, speeds in
// units per tick.
type Config struct {
	Seed uint64 // seeds the World's random generator (spawn point choice)
	Map  *Map   // nil means DefaultMap()

	MatchTicks        int32 // length of a match
	ScoreLimit        int32 // kills that end a match early
	IntermissionTicks int32 // pause between matches
	RespawnTicks      int32 // time a killed player stays dead

	PlayerSpeed             int32 // per tick along an axis; diagonals are normalised (move.go); at most MaxPlayerSpeed
	PlayerRadius            int32 // collision half-size against walls, hit radius against projectiles; at most MaxPlayerRadius
	MaxHealth               int32
	FireCooldownTicks       int32 // ticks between two shots of one player
	ProjectileSpeed         int32 // at most MaxProjectileSpeed
	ProjectileDamage        int32
	ProjectileLifetimeTicks int32 // ticks a projectile flies before it vanishes

	// LagCompTicks is the lag compensation window (lagcomp.go): how many ticks back a shot
	// may be judged, at most MaxLagCompTicks. Unlike the other fields, only zero means the
	// default; a negative value turns lag compensation off (every shot is judged against
	// the present).
	LagCompTicks int32
}

// DefaultConfig returns the default tuning: the standard map, 3-minute matches to 15 kills,
// 5 s intermission, 2 s respawn, players of radius 14 px moving 3 px per tick, 100 health,
// 5 shots per second of 25 damage flying 12 px per tick for 1.5 s, judged up to 200 ms in
// the past.
func DefaultConfig() Config {
	return Config{
		Map:                     DefaultMap(),
		MatchTicks:              defaultMatchTicks,
		ScoreLimit:              defaultScoreLimit,
		IntermissionTicks:       defaultIntermissionTicks,
		RespawnTicks:            defaultRespawnTicks,
		PlayerSpeed:             defaultPlayerSpeed,
		PlayerRadius:            defaultPlayerRadius,
		MaxHealth:               defaultMaxHealth,
		FireCooldownTicks:       defaultFireCooldownTicks,
		ProjectileSpeed:         defaultProjectileSpeed,
		ProjectileDamage:        defaultProjectileDamage,
		ProjectileLifetimeTicks: defaultProjectileLifetimeTicks,
		LagCompTicks:            defaultLagCompTicks,
	}
}

// withDefaults returns c with every zero or negative field replaced by its default (a
// negative LagCompTicks by 0: off) and every field above its limit clamped.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Map == nil {
		c.Map = d.Map
	}
	orDefault(&c.MatchTicks, d.MatchTicks)
	orDefault(&c.ScoreLimit, d.ScoreLimit)
	orDefault(&c.IntermissionTicks, d.IntermissionTicks)
	orDefault(&c.RespawnTicks, d.RespawnTicks)
	orDefault(&c.PlayerSpeed, d.PlayerSpeed)
	orDefault(&c.PlayerRadius, d.PlayerRadius)
	orDefault(&c.MaxHealth, d.MaxHealth)
	orDefault(&c.FireCooldownTicks, d.FireCooldownTicks)
	orDefault(&c.ProjectileSpeed, d.ProjectileSpeed)
	orDefault(&c.ProjectileDamage, d.ProjectileDamage)
	orDefault(&c.ProjectileLifetimeTicks, d.ProjectileLifetimeTicks)
	switch {
	case c.LagCompTicks == 0:
		c.LagCompTicks = d.LagCompTicks
	case c.LagCompTicks < 0:
		c.LagCompTicks = 0
	}
	c.LagCompTicks = min(c.LagCompTicks, MaxLagCompTicks)
	c.PlayerSpeed = min(c.PlayerSpeed, MaxPlayerSpeed)
	c.PlayerRadius = min(c.PlayerRadius, MaxPlayerRadius)
	c.ProjectileSpeed = min(c.ProjectileSpeed, MaxProjectileSpeed)
	return c
}

// orDefault sets *v to def if it is zero or negative.
func orDefault(v *int32, def int32) {
	if *v <= 0 {
		*v = def
	}
}
