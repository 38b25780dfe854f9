// live.go — what an operator's console (console/) reads of a running
// server without touching a room's tick: each room publishes its figures
// about once a second, from its own goroutine, through atomics (publish,
// called by tick.go when metrics.go's roomStats flush), and RoomStats and
// Players read them from any goroutine. operate.go holds the operator's
// actions, recent.go the recent kicks and refusals.

package server

import (
	"cmp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	pb "skirmish/proto"
)

// roomLive is a room's figures as last published. The room's goroutine
// stores them, anyone loads them: each field is atomic on its own, so a
// reader may see one field a second newer than another.
type roomLive struct {
	players      atomic.Int32
	phase        atomic.Int32 // pb.MatchPhase
	ticksLeft    atomic.Int64 // until the match (or the intermission) ends
	p50, p99     atomic.Int64 // tick duration over the last second, ns
	bytesOut     atomic.Int64 // snapshot bytes over the last second
	skipped      atomic.Int64 // over the last second
	merged       atomic.Int64
	skippedTotal atomic.Int64 // since the room opened
	mergedTotal  atomic.Int64
	standIns     atomic.Int64 // input slots stood in for over the last second
	slots        atomic.Int64 // input slots filled (by their input or a stand-in) over the last second
}

// tickTimes holds the durations of a room's ticks since its last
// publication: the latest len(d) of them. Owned by the room's goroutine.
type tickTimes struct {
	d      []time.Duration // a ring, allocated once
	n      int             // ticks recorded since the last publication
	sorted []time.Duration // scratch for the quantiles, allocated once
}

func newTickTimes(size int) tickTimes {
	return tickTimes{d: make([]time.Duration, size), sorted: make([]time.Duration, 0, size)}
}

func (t *tickTimes) add(d time.Duration) {
	t.d[t.n%len(t.d)] = d
	t.n++
}

// quantiles returns the median and the 99th percentile of the recorded
// durations, and starts over. It allocates nothing.
func (t *tickTimes) quantiles() (p50, p99 time.Duration) {
	t.sorted = append(t.sorted[:0], t.d[:min(t.n, len(t.d))]...)
	t.n = 0
	if len(t.sorted) == 0 {
		return 0, 0
	}
	slices.Sort(t.sorted)
	at := func(q float64) time.Duration { return t.sorted[int(q*float64(len(t.sorted)-1)+0.5)] }
	return at(0.5), at(0.99)
}

// publish stores the figures of the second that sums closed: on the
// room's goroutine, once a second, allocating nothing.
func (r *room) publish(sums roomStats) {
	players := 0
	for _, c := range r.clients {
		if c != nil && !c.closed.Load() {
			players++
		}
	}
	l := &r.live
	l.players.Store(int32(players))
	if st := r.hist.at(r.hist.tick); st != nil {
		l.phase.Store(int32(st.Match.Phase))
		l.ticksLeft.Store(max(int64(st.Match.EndTick)-int64(st.Tick), 0))
	}
	p50, p99 := r.durations.quantiles()
	l.p50.Store(int64(p50))
	l.p99.Store(int64(p99))
	l.bytesOut.Store(int64(sums.bytes))
	l.skipped.Store(int64(sums.skipped))
	l.merged.Store(int64(sums.merged))
	l.skippedTotal.Add(int64(sums.skipped))
	l.mergedTotal.Add(int64(sums.merged))
	slots := 0
	for _, n := range sums.slots {
		slots += n
	}
	l.standIns.Store(int64(sums.slots[leadBand(-1)]))
	l.slots.Store(int64(slots))
}

