// store_memory.go — the Store (store.go) in one process's memory: the
// embedded default, nothing to install. One mutex makes every method one
// atomic step, which is what the Lua scripts of store_redis.go give the
// Redis backend; the two behave alike, and store_test.go runs one suite
// against both.

package lobby

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"skirmish/ticklog"
)

// MemoryStore keeps lobby state in memory. Its zero value is not usable;
// make one with NewMemoryStore.
type MemoryStore struct {
	mu         sync.Mutex
	sessions   map[string]memSession
	ratings    map[uint64]Rating
	queues     map[string][]*Entry // by mode, oldest first
	entries    map[string]*Entry
	queued     map[uint64]string // player → entry id
	rooms      map[string]*memRoom
	codes      map[string]string // private room code → room id
	seatOf     map[uint64]string // player → room id
	roomSeq    uint64
	parties    map[string]*Party
	partyCodes map[string]string // party code → party id
	partyOf    map[uint64]string // player → party id
	nodes      map[string]Node
	keys       map[string]time.Time // published ticket keys → expiry
	leader     string
	leadUntil  time.Time
	sweptAt    time.Time // sessions were last swept for expiry
	// seatsDue is when the next unconnected seat may expire (zero: none
	// waits): Expire, every matcher pass, looks at the rooms' seats only
	// from then on.
	seatsDue time.Time
	changes  uint64

	replays map[string]ticklog.Entry // by id (store_replays.go)
}

// sessionSweepEvery spaces the sweeps of expired sessions: Expire runs
// every matcher pass, and sessions need not go the instant they may.
const sessionSweepEvery = time.Minute

type memSession struct {
	s        Session
	forgetAt time.Time
}

type memRoom struct {
	meta  Room // ID, Mode, Capacity, Private, Code, MatchEnds, Spectators, SpectatorLimit
	seats map[uint64]memSeat
}

type memSeat struct {
	until     time.Time // zero once connected
	connected bool
	rating    float64
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		sessions:   make(map[string]memSession),
		ratings:    make(map[uint64]Rating),
		queues:     make(map[string][]*Entry),
		entries:    make(map[string]*Entry),
		queued:     make(map[uint64]string),
		rooms:      make(map[string]*memRoom),
		codes:      make(map[string]string),
		seatOf:     make(map[uint64]string),
		parties:    make(map[string]*Party),
		partyCodes: make(map[string]string),
		partyOf:    make(map[uint64]string),
		nodes:      make(map[string]Node),
		keys:       make(map[string]time.Time),
	}
}

var _ Store = (*MemoryStore)(nil)

func (m *MemoryStore) PutSession(_ context.Context, s Session, _ time.Time, grace time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.Key] = memSession{s: s, forgetAt: s.Expires.Add(grace)}
	return nil
}

func (m *MemoryStore) Session(_ context.Context, key string) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms, ok := m.sessions[key]
	if !ok {
		return Session{}, ErrNotFound
	}
	return ms.s, nil
}

func (m *MemoryStore) Ratings(_ context.Context, ids []uint64) (map[uint64]Rating, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ratingsLocked(ids), nil
}

func (m *MemoryStore) ratingsLocked(ids []uint64) map[uint64]Rating {
	out := make(map[uint64]Rating, len(ids))
	for _, id := range ids {
		if r, ok := m.ratings[id]; ok {
			out[id] = r
		}
	}
	return out
}

func (m *MemoryStore) UpdateRatings(_ context.Context, ids []uint64, update func(map[uint64]Rating) map[uint64]Rating) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	maps.Copy(m.ratings, update(m.ratingsLocked(ids)))
	return nil
}

