// bench_test.go measures the 60 Hz path of a room: whole ticks of 16 and 32 moving players (and of 16 with 4 held), the per-room encode and per-client wrap, and bytes per client per second against a JSON full-state baseline.

package server

import (
	"encoding/json"
	"testing"
	"time"

	pb "skirmish/proto"
	"skirmish/sim"
)

// moveDirs are the eight move key sets, clockwise from up.
var moveDirs = [...]uint32{
	uint32(sim.MoveUp), uint32(sim.MoveUp | sim.MoveRight), uint32(sim.MoveRight), uint32(sim.MoveDown | sim.MoveRight),
	uint32(sim.MoveDown), uint32(sim.MoveDown | sim.MoveLeft), uint32(sim.MoveLeft), uint32(sim.MoveUp | sim.MoveLeft),
}

// movingRoom is a room of n players who each hold a move key every tick,
// turn now and then and at once when a wall stops them, aim fixed, never
// firing; each client has a writer goroutine (outbound.go's run) writing to
// a countingWriter.
type movingRoom struct {
	r       *room
	clients []*client
	writers []*countingWriter
	dirs    []int // index in moveDirs, by client
	seq     uint32
	// fight: the players also turn their aim every tick and hold Fire,
	// with a render lag, as the bots of the load benchmark do.
	fight bool
}

// longMatches keeps one match going for a day of ticks, so that a long
// benchmark never pauses in an intermission where nobody moves.
func longMatches(o *Options) {
	o.NewGame = func(string) Game {
		cfg := sim.DefaultConfig()
		cfg.Seed = 7
		cfg.MatchTicks = 24 * 60 * 60 * sim.TickRate
		return NewSimGame(cfg)
	}
}

func newMovingRoom(tb testing.TB, n int, tweak func(*Options)) *movingRoom {
	tb.Helper()
	m := &movingRoom{r: newTestRoom(tb, func(o *Options) {
		o.RoomCapacity = n
		if tweak != nil {
			tweak(o)
		}
	})}
	for i := range n {
		w := &countingWriter{}
		c := newTestClient(tb, m.r, "player"+string(rune('A'+i%26)), w)
		m.clients, m.writers, m.dirs = append(m.clients, c), append(m.writers, w), append(m.dirs, i%len(moveDirs))
	}
	tb.Cleanup(func() {
		for _, c := range m.clients {
			c.out.stop()
		}
	})
	m.tick() // admits everyone: the Welcomes
	return m
}

// tick queues one input per player, runs one room tick and waits for the
// writers to finish, as they have by the time the next tick is due.
func (m *movingRoom) tick() {
	m.queueInputs()
	m.r.step(true)
	waitIdle(m.clients)
}

// queueInputs queues the players' inputs for the next tick.
func (m *movingRoom) queueInputs() {
	// One arrival time for all: a real input's comes with its message
	// (inbound.go), and reading the clock is no part of the tick.
	at := m.r.s.opts.Now().UnixNano()
	m.seq++
	h := &m.r.hist
	prev, cur := h.at(h.tick-1), h.at(h.tick)
	for i, c := range m.clients {
		// Each player turns every 37 ticks, out of step with the others,
		// and whenever it did not move last tick.
		stuck := false
		if prev != nil && cur != nil {
			if a, b := prev.Player(c.id), cur.Player(c.id); a != nil && b != nil {
				stuck = a.F[pb.FieldX] == b.F[pb.FieldX] && a.F[pb.FieldY] == b.F[pb.FieldY]
			}
		}
		if stuck || (int(m.seq)+i*5)%37 == 0 {
			m.dirs[i] = (m.dirs[i] + 3) % len(moveDirs)
		}
		in := pb.InputMsg{Seq: m.seq, Move: moveDirs[m.dirs[i]], Aim: uint32(i * 64)}
		if m.fight {
			in.Aim = (uint32(i*64) + m.seq*5) % sim.AimSteps
			in.Buttons, in.RenderLag = uint32(sim.ButtonFire), 6
		}
		c.queue.push(&in, at)
	}
}

