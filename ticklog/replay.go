// replay.go — a log back into the sim: the Config of a Header, a World
// restored from a Keyframe, a Tick's roster and inputs handed to it and its
// hash checked (Replay), and Verify, which does that for a whole log and
// checks every keyframe against the replay too (`skirmish replay verify`).
// Every value from the file is range-checked before the sim sees it.

package ticklog

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"skirmish/proto/ticklogpb"
	"skirmish/sim"
)

// ErrMismatch is a replay that does not reach the log's hash.
var ErrMismatch = errors.New("ticklog: replay differs from the log")

// Replay replays a log's ticks in a World.
type Replay struct {
	cfg     sim.Config
	version uint32     // the log's format version: before 3, no back-2 amendment
	World   *sim.World // the replayed World; nil before Seek
	inputs  []sim.PlayerInput
	saved   sim.Saved
}

// NewReplay makes a replay of the log h heads. A log recorded under other
// sim rules than this build's (sim.RulesVersion) is refused with
// ErrRules: it would replay wrong.
func NewReplay(h *ticklogpb.Header) (*Replay, error) {
	if got := h.GetSimRules(); got != sim.RulesVersion {
		return nil, fmt.Errorf("%w: recorded under sim rules %d, this build plays %d", ErrRules, got, sim.RulesVersion)
	}
	cfg, err := configOf(h.GetConfig())
	if err != nil {
		return nil, err
	}
	return &Replay{cfg: cfg, version: h.GetVersion()}, nil
}

// Seek restores the World to the keyframe k.
func (p *Replay) Seek(k *ticklogpb.Keyframe) error {
	if err := savedOf(k, &p.saved); err != nil {
		return err
	}
	w, err := sim.Restore(p.cfg, &p.saved)
	if err != nil {
		return fmt.Errorf("%w: keyframe of tick %d: %v", ErrCorrupt, k.GetTick(), err)
	}
	p.World = w
	return nil
}

// Step applies t to the World, Steps it and checks its hash.
func (p *Replay) Step(t *ticklogpb.Tick) error {
	w := p.World
	tick := w.Tick + 1
	for _, id := range t.GetRoster() {
		if id == 0 || id > sim.MaxPlayers || id < -sim.MaxPlayers {
			return fmt.Errorf("%w: tick %d: roster id %d", ErrCorrupt, tick, id)
		}
		if id > 0 {
			if err := w.AddPlayer(sim.PlayerID(id)); err != nil {
				return fmt.Errorf("%w: tick %d: %v", ErrCorrupt, tick, err)
			}
		} else if !w.RemovePlayer(sim.PlayerID(-id)) {
			return fmt.Errorf("%w: tick %d: removes player %d, who is not there", ErrCorrupt, tick, -id)
		}
	}
	if err := p.amend(t.GetAmends()); err != nil {
		return fmt.Errorf("%w: tick %d: %v", ErrCorrupt, tick, err)
	}
	if err := p.changes(t.GetChanges()); err != nil {
		return fmt.Errorf("%w: tick %d: %v", ErrCorrupt, tick, err)
	}
	w.Step(p.inputs)
	if got := uint32(w.Digest()); got != t.GetHash() {
		return fmt.Errorf("%w: tick %d: hash %08x, the log's %08x", ErrMismatch, w.Tick, got, t.GetHash())
	}
	return nil
}

// Result is what Verify checked.
type Result struct {
	Ticks     int // ticks replayed, each to the log's hash
	Keyframes int // keyframes, each restored to the replay's state
}

// Verify replays the log r holds from its first keyframe and checks that
// every tick reaches the hash the log recorded and that every later
// keyframe restores the World the replay reached.
func Verify(r io.Reader) (*ticklogpb.Header, Result, error) {
	var res Result
	rd, err := NewReader(r)
	if err != nil {
		return nil, res, err
	}
	p, err := NewReplay(rd.Header())
	if err != nil {
		return rd.Header(), res, err
	}
	for {
		c, err := rd.Next()
		if err == io.EOF {
			return rd.Header(), res, nil
		}
		if err != nil {
			return rd.Header(), res, err
		}
		if p.World == nil {
			err = p.Seek(c.GetKeyframe())
		} else {
			err = p.checkKeyframe(c.GetKeyframe())
		}
		if err != nil {
			return rd.Header(), res, err
		}
		res.Keyframes++
		for _, t := range c.GetTicks() {
			if err := p.Step(t); err != nil {
				return rd.Header(), res, err
			}
			res.Ticks++
		}
	}
}