func (m *MemoryStore) Enqueue(_ context.Context, e Entry, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, mb := range e.Members {
		if id, ok := m.queued[mb.ID]; ok {
			return queuedError(id)
		}
		if room, ok := m.liveSeatLocked(mb.ID, now); ok {
			return seatedError(room)
		}
	}
	e.Members = slices.Clone(e.Members)
	m.entries[e.ID] = &e
	q := m.queues[e.Mode]
	i, _ := slices.BinarySearchFunc(q, &e, compareEntries)
	m.queues[e.Mode] = slices.Insert(q, i, &e)
	for _, mb := range e.Members {
		m.queued[mb.ID] = e.ID
	}
	return nil
}

// compareEntries orders a queue as Redis orders its sorted set: by
// enqueue time in milliseconds, then by id.
func compareEntries(a, b *Entry) int {
	if c := cmp.Compare(a.Enqueued.UnixMilli(), b.Enqueued.UnixMilli()); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func (m *MemoryStore) Dequeue(_ context.Context, id string) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[id]
	if !ok {
		return Entry{}, ErrNotFound
	}
	m.removeEntryLocked(e)
	m.changes++
	return *e, nil
}

func (m *MemoryStore) removeEntryLocked(e *Entry) {
	delete(m.entries, e.ID)
	q := m.queues[e.Mode]
	if i := slices.Index(q, e); i >= 0 {
		m.queues[e.Mode] = slices.Delete(q, i, i+1)
	}
	for _, mb := range e.Members {
		delete(m.queued, mb.ID)
	}
}

func (m *MemoryStore) Queue(_ context.Context, mode string, limit int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	q := m.queues[mode]
	if limit > 0 && limit < len(q) {
		q = q[:limit]
	}
	out := make([]Entry, len(q))
	for i, e := range q {
		out[i] = *e
		out[i].Members = slices.Clone(e.Members)
	}
	return out, nil
}

func (m *MemoryStore) QueuedEntry(_ context.Context, player uint64) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.queued[player]
	if !ok {
		return Entry{}, ErrNotFound
	}
	e := *m.entries[id]
	e.Members = slices.Clone(e.Members)
	return e, nil
}

func (m *MemoryStore) NewRoomID(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.roomSeq++
	return "r" + strconv.FormatUint(m.roomSeq, 10), nil
}

func (m *MemoryStore) Reserve(_ context.Context, now time.Time, rs []Reservation) ([]error, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	errs := make([]error, len(rs))
	for i, r := range rs {
		errs[i] = m.reserveLocked(r, now)
	}
	return errs, nil
}

// reserveLocked is one reservation: every check first, then every write,
// so a failed one changes nothing (beyond freeing expired seats).
func (m *MemoryStore) reserveLocked(r Reservation, now time.Time) error {
	if r.Leader != "" && (m.leader != r.Leader || !now.Before(m.leadUntil)) {
		return ErrNotLeader
	}
	var entry *Entry
	if r.Entry != "" {
		if entry = m.entries[r.Entry]; entry == nil {
			return ErrEntryGone
		}
	}
	for _, mb := range r.Members {
		if id, ok := m.queued[mb.ID]; ok && id != r.Entry {
			return queuedError(id)
		}
		if room, ok := m.liveSeatLocked(mb.ID, now); ok {
			return seatedError(room)
		}
	}
	rm := m.rooms[r.Room.ID]
	switch {
	case rm != nil && r.Create:
		return ErrRoomExists
	case rm == nil && !r.Create:
		return ErrRoomGone
	case rm == nil && r.Room.Code != "" && m.codes[r.Room.Code] != "":
		return ErrCodeTaken
	case rm == nil && r.Room.Node != "" && !m.nodeOpenLocked(r.Room.Node, now):
		return fmt.Errorf("%w: node %s", ErrNodeGone, r.Room.Node)
	}
	if rm != nil {
		m.purgeRoomLocked(rm, now)
		if len(r.Members) > rm.meta.Capacity-len(rm.seats) {
			m.dropIfEmptyLocked(rm)
			return ErrRoomFull
		}
	} else {
		if len(r.Members) > r.Room.Capacity {
			return ErrRoomFull
		}
		meta := r.Room
		meta.Reserved, meta.Connected, meta.Rating, meta.MatchEnds = 0, 0, 0, time.Time{}
		meta.Spectators, meta.SpectatorLimit = 0, 0
		rm = &memRoom{meta: meta, seats: make(map[uint64]memSeat)}
		m.rooms[meta.ID] = rm
		if meta.Code != "" {
			m.codes[meta.Code] = meta.ID
		}
	}
	for _, mb := range r.Members {
		rm.seats[mb.ID] = memSeat{until: r.Until, rating: mb.Rating}
		m.seatDueLocked(r.Until)
		m.seatOf[mb.ID] = rm.meta.ID
	}
	if entry != nil {
		m.removeEntryLocked(entry)
	}
	m.changes++
	return nil
}