func BenchmarkTick16(b *testing.B) { benchTick(b, 16, 0) }
func BenchmarkTick32(b *testing.B) { benchTick(b, 32, 0) }

// BenchmarkTick16Held is BenchmarkTick16 with 4 of the 16 players held
// (hold.go): their connections dropped, they stand in the world, and the
// room reads the clock once a tick for the holds that end.
func BenchmarkTick16Held(b *testing.B) { benchTick(b, 16, 4) }

// benchTick measures whole ticks: admit, evict, collect inputs, Game.Step,
// capture, encode per baseline, wrap per client and hand to its writer. The
// time includes waking the writer goroutines and their (discarding) write.
// The last held players' connections have dropped: the room holds them.
func benchTick(b *testing.B, players, held int) { benchTickWith(b, players, held, longMatches) }

// benchTickWith is benchTick in a room of those options (record_test.go
// records its matches).
func benchTickWith(b *testing.B, players, held int, tweak func(*Options)) {
	m := newMovingRoom(b, players, tweak)
	for _, c := range m.clients[players-held:] {
		c.holdUntil = time.Now().Add(time.Hour)
		c.held.Store(true)
		c.closed.Store(true)
	}
	for range 4 * m.r.s.opts.History { // grow every ring slot's slices
		m.tick()
	}
	if m.r.held != held {
		b.Fatalf("the room holds %d players; want %d", m.r.held, held)
	}
	players -= held
	msgs := m.r.stats.messages
	b.ReportAllocs()
	for b.Loop() {
		m.tick()
	}
	if skipped := m.r.stats.skipped; skipped != 0 {
		b.Fatalf("%d snapshots skipped: the writers were not idle", skipped)
	}
	if got := m.r.stats.messages - msgs; got != b.N*players {
		b.Fatalf("%d messages handed over in %d ticks of %d players", got, b.N, players)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*players), "ns/client-tick")
}

// BenchmarkRooms48 is a server of 768 fighting players: 48 rooms of 16
// who move, aim and fire, each room's whole tick (tick.go's ticks, its
// figures included) run in turn, as the rooms of a loaded server take
// theirs, so that each finds its state cold in the cache; then every
// writer is waited for. Writes are discarded: this is the room's side of
// the load benchmark's CPU per client-tick (bench/run), without the
// sockets.
func BenchmarkRooms48(b *testing.B) {
	const rooms, players = 48, 16
	ms := make([]*movingRoom, rooms)
	for i := range ms {
		ms[i] = newMovingRoom(b, players, longMatches)
		ms[i].fight = true
	}
	round := func() {
		for _, m := range ms {
			m.queueInputs()
			m.r.ticks(1, 0, 0)
		}
		for _, m := range ms {
			waitIdle(m.clients)
		}
	}
	for range 10 * ms[0].r.s.opts.TickRate { // the shots' slices grow to their working size
		round()
	}
	b.ReportAllocs()
	for b.Loop() {
		round()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rooms*players), "ns/client-tick")
}

// BenchmarkTick16Spectators is BenchmarkTick16 with 16 spectators
// watching the present (they share the players' delta bodies), and
// BenchmarkTick16SpectatorsDelayed with them half a second late (one more
// body a tick, from the longer history ring): compare both with
// BenchmarkTick16 in one run.
func BenchmarkTick16Spectators(b *testing.B)        { benchSpectators(b, 0) }
func BenchmarkTick16SpectatorsDelayed(b *testing.B) { benchSpectators(b, 500*time.Millisecond) }

