// Replay determinism: a recorded run (testdata/) must give the golden hash every tick,
// natively and under WebAssembly.

package sim_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"skirmish/sim"
)

var update = flag.Bool("update", false, "regenerate testdata/replay.inputs and testdata/replay.hashes")

const (
	replayInputs = "testdata/replay.inputs"
	replayHashes = "testdata/replay.hashes"
)

// A replay is a recorded run: the Config it needs and, tick by tick, the players that join
// and leave before that tick's Step and the inputs given to it. Inputs are recorded only
// when they change, as a client sends them; the sim holds them in between.
//
// testdata/replay.inputs is text, one directive per line, '#' starts a comment:
//
//	seed <n>                        Config.Seed
//	matchticks <n>                  Config.MatchTicks (other fields default)
//	lagcomp <n>                     Config.LagCompTicks (absent: the default)
//	ticks <n>                       number of Steps
//	<tick> join <id>                AddPlayer before Step number <tick>
//	<tick> leave <id>               RemovePlayer before Step number <tick>
//	<tick> input <id> <move> <aim> <buttons> [<render lag>]   an Input given to Step number <tick>
//
// Lines are sorted by tick. The render lag is the one the shooter's client claimed, as the
// server applied it: with the Config's window, it fixes the rewind of every shot.
// testdata/replay.hashes holds World.Hash after each Step, one 16-digit hex number per line.
type replay struct {
	seed       uint64
	matchTicks int32
	lagComp    int32
	ticks      int32
	lines      []replayLine
}

type replayLine struct {
	tick  int32
	op    string // join, leave, input
	id    sim.PlayerID
	input sim.Input
}

func (r *replay) config() sim.Config {
	return sim.Config{Seed: r.seed, MatchTicks: r.matchTicks, LagCompTicks: r.lagComp}
}

// run plays r, calling after for every tick with the World after its Step.
func (r *replay) run(t testing.TB, after func(w *sim.World)) {
	r.runSwap(t, func(w *sim.World) *sim.World { after(w); return w })
}

// runSwap plays r as run does; after returns the World that plays on.
func (r *replay) runSwap(t testing.TB, after func(w *sim.World) *sim.World) {
	w := sim.New(r.config())
	var inputs []sim.PlayerInput
	next := 0
	for tick := int32(1); tick <= r.ticks; tick++ {
		inputs = inputs[:0]
		for ; next < len(r.lines) && r.lines[next].tick == tick; next++ {
			l := r.lines[next]
			switch l.op {
			case "join":
				if err := w.AddPlayer(l.id); err != nil {
					t.Fatalf("tick %d: AddPlayer(%d): %v", tick, l.id, err)
				}
			case "leave":
				w.RemovePlayer(l.id)
			case "input":
				inputs = append(inputs, sim.PlayerInput{ID: l.id, Input: l.input})
			}
		}
		w.Step(inputs)
		w = after(w)
	}
}

func TestReplay(t *testing.T) {
	if *update {
		writeReplay(t)
	}
	r := readReplay(t)
	want := readHashes(t)
	if int32(len(want)) != r.ticks {
		t.Fatalf("%s has %d hashes for %d ticks", replayHashes, len(want), r.ticks)
	}
	var kills, matches int
	var rewinds sim.RewindStats
	r.run(t, func(w *sim.World) {
		if got := w.Hash(); got != want[w.Tick-1] {
			t.Fatalf("first difference at tick %d: hash %016x, golden %016x", w.Tick, got, want[w.Tick-1])
		}
		kills += countEvents(w, sim.EventKill, 0, 0)
		matches += countEvents(w, sim.EventMatchStart, 0, 0)
		rewinds = w.Rewinds
	})
	// The golden run must exercise the game, or matching it proves little: lag
	// compensation included, within the window and beyond it.
	if kills < 20 || matches < 3 {
		t.Fatalf("replay has only %d kills and %d match starts", kills, matches)
	}
	var rewound uint64
	for _, n := range rewinds.Shots[1:] {
		rewound += n
	}
	if rewound < 100 || rewinds.Clamped < 50 || rewinds.Shots[0] < 50 {
		t.Fatalf("replay has only %d rewound shots (%d clamped) and %d unrewound", rewound, rewinds.Clamped, rewinds.Shots[0])
	}
	t.Logf("%d ticks, %d kills, %d matches; shots by rewind %v, %d clamped", r.ticks, kills, matches, rewinds.Shots[:13], rewinds.Clamped)
}

