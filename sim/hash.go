// Stage: fingerprint. Hash condenses the whole World (world.go) into 64 bits, so replays
// and peers can check that they agree tick by tick.

package sim

// Hash returns the FNV-1a 64 hash of the complete state, fed little-endian in this order:
// Tick; Match.Number, Phase, EndTick; the generator state; the last projectile ID; the
// number of players, then for each in ID order ID, X, Y, Aim, Health, Alive (one byte),
// Kills, Deaths, NextFire, RespawnAt, Input.Move, Input.Aim, Input.Buttons,
// Input.RenderLag; the number of projectiles, then for each in ID order ID, Owner, X, Y, VX,
// VY, ExpiresAt, Rewind; the number of events waiting for the next Step, then each one's
// Kind, A, B, Value. The Config, the Events of the last Step, the Rewinds counts and the
// lag compensation history (a function of the last ticks' states, lagcomp.go) are not
// part of it.
func (w *World) Hash() uint64 {
	h := fnv(fnvOffset)
	h.u32(uint32(w.Tick))
	h.u32(uint32(w.Match.Number))
	h.u8(uint8(w.Match.Phase))
	h.u32(uint32(w.Match.EndTick))
	h.u64(w.rng.state)
	h.u32(w.nextProjectileID)

	h.u32(uint32(len(w.Players)))
	for i := range w.Players {
		p := &w.Players[i]
		h.u16(uint16(p.ID))
		h.u32(uint32(p.X))
		h.u32(uint32(p.Y))
		h.u16(p.Aim)
		h.u32(uint32(p.Health))
		h.bool(p.Alive)
		h.u32(uint32(p.Kills))
		h.u32(uint32(p.Deaths))
		h.u32(uint32(p.NextFire))
		h.u32(uint32(p.RespawnAt))
		h.u8(p.Input.Move)
		h.u16(p.Input.Aim)
		h.u8(p.Input.Buttons)
		h.u8(p.Input.RenderLag)
	}

	h.u32(uint32(len(w.Projectiles)))
	for i := range w.Projectiles {
		pr := &w.Projectiles[i]
		h.u32(pr.ID)
		h.u16(uint16(pr.Owner))
		h.u32(uint32(pr.X))
		h.u32(uint32(pr.Y))
		h.u32(uint32(pr.VX))
		h.u32(uint32(pr.VY))
		h.u32(uint32(pr.ExpiresAt))
		h.u32(uint32(pr.Rewind))
	}

	h.u32(uint32(len(w.pending)))
	for _, e := range w.pending {
		h.u8(uint8(e.Kind))
		h.u16(uint16(e.A))
		h.u16(uint16(e.B))
		h.u32(uint32(e.Value))
	}
	return uint64(h)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv is a running FNV-1a 64 hash.
type fnv uint64

func (h *fnv) u8(b uint8) {
	*h ^= fnv(b)
	*h *= fnvPrime
}

func (h *fnv) bool(b bool) {
	if b {
		h.u8(1)
	} else {
		h.u8(0)
	}
}

func (h *fnv) u16(v uint16) {
	h.u8(uint8(v))
	h.u8(uint8(v >> 8))
}

func (h *fnv) u32(v uint32) {
	h.u16(uint16(v))
	h.u16(uint16(v >> 16))
}

func (h *fnv) u64(v uint64) {
	h.u32(uint32(v))
	h.u32(uint32(v >> 32))
}

// Digest returns a 64-bit digest of the same state Hash covers, mixed a whole word at a
// time into five independent lanes (so that the multiplications overlap): several times
// cheaper than Hash, for a server that fingerprints every tick (a tick log,
// skirmish/ticklog). Like Hash it is the same on every architecture; unlike Hash it is not
// a standard function, only this one. Each word v goes into its lane h as
// h = (h ^ v) · fnvPrime, then h ^= h >> 29; every lane starts at fnvOffset. The words, by
// lane (a b c d e), in this order:
//
//	a Tick | Match.Number<<32, b Phase | EndTick<<32, c the generator state,
//	d the last projectile ID | the number of players<<32;
//	for each player in ID order: a X | Y<<32, b Health | Kills<<32, c Deaths | NextFire<<32,
//	d RespawnAt | ID<<32 | Aim<<48,
//	e Input.Move | Input.Aim<<8 | Input.Buttons<<24 | Input.RenderLag<<32 | Alive<<40;
//	e the number of projectiles; for each in ID order: a ID | Owner<<32, b X | Y<<32,
//	c VX | VY<<32, d ExpiresAt | Rewind<<32;
//	e the number of events waiting; for each: a Kind | A<<8 | B<<24, b Value.
//
// Signed values go in as their 32-bit two's complement. The lanes are then mixed as words
// into a (b, c, d, e, in order), and a is finished as splitmix64 finishes its output.
func (w *World) Digest() uint64 {
	a, b, c, d, e := uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset)
	a = mix(a, pair(w.Tick, w.Match.Number))
	b = mix(b, pair(int32(w.Match.Phase), w.Match.EndTick))
	c = mix(c, w.rng.state)
	d = mix(d, uint64(w.nextProjectileID)|uint64(len(w.Players))<<32)
	for i := range w.Players {
		p := &w.Players[i]
		var alive uint64
		if p.Alive {
			alive = 1
		}
		in := p.Input
		a = mix(a, pair(p.X, p.Y))
		b = mix(b, pair(p.Health, p.Kills))
		c = mix(c, pair(p.Deaths, p.NextFire))
		d = mix(d, uint64(uint32(p.RespawnAt))|uint64(p.ID)<<32|uint64(p.Aim)<<48)
		e = mix(e, uint64(in.Move)|uint64(in.Aim)<<8|uint64(in.Buttons)<<24|uint64(in.RenderLag)<<32|alive<<40)
	}
	e = mix(e, uint64(len(w.Projectiles)))
	for i := range w.Projectiles {
		pr := &w.Projectiles[i]
		a = mix(a, uint64(pr.ID)|uint64(pr.Owner)<<32)
		b = mix(b, pair(pr.X, pr.Y))
		c = mix(c, pair(pr.VX, pr.VY))
		d = mix(d, pair(pr.ExpiresAt, pr.Rewind))
	}
	e = mix(e, uint64(len(w.pending)))
	for _, ev := range w.pending {
		a = mix(a, uint64(ev.Kind)|uint64(ev.A)<<8|uint64(ev.B)<<24)
		b = mix(b, uint64(uint32(ev.Value)))
	}
	z := mix(mix(mix(mix(a, b), c), d), e)
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	return z ^ z>>31
}

// mix is one word of a Digest lane.
func mix(h, v uint64) uint64 {
	x := (h ^ v) * fnvPrime
	return x ^ x>>29
}

// pair is a and b in one word, a in the low half.
func pair(a, b int32) uint64 { return uint64(uint32(a)) | uint64(uint32(b))<<32 }