func benchSpectators(b *testing.B, delay time.Duration) {
	const players, watchers = 16, 16
	m, _, tick := newWatchedRoom(b, players, watchers, delay)
	msgs := m.r.stats.messages
	b.ReportAllocs()
	for b.Loop() {
		tick()
	}
	if got := m.r.stats.messages - msgs; got != b.N*(players+watchers) {
		b.Fatalf("%d messages handed over in %d ticks of %d players and %d spectators", got, b.N, players, watchers)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(players+watchers)), "ns/client-tick")
}

// BenchmarkSnapshotPerClient splits a tick's snapshot cost: encode is the
// per-room (per-baseline) delta of 16 moving players, wrap the per-client
// copy of that shared body with the client's ack.
func BenchmarkSnapshotPerClient(b *testing.B) {
	m := newMovingRoom(b, 16, longMatches)
	for range 100 {
		m.tick()
	}
	h := &m.r.hist
	base, cur := h.at(h.tick-1), h.at(h.tick)
	var enc pb.Encoder
	body := enc.AppendSnapshot(nil, base, cur, nil, false)

	b.Run("encode16", func(b *testing.B) {
		buf := enc.AppendSnapshot(nil, base, cur, nil, false)
		b.ReportAllocs()
		for b.Loop() {
			buf = enc.AppendSnapshot(buf[:0], base, cur, nil, false)
		}
		b.ReportMetric(float64(len(buf)), "B/body")
	})
	b.Run("wrap", func(b *testing.B) {
		buf := pb.AppendSnapshotMessage(nil, 18_000, 1, body)
		b.ReportAllocs()
		for b.Loop() {
			buf = pb.AppendSnapshotMessage(buf[:0], 18_000, 1, body)
		}
		b.ReportMetric(float64(len(buf)), "B/msg")
	})
}

// jsonState is the naive alternative the wire format is measured against:
// the whole state, every tick, as JSON.
type jsonState struct {
	Tick    uint32       `json:"tick"`
	Match   jsonMatch    `json:"match"`
	Players []jsonPlayer `json:"players"`
	Shots   []jsonShot   `json:"shots"`
}

type jsonMatch struct {
	Number  uint32 `json:"number"`
	Phase   int32  `json:"phase"`
	EndTick uint32 `json:"end_tick"`
}

type jsonPlayer struct {
	ID     uint32 `json:"id"`
	Name   string `json:"name"`
	X      int32  `json:"x"`
	Y      int32  `json:"y"`
	Aim    int32  `json:"aim"`
	Health int32  `json:"health"`
	Alive  bool   `json:"alive"`
	Kills  int32  `json:"kills"`
	Deaths int32  `json:"deaths"`
}

type jsonShot struct {
	ID    uint32 `json:"id"`
	Owner uint32 `json:"owner"`
	X     int32  `json:"x"`
	Y     int32  `json:"y"`
	VX    int32  `json:"vx"`
	VY    int32  `json:"vy"`
}

func toJSON(s *pb.State, j *jsonState) {
	j.Tick = s.Tick
	j.Match = jsonMatch{Number: s.Match.Number, Phase: int32(s.Match.Phase), EndTick: s.Match.EndTick}
	j.Players = j.Players[:0]
	for _, p := range s.Players {
		j.Players = append(j.Players, jsonPlayer{ID: p.ID, Name: p.Name, X: p.F[pb.FieldX], Y: p.F[pb.FieldY],
			Aim: p.F[pb.FieldAim], Health: p.F[pb.FieldHealth], Alive: p.F[pb.FieldAlive] != 0,
			Kills: p.F[pb.FieldKills], Deaths: p.F[pb.FieldDeaths]})
	}
	j.Shots = j.Shots[:0]
	for _, sh := range s.Shots {
		j.Shots = append(j.Shots, jsonShot{ID: sh.ID, Owner: sh.Owner, X: sh.X, Y: sh.Y, VX: sh.VX, VY: sh.VY})
	}
}

