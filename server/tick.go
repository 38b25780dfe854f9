// tick.go — one tick of a room, in order: admit joins (taking over the
// players their accounts have: hold.go; then spectators: spectate.go),
// drop or hold leavers, end the holds that are over, take
// one input per player, step the game, then capture and send the snapshots
// (snapshot.go, outbound.go): only for the last ticks, when a room runs
// late ones back to back. Only the room's goroutine (room.go) runs it.
// While the server drains, drain.go has a look before the ticks.

package server

import (
	"time"

	pb "skirmish/proto"
	"skirmish/simwire"
)

// ticks runs the ticks clock.go found due and records how they went. It
// returns false when the room should end.
func (r *room) ticks(run, skipped int, late time.Duration) bool {
	m := r.s.metrics
	if skipped > 0 {
		m.ticksSkipped.Add(float64(skipped))
	}
	if late > time.Second/time.Duration(r.s.opts.TickRate) {
		m.tickOverruns.Inc()
	}
	m.tickLateness.Observe(late.Seconds())
	if r.s.draining.Load() && r.drainTick() {
		return false
	}
	for i := range run {
		// The real clock, not Options.Now: this measures the work a tick
		// took, and decides nothing (clock.go).
		start := time.Now()
		r.tickStart = start // the batch's goroutine times its writes from it (outbound.go)
		r.step(i >= run-sendLate)
		d := time.Since(start)
		m.tickDuration.Observe(d.Seconds())
		r.durations.add(d)
	}
	if sums, ok := r.stats.flush(m, r.s.opts.TickRate, r.game); ok {
		r.publish(sums) // live.go: the operator's console reads it
	}
	return true
}

// sendLate is how many of the ticks a late room runs back to back send
// their snapshots: the last two. Older ones would reach players more than
// a tick late, and sending them is work and bytes a room that is behind
// cannot spare; what they changed goes out in the next snapshot anyway.
// (Measured at 1,000 bots on 2 cores: sending only the last loses 2 % of
// snapshots, sending all of them pushes p99 lateness past 50 ms.)
const sendLate = 2

// step is one tick; send says whether its snapshots go out (see
// sendLate). Quake III, too, runs the frames due and then sends.
func (r *room) step(send bool) {
	r.admit()
	r.admitSpectators()
	r.evict()
	r.expireHolds()
	r.collectInputs()
	r.game.Step(r.inputs)
	r.capture()
	if send {
		r.broadcast()
		return
	}
	for _, c := range r.clients {
		if c != nil && !c.closed.Load() {
			r.stats.merged++
		}
	}
	r.stats.merged += len(r.spectators)
}

// admit seats the clients that completed their handshake since the last
// tick. Their Welcome goes out with this tick's snapshots.
func (r *room) admit() {
	for {
		var c *client
		select {
		case c = <-r.joins:
		default:
			return
		}
		if r.takeOver(c) {
			continue
		}
		id := r.freeID()
		if id == 0 {
			c.kick(kickRoomFull)
			continue
		}
		if err := r.game.AddPlayer(id); err != nil {
			r.s.opts.Logger.Error("server: add player", "room", r.id, "err", err)
			c.kick(kickRoomFull)
			continue
		}
		r.serial++
		c.id, c.serial, c.base, c.slots = id, r.serial, 0, simwire.Slots{}
		r.clients[id] = c
		r.s.metrics.playersConnected.Inc()
		r.s.opts.Logger.Info("server: player joined", "room", r.id, "id", id, "name", c.ticket.Name)
	}
}

func (r *room) freeID() uint32 {
	for id := 1; id < len(r.clients); id++ {
		if r.clients[id] == nil {
			return uint32(id)
		}
	}
	return 0
}

// evict removes the players whose connection closed (or holds them, when
// the registry holds their seat: hold.go), and drops those whose oldest
// queued snapshot has waited StuckTimeout to be written; spectators
// likewise (spectate.go).
func (r *room) evict() {
	stuckTicks := int64(r.s.opts.StuckTimeout) * int64(r.s.opts.TickRate) / int64(time.Second)
	now := int64(r.hist.tick) + 1
	for id, c := range r.clients {
		if c == nil {
			continue
		}
		c.dropIfStuck(now, stuckTicks)
		switch {
		case c.holding:
		case c.closed.Load() && c.held.Load():
			r.hold(c)
		case c.closed.Load():
			r.remove(c)
			r.clients[id] = nil
		}
	}
	r.evictSpectators(now, stuckTicks)
}

// remove takes an admitted client's player out of the game.
func (r *room) remove(c *client) {
	r.game.RemovePlayer(c.id)
	c.out.stop()
	r.s.metrics.playersConnected.Dec()
	r.s.opts.Logger.Info("server: player left", "room", r.id, "id", c.id)
}

// collectInputs fills every player's input slot for this tick from its
// queue, by the rule simwire.Slots holds: input seq n fills the n-th slot;
// the newest input stands in for a late one (the ack moves on); the late
// one amends the stand-in's move when it comes up to simwire.MaxAmendBack
// ticks late (the game redoes the player's moves from its slot on with it
// before this tick's), and is dropped when later (its fire carried over)
// while the player idles that tick; a player silent past simwire.MaxOwed
// stand-ins idles.
// The room counts the slots by their lead, the inputs that amended, and
// the late inputs dropped (metrics.go: input_slots_total,
// inputs_amended_total, inputs_late_total). Every player who has sent an input is handed one each tick, so the game
// never walks on with a held input nobody sent. The slots are filled at
// one time a tick, on the clock inputs are stamped with as they arrive
// (inbound.go): each input's margin is taken against it, and each tick
// the least of a player's is counted (input_margin_seconds).
func (r *room) collectInputs() {
	r.inputs = r.inputs[:0]
	at := r.s.opts.Now().UnixNano()
	for _, c := range r.clients {
		if c == nil {
			continue
		}
		sl := &r.slot
		c.slots.Fill(&c.queue, sl, at)
		for _, a := range sl.Amend[:sl.Amends] {
			switch {
			case r.game.Amend(c.id, a.Back, a.Input):
				r.stats.amended++
			case r.inPlay(c.id):
				r.stats.late++ // its move is lost, as a dropped input's
			}
		}
		if sl.Applied() {
			r.inputs = append(r.inputs, PlayerInput{ID: c.id, Input: sl.Input})
		}
		if sl.Timed {
			r.stats.margins.add(sl.Margin)
		}
		r.stats.late += int(sl.Dropped)
		if sl.From == simwire.FromQueue || sl.From == simwire.FromStandIn { // a stand-in's lead is < 0
			r.stats.slots[leadBand(sl.Lead)]++
		}
	}
}

// inPlay reports whether player id was alive in a match being played at
// the end of the last tick: whether its inputs moved it. An amendment the
// game refused for one that was not (it died, or the match ended, since
// its slot) lost nothing.
func (r *room) inPlay(id uint32) bool {
	st := r.hist.at(r.hist.tick)
	if st == nil || st.Match.Phase != pb.MatchPhase_MATCH_PHASE_PLAYING {
		return false
	}
	p := st.Player(id)
	return p != nil && p.F[pb.FieldAlive] != 0
}
