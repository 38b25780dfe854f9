// Stage: projectiles. Firing (called by movePlayers in step.go) and the flight of every
// projectile: walls, arena bounds, hits on players (damage in player.go). Shoot and Fly
// are the one implementation of both: the World calls them, and the browser client
// calls them to predict its own shots.

package sim

// Projectile is a shot in flight. Its velocity never changes, so a client that knows its
// position (X0, Y0) at tick t0 knows it at any later tick t of its life:
// X0 + VX·(t-t0), Y0 + VY·(t-t0).
type Projectile struct {
	ID        uint32 // room-wide, strictly increasing from 1
	Owner     PlayerID
	X, Y      int32 // units
	VX, VY    int32 // units per tick
	ExpiresAt int32 // first tick at which the projectile no longer exists
	Rewind    int32 // how many ticks in the past its targets are (lagcomp.go), in [0, Config.LagCompTicks]
}

// fire spawns a projectile for p at tick if Shoot says it fires. The projectile moves in
// this same tick's projectile stage, so it is never seen inside its shooter. Its targets
// are judged as far in the past as p's input says they were on p's screen, within the
// window (lagcomp.go). Step fires at its own tick; Amend (amend.go) at the tick it redoes.
func (w *World) fire(p *Player, tick int32) {
	pr, ok := Shoot(&w.cfg, p, tick)
	if !ok {
		return
	}
	w.nextProjectileID++
	pr.ID = w.nextProjectileID
	pr.Rewind = w.rewind(p.Input.RenderLag)
	w.Projectiles = append(w.Projectiles, pr)
}

// Shoot fires for p at tick if it holds Fire (p.Input) and its cooldown is over
// (p.NextFire): it starts the cooldown and returns the projectile, with ID 0 (the World
// numbers its own), starting on the edge of p's hit circle along p.Aim. cfg must have its
// defaults filled in. Whether p is alive and the match is playing is the caller's business.
func Shoot(cfg *Config, p *Player, tick int32) (Projectile, bool) {
	if p.Input.Buttons&ButtonFire == 0 || tick < p.NextFire {
		return Projectile{}, false
	}
	dx, dy := Dir(p.Aim)
	r, speed := cfg.PlayerRadius, cfg.ProjectileSpeed
	p.NextFire = tick + cfg.FireCooldownTicks
	return Projectile{
		Owner:     p.ID,
		X:         p.X + scale(dx, r),
		Y:         p.Y + scale(dy, r),
		VX:        scale(dx, speed),
		VY:        scale(dy, speed),
		ExpiresAt: tick + cfg.ProjectileLifetimeTicks,
	}, true
}

// moveProjectiles flies every projectile one tick, in ID order, applies the hits, and
// compacts the survivors in place.
func (w *World) moveProjectiles() {
	kept := w.Projectiles[:0]
	for _, pr := range w.Projectiles {
		var then *frame
		if pr.Rewind > 0 {
			f := w.frameAt(w.Tick - pr.Rewind)
			then = &f
		}
		victim, flies := fly(w.cfg.Map, w.cfg.PlayerRadius, &pr, w.Players, w.Tick, then)
		if victim >= 0 {
			w.damage(&w.Players[victim], pr.Owner)
		}
		if flies {
			kept = append(kept, pr)
		}
	}
	w.Projectiles = kept
}

// Fly moves pr along its velocity for tick's flight on map m, against the live players
// of players other than its owner (hit circles of radius r), and reports the index in
// players of the one it hit (-1 if none) and whether it flies on. A projectile at or past
// its ExpiresAt does not fly.
//
// The tick's path is a segment, tested exactly, so no speed tunnels: it is cut short where
// it first touches a wall; of the players whose hit circle the cut segment touches, the
// one whose closest approach comes first along it takes the hit (ties go to the earlier
// in players: the lower ID, players being sorted). A projectile that hits, touches a wall
// or ends outside the arena does not fly on. Players never overlap walls or leave the
// arena, so a player is never hit through a wall or from outside. Fly tests the players
// where they are; the World's own flight may test them where they were (lagcomp.go).
func Fly(m *Map, r int32, pr *Projectile, players []Player, tick int32) (victim int, flies bool) {
	return fly(m, r, pr, players, tick, nil)
}

