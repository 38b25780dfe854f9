// Recording a World driven as a room drives it, and reading it back: the
// logs a Dir writes verify, begin and end with their matches, and say who
// played; recording allocates nothing per tick.

package ticklog_test

import (
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
// of the new ones a tick late: the held input stands in for them, and they
// amend that move before the next Step.
type room struct {
	w       *sim.World
	rec     *ticklog.Recorder
	rng     *rand.Rand
	in      []sim.PlayerInput
	late    []sim.PlayerInput // to amend before the next Step
	amended int
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

// step hands every player an input, a new one a fifth of the time (aimed
// at someone, mostly firing), steps and records.
func (r *room) step() {
	for _, pi := range r.late {
		if r.w.Amend(pi.ID, pi.Input) {
			r.amended++
			if r.rec != nil {
				r.rec.Amended(pi.ID)
			}
		}
	}
	r.in, r.late = r.in[:0], r.late[:0]
	for i := range r.w.Players {
		p := &r.w.Players[i]
		in := p.Input
		if r.rng.IntN(5) == 0 {
			q := &r.w.Players[r.rng.IntN(len(r.w.Players))]
			aim := math.Atan2(float64(q.Y-p.Y), float64(q.X-p.X)) / (2 * math.Pi) * sim.AimSteps
			in = sim.Input{
				Move: uint8(r.rng.IntN(16)), Aim: uint16(int(math.Round(aim)+sim.AimSteps) % sim.AimSteps),
				Buttons: uint8(min(r.rng.IntN(3), 1)), RenderLag: uint8(r.rng.IntN(20)),
			}
			if r.rng.IntN(4) == 0 {
				r.late = append(r.late, sim.PlayerInput{ID: p.ID, Input: in})
				in = p.Input
			}
		}
		r.in = append(r.in, sim.PlayerInput{ID: p.ID, Input: in})
	}
	r.w.Step(r.in)
	if r.rec != nil {
		r.rec.Stepped()
	}
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
	if r.amended < 100 {
		t.Errorf("%d amendments in 50 s: the logs show little of them", r.amended)
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

// amendedLog records a short match of four players whose inputs are now
// and then a tick late (room.step) and returns its file, ungzipped, and
// how many amendments it holds.
func amendedLog(t testing.TB) ([]byte, int) {
	d, path := openDir(t, ticklog.Options{KeyframeEvery: 60})
	cfg := shortMatches(2)
	cfg.MatchTicks = 5 * sim.TickRate
	r := newRoom(d, cfg, 3)
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
	return gunzipped(t, file), r.amended
}
