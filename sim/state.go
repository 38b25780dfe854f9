// Stage: save and restore. Everything a World holds beyond its Config (world.go), as plain
// values a tick log's keyframe stores (skirmish/ticklog), and a World rebuilt from them,
// checked first: a saved state comes from a file, which may be corrupt.

package sim

import "errors"

// Saved is the complete state of a World between two Steps: restored with the same
// Config, it Steps on bit-identically to the World it was saved from. Its slices are
// reused by Save; Restore copies them.
type Saved struct {
	Tick        int32
	Match       Match
	Players     []Player     // sorted by ID
	Projectiles []Projectile // sorted by ID
	// RNG is the generator's state; LastProjectileID the ID of the last projectile made.
	RNG              uint64
	LastProjectileID uint32
	// Pending are the events made since the last Step (AddPlayer, a new World): the next
	// Step reports them first.
	Pending []Event
	// Past is lag compensation's history (lagcomp.go): where each live player was at the
	// end of each of the last Config.LagCompTicks Steps, that tick included, oldest tick
	// first, then by ID. Only the entries of the window are kept.
	Past []PastPos
}

// PastPos is where a player was at the end of one Step.
type PastPos struct {
	ID   PlayerID
	Tick int32
	X, Y int32
}

// Save writes w's state into s, reusing s's slices. It allocates nothing once they have
// grown to the World's size.
func (w *World) Save(s *Saved) {
	s.Tick, s.Match = w.Tick, w.Match
	s.Players = append(s.Players[:0], w.Players...)
	s.Projectiles = append(s.Projectiles[:0], w.Projectiles...)
	s.RNG, s.LastProjectileID = w.rng.state, w.nextProjectileID
	s.Pending = append(s.Pending[:0], w.pending...)
	s.Past = s.Past[:0]
	n := w.cfg.LagCompTicks
	for t := max(w.Tick-n+1, 1); n > 0 && t <= w.Tick; t++ {
		f := w.frameAt(t)
		for i := range f.row {
			if e := &f.row[i]; e.Tick == t {
				s.Past = append(s.Past, PastPos{ID: PlayerID(i + 1), Tick: t, X: e.X, Y: e.Y})
			}
		}
	}
}

// Errors returned by Restore: the saved state is not one a World can be in.
var (
	ErrSavedPlayers     = errors.New("sim: saved players out of order, out of range or too many")
	ErrSavedPlayer      = errors.New("sim: saved player outside the arena or its ranges")
	ErrSavedProjectiles = errors.New("sim: saved projectiles out of order or beyond the last ID")
	ErrSavedProjectile  = errors.New("sim: saved projectile outside the arena or its ranges")
	ErrSavedEvent       = errors.New("sim: saved pending events too many or of no known kind")
	ErrSavedPast        = errors.New("sim: saved lag compensation entry outside the window or of no player id")
	ErrSavedMatch       = errors.New("sim: saved tick or match out of range")
)

// Restore returns a World with cfg (as New takes it) in the state s. It checks that s is a
// state a World can be in (IDs in order and in range, positions inside the arena, values
// within the Config's ranges) and returns one of the ErrSaved errors if not.
func Restore(cfg Config, s *Saved) (*World, error) {
	w := New(cfg)
	c := &w.cfg
	if s.Tick < 0 || s.Match.Number < 1 || s.Match.Phase > PhaseIntermission {
		return nil, ErrSavedMatch
	}
	if len(s.Players) > MaxPlayers {
		return nil, ErrSavedPlayers
	}
	for i := range s.Players {
		p := &s.Players[i]
		if p.ID == 0 || p.ID > MaxPlayers || i > 0 && p.ID <= s.Players[i-1].ID {
			return nil, ErrSavedPlayers
		}
		if !inArena(c.Map, p.X, p.Y) || p.Aim >= AimSteps || p.Health < 0 || p.Health > c.MaxHealth {
			return nil, ErrSavedPlayer
		}
		if in, _ := p.Input.Sanitize(); in != p.Input {
			return nil, ErrSavedPlayer
		}
	}
	for i := range s.Projectiles {
		pr := &s.Projectiles[i]
		if pr.ID == 0 || pr.ID > s.LastProjectileID || i > 0 && pr.ID <= s.Projectiles[i-1].ID {
			return nil, ErrSavedProjectiles
		}
		if !inArena(c.Map, pr.X, pr.Y) || abs64(pr.VX) > int64(c.ProjectileSpeed) || abs64(pr.VY) > int64(c.ProjectileSpeed) ||
			pr.Rewind < 0 || pr.Rewind > c.LagCompTicks {
			return nil, ErrSavedProjectile
		}
	}
	if len(s.Pending) > MaxPlayers+1 { // a spawn for each player and a match start
		return nil, ErrSavedEvent
	}
	for _, e := range s.Pending {
		if e.Kind < EventHit || e.Kind > EventMatchStart {
			return nil, ErrSavedEvent
		}
	}
	for _, e := range s.Past {
		if e.ID == 0 || e.ID > MaxPlayers || e.Tick < 1 || e.Tick > s.Tick || e.Tick <= s.Tick-c.LagCompTicks {
			return nil, ErrSavedPast
		}
	}
	w.Tick, w.Match = s.Tick, s.Match
	w.Players = append(w.Players[:0], s.Players...)
	w.Projectiles = append(w.Projectiles[:0], s.Projectiles...)
	w.rng.state, w.nextProjectileID = s.RNG, s.LastProjectileID
	w.pending = append(w.pending[:0], s.Pending...)
	for _, e := range s.Past {
		w.past[int(e.Tick%c.LagCompTicks)*MaxPlayers+int(e.ID)-1] = pastPos{X: e.X, Y: e.Y, Tick: e.Tick}
	}
	return w, nil
}

// inArena reports whether (x, y) lies inside m's bounds.
func inArena(m *Map, x, y int32) bool {
	return x >= 0 && y >= 0 && x <= m.Width && y <= m.Height
}

func abs64(v int32) int64 {
	if v < 0 {
		return -int64(v)
	}
	return int64(v)
}