// bandwidth is what one client is sent per second, on the wire: each
// message's payload plus its WebSocket frame header (2 bytes for an
// unmasked server frame under 126 bytes, 4 up to 64 KiB; frameHeader).
type bandwidth struct {
	ours, json float64 // bytes per client per second
	msgs       float64 // messages per client per second
	moved      float64 // share of player-ticks in which the player moved
}

// measureBandwidth runs a 16-player room of moving players (moving room's
// inputs; default rules and ChecksumEvery, so a checksum goes out once a
// second) for ticks ticks after the Welcomes, and counts the bytes each
// client is handed; beside it, the same states encoded as JSON full state
// each tick.
func measureBandwidth(tb testing.TB, ticks int) bandwidth {
	m := newMovingRoom(tb, 16, nil)
	for _, w := range m.writers {
		*w = countingWriter{} // leave the Welcomes out: a one-off
	}
	var js jsonState
	var jsonBytes int64
	moved := 0
	for range ticks {
		m.tick()
		h := &m.r.hist
		prev, cur := h.at(h.tick-1), h.at(h.tick)
		for i := range cur.Players {
			a, b := &prev.Players[i], &cur.Players[i]
			if a.F[pb.FieldX] != b.F[pb.FieldX] || a.F[pb.FieldY] != b.F[pb.FieldY] {
				moved++
			}
		}
		toJSON(cur, &js)
		raw, err := json.Marshal(&js)
		if err != nil {
			tb.Fatal(err)
		}
		jsonBytes += int64(len(raw) + frameHeader(len(raw)))
	}
	var frames, msgs int64
	for i, w := range m.writers {
		if w.messages != int64(ticks) {
			tb.Fatalf("client %d got %d messages in %d ticks", i, w.messages, ticks)
		}
		frames += w.frames
		msgs += w.messages
	}
	seconds := float64(ticks) / float64(m.r.s.opts.TickRate)
	n := float64(len(m.writers))
	return bandwidth{ours: float64(frames) / n / seconds, json: float64(jsonBytes) / seconds, msgs: float64(msgs) / n / seconds,
		moved: float64(moved) / float64(ticks) / n}
}

// TestBandwidth16 holds the wire format to its budget: at most 4 KB per
// client per second in a 16-player room where everyone moves every tick.
// Bytes, not time: the figure does not depend on the machine.
func TestBandwidth16(t *testing.T) {
	bw := measureBandwidth(t, 600)
	t.Logf("16 players moving in %.1f%% of player-ticks, 600 ticks: %.0f B/s per client (%.1f messages/s, %.1f B each with the frame header); JSON full state %.0f B/s per client; JSON/ours %.1f×",
		100*bw.moved, bw.ours, bw.msgs, bw.ours/bw.msgs, bw.json, bw.json/bw.ours)
	if bw.moved < 0.95 {
		t.Errorf("players moved in only %.1f%% of player-ticks: the measure wants everyone moving", 100*bw.moved)
	}
	if bw.ours > 4000 {
		t.Errorf("%.0f B/s per client, budget 4000", bw.ours)
	}
}

func BenchmarkBandwidth16(b *testing.B) {
	var bw bandwidth
	for b.Loop() {
		bw = measureBandwidth(b, 600)
	}
	b.ReportMetric(bw.ours, "B/s/client")
	b.ReportMetric(bw.json, "json-B/s/client")
	b.ReportMetric(bw.json/bw.ours, "ratio")
	b.Logf("%.0f B/s per client, JSON %.0f B/s per client, ratio %.1f", bw.ours, bw.json, bw.json/bw.ours)
}

// TestTickDoesNotAllocate holds the 60 Hz path to zero allocations once a
// room's buffers have grown: a count, not a time.
func TestTickDoesNotAllocate(t *testing.T) {
	m := newMovingRoom(t, 16, longMatches)
	for range 4 * m.r.s.opts.History {
		m.tick()
	}
	if n := testing.AllocsPerRun(200, m.tick); n != 0 {
		t.Errorf("%v allocations per tick of 16 moving players, want 0", n)
	}
}
