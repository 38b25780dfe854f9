// Stage: spawning. Where players appear: on joining (AddPlayer in world.go), after the
// respawn delay (the respawn stage of Step) and at the start of a match (match.go).

package sim

// respawnPlayers brings back every dead player whose respawn tick has come, in ID order.
func (w *World) respawnPlayers() {
	for i := range w.Players {
		p := &w.Players[i]
		if !p.Alive && p.RespawnAt <= w.Tick {
			w.spawn(p)
			w.Events = append(w.Events, Event{Kind: EventSpawn, A: p.ID})
		}
	}
}

// spawn puts p alive at full health on a spawn point chosen by spawnPoint, and forgets
// where it was in its last life (lagcomp.go). The caller reports the EventSpawn.
func (w *World) spawn(p *Player) {
	w.forget(p.ID)
	at := w.spawnPoint()
	p.X, p.Y = at.X, at.Y
	p.Health = w.cfg.MaxHealth
	p.Alive = true
}

// spawnPoint picks a spawn point with no live player within two player radii, uniformly
// at random among those (the only use of the World's generator). If none is free, it
// takes the one farthest from its nearest live player, the first in map order on ties,
// without drawing a number.
func (w *World) spawnPoint() Point {
	spawns := w.cfg.Map.Spawns
	clearance := 2 * int64(w.cfg.PlayerRadius)
	clearance *= clearance
	free := 0
	for _, s := range spawns {
		if w.nearestLive(s) >= clearance {
			free++
		}
	}
	if free > 0 {
		k := w.rng.intn(free)
		for _, s := range spawns {
			if w.nearestLive(s) >= clearance {
				if k == 0 {
					return s
				}
				k--
			}
		}
	}
	best, bestDist := spawns[0], int64(-1)
	for _, s := range spawns {
		if d := w.nearestLive(s); d > bestDist {
			best, bestDist = s, d
		}
	}
	return best
}

// nearestLive returns the squared distance from at to the nearest live player, or the
// largest int64 if nobody is alive.
func (w *World) nearestLive(at Point) int64 {
	nearest := int64(1<<63 - 1)
	for i := range w.Players {
		p := &w.Players[i]
		if p.Alive {
			dx, dy := int64(p.X-at.X), int64(p.Y-at.Y)
			nearest = min(nearest, dx*dx+dy*dy)
		}
	}
	return nearest
}