// RoomStats is one room as an operator's console shows it: its figures
// over the last second, as the room last published them.
type RoomStats struct {
	ID       string `json:"id"`
	Players  int    `json:"players"`  // admitted and connected
	Seats    int    `json:"seats"`    // seats claimed (players connecting count too)
	Capacity int    `json:"capacity"` // players it takes
	// Spectators watch it, apart from its seats (spectate.go).
	Spectators int `json:"spectators"`
	// Phase is the match's: "playing", "intermission", or "" before the
	// first publication.
	Phase    string  `json:"phase"`
	TimeLeft float64 `json:"time_left"` // seconds until the phase ends
	// TickP50 and TickP99 are the median and the 99th percentile of the
	// time one tick took, in milliseconds.
	TickP50      float64 `json:"tick_p50_ms"`
	TickP99      float64 `json:"tick_p99_ms"`
	BytesOut     int64   `json:"bytes_out_per_s"`         // snapshot bytes handed to connections
	Skipped      int64   `json:"snapshots_skipped_per_s"` // snapshots not sent: the client's queue was full
	Merged       int64   `json:"snapshots_merged_per_s"`  // snapshots not sent: overdue ticks ran back to back
	SkippedTotal int64   `json:"snapshots_skipped"`       // since the room opened
	MergedTotal  int64   `json:"snapshots_merged"`
	// StandIns is how many of the players' input slots of the last second
	// were stood in for, out of InputSlots filled (one a player a tick):
	// inputs that came late, from the players' links or the room running
	// behind (tick.go's collectInputs).
	StandIns   int64 `json:"inputs_stood_in_per_s"`
	InputSlots int64 `json:"input_slots_per_s"`
}

// RoomStats lists the open rooms with their figures, in the order they
// opened. Any goroutine may call it: it takes the registry's lock for a
// copy of the list, never a room's tick.
func (s *Server) RoomStats() []RoomStats {
	g := s.registry
	g.mu.Lock()
	rooms := slices.Clone(g.rooms)
	seats, watchers := make([]int, len(rooms)), make([]int, len(rooms))
	for i, r := range rooms {
		seats[i], watchers[i] = r.seats, r.watchers
	}
	g.mu.Unlock()
	out := make([]RoomStats, 0, len(rooms))
	rate := float64(s.opts.TickRate)
	for i, r := range rooms {
		l := &r.live
		out = append(out, RoomStats{
			ID: r.id, Players: int(l.players.Load()), Seats: seats[i], Capacity: s.opts.RoomCapacity, Spectators: watchers[i],
			Phase:        phaseName(pb.MatchPhase(l.phase.Load())),
			TimeLeft:     float64(l.ticksLeft.Load()) / rate,
			TickP50:      float64(l.p50.Load()) / 1e6,
			TickP99:      float64(l.p99.Load()) / 1e6,
			BytesOut:     l.bytesOut.Load(),
			Skipped:      l.skipped.Load(),
			Merged:       l.merged.Load(),
			SkippedTotal: l.skippedTotal.Load(),
			MergedTotal:  l.mergedTotal.Load(),
			StandIns:     l.standIns.Load(),
			InputSlots:   l.slots.Load(),
		})
	}
	return out
}

// phaseName is a match phase as the lobby's directory names it.
func phaseName(p pb.MatchPhase) string {
	if p == pb.MatchPhase_MATCH_PHASE_UNSPECIFIED {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(p.String(), "MATCH_PHASE_"))
}

// PlayerInfo is one connected player, as their ticket names them.
type PlayerInfo struct {
	ID    uint64    `json:"id,string"` // the lobby's player id (a string: JavaScript's numbers stop at 2⁵³)
	Name  string    `json:"name"`
	Room  string    `json:"room"`
	Since time.Time `json:"since"` // when the connection opened
	// Spectator marks a spectator's connection (spectate.go): no seat,
	// no player in the world; Kick closes it as it does a player's.
	Spectator bool `json:"spectator,omitempty"`
}

// Players lists the connected players, by room, then by name. Any
// goroutine may call it.
func (s *Server) Players() []PlayerInfo {
	s.mu.Lock()
	out := make([]PlayerInfo, 0, len(s.conns))
	for c := range s.conns {
		if !c.closed.Load() {
			out = append(out, PlayerInfo{ID: c.ticket.PlayerID, Name: c.ticket.Name, Room: c.room.id, Since: c.since, Spectator: c.ticket.Spectator})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b PlayerInfo) int {
		if c := strings.Compare(a.Room, b.Room); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
