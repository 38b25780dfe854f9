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
// time: several times cheaper than Hash, for a server that fingerprints every tick (a
// tick log, skirmish/ticklog). Like Hash it is the same on every architecture; unlike
// Hash it is not a standard function, only this one: words fed in this order, each
// h = (h ^ word) · fnvPrime, then h ^= h >> 29; the result finished as splitmix64 does.
// Words: Tick | Match.Number<<32; Phase | EndTick<<32; the generator state; the last
// projectile ID | the number of players<<32; then for each player in ID order
// X | Y<<32, Health | Kills<<32, Deaths | NextFire<<32, RespawnAt | ID<<32 | Aim<<48,
// Input.Move | Input.Aim<<8 | Input.Buttons<<24 | Input.RenderLag<<32 | Alive<<40; the
// number of projectiles; for each in ID order ID | Owner<<32, X | Y<<32, VX | VY<<32,
// ExpiresAt | Rewind<<32; the number of events waiting; for each Kind | A<<8 | B<<24,
// then Value.
func (w *World) Digest() uint64 {
	h := digest(fnvOffset)
	h.mix(pair(w.Tick, w.Match.Number))
	h.mix(pair(int32(w.Match.Phase), w.Match.EndTick))
	h.mix(w.rng.state)
	h.mix(uint64(w.nextProjectileID) | uint64(len(w.Players))<<32)
	for i := range w.Players {
		p := &w.Players[i]
		h.mix(pair(p.X, p.Y))
		h.mix(pair(p.Health, p.Kills))
		h.mix(pair(p.Deaths, p.NextFire))
		h.mix(uint64(uint32(p.RespawnAt)) | uint64(p.ID)<<32 | uint64(p.Aim)<<48)
		var alive uint64
		if p.Alive {
			alive = 1
		}
		in := p.Input
		h.mix(uint64(in.Move) | uint64(in.Aim)<<8 | uint64(in.Buttons)<<24 | uint64(in.RenderLag)<<32 | alive<<40)
	}
	h.mix(uint64(len(w.Projectiles)))
	for i := range w.Projectiles {
		pr := &w.Projectiles[i]
		h.mix(uint64(pr.ID) | uint64(pr.Owner)<<32)
		h.mix(pair(pr.X, pr.Y))
		h.mix(pair(pr.VX, pr.VY))
		h.mix(pair(pr.ExpiresAt, pr.Rewind))
	}
	h.mix(uint64(len(w.pending)))
	for _, e := range w.pending {
		h.mix(uint64(e.Kind) | uint64(e.A)<<8 | uint64(e.B)<<24)
		h.mix(uint64(uint32(e.Value)))
	}
	z := uint64(h)
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	return z ^ z>>31
}

// digest is Digest's running state.
type digest uint64

func (h *digest) mix(v uint64) {
	x := (uint64(*h) ^ v) * fnvPrime
	*h = digest(x ^ x>>29)
}

// pair is a and b in one word, a in the low half.
func pair(a, b int32) uint64 { return uint64(uint32(a)) | uint64(uint32(b))<<32 }
