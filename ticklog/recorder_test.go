// Recording a World driven as a room drives it, and reading it back: the
// logs a Dir writes verify, begin and end with their matches, and say who
// played; recording allocates nothing per tick.

package ticklog_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"skirmish/internal/testkit"
	"skirmish/sim"
	"skirmish/ticklog"
)

// room drives a World and its Recorder as server/ does: joins and leaves
// between Steps, inputs that change now and then, fire included, and some
// of the new ones one or two ticks late. The held input, without its fire,
// stands in for a late one until it comes; then it amends the moves it
// missed (one or two) before the next Step, a back-2 amendment before a
// back-1 one when both come in one tick, as a server's input slots have it.
type room struct {
	w       *sim.World
	rec     *ticklog.Recorder
	rng     *rand.Rand
	in      []sim.PlayerInput
	late    []lateInput // to amend, in order, once their tick has come
	waiting [sim.MaxPlayers + 1]bool
	// lateShare is the share of new inputs that come late (1/lateShare), and
	// twoLate of those that come two ticks late (none if negative); zero: 4
	// and 3.
	lateShare, twoLate int

	amended [sim.MaxAmendBack + 1]int // accepted amendments by back
	shots   [sim.MaxAmendBack + 1]int // the shots they fired, by back
	both    int                       // pauses with a back-2 then a back-1 amendment of one player
}

// lateInput is an input that came back ticks late: it amends after the
// Step of tick at.
type lateInput struct {
	sim.PlayerInput
	back int
	at   int32
}

func newRoom(d *ticklog.Dir, cfg sim.Config, seed uint64) *room {
	w := sim.New(cfg)
	names := func(id sim.PlayerID) string { return fmt.Sprintf("player-%d", id) }
	return &room{w: w, rec: d.Recorder("room-1", w, sim.TickRate, names, time.Now), rng: rand.New(rand.NewPCG(seed, 1))}
}

func (r *room) join(t testing.TB, id sim.PlayerID) {
	if err := r.w.AddPlayer(id); err != nil {
		t.Fatal(err)
	}
	r.rec.Joined(id)
}

func (r *room) leave(id sim.PlayerID) {
	r.rec.Leaving(id)
	r.w.RemovePlayer(id)
}

// step makes the amendments whose inputs have come, hands every player an
// input, a new one a fifth of the time (aimed at someone, mostly firing),
// steps and records.
func (r *room) step() {
	r.amend()
	lateShare, twoLate := cmp.Or(r.lateShare, 4), cmp.Or(r.twoLate, 3)
	r.in = r.in[:0]
	for i := range r.w.Players {
		p := &r.w.Players[i]
		standIn := p.Input
		standIn.Buttons &^= sim.ButtonFire
		waiting := r.waiting[p.ID] // the input before is two ticks late: this one stands in too
		r.waiting[p.ID] = false
		in := p.Input
		if waiting {
			in = standIn
		}
		if r.rng.IntN(5) == 0 {
			q := &r.w.Players[r.rng.IntN(len(r.w.Players))]
			aim := math.Atan2(float64(q.Y-p.Y), float64(q.X-p.X)) / (2 * math.Pi) * sim.AimSteps
			in = sim.Input{
				Move: uint8(r.rng.IntN(16)), Aim: uint16(int(math.Round(aim)+sim.AimSteps) % sim.AimSteps),
				Buttons: uint8(min(r.rng.IntN(3), 1)), RenderLag: uint8(r.rng.IntN(20)),
			}
			if waiting || r.rng.IntN(lateShare) == 0 {
				back := 1
				if !waiting && twoLate > 0 && r.rng.IntN(twoLate) == 0 {
					back = 2
					r.waiting[p.ID] = true
				}
				r.late = append(r.late, lateInput{sim.PlayerInput{ID: p.ID, Input: in}, back, r.w.Tick + int32(back)})
				in = standIn
			}
		}
		r.in = append(r.in, sim.PlayerInput{ID: p.ID, Input: in})
	}
	r.w.Step(r.in)
	if r.rec != nil {
		r.rec.Stepped()
	}
}