// liveSeatLocked returns the room player holds a live seat in. A seat that
// expired at now is freed on the way.
func (m *MemoryStore) liveSeatLocked(player uint64, now time.Time) (string, bool) {
	id, ok := m.seatOf[player]
	if !ok {
		return "", false
	}
	rm := m.rooms[id]
	if rm == nil {
		delete(m.seatOf, player)
		return "", false
	}
	st, ok := rm.seats[player]
	if !ok {
		delete(m.seatOf, player)
		return "", false
	}
	if !st.connected && !now.Before(st.until) {
		m.freeSeatLocked(rm, player)
		m.dropIfEmptyLocked(rm)
		return "", false
	}
	return id, true
}

// purgeRoomLocked frees rm's reservations that expired at now and returns
// how many; the others' expiries go into seatsDue.
func (m *MemoryStore) purgeRoomLocked(rm *memRoom, now time.Time) int {
	n := 0
	for id, st := range rm.seats {
		switch {
		case st.connected:
		case !now.Before(st.until):
			m.freeSeatLocked(rm, id)
			n++
		default:
			m.seatDueLocked(st.until)
		}
	}
	return n
}

func (m *MemoryStore) freeSeatLocked(rm *memRoom, player uint64) {
	delete(rm.seats, player)
	if m.seatOf[player] == rm.meta.ID {
		delete(m.seatOf, player)
	}
}

func (m *MemoryStore) dropIfEmptyLocked(rm *memRoom) {
	if len(rm.seats) > 0 {
		return
	}
	delete(m.rooms, rm.meta.ID)
	if rm.meta.Code != "" {
		delete(m.codes, rm.meta.Code)
	}
}

func (m *MemoryStore) Seat(_ context.Context, player uint64, now time.Time) (Seat, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.seatOf[player]
	if !ok {
		return Seat{}, ErrNotFound
	}
	rm := m.rooms[id]
	if rm == nil {
		return Seat{}, ErrNotFound
	}
	st, ok := rm.seats[player]
	if !ok || !st.connected && !now.Before(st.until) {
		return Seat{}, ErrNotFound
	}
	return Seat{Room: id, Node: rm.meta.Node, Until: st.until, Connected: st.connected}, nil
}

func (m *MemoryStore) Claim(_ context.Context, room, node string, player uint64, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rm, st, ok, err := m.nodeSeatLocked(room, node, player)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%w for player %d in room %s", ErrNoSeat, player, room)
	case st.connected:
		return fmt.Errorf("%w: player %d is already connected to room %s", ErrNoSeat, player, room)
	case !now.Before(st.until):
		m.freeSeatLocked(rm, player)
		m.dropIfEmptyLocked(rm)
		return fmt.Errorf("%w: the reservation for player %d in room %s expired", ErrNoSeat, player, room)
	}
	rm.seats[player] = memSeat{connected: true, rating: st.rating}
	return nil
}

func (m *MemoryStore) Hold(_ context.Context, room, node string, player uint64, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rm, st, ok, err := m.nodeSeatLocked(room, node, player)
	switch {
	case err != nil:
		return err
	case !ok || !st.connected:
		return fmt.Errorf("%w: player %d is not connected to room %s", ErrNoSeat, player, room)
	}
	rm.seats[player] = memSeat{until: until, rating: st.rating}
	m.seatDueLocked(until)
	return nil
}

