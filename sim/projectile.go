// Stage: projectiles. Firing (called by movePlayers in step.go) and the flight of every
// projectile: walls, arena bounds, hits on players (damage in player.go).

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

// fire spawns a projectile for p if it holds Fire and its cooldown is over. The projectile
// starts on the edge of p's hit circle along its aim; it moves in this same tick's
// projectile stage, so it is never seen inside its shooter. Its targets are judged as far
// in the past as p's input says they were on p's screen, within the window (lagcomp.go).
func (w *World) fire(p *Player) {
	if p.Input.Buttons&ButtonFire == 0 || w.Tick < p.NextFire {
		return
	}
	dx, dy := Dir(p.Aim)
	r, speed := w.cfg.PlayerRadius, w.cfg.ProjectileSpeed
	w.nextProjectileID++
	w.Projectiles = append(w.Projectiles, Projectile{
		ID:        w.nextProjectileID,
		Owner:     p.ID,
		X:         p.X + scale(dx, r),
		Y:         p.Y + scale(dy, r),
		VX:        scale(dx, speed),
		VY:        scale(dy, speed),
		ExpiresAt: w.Tick + w.cfg.ProjectileLifetimeTicks,
		Rewind:    w.rewind(p.Input.RenderLag),
	})
	p.NextFire = w.Tick + w.cfg.FireCooldownTicks
}

// moveProjectiles flies every projectile one tick, in ID order, and compacts the survivors
// in place.
func (w *World) moveProjectiles() {
	kept := w.Projectiles[:0]
	for _, pr := range w.Projectiles {
		if w.Tick < pr.ExpiresAt && w.fly(&pr) {
			kept = append(kept, pr)
		}
	}
	w.Projectiles = kept
}

// fly moves pr along its velocity for one tick and reports whether it survives.
//
// The tick's path is a segment, tested exactly, so no speed tunnels: it is cut short where
// it first touches a wall; of the live players (other than the owner) whose hit circle
// the cut segment touches, the one whose closest approach comes first along it takes the
// hit (ties go to the lower ID). A projectile with a Rewind tests each player where it was
// that many ticks ago, if it was alive then in its current life (lagcomp.go). A projectile
// that hits, touches a wall or ends outside the arena is removed. Players never overlap
// walls or leave the arena, now or then, so a player is never hit through a wall or from
// outside.
func (w *World) fly(pr *Projectile) bool {
	vx, vy := pr.VX, pr.VY
	end, blocked := frac{1, 1}, false
	for _, wall := range w.cfg.Map.Walls {
		if t, ok := entry(pr.X, pr.Y, vx, vy, wall); ok && t.less(end) {
			end, blocked = t, true
		}
	}
	if blocked {
		vx = int32(int64(vx) * end.num / end.den)
		vy = int32(int64(vy) * end.num / end.den)
	}

	var victim *Player
	var victimAlong int64
	var then frame
	if pr.Rewind > 0 {
		then = w.frameAt(w.Tick - pr.Rewind)
	}
	r := w.cfg.PlayerRadius
	for i := range w.Players {
		p := &w.Players[i]
		if !p.Alive || p.ID == pr.Owner {
			continue
		}
		x, y := p.X, p.Y
		if pr.Rewind > 0 {
			var seen bool
			if x, y, seen = then.at(p.ID); !seen {
				continue
			}
		}
		if along, hit := touches(pr.X, pr.Y, vx, vy, x, y, r); hit && (victim == nil || along < victimAlong) {
			victim, victimAlong = p, along
		}
	}
	if victim != nil {
		w.damage(victim, pr.Owner)
		return false
	}

	pr.X += vx
	pr.Y += vy
	m := w.cfg.Map
	return !blocked && pr.X >= 0 && pr.X <= m.Width && pr.Y >= 0 && pr.Y <= m.Height
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