func readReplay(t *testing.T) *replay {
	t.Helper()
	data, err := os.ReadFile(replayInputs)
	if err != nil {
		t.Fatalf("%v (regenerate with: go test ./sim -run TestReplay -update)", err)
	}
	r := &replay{}
	for n, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := func(err error) {
			t.Fatalf("%s:%d: %q: %v", replayInputs, n+1, line, err)
		}
		num := func(s string, bits int) uint64 {
			v, err := strconv.ParseUint(s, 0, bits)
			if err != nil {
				bad(err)
			}
			return v
		}
		switch {
		case len(f) == 2 && f[0] == "seed":
			r.seed = num(f[1], 64)
		case len(f) == 2 && f[0] == "matchticks":
			r.matchTicks = int32(num(f[1], 31))
		case len(f) == 2 && f[0] == "lagcomp":
			v, err := strconv.ParseInt(f[1], 0, 32)
			if err != nil {
				bad(err)
			}
			r.lagComp = int32(v)
		case len(f) == 2 && f[0] == "ticks":
			r.ticks = int32(num(f[1], 31))
		case len(f) == 3 && (f[1] == "join" || f[1] == "leave"), (len(f) == 6 || len(f) == 7) && f[1] == "input":
			l := replayLine{tick: int32(num(f[0], 31)), op: f[1], id: sim.PlayerID(num(f[2], 16))}
			if l.op == "input" {
				l.input = sim.Input{Move: uint8(num(f[3], 8)), Aim: uint16(num(f[4], 16)), Buttons: uint8(num(f[5], 8))}
				if len(f) == 7 {
					l.input.RenderLag = uint8(num(f[6], 8))
				}
			}
			if len(r.lines) > 0 && l.tick < r.lines[len(r.lines)-1].tick {
				bad(fmt.Errorf("tick %d after tick %d", l.tick, r.lines[len(r.lines)-1].tick))
			}
			r.lines = append(r.lines, l)
		default:
			bad(fmt.Errorf("unknown directive"))
		}
	}
	return r
}

func readHashes(t *testing.T) []uint64 {
	t.Helper()
	data, err := os.ReadFile(replayHashes)
	if err != nil {
		t.Fatalf("%v (regenerate with: go test ./sim -run TestReplay -update)", err)
	}
	var hashes []uint64
	for n, line := range strings.Fields(string(data)) {
		h, err := strconv.ParseUint(line, 16, 64)
		if err != nil {
			t.Fatalf("%s:%d: %v", replayHashes, n+1, err)
		}
		hashes = append(hashes, h)
	}
	return hashes
}

