// Stage: players. The Player record and what happens to one when it is hit, killed or
// spawned; movement is in move.go, firing in projectile.go, spawn choice in spawn.go.

package sim

// PlayerID names a player. The caller (the server) assigns IDs in [1, MaxPlayers], small
// and dense; 0 is never a player.
type PlayerID uint16

// MaxPlayers is the largest valid PlayerID, and so the most players a World can hold.
const MaxPlayers = 64

// Player is one player's state. The fields from NextFire on are server-side bookkeeping:
// exported so the server can inspect them, never sent to clients.
type Player struct {
	ID            PlayerID
	X, Y          int32  // centre, units
	Aim           uint16 // [0, AimSteps)
	Health        int32  // 0..MaxHealth
	Alive         bool
	Kills, Deaths int32 // in the current match

	NextFire  int32 // tick at which the player may fire again
	RespawnAt int32 // tick at which a dead player respawns
	Input     Input // last input received, sanitized; held while no new input arrives
}

// damage applies one projectile hit of owner's on p and reports it, and the kill if it is
// one, into w.Events. A p that is dead now (a rewound shot struck where its shooter saw it
// alive, lagcomp.go) takes no damage: the hit is reported with Value 0.
func (w *World) damage(p *Player, owner PlayerID) {
	if !p.Alive {
		w.Events = append(w.Events, Event{Kind: EventHit, A: owner, B: p.ID})
		return
	}
	dmg := w.cfg.ProjectileDamage
	p.Health -= dmg
	w.Events = append(w.Events, Event{Kind: EventHit, A: owner, B: p.ID, Value: dmg})
	if p.Health > 0 {
		return
	}
	p.Health = 0
	p.Alive = false
	p.Deaths++
	p.RespawnAt = w.Tick + w.cfg.RespawnTicks
	// Projectiles never hit their owner, so a kill is never a suicide; the killer may
	// have left, in which case nobody scores.
	if killer := w.Player(owner); killer != nil {
		killer.Kills++
	}
	w.Events = append(w.Events, Event{Kind: EventKill, A: owner, B: p.ID})
}