// seatDueLocked notes that an unconnected seat expires at until.
func (m *MemoryStore) seatDueLocked(until time.Time) {
	if m.seatsDue.IsZero() || until.Before(m.seatsDue) {
		m.seatsDue = until
	}
}

// nodeSeatLocked returns room, for the game node named node, and player's
// seat in it (ok: there is one); it fails if the room does not exist or
// lives on another node.
func (m *MemoryStore) nodeSeatLocked(room, node string, player uint64) (*memRoom, memSeat, bool, error) {
	rm := m.rooms[room]
	if rm == nil {
		return nil, memSeat{}, false, fmt.Errorf("%w: room %s does not exist", ErrNoSeat, room)
	}
	if rm.meta.Node != node {
		return nil, memSeat{}, false, wrongNodeError(room, rm.meta.Node)
	}
	st, ok := rm.seats[player]
	return rm, st, ok, nil
}

func (m *MemoryStore) Release(_ context.Context, room string, player uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rm := m.rooms[room]; rm != nil {
		if _, ok := rm.seats[player]; ok {
			m.freeSeatLocked(rm, player)
			m.dropIfEmptyLocked(rm)
		}
	}
	return nil
}

func (m *MemoryStore) Expire(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k, exp := range m.keys {
		if !now.Before(exp) {
			delete(m.keys, k)
		}
	}
	if !m.seatsDue.IsZero() && !now.Before(m.seatsDue) {
		m.seatsDue = time.Time{}
		for _, rm := range m.rooms {
			if freed := m.purgeRoomLocked(rm, now); freed > 0 {
				n += freed
				m.dropIfEmptyLocked(rm)
			}
		}
	}
	if now.Sub(m.sweptAt) >= sessionSweepEvery {
		m.sweptAt = now
		for key, ms := range m.sessions {
			if !now.Before(ms.forgetAt) {
				delete(m.sessions, key)
			}
		}
	}
	return n, nil
}

func (m *MemoryStore) Rooms(_ context.Context, now time.Time) ([]Room, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Room, 0, len(m.rooms))
	for _, rm := range m.rooms {
		out = append(out, rm.count(now))
	}
	sortRooms(out)
	return out, nil
}

// count is the room's record with its live seats counted at now.
func (rm *memRoom) count(now time.Time) Room {
	r := rm.meta
	var sum float64
	for _, st := range rm.seats {
		switch {
		case st.connected:
			r.Connected++
		case now.Before(st.until):
			r.Reserved++
		default:
			continue
		}
		sum += st.rating
	}
	if n := r.Reserved + r.Connected; n > 0 {
		r.Rating = sum / float64(n)
	}
	return r
}

func (m *MemoryStore) RoomByCode(_ context.Context, code string, now time.Time) (Room, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rm := m.rooms[m.codes[code]]
	if rm == nil {
		return Room{}, ErrNotFound
	}
	return rm.count(now), nil
}

func (m *MemoryStore) SetMatch(_ context.Context, room string, ends time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rm := m.rooms[room]; rm != nil {
		rm.meta.MatchEnds = ends
	}
	return nil
}

func (m *MemoryStore) SetSpectators(_ context.Context, room string, spectators, limit int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rm := m.rooms[room]; rm != nil {
		rm.meta.Spectators, rm.meta.SpectatorLimit = spectators, limit
	}
	return nil
}

func (m *MemoryStore) CreateParty(_ context.Context, p Party) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.partyOf[p.Leader]; ok {
		return ErrInParty
	}
	if _, ok := m.partyCodes[p.Code]; ok {
		return ErrCodeTaken
	}
	p.Members = []uint64{p.Leader}
	p.Names = []string{firstName(p.Names)}
	m.parties[p.ID] = &p
	m.partyCodes[p.Code] = p.ID
	m.partyOf[p.Leader] = p.ID
	return nil
}