// writeReplay records a new golden run: 8 bots joining, leaving and rejoining over 3600
// ticks (three short matches), chasing and shooting the nearest enemy as their screens
// show it, each with its own render lag (none, within the default window of 12 ticks,
// beyond it, absurd), with some hostile input mixed in, then the hashes of replaying it.
func writeReplay(t *testing.T) {
	r := &replay{seed: 0x5eed5eed, matchTicks: 20 * sim.TickRate, lagComp: 12, ticks: 60 * sim.TickRate}
	rnd := rand.New(rand.NewPCG(1, 2))
	joins := map[int32][]sim.PlayerID{1: {1, 2}, 2: {3}, 30: {4, 5}, 90: {6}, 400: {7, 8}, 1700: {3}, 2900: {7}}
	leaves := map[int32][]sim.PlayerID{1500: {3}, 2600: {7}}
	lags := map[sim.PlayerID]int{1: 0, 2: 3, 3: 6, 4: 10, 5: 12, 6: 15, 7: 30, 8: 250}
	sent := map[sim.PlayerID]sim.Input{}
	hold := map[sim.PlayerID]int32{}
	var screens [64][]sim.Player // the players after Step t, at t%64: what a client lagging behind draws

	w := sim.New(r.config())
	var inputs []sim.PlayerInput
	for tick := int32(1); tick <= r.ticks; tick++ {
		for _, id := range leaves[tick] {
			r.lines = append(r.lines, replayLine{tick: tick, op: "leave", id: id})
			w.RemovePlayer(id)
		}
		for _, id := range joins[tick] {
			r.lines = append(r.lines, replayLine{tick: tick, op: "join", id: id})
			if err := w.AddPlayer(id); err != nil {
				t.Fatal(err)
			}
		}
		inputs = inputs[:0]
		for _, p := range w.Players {
			if tick < hold[p.ID] {
				continue
			}
			hold[p.ID] = tick + 1 + rnd.Int32N(12)
			lag := max(lags[p.ID]+rnd.IntN(3)-1, 0)
			screen := w.Players
			if seen := min(lag, 40); seen > 0 && tick > int32(seen) {
				screen = screens[(tick-int32(seen))%64]
			}
			in := botInput(screen, &p, rnd)
			if in.Buttons&sim.ButtonFire != 0 { // a client claims its render lag when it fires
				in.RenderLag = uint8(min(lag, 255))
			}
			if in == sent[p.ID] {
				continue
			}
			sent[p.ID] = in
			inputs = append(inputs, sim.PlayerInput{ID: p.ID, Input: in})
		}
		if tick%500 == 0 { // someone who is not in the world
			inputs = append(inputs, sim.PlayerInput{ID: 42, Input: sim.Input{Move: sim.MoveUp}})
		}
		for _, in := range inputs {
			r.lines = append(r.lines, replayLine{tick: tick, op: "input", id: in.ID, input: in.Input})
		}
		w.Step(inputs)
		screens[tick%64] = append(screens[tick%64][:0], w.Players...)
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "# Skirmish sim replay: generated by go test ./sim -run TestReplay -update; format in replay_test.go.\n")
	fmt.Fprintf(&b, "seed %#x\nmatchticks %d\nlagcomp %d\nticks %d\n", r.seed, r.matchTicks, r.lagComp, r.ticks)
	for _, l := range r.lines {
		fmt.Fprintf(&b, "%d %s %d", l.tick, l.op, l.id)
		if l.op == "input" {
			fmt.Fprintf(&b, " %d %d %d", l.input.Move, l.input.Aim, l.input.Buttons)
			if l.input.RenderLag != 0 {
				fmt.Fprintf(&b, " %d", l.input.RenderLag)
			}
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(replayInputs, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	var h bytes.Buffer
	hw := bufio.NewWriter(&h)
	r.run(t, func(w *sim.World) { fmt.Fprintf(hw, "%016x\n", w.Hash()) })
	hw.Flush()
	if err := os.WriteFile(replayHashes, h.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// botInput is a crude bot: it walks toward the nearest live enemy on its screen (the
// other players as it sees them) until close, strafes at random, aims at it with some
// error and shoots most of the time. One input in 40 is garbage, as a hostile client would
// send.
func botInput(screen []sim.Player, p *sim.Player, rnd *rand.Rand) sim.Input {
	if rnd.IntN(40) == 0 {
		return sim.Input{Move: uint8(rnd.Uint32()), Aim: uint16(rnd.Uint32()), Buttons: uint8(rnd.Uint32())}
	}
	var target *sim.Player
	var best int64 = math.MaxInt64
	for i := range screen {
		q := &screen[i]
		dx, dy := int64(q.X-p.X), int64(q.Y-p.Y)
		if q.ID != p.ID && q.Alive && dx*dx+dy*dy < best {
			target, best = q, dx*dx+dy*dy
		}
	}
	in := sim.Input{Move: uint8(rnd.IntN(16))}
	if target == nil {
		return in
	}
	dx, dy := float64(target.X-p.X), float64(target.Y-p.Y)
	angle := math.Atan2(dy, dx) + (rnd.Float64()-0.5)*0.3
	in.Aim = uint16(int(math.Round(angle/(2*math.Pi)*sim.AimSteps)+sim.AimSteps) % sim.AimSteps)
	if best > int64(px(300))*int64(px(300)) {
		in.Move = 0
		if dx < 0 {
			in.Move |= sim.MoveLeft
		} else {
			in.Move |= sim.MoveRight
		}
		if dy < 0 {
			in.Move |= sim.MoveUp
		} else {
			in.Move |= sim.MoveDown
		}
	}
	if rnd.IntN(5) != 0 {
		in.Buttons = sim.ButtonFire
	}
	return in
}

func TestDeterminism(t *testing.T) {
	r := readReplay(t)
	var a []uint64
	r.run(t, func(w *sim.World) { a = append(a, w.Hash()) })
	i := 0
	r.run(t, func(w *sim.World) {
		if h := w.Hash(); h != a[i] {
			t.Fatalf("tick %d: two runs of the same replay differ: %016x vs %016x", w.Tick, a[i], h)
		}
		i++
	})

	// Another seed: the states must diverge beyond the generator itself.
	r.seed++
	var posA, posB []int32
	r.run(t, func(w *sim.World) {
		if w.Tick == 600 {
			for _, p := range w.Players {
				posB = append(posB, p.X, p.Y)
			}
		}
	})
	r.seed--
	r.run(t, func(w *sim.World) {
		if w.Tick == 600 {
			for _, p := range w.Players {
				posA = append(posA, p.X, p.Y)
			}
		}
	})
	if len(posA) == 0 || fmt.Sprint(posA) == fmt.Sprint(posB) {
		t.Fatalf("a different seed gave the same player positions at tick 600: %v", posA)
	}

	// Without lag compensation the same inputs make another game: the render lags in the
	// log decide hits.
	hits := func() (hits []string) {
		r.run(t, func(w *sim.World) {
			for _, e := range w.Events {
				if e.Kind == sim.EventHit {
					hits = append(hits, fmt.Sprint(w.Tick, e.A, e.B))
				}
			}
		})
		return hits
	}
	on := hits()
	r.lagComp = -1
	off := hits()
	r.lagComp = 12
	if len(on) == 0 || slices.Equal(on, off) {
		t.Fatalf("the same %d hits with lag compensation on and off", len(on))
	}
}
