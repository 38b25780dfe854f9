// Stage: the world. Its state, its construction and the joining and leaving of players.
// Step (step.go) advances it; Hash (hash.go) fingerprints it.

package sim

import "errors"

// Errors returned by AddPlayer.
var (
	ErrPlayerID     = errors.New("sim: player id out of range [1, MaxPlayers]")
	ErrPlayerExists = errors.New("sim: player id already in the world")
)

// World is the complete state of one room. Everything a Step reads and writes is in it, so
// two Worlds built from the same Config and fed the same calls stay bit-identical
// (compare them with Hash). A World is not safe for concurrent use.
type World struct {
	Tick        int32        // number of Steps taken
	Match       Match        // current match and phase
	Players     []Player     // sorted by ID, always
	Projectiles []Projectile // sorted by ID, i.e. by creation, always
	Events      []Event      // what the last Step produced; reset at the start of each Step
	Rewinds     RewindStats  // what lag compensation did (lagcomp.go); not part of Hash

	cfg              Config
	rng              rng
	nextProjectileID uint32    // ID of the last projectile created
	pending          []Event   // produced between Steps; the next Step reports them first
	past             []pastPos // the positions of the last LagCompTicks Steps (lagcomp.go)
}

// New returns a World at tick 0 with match 1 playing until tick cfg.MatchTicks and no
// players. Its first Step reports EventMatchStart for match 1. New panics if the map has
// no spawn point.
func New(cfg Config) *World {
	cfg = cfg.withDefaults()
	if len(cfg.Map.Spawns) == 0 {
		panic("sim: map has no spawn points")
	}
	w := &World{
		Match:       Match{Number: 1, Phase: PhasePlaying, EndTick: cfg.MatchTicks},
		Players:     make([]Player, 0, MaxPlayers),
		Projectiles: make([]Projectile, 0, 4*MaxPlayers),
		Events:      make([]Event, 0, 4*MaxPlayers),
		cfg:         cfg,
		rng:         rng{state: cfg.Seed},
		pending:     make([]Event, 0, MaxPlayers+1),
		past:        make([]pastPos, int(cfg.LagCompTicks)*MaxPlayers),
	}
	w.pending = append(w.pending, Event{Kind: EventMatchStart, Value: w.Match.Number})
	return w
}

// Config returns the World's configuration with every default filled in. Its Map is the
// World's own and must not be modified.
func (w *World) Config() Config {
	return w.cfg
}

// AddPlayer adds a player, alive at full health at a free spawn point (spawn.go). Its
// EventSpawn is reported by the next Step, so that a server which adds players between
// Steps sees it with that Step's events.
func (w *World) AddPlayer(id PlayerID) error {
	if id == 0 || id > MaxPlayers {
		return ErrPlayerID
	}
	i, found := w.index(id)
	if found {
		return ErrPlayerExists
	}
	w.Players = append(w.Players, Player{})
	copy(w.Players[i+1:], w.Players[i:])
	w.Players[i] = Player{ID: id}
	w.spawn(&w.Players[i])
	w.pending = append(w.pending, Event{Kind: EventSpawn, A: id})
	return nil
}

// RemovePlayer removes a player and reports whether it was there. Its projectiles keep
// flying; a kill they make scores for nobody.
func (w *World) RemovePlayer(id PlayerID) bool {
	i, found := w.index(id)
	if !found {
		return false
	}
	w.Players = append(w.Players[:i], w.Players[i+1:]...)
	kept := w.pending[:0]
	for _, e := range w.pending {
		if e.Kind != EventSpawn || e.A != id {
			kept = append(kept, e)
		}
	}
	w.pending = kept
	return true
}

// Player returns the player with the given ID, or nil. The pointer is valid until the next
// AddPlayer or RemovePlayer.
func (w *World) Player(id PlayerID) *Player {
	if i, found := w.index(id); found {
		return &w.Players[i]
	}
	return nil
}

// index returns where id is, or where it would be inserted, in w.Players.
func (w *World) index(id PlayerID) (int, bool) {
	lo, hi := 0, len(w.Players)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if w.Players[mid].ID < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(w.Players) && w.Players[lo].ID == id
}