func (m *MemoryStore) JoinParty(_ context.Context, code string, player uint64, name string, max int) (Party, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.parties[m.partyCodes[code]]
	if p == nil {
		return Party{}, ErrNotFound
	}
	switch id, ok := m.partyOf[player]; {
	case ok && id == p.ID:
		return p.clone(), nil
	case ok:
		return Party{}, ErrInParty
	}
	if _, ok := m.queued[p.Leader]; ok {
		return Party{}, ErrPartyQueued
	}
	if len(p.Members) >= max {
		return Party{}, ErrPartyFull
	}
	p.Members = append(p.Members, player)
	p.Names = append(p.Names, name)
	m.partyOf[player] = p.ID
	return p.clone(), nil
}

func (m *MemoryStore) LeaveParty(_ context.Context, player uint64) (Party, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.parties[m.partyOf[player]]
	if p == nil {
		return Party{}, ErrNotFound
	}
	if _, ok := m.queued[p.Leader]; ok {
		return Party{}, ErrPartyQueued
	}
	was := p.clone()
	if player == p.Leader {
		for _, id := range p.Members {
			delete(m.partyOf, id)
		}
		delete(m.parties, p.ID)
		delete(m.partyCodes, p.Code)
		return was, nil
	}
	if i := slices.Index(p.Members, player); i >= 0 {
		p.Members = slices.Delete(p.Members, i, i+1)
		p.Names = slices.Delete(p.Names, i, i+1)
	}
	delete(m.partyOf, player)
	return was, nil
}

func (m *MemoryStore) PartyOf(_ context.Context, player uint64) (Party, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.parties[m.partyOf[player]]
	if p == nil {
		return Party{}, ErrNotFound
	}
	return p.clone(), nil
}

func (p *Party) clone() Party {
	c := *p
	c.Members = slices.Clone(p.Members)
	c.Names = slices.Clone(p.Names)
	return c
}

func (m *MemoryStore) Changes(context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changes, nil
}

func (m *MemoryStore) PutNode(_ context.Context, n Node) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nodes[n.ID] = n
	return nil
}

func (m *MemoryStore) ExpireNodes(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, nd := range m.nodes {
		if !now.Before(nd.Expires) {
			n += m.removeNodeLocked(id)
		}
	}
	return n, nil
}

func (m *MemoryStore) RemoveNode(_ context.Context, id string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.removeNodeLocked(id), nil
}

// removeNodeLocked deletes node id and every room on it, returning how
// many seats that freed.
func (m *MemoryStore) removeNodeLocked(id string) int {
	delete(m.nodes, id)
	n := 0
	for _, rm := range m.rooms {
		if rm.meta.Node != id {
			continue
		}
		for player := range rm.seats {
			m.freeSeatLocked(rm, player)
			n++
		}
		m.dropIfEmptyLocked(rm)
	}
	return n
}

// nodeOpenLocked reports whether node id is live at now and not draining:
// whether a new room may go there.
func (m *MemoryStore) nodeOpenLocked(id string, now time.Time) bool {
	n, ok := m.nodes[id]
	return ok && now.Before(n.Expires) && !n.Draining
}

func (m *MemoryStore) Nodes(_ context.Context, now time.Time) ([]Node, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Node, 0, len(m.nodes))
	for _, n := range m.nodes {
		if now.Before(n.Expires) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b Node) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *MemoryStore) PutKey(_ context.Context, key string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if expires.After(m.keys[key]) {
		m.keys[key] = expires
	}
	return nil
}

func (m *MemoryStore) Keys(_ context.Context, now time.Time) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k, exp := range m.keys {
		if now.Before(exp) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (m *MemoryStore) Lead(_ context.Context, owner string, now time.Time, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.leader != owner && now.Before(m.leadUntil) {
		return false, nil
	}
	m.leader, m.leadUntil = owner, now.Add(ttl)
	return true, nil
}
