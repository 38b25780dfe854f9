// view.go — what to draw: Advance, which moves the netcode to a moment (the
// render clock of clock.go, the others interpolated by interp.go, the
// predicted local player of predict.go and its shots of shots.go, the
// events the picture has reached) and prepares the View; and View, which
// only reads what Advance prepared. A game calls Advance from its update
// and View from its draw.

package netcode

import (
	"math"
	"time"

	pb "skirmish/proto"
)

// View is what to draw at one moment. View fills it; its slices are
// reused from one call to the next, so a caller that keeps a View between
// frames allocates nothing in steady state.
type View struct {
	// Tick is the tick of the newest snapshot held.
	Tick uint32
	// RenderTick is the server time, in ticks, at which other players and
	// their shots are drawn: a little in the past, between two snapshots
	// held. It never goes backwards.
	RenderTick float64
	// PresentTick is the tick at which the local player and its own shots
	// are drawn: the one its last input is predicted to land on, ahead of
	// the newest snapshot by the inputs not yet accounted for.
	PresentTick int32
	// Me is the local player's id.
	Me uint32
	// Match is the match state as of RenderTick: the picture's.
	Match pb.MatchInfo
	// TicksLeft is the number of ticks until the current phase (match or
	// intermission) ends, from Match.EndTick and the estimated current server
	// tick; never negative.
	TicksLeft int32
	// Players are sorted by ID. The local player, if in the game, is among
	// them with Local set.
	Players []PlayerView
	// Shots are the projectiles in flight: the other players' at
	// RenderTick, then the local player's own (Own set) at PresentTick.
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
	Aim float64
	// Health, Kills and Deaths are as of RenderTick, so that no hit shows
	// before the picture does; the local player's Alive (and, across a
	// death or a respawn, its Health) are the newest, as its position is.
	Health, MaxHealth, Kills, Deaths int32
	Alive                            bool
	Local                            bool
}

// ShotView is one projectile as drawn.
type ShotView struct {
	// ID is the server's projectile id; 0 for an own shot that is still
	// only predicted.
	ID, Owner uint32
	// Own marks the local player's shots, drawn at View.PresentTick: from
	// the frame whose input fired them, handed over to the server's
	// projectile without a jump. Seq is the input that fired an own shot (0
	// if the server fired one the client did not predict).
	Own  bool
	Seq  uint32
	X, Y float64 // sim units
	// Alpha is 1, falling to 0 for an own shot the server did not fire
	// (its cooldown had not run out, the player was dead): it fades out
	// over Options.ShotFadeTime.
	Alpha float64
}

// Advance moves the Client to now and prepares what View returns: the
// render clock advanced (never backwards), the other players as they were
// at the render tick, interpolated between the two snapshots around it;
// their shots of the snapshot at or before it, moved along their line to
// it; the local player where the prediction has it, plus what is left of a
// smoothed correction, and its own shots in the same predicted present;
// the match state as of the render tick. Events then returns what happened
// up to the picture. Call it once per update, after Handle and Input; the
// own shots an Input fired are in the View of the Advance after it.
func (c *Client) Advance(now time.Time) {
	c.seen(now)
	f := &c.frame
	f.Players, f.Shots = f.Players[:0], f.Shots[:0]
	if !c.welcomed {
		*f = View{Players: f.Players, Shots: f.Shots}
		return
	}
	r := c.clock.advance(now, c.ring.oldest().tick, c.ring.newest().tick)
	a, b, frac := c.ring.bracket(r)
	c.shown = max(c.shown, a.tick)

	f.Tick, f.RenderTick, f.PresentTick, f.Me, f.Match = c.state.Tick, r, c.pred.present(), c.id, a.match
	left := float64(a.match.EndTick) - c.clock.serverTick(now)
	f.TicksLeft = int32(min(max(math.Ceil(left), 0), math.MaxInt32))

	f.Players = appendPlayers(f.Players, a, b, frac, c.id, c.cfg.PlayerSpeed)
	c.lag = float64(f.PresentTick) - r
	if me := c.state.Player(c.id); me != nil {
		f.Players = insertLocal(f.Players, c.local(me, a.player(c.id), now))
	}
	for i := range f.Players {
		f.Players[i].MaxHealth = c.cfg.MaxHealth
	}
	f.Shots = appendShots(f.Shots, a, r, c.id)
	c.own.advance(now)
	f.Shots = c.own.appendTo(f.Shots, now)
}

// View fills v with what the last Advance prepared (before the Welcome,
// nothing). It changes nothing in the Client: call it from a game's draw.
func (c *Client) View(v *View) {
	players := append(v.Players[:0], c.frame.Players...)
	shots := append(v.Shots[:0], c.frame.Shots...)
	*v = c.frame
	v.Players, v.Shots = players, shots
}

// Prepared is what the last Advance prepared, the View that View copies,
// for a caller that reads it before the next Advance and changes nothing
// in it: a draw that takes no copy (a bot's, which is then cold in the
// cache by its next frame). It is the Client's own, valid until the next
// Advance.
func (c *Client) Prepared() *View { return &c.frame }

// local is the local player as drawn at now: its newest state, at the
// predicted position plus the smoothing offset, aiming where the player
// last asked to; its health and scores as the picture's sample pic has
// them (nil: not there).
func (c *Client) local(me, pic *pb.PlayerState, now time.Time) PlayerView {
	p := playerView(me)
	p.Local = true
	if pic != nil {
		p.Kills, p.Deaths = pic.F[pb.FieldKills], pic.F[pb.FieldDeaths]
		if (pic.F[pb.FieldAlive] != 0) == p.Alive {
			p.Health = pic.F[pb.FieldHealth]
		}
	}
	ox, oy := c.pred.off.at(now, c.pred.smoothTime)
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