// amend makes the amendments due after the last Step, in the order their
// inputs came, and keeps the others.
func (r *room) amend() {
	kept := r.late[:0]
	var back2 [sim.MaxPlayers + 1]bool
	for _, l := range r.late {
		if l.at != r.w.Tick {
			kept = append(kept, l)
			continue
		}
		shots := r.fired()
		if !r.w.Amend(l.ID, l.back, l.Input) {
			continue
		}
		r.amended[l.back]++
		r.shots[l.back] += r.fired() - shots
		if l.back == 2 {
			back2[l.ID] = true
		} else if back2[l.ID] {
			r.both++
		}
		if r.rec != nil {
			r.rec.Amended(l.ID, l.back)
		}
	}
	r.late = kept
}

// fired is how many shots the World has fired.
func (r *room) fired() int {
	n := uint64(0)
	for _, s := range r.w.Rewinds.Shots {
		n += s
	}
	return int(n)
}

// shortMatches is a Config of 20-second matches with 1-second intermissions.
func shortMatches(seed uint64) sim.Config {
	return sim.Config{Seed: seed, MatchTicks: 20 * sim.TickRate, IntermissionTicks: sim.TickRate, ScoreLimit: 1000}
}

func openDir(t testing.TB, opts ticklog.Options) (*ticklog.Dir, string) {
	t.Helper()
	path := t.TempDir()
	if opts.Logger == nil {
		opts.Logger = testkit.Quiet()
	}
	d, err := ticklog.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, path
}

// waitLogs waits until d lists n logs and returns them, oldest first.
func waitLogs(t testing.TB, d *ticklog.Dir, n int) []ticklog.Entry {
	t.Helper()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		got := len(d.List())
		return got >= n, fmt.Sprintf("%d logs listed, want %d", got, n)
	})
	l := d.List()
	for i, j := 0, len(l)-1; i < j; i, j = i+1, j-1 {
		l[i], l[j] = l[j], l[i]
	}
	return l
}

func verifyFile(t testing.TB, path string) (ticklog.Result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, res, err := ticklog.Verify(f)
	return res, err
}

