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