// checkKeyframe checks that k restores the World the replay is in.
func (p *Replay) checkKeyframe(k *ticklogpb.Keyframe) error {
	var s sim.Saved
	if err := savedOf(k, &s); err != nil {
		return err
	}
	w, err := sim.Restore(p.cfg, &s)
	if err != nil {
		return fmt.Errorf("%w: keyframe of tick %d: %v", ErrCorrupt, k.GetTick(), err)
	}
	if got, want := w.Hash(), p.World.Hash(); got != want {
		return fmt.Errorf("%w: keyframe of tick %d: hash %016x, the replay's %016x", ErrMismatch, k.GetTick(), got, want)
	}
	return nil
}

// configOf is the sim.Config of c.
func configOf(c *ticklogpb.Config) (sim.Config, error) {
	m := c.GetMap()
	walls, spawns := m.GetWalls(), m.GetSpawns()
	switch {
	case m == nil || m.GetWidth() <= 0 || m.GetHeight() <= 0:
		return sim.Config{}, fmt.Errorf("%w: config without a map", ErrCorrupt)
	case len(walls)%4 != 0 || len(spawns)%2 != 0 || len(spawns) == 0:
		return sim.Config{}, fmt.Errorf("%w: map of %d wall numbers and %d spawn numbers", ErrCorrupt, len(walls), len(spawns))
	}
	sm := &sim.Map{Width: m.GetWidth(), Height: m.GetHeight()}
	for i := 0; i < len(walls); i += 4 {
		sm.Walls = append(sm.Walls, sim.Rect{MinX: walls[i], MinY: walls[i+1], MaxX: walls[i+2], MaxY: walls[i+3]})
	}
	for i := 0; i < len(spawns); i += 2 {
		sm.Spawns = append(sm.Spawns, sim.Point{X: spawns[i], Y: spawns[i+1]})
	}
	lag := c.GetLagCompTicks()
	if lag == 0 {
		lag = -1 // the log's 0 is off; the sim's is the default
	}
	return sim.Config{
		Seed: c.GetSeed(), Map: sm,
		MatchTicks: c.GetMatchTicks(), ScoreLimit: c.GetScoreLimit(), IntermissionTicks: c.GetIntermissionTicks(),
		RespawnTicks: c.GetRespawnTicks(), PlayerSpeed: c.GetPlayerSpeed(), PlayerRadius: c.GetPlayerRadius(),
		MaxHealth: c.GetMaxHealth(), FireCooldownTicks: c.GetFireCooldownTicks(), ProjectileSpeed: c.GetProjectileSpeed(),
		ProjectileDamage: c.GetProjectileDamage(), ProjectileLifetimeTicks: c.GetProjectileLifetimeTicks(),
		LagCompTicks: lag,
	}, nil
}

// amend makes a Tick's amendments, in order: each redoes a player's last
// one or two moves (the back-2 bit of its leading number) with its held
// input and what changed. A player may have a back-2 amendment, then a
// back-1 one, and no other sequence.
func (p *Replay) amend(c []uint32) error {
	var last [sim.MaxPlayers + 1]int // the back of the player's amendment before, 0 if none
	for len(c) > 0 {
		head := c[0]
		back := int(head>>10) + 1
		switch {
		case back > sim.MaxAmendBack:
			return fmt.Errorf("an amendment %d Steps back", back)
		case back == 2 && p.version < 3:
			return fmt.Errorf("an amendment two Steps back in a version %d log", p.version)
		}
		id, in, rest, err := p.change(head&(amendBack2-1), c[1:], back == 2)
		if err != nil {
			return err
		}
		c = rest
		if last[id] != 0 && (last[id] != 2 || back != 1) {
			return fmt.Errorf("two amendments of player %d: back %d after back %d", id, back, last[id])
		}
		last[id] = back
		if !p.World.Amend(id, back, in) {
			return fmt.Errorf("an amendment of player %d back %d, which the World cannot redo", id, back)
		}
	}
	return nil
}

// changes reads a Tick's changes into p.inputs: each player's held input
// with what changed.
func (p *Replay) changes(c []uint32) error {
	p.inputs = p.inputs[:0]
	for len(c) > 0 {
		id, in, rest, err := p.change(c[0], c[1:], false)
		if err != nil {
			return err
		}
		c = rest
		if slices.ContainsFunc(p.inputs, func(in sim.PlayerInput) bool { return in.ID == id }) {
			return fmt.Errorf("two input changes of player %d", id)
		}
		p.inputs = append(p.inputs, sim.PlayerInput{ID: id, Input: in})
	}
	return nil
}