func TestRecordedMatchesVerify(t *testing.T) {
	d, path := openDir(t, ticklog.Options{KeyframeEvery: 120})
	r := newRoom(d, shortMatches(11), 5)
	for id := sim.PlayerID(1); id <= 4; id++ {
		r.join(t, id)
	}
	for tick := 1; tick <= 50*sim.TickRate; tick++ {
		switch tick {
		case 300:
			r.leave(2)
		case 400:
			r.join(t, 2) // a new player with the freed id
			r.join(t, 9)
		}
		r.step()
	}
	r.rec.Close() // in match 3, 8 s in: written as it stands
	if r.amended[1] < 100 || r.amended[2] < 30 {
		t.Errorf("%v amendments by back in 50 s: the logs show little of them", r.amended)
	}

	logs := waitLogs(t, d, 3)
	for i, e := range logs {
		if e.Room != "room-1" || e.Match != i+1 || e.Complete != (i < 2) {
			t.Errorf("log %d: room %q match %d complete %v", i, e.Room, e.Match, e.Complete)
		}
		res, err := verifyFile(t, filepath.Join(path, e.ID+".tlog"))
		if err != nil {
			t.Fatalf("log %d (%s): %v", i, e.ID, err)
		}
		if res.Ticks != e.Ticks || res.Keyframes != (e.Ticks+119)/120 {
			t.Errorf("log %d: verified %d ticks and %d keyframes of %d ticks", i, res.Ticks, res.Keyframes, e.Ticks)
		}
		t.Logf("%s: %d ticks, %d keyframes, %d bytes, players %v, winner %q", e.ID, res.Ticks, res.Keyframes, e.Bytes, e.Players, e.Winner)
	}
	if logs[0].Ticks != 20*sim.TickRate || len(logs[0].Players) != 6 {
		t.Errorf("match 1: %d ticks, players %+v; want 1200 ticks and 6 players (2 twice)", logs[0].Ticks, logs[0].Players)
	}
	if logs[1].Winner == "" || len(logs[1].Players) != 5 {
		t.Errorf("match 2: winner %q, players %+v", logs[1].Winner, logs[1].Players)
	}
	if st := d.Stats(); st.Written != 3 || st.Dropped != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestEmptyMatchIsNotKept(t *testing.T) {
	d, path := openDir(t, ticklog.Options{})
	r := newRoom(d, shortMatches(3), 1)
	for range 25 * sim.TickRate { // match 1 with nobody, then 4 s of match 2
		r.step()
	}
	r.join(t, 1)
	for range 30 * sim.TickRate {
		r.step()
	}
	r.rec.Close()
	logs := waitLogs(t, d, 2)
	if len(logs) != 2 || logs[0].Match != 2 || logs[1].Match != 3 {
		t.Fatalf("logs %+v; want matches 2 and 3 (1 had nobody)", logs)
	}
	files, _ := filepath.Glob(filepath.Join(path, "*"))
	if len(files) != 2 {
		t.Fatalf("files %v; want the two logs alone", files)
	}
}

func TestRecordingAllocatesNothing(t *testing.T) {
	d, _ := openDir(t, ticklog.Options{KeyframeEvery: 60})
	r := newRoom(d, sim.Config{Seed: 2, MatchTicks: 1 << 30}, 3)
	for id := sim.PlayerID(1); id <= 16; id++ {
		r.join(t, id)
	}
	for range 10 * 60 { // grow every buffer; let chunks go round the writer
		r.step()
	}
	if n := testing.AllocsPerRun(600, r.step); n != 0 {
		t.Fatalf("a recorded tick allocates %v times", n)
	}
}

// amendedLog records a short match of four players whose inputs are often
// one or two ticks late (room.step; twoLate as there) and returns its
// file, ungzipped, and the room that played it.
func amendedLog(t testing.TB, twoLate int) ([]byte, *room) {
	d, path := openDir(t, ticklog.Options{KeyframeEvery: 60})
	cfg := shortMatches(2)
	cfg.MatchTicks = 5 * sim.TickRate
	r := newRoom(d, cfg, 3)
	r.lateShare, r.twoLate = 2, twoLate
	for id := sim.PlayerID(1); id <= 4; id++ {
		r.join(t, id)
	}
	for range 5 * sim.TickRate {
		r.step()
	}
	e := waitLogs(t, d, 1)[0]
	file, err := os.ReadFile(filepath.Join(path, e.ID+".tlog"))
	if err != nil {
		t.Fatal(err)
	}
	return gunzipped(t, file), r
}

func TestAmendedMatchVerifies(t *testing.T) {
	d, path := openDir(t, ticklog.Options{KeyframeEvery: 60})
	cfg := shortMatches(7)
	cfg.MatchTicks = 10 * sim.TickRate
	cfg.FireCooldownTicks = 2 // amended inputs fire often
	r := newRoom(d, cfg, 9)
	r.lateShare, r.twoLate = 2, 2
	r.join(t, 1)
	r.join(t, 2)
	for range cfg.MatchTicks {
		r.step()
	}
	t.Logf("amendments by back %v, their shots %v, %d back 2 then back 1", r.amended, r.shots, r.both)
	if r.amended[1] < 20 || r.amended[2] < 20 || r.shots[1] == 0 || r.shots[2] == 0 || r.both == 0 {
		t.Fatalf("amendments by back %v, their shots %v, %d back 2 then back 1: the log shows little of them", r.amended, r.shots, r.both)
	}
	e := waitLogs(t, d, 1)[0]
	res, err := verifyFile(t, filepath.Join(path, e.ID+".tlog"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Ticks != int(cfg.MatchTicks) {
		t.Fatalf("verified %d ticks; want the match's %d", res.Ticks, cfg.MatchTicks)
	}
}
