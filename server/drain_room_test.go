// drain_room_test.go covers a room's part in a drain (drain.go's drainTick) without sockets: the Notice goes out once the Welcome is written, and a room whose match is over closes only when its players have taken the snapshot that says so.

package server

import (
	"sync"
	"testing"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
	"skirmish/sim"
)

// phaseGame is the sim with the match phase the test sets.
type phaseGame struct {
	Game
	phase pb.MatchPhase
}

func (g *phaseGame) Capture(s *pb.State, events []pb.EventInfo) []pb.EventInfo {
	events = g.Game.Capture(s, events)
	s.Match.Phase = g.phase
	return events
}

// asyncRecorder records the frames queued with WriteAsync.
type asyncRecorder struct {
	mu     sync.Mutex
	frames [][]byte
}

func (a *asyncRecorder) WriteAsync(_ gws.Opcode, p []byte, _ func(error)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.frames = append(a.frames, p)
}

func (a *asyncRecorder) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.frames)
}

func TestDrainTickWaitsForTheFinalState(t *testing.T) {
	game := &phaseGame{phase: pb.MatchPhase_MATCH_PHASE_PLAYING}
	r := newTestRoom(t, func(o *Options) {
		o.NewGame = func(string) Game { game.Game = NewSimGame(sim.DefaultConfig()); return game }
	})
	r.s.registry = newRegistry(r.s)
	r.s.registry.rooms = []*room{r}
	r.s.notice = []byte("notice")
	r.s.draining.Store(true)
	c := newTestClient(t, r, "a", &mailbox{})
	rec := &asyncRecorder{}
	c.async = rec
	ended := func() bool {
		select {
		case <-r.quit:
			return true
		default:
			return false
		}
	}
	check := func(what string, wantEnd bool, wantNotices int) {
		t.Helper()
		if got := r.drainTick(); got != wantEnd || ended() != wantEnd {
			t.Fatalf("%s: drainTick %v, room ended %v; want %v", what, got, ended(), wantEnd)
		}
		if n := rec.count(); n != wantNotices {
			t.Fatalf("%s: %d notices sent, want %d", what, n, wantNotices)
		}
	}

	r.step(true) // admits the player; its Welcome is handed over
	check("Welcome not written yet", false, 0)
	deliver(c)
	check("Welcome written, match on", false, 1)
	r.step(true)
	deliver(c)
	check("match on", false, 1)

	game.phase = pb.MatchPhase_MATCH_PHASE_INTERMISSION
	r.step(true) // the snapshot saying the match is over is queued ...
	check("final snapshot queued", false, 1)
	game.phase = pb.MatchPhase_MATCH_PHASE_PLAYING // (a next match would not bring the room back)
	r.step(true)                                   // ... and the next one behind it
	r.step(true)
	r.step(true) // the queue is full: this one is skipped
	check("final snapshot queued, the latest skipped", false, 1)
	deliver(c)
	check("final snapshot written, the latest skipped", false, 1)
	r.step(true)
	deliver(c)
	check("every snapshot taken", true, 1)
	if k := r.stopKick.Load(); k != kickDrained {
		t.Errorf("room stopped with %+v, want kickDrained", k)
	}
	if r.s.registry.hostedLocked(r.id) != nil {
		t.Error("the registry still hosts the drained room")
	}
}

func TestDrainTickEndsAnEmptyRoom(t *testing.T) {
	r := newTestRoom(t, nil)
	r.s.registry = newRegistry(r.s)
	r.s.draining.Store(true)
	r.step(true)
	if !r.drainTick() {
		t.Fatal("an empty room in the middle of its match did not end")
	}
}
