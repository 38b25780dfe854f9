// view.go — what to draw at a moment: View, and Frame, which fills it from
// the predicted local player (predict.go), the others interpolated at the
// render tick (clock.go, interp.go) and the newest match state.

package netcode

import (
	"math"
	"time"

	pb "skirmish/proto"
)

// View is what to draw at one moment. Frame fills it; its slices are
// reused from one Frame to the next, so a caller that keeps a View between
// frames allocates nothing in steady state.
type View struct {
	// Tick is the tick of the newest snapshot held.
	Tick uint32
	// RenderTick is the server time, in ticks, at which other players and
	// the shots are drawn: a little in the past, between two snapshots held.
	// It never goes backwards.
	RenderTick float64
	// Me is the local player's id.
	Me uint32
	// Match is the newest match state.
	Match pb.MatchInfo
	// TicksLeft is the number of ticks until the current phase (match or
	// intermission) ends, from Match.EndTick and the estimated current server
	// tick; never negative.
	TicksLeft int32
	// Players are sorted by ID. The local player, if in the game, is among
	// them with Local set.
	Players []PlayerView
	// Shots are the projectiles in flight at RenderTick.
	Shots []ShotView
}

// PlayerView is one player as drawn.
type PlayerView struct {
	ID   uint32
	Name string
	// X, Y is the centre in sim units: predicted (and smoothed) for the
	// local player, interpolated for the others.
	X, Y float64
	// Aim is in [0, sim.AimSteps): the local player's from its last input,
	// the others' interpolated the short way round.
	Aim                              float64
	Health, MaxHealth, Kills, Deaths int32
	Alive                            bool
	Local                            bool
}

// ShotView is one projectile as drawn, at View.RenderTick.
type ShotView struct {
	ID, Owner uint32
	X, Y      float64 // sim units
}

// Frame fills v with what to draw at now: the local player where the
// prediction has it, plus what is left of a smoothed correction; the
// others as they were at the render tick, interpolated between the two
// snapshots around it; the shots of the snapshot at or before the render
// tick, moved along their line to it; the newest match state. Before the
// Welcome it empties v. Call it once per drawn frame.
func (c *Client) Frame(now time.Time, v *View) {
	c.seen(now)
	v.Players, v.Shots = v.Players[:0], v.Shots[:0]
	if !c.welcomed {
		*v = View{Players: v.Players, Shots: v.Shots}
		return
	}
	r := c.clock.advance(now, c.ring.oldest().tick, c.ring.newest().tick)
	a, b, frac := c.ring.bracket(r)

	v.Tick, v.RenderTick, v.Me, v.Match = c.state.Tick, r, c.id, c.state.Match
	left := float64(c.state.Match.EndTick) - c.clock.serverTick(now)
	v.TicksLeft = int32(min(max(math.Ceil(left), 0), math.MaxInt32))

	v.Players = appendPlayers(v.Players, a, b, frac, c.id, c.cfg.PlayerSpeed)
	if me := c.state.Player(c.id); me != nil {
		v.Players = insertLocal(v.Players, c.local(me, now))
	}
	for i := range v.Players {
		v.Players[i].MaxHealth = c.cfg.MaxHealth
	}
	v.Shots = appendShots(v.Shots, a, r)
}

// local is the local player as drawn at now: its newest state, at the
// predicted position plus the smoothing offset, aiming where the player
// last asked to.
func (c *Client) local(me *pb.PlayerState, now time.Time) PlayerView {
	p := playerView(me)
	p.Local = true
	ox, oy := c.pred.offset(now)
	p.X, p.Y = float64(c.pred.me.X)+ox, float64(c.pred.me.Y)+oy
	if c.pred.seq > 0 {
		p.Aim = float64(c.pred.last.Aim)
	}
	return p
}

// insertLocal inserts p into players, which are sorted by ID and do not
// hold it.
func insertLocal(players []PlayerView, p PlayerView) []PlayerView {
	i := len(players)
	for i > 0 && players[i-1].ID > p.ID {
		i--
	}
	players = append(players, PlayerView{})
	copy(players[i+1:], players[i:])
	players[i] = p
	return players
}