// fly is Fly, testing each player where then has it when then is not nil: if it was alive
// then in its current life, even if it has died since (lagcomp.go). Walls are always the
// present ones.
func fly(m *Map, r int32, pr *Projectile, players []Player, tick int32, then *frame) (victim int, flies bool) {
	if tick >= pr.ExpiresAt {
		return -1, false
	}
	vx, vy := pr.VX, pr.VY
	end, blocked := frac{1, 1}, false
	// The segment's bounding box, for entry's cheap test, taken once for all walls.
	minX, maxX := min(pr.X, pr.X+vx), max(pr.X, pr.X+vx)
	minY, maxY := min(pr.Y, pr.Y+vy), max(pr.Y, pr.Y+vy)
	for i := range m.Walls {
		wall := &m.Walls[i]
		if maxX < wall.MinX || minX > wall.MaxX || maxY < wall.MinY || minY > wall.MaxY {
			continue // entry would say so: bounding boxes apart
		}
		if t, ok := entry(pr.X, pr.Y, vx, vy, *wall); ok && t.less(end) {
			end, blocked = t, true
		}
	}
	if blocked {
		vx = int32(int64(vx) * end.num / end.den)
		vy = int32(int64(vy) * end.num / end.den)
	}

	// The cut segment's bounding box grown by r: touches' cheap test, taken once.
	loX, hiX := min(pr.X, pr.X+vx)-r, max(pr.X, pr.X+vx)+r
	loY, hiY := min(pr.Y, pr.Y+vy)-r, max(pr.Y, pr.Y+vy)+r
	victim = -1
	var victimAlong int64
	for i := range players {
		p := &players[i]
		if p.ID == pr.Owner || !p.Alive && then == nil {
			continue
		}
		x, y := p.X, p.Y
		if then != nil {
			var seen bool
			if x, y, seen = then.at(p.ID); !seen {
				continue
			}
		}
		if x < loX || x > hiX || y < loY || y > hiY {
			continue // touches would say so
		}
		if along, hit := touches(pr.X, pr.Y, vx, vy, x, y, r); hit && (victim < 0 || along < victimAlong) {
			victim, victimAlong = i, along
		}
	}
	if victim >= 0 {
		return victim, false
	}

	pr.X += vx
	pr.Y += vy
	return -1, !blocked && pr.X >= 0 && pr.X <= m.Width && pr.Y >= 0 && pr.Y <= m.Height
}

// frac is the rational num/den, den > 0: a position along a segment, 0 at its start and
// 1 at its end.
type frac struct {
	num, den int64
}

func (a frac) less(b frac) bool {
	return a.num*b.den < b.num*a.den
}

// entry returns where along the segment from (x, y) by (vx, vy) it first touches the
// closed box r (0 if it starts inside), and whether it touches it at all.
func entry(x, y, vx, vy int32, r Rect) (frac, bool) {
	if max(x, x+vx) < r.MinX || min(x, x+vx) > r.MaxX || max(y, y+vy) < r.MinY || min(y, y+vy) > r.MaxY {
		return frac{}, false // bounding boxes apart: the common case, decided cheaply
	}
	in, out := frac{0, 1}, frac{1, 1}
	if !clip(x, vx, r.MinX, r.MaxX, &in, &out) || !clip(y, vy, r.MinY, r.MaxY, &in, &out) {
		return frac{}, false
	}
	return in, true
}

// clip narrows [in, out] to the part of the segment where position p+v·t lies in [lo, hi]
// on one axis, and reports whether anything is left.
func clip(p, v, lo, hi int32, in, out *frac) bool {
	if v == 0 {
		return lo <= p && p <= hi
	}
	p64, v64, lo64, hi64 := int64(p), int64(v), int64(lo), int64(hi)
	enter, exit := frac{lo64 - p64, v64}, frac{hi64 - p64, v64}
	if v < 0 {
		enter, exit = frac{p64 - hi64, -v64}, frac{p64 - lo64, -v64}
	}
	if in.less(enter) {
		*in = enter
	}
	if exit.less(*out) {
		*out = exit
	}
	return !out.less(*in)
}

// touches reports whether the segment from (x, y) by (vx, vy) comes within r of (cx, cy),
// and how far along it the closest approach lies, as the dot product of the offset with
// the segment, clamped to [0, |v|²].
func touches(x, y, vx, vy, cx, cy, r int32) (int64, bool) {
	// Reject what is beyond r of the segment's bounding box; this also keeps the products
	// below within int64 (coordinates differ by at most r+|v|, see MaxPlayerRadius).
	if cx < min(x, x+vx)-r || cx > max(x, x+vx)+r || cy < min(y, y+vy)-r || cy > max(y, y+vy)+r {
		return 0, false
	}
	ox, oy := int64(cx-x), int64(cy-y)
	dx, dy := int64(vx), int64(vy)
	r2 := int64(r) * int64(r)
	along, length2 := ox*dx+oy*dy, dx*dx+dy*dy
	switch {
	case along <= 0:
		return 0, ox*ox+oy*oy <= r2
	case along >= length2:
		ex, ey := ox-dx, oy-dy
		return length2, ex*ex+ey*ey <= r2
	default:
		cross := dx*oy - dy*ox
		return along, cross*cross <= r2*length2
	}
}
