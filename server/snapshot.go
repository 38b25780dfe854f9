// snapshot.go — what each client is sent: the room keeps the last History
// replicated states (a ring by tick), and encodes one delta body per
// distinct client baseline per tick, shared by every client on that
// baseline. outbound.go adds each client's ack and writes it.

package server

import (
	pb "skirmish/proto"
)

// history is a ring of the room's recent replicated states and the events
// of each tick.
type history struct {
	tick   uint32 // latest captured tick
	states []pb.State
	events [][]pb.EventInfo
}

func newHistory(n int) history {
	return history{states: make([]pb.State, n), events: make([][]pb.EventInfo, n)}
}

func (h *history) slot(tick uint32) int { return int(tick % uint32(len(h.states))) }

// at returns the state of tick t if the ring still holds it.
func (h *history) at(t uint32) *pb.State {
	if t == 0 || t > h.tick || h.tick-t >= uint32(len(h.states)) {
		return nil
	}
	s := &h.states[h.slot(t)]
	if s.Tick != t {
		return nil
	}
	return s
}

// bodyRef locates the body encoded for one baseline and target tick in
// room.bodies.
type bodyRef struct {
	base, to   uint32
	start, end int
}

// capture records this tick's replicated state and events.
func (r *room) capture() {
	g := r.game
	tick := r.hist.tick + 1
	i := r.hist.slot(tick)
	st := &r.hist.states[i]
	r.hist.events[i] = g.Capture(st, r.hist.events[i][:0])
	for k := range st.Players {
		p := &st.Players[k]
		if c := r.clients[p.ID]; c != nil {
			p.Name, p.Serial = c.ticket.Name, c.serial
		}
	}
	r.hist.tick = st.Tick
	r.tick.Store(st.Tick)
	r.bodies = r.bodies[:0]
	r.bodyIndex = r.bodyIndex[:0]
}

// body returns the Snapshot body that brings a client from the state of
// tick base to the current one, encoding it on first use this tick. A
// baseline the ring no longer holds (or 0) gets a full snapshot; it is then
// encoded once for all such clients under base 0.
func (r *room) body(base uint32) []byte { return r.bodyTo(base, r.hist.tick) }

// bodyTo is body to the state of tick to, which the ring holds: the
// current one, or an older one for delayed spectators (spectate.go).
func (r *room) bodyTo(base, to uint32) []byte {
	from := r.hist.at(base)
	if from == nil {
		base = 0
	}
	for _, ref := range r.bodyIndex {
		if ref.base == base && ref.to == to {
			return r.bodies[ref.start:ref.end]
		}
	}
	cur := r.hist.at(to)
	r.events = r.events[:0]
	first := base + 1
	if from == nil {
		first = cur.Tick
	}
	for t := first; t <= cur.Tick; t++ {
		r.events = append(r.events, r.hist.events[r.hist.slot(t)]...)
	}
	checksum := from == nil || cur.Tick%uint32(r.s.opts.ChecksumEvery) == 0
	start := len(r.bodies)
	r.bodies = r.enc.AppendSnapshot(r.bodies, from, cur, r.events, checksum)
	r.bodyIndex = append(r.bodyIndex, bodyRef{base: base, to: to, start: start, end: len(r.bodies)})
	return r.bodies[start:]
}

// broadcast queues every client's snapshot for this tick and hands the
// room's queues over in one batch that one goroutine writes (outbound.go):
// a Welcome with the full state to new players, a delta to the others,
// nothing to those whose queue is full (their next delta will be taken
// against what they really have).
func (r *room) broadcast() {
	tick := r.hist.tick
	out := batch{from: r.tickStart}
	for _, c := range r.clients {
		if c == nil || c.closed.Load() {
			continue
		}
		if c.out.full() {
			r.stats.skipped++
			out.add(c.out) // this tick's goroutine tries its queue too
			continue
		}
		buf := c.out.nextBuf()
		if c.base == 0 {
			head := r.welcomeHead
			if c.resumed {
				head = r.resumeHead
			}
			buf = pb.AppendWelcomeMessage(buf, head, c.id, c.slots.Ack(), r.body(0))
		} else {
			buf = pb.AppendSnapshotMessage(buf, c.slots.Ack(), c.slots.Lead(), r.body(c.base))
		}
		c.base = tick
		r.stats.messages++
		r.stats.bytes += len(buf)
		out.queue(c.out, buf, int64(tick))
	}
	r.broadcastSpectators(&out)
	out.start()
}
