// match.go — quick match, the lobby's side: the matcher. Each pass seats
// queued entries (queue.go) in public rooms of their mode: the fullest room
// with space whose mean rating is within the entry's window (rating.go),
// and a new room only when no room of the mode has space for the entry at
// all. The window widens the longer an entry waits, until any room with
// space will do, so nobody waits forever. Every seat is taken through
// Store.Reserve, atomically, so a plan that went stale (another process,
// a cancel) costs a retry, never an over-filled room or a second seat.
//
// Every lobby process runs a matcher; Store.Lead lets one of them match at
// a time, and another takes over within the lead's time if it stops. Each
// reservation names its matcher, and the store refuses those of a matcher
// that lost its turn mid-pass (a stall longer than the turn), so two
// plans never mix.

package lobby

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"time"
)

const (
	// leadIntervals is how many matcher intervals one turn as leader lasts
	// (at least minLead): the leader renews it every pass.
	leadIntervals = 20
	minLead       = 3 * time.Second
	// passTimeout bounds one pass's store work.
	passTimeout = 10 * time.Second
	// passEntries is how many of a mode's oldest entries one pass plans
	// for: a long queue is seated over several quick passes, one straight
	// after another, so the oldest get their seats first and no pass
	// outlasts the matcher's turn.
	passEntries = 1000
)

// leadTTL is how long one turn as the matcher lasts unless renewed.
func (l *Lobby) leadTTL() time.Duration {
	return max(minLead, leadIntervals*l.opts.MatchInterval)
}

// wakeMatcher asks for a pass now. It never blocks: a pass already asked
// for will see this request's work too.
func (l *Lobby) wakeMatcher() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// runMatcher is the matcher goroutine: a pass every MatchInterval, or at
// once when woken, until Close.
func (l *Lobby) runMatcher() {
	defer close(l.done)
	tick := time.NewTicker(l.opts.MatchInterval)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-l.runCtx.Done():
			return
		case <-tick.C:
		case <-l.wake:
		}
		err := l.matchPasses()
		if err == nil {
			err = l.watchChanges()
		}
		switch {
		case err != nil && l.runCtx.Err() != nil:
			return
		case err != nil && !failing:
			failing = true
			l.opts.Logger.Warn("lobby: matcher failing", "err", err)
		case err == nil && failing:
			failing = false
			l.opts.Logger.Info("lobby: matcher working again")
		}
	}
}

// watchChanges wakes the waiting requests of this process when the store
// changed: seats were assigned, here or by another process's matcher, or
// entries left the queue.
func (l *Lobby) watchChanges() error {
	ctx, cancel := context.WithTimeout(l.runCtx, passTimeout)
	defer cancel()
	n, err := l.store.Changes(ctx)
	if err != nil {
		return err
	}
	if n != l.changes {
		l.changes = n
		l.assigned.broadcast()
	}
	return nil
}

// matchPasses runs passes until one leaves no mode with more entries than
// a pass plans for.
func (l *Lobby) matchPasses() error {
	for {
		ctx, cancel := context.WithTimeout(l.runCtx, passTimeout)
		_, more, err := l.matchPass(ctx)
		cancel()
		if err != nil || !more {
			return err
		}
	}
}

// matchPass is one pass: if this process leads, free expired seats, then
// seat what can be seated in every mode. It returns how many players it
// seated, and whether a mode had more entries than it planned for.
func (l *Lobby) matchPass(ctx context.Context) (seated int, more bool, err error) {
	l.passMu.Lock()
	defer l.passMu.Unlock()
	defer func() {
		if err != nil {
			l.reachedSince = time.Time{} // the store failed: nodes could not beat either
		}
	}()
	now := l.opts.Now()
	lead, err := l.store.Lead(ctx, l.owner, now, l.leadTTL())
	if err != nil {
		return 0, false, err
	}
	if l.reachedSince.IsZero() {
		l.reachedSince = now
	}
	if !lead {
		return 0, false, nil
	}
	if _, err := l.store.Expire(ctx, now); err != nil {
		return 0, false, err
	}
	// Nodes whose heartbeat lapsed go, with their rooms; but only once the
	// store has been reachable for NodeGrace: after an outage (or when the
	// lobby starts) every node's heartbeat may look lapsed, and live nodes
	// need that long to beat again.
	if l.opts.Nodes && now.Sub(l.reachedSince) >= l.opts.NodeGrace {
		if n, err := l.store.ExpireNodes(ctx, now); err != nil {
			return 0, false, err
		} else if n > 0 {
			l.opts.Logger.Warn("lobby: game nodes stopped beating: their rooms are gone and their players may queue again", "seats_freed", n)
		}
	}
	var (
		rooms   []Room     // read once, when a queue first has someone in it
		place   *placement // with Options.Nodes, read with rooms
		starved bool
	)
	for _, mode := range slices.Sorted(maps.Keys(l.opts.Modes)) {
		q, err := l.store.Queue(ctx, mode, passEntries)
		if err != nil {
			return seated, false, err
		}
		if len(q) == 0 {
			continue
		}
		if rooms == nil {
			if rooms, err = l.store.Rooms(ctx, now); err != nil {
				return seated, false, err
			}
			if place, err = l.placementNow(ctx, rooms, now); err != nil {
				return seated, false, err
			}
		}
		n, noNode, err := l.matchMode(ctx, mode, q, rooms, place, now)
		starved = starved || noNode
		seated += n
		more = more || len(q) == passEntries && n > 0
		if err != nil {
			return seated, false, err
		}
	}
	if starved != l.starved {
		l.starved = starved
		if starved {
			l.opts.Logger.Warn("lobby: players wait: no game node can take a new room (none registered, all full or draining)")
		} else {
			l.opts.Logger.Info("lobby: game nodes take new rooms again")
		}
	}
	return seated, more, nil
}