// change reads a change (Tick.changes' encoding) of leading number head,
// its values at the start of c: the player's held input with what changed,
// and the rest of c. same says whether it may change nothing.
func (p *Replay) change(head uint32, c []uint32, same bool) (sim.PlayerID, sim.Input, []uint32, error) {
	id, fields := sim.PlayerID(head>>4+1), head&0xf
	pl := p.World.Player(id)
	switch {
	case head>>4 >= sim.MaxPlayers || pl == nil:
		return 0, sim.Input{}, nil, fmt.Errorf("an input for player %d, who is not there", head>>4+1)
	case fields == 0 && !same:
		return 0, sim.Input{}, nil, fmt.Errorf("an input change of player %d that changes nothing", id)
	}
	in := pl.Input
	for bit := uint32(1); bit <= changeRenderLag; bit <<= 1 {
		if fields&bit == 0 {
			continue
		}
		if len(c) == 0 {
			return 0, sim.Input{}, nil, fmt.Errorf("player %d's input change ends early", id)
		}
		v := c[0]
		c = c[1:]
		if bit != changeAim && v > math.MaxUint8 || bit == changeAim && v >= sim.AimSteps {
			return 0, sim.Input{}, nil, fmt.Errorf("player %d's input change out of range", id)
		}
		switch bit {
		case changeMove:
			in.Move = uint8(v)
		case changeAim:
			turn := int32(v>>1) ^ -int32(v&1)
			in.Aim = uint16((int32(in.Aim) + turn + sim.AimSteps) % sim.AimSteps)
		case changeButtons:
			in.Buttons = uint8(v)
		case changeRenderLag:
			in.RenderLag = uint8(v)
		}
	}
	if s, _ := in.Sanitize(); s != in {
		return 0, sim.Input{}, nil, fmt.Errorf("player %d's input out of range", id)
	}
	return id, in, c, nil
}

// savedOf reads k into s, range-checking what does not fit sim's types;
// sim.Restore checks the rest.
func savedOf(k *ticklogpb.Keyframe, s *sim.Saved) error {
	bad := func(what string) error {
		return fmt.Errorf("%w: keyframe of tick %d: %s out of range", ErrCorrupt, k.GetTick(), what)
	}
	if k.GetMatchNumber() > math.MaxInt32 || k.GetMatchPhase() > math.MaxUint8 {
		return bad("match")
	}
	*s = sim.Saved{
		Tick:             k.GetTick(),
		Match:            sim.Match{Number: int32(k.GetMatchNumber()), Phase: sim.Phase(k.GetMatchPhase()), EndTick: k.GetMatchEndTick()},
		RNG:              k.GetRng(),
		LastProjectileID: k.GetLastProjectileId(),
	}
	for _, p := range k.GetPlayers() {
		if p.GetId() > sim.MaxPlayers || p.GetAim() > math.MaxUint16 {
			return bad("player")
		}
		if p.GetInputMove() > math.MaxUint8 || p.GetInputAim() > math.MaxUint16 || p.GetInputButtons() > math.MaxUint8 || p.GetInputRenderLag() > math.MaxUint8 {
			return bad("player input")
		}
		in := sim.Input{Move: uint8(p.GetInputMove()), Aim: uint16(p.GetInputAim()), Buttons: uint8(p.GetInputButtons()), RenderLag: uint8(p.GetInputRenderLag())}
		s.Players = append(s.Players, sim.Player{
			ID: sim.PlayerID(p.GetId()), X: p.GetX(), Y: p.GetY(), Aim: uint16(p.GetAim()), Health: p.GetHealth(), Alive: p.GetAlive(),
			Kills: p.GetKills(), Deaths: p.GetDeaths(), NextFire: p.GetNextFire(), RespawnAt: p.GetRespawnAt(), Input: in,
		})
	}
	for _, pr := range k.GetProjectiles() {
		if pr.GetOwner() > math.MaxUint16 {
			return bad("projectile owner")
		}
		s.Projectiles = append(s.Projectiles, sim.Projectile{
			ID: pr.GetId(), Owner: sim.PlayerID(pr.GetOwner()), X: pr.GetX(), Y: pr.GetY(), VX: pr.GetVx(), VY: pr.GetVy(),
			ExpiresAt: pr.GetExpiresAt(), Rewind: pr.GetRewind(),
		})
	}
	for _, e := range k.GetPending() {
		if e.GetKind() > math.MaxUint8 || e.GetA() > math.MaxUint16 || e.GetB() > math.MaxUint16 {
			return bad("event")
		}
		s.Pending = append(s.Pending, sim.Event{Kind: sim.EventKind(e.GetKind()), A: sim.PlayerID(e.GetA()), B: sim.PlayerID(e.GetB()), Value: e.GetValue()})
	}
	for _, e := range k.GetPast() {
		if e.GetId() > sim.MaxPlayers {
			return bad("past position")
		}
		s.Past = append(s.Past, sim.PastPos{ID: sim.PlayerID(e.GetId()), Tick: e.GetTick(), X: e.GetX(), Y: e.GetY()})
	}
	return nil
}