// matchMode plans and reserves seats for q, the oldest entries of one
// mode's queue. noNode reports entries left waiting because no game node
// could take a new room.
func (l *Lobby) matchMode(ctx context.Context, mode string, q []Entry, rooms []Room, place *placement, now time.Time) (seated int, noNode bool, err error) {
	plan, noNode, err := l.plan(ctx, mode, q, rooms, place, now)
	if err != nil || len(plan) == 0 {
		return 0, noNode, err
	}
	// Renew the turn just before committing, so that only a stall inside
	// the commit itself can outlast it.
	if lead, err := l.store.Lead(ctx, l.owner, now, l.leadTTL()); err != nil || !lead {
		return 0, noNode, err
	}
	errs, err := l.store.Reserve(ctx, now, plan)
	if err != nil {
		return 0, noNode, err
	}
	seated, err = l.applied(ctx, mode, plan, errs)
	return seated, noNode, err
}

// applied logs and counts what Reserve made of a plan.
func (l *Lobby) applied(ctx context.Context, mode string, plan []Reservation, errs []error) (int, error) {
	seated := 0
	for i, rerr := range errs {
		r := plan[i]
		switch {
		case rerr == nil:
			seated += len(r.Members)
			l.opts.Logger.Debug("lobby: seated", "entry", r.Entry, "players", len(r.Members), "room", r.Room.ID, "mode", mode)
		case errors.Is(rerr, ErrNotLeader):
			// Another process matches now; its plan, not this one, counts.
			l.opts.Logger.Debug("lobby: lost the matcher's turn mid-pass", "mode", mode)
			return seated, nil
		case errors.Is(rerr, ErrSeated), errors.Is(rerr, ErrQueued):
			// A member got a seat or a queue place apart from this entry,
			// which the store's own checks should rule out: the entry can
			// never be seated, so it leaves the queue rather than block it.
			l.opts.Logger.Warn("lobby: dropping an entry that cannot be seated", "entry", r.Entry, "err", rerr)
			if _, err := l.store.Dequeue(ctx, r.Entry); err != nil && !errors.Is(err, ErrNotFound) {
				return seated, err
			}
		default:
			// The plan went stale (canceled, room filled or gone): the next
			// pass plans again from fresh state.
			l.opts.Logger.Debug("lobby: reservation refused", "entry", r.Entry, "room", r.Room.ID, "err", rerr)
		}
	}
	return seated, nil
}

// planRoom is a room as a plan fills it.
type planRoom struct {
	Room
	create bool // opened by this plan, not yet by a reservation
}

// plan decides a reservation for each entry of q (oldest first) that can
// be seated now, in rooms (all of them, as counted at now) or in new
// rooms, placed by place on game nodes (nil: in this process). noNode
// reports entries left waiting because no node could take a new room.
func (l *Lobby) plan(ctx context.Context, mode string, q []Entry, rooms []Room, place *placement, now time.Time) (out []Reservation, noNode bool, err error) {
	var open []*planRoom
	for _, r := range rooms {
		if !r.Private && r.Mode == mode && r.Free() > 0 && (place == nil || place.takes(r.Node)) {
			open = append(open, &planRoom{Room: r})
		}
	}
	until := l.seatUntil(now)
	capacity := l.opts.Modes[mode]
	for _, e := range q {
		n, rating, window := len(e.Members), e.rating(), l.window(now.Sub(e.Enqueued))
		best, space := pickRoom(open, n, rating, window)
		switch {
		case best == nil && space:
			continue // a room has space: wait until the window reaches it
		case best == nil:
			node := ""
			if place != nil {
				var ok bool
				if node, ok = place.place(capacity, n); !ok {
					noNode = true
					continue
				}
			}
			id, err := l.store.NewRoomID(ctx)
			if err != nil {
				return out, noNode, err
			}
			best = &planRoom{Room: Room{ID: id, Mode: mode, Capacity: capacity, Node: node}, create: true}
			open = append(open, best)
		case place != nil:
			place.seat(best.Node, n)
		}
		out = append(out, Reservation{Room: best.Room, Create: best.create, Entry: e.ID, Members: e.Members, Until: until, Leader: l.owner})
		best.create = false
		seated := best.Reserved + best.Connected
		best.Rating = (best.Rating*float64(seated) + rating*float64(n)) / float64(seated+n)
		best.Reserved += n
	}
	return out, noNode, nil
}

// pickRoom returns the fullest room with n free seats whose rating is
// within window of rating (ties: the nearest rating), and whether any
// room had n free seats at all.
func pickRoom(open []*planRoom, n int, rating, window float64) (best *planRoom, space bool) {
	for _, r := range open {
		if r.Free() < n {
			continue
		}
		space = true
		d := math.Abs(r.Rating - rating)
		if d > window {
			continue
		}
		if best == nil || r.Free() < best.Free() || r.Free() == best.Free() && d < math.Abs(best.Rating-rating) {
			best = r
		}
	}
	return best, space
}

// window is how far from an entry's rating a room's may be after the
// entry waited for waited.
func (l *Lobby) window(waited time.Duration) float64 {
	if waited >= l.opts.RatingWindowFull {
		return math.Inf(1)
	}
	return l.opts.RatingWindow + l.opts.RatingWindowGrowth*max(waited, 0).Seconds()
}
