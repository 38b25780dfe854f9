// delta_test.go covers delta correctness over real sockets: bots join, leave and re-join a fighting room while every snapshot carries a checksum, and every rebuilt state must match.

package server_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

// TestDeltasWhilePlayersComeAndGo plays ~10 s of short fighting matches
// (kills, respawns, a match end and intermission) with a checksum in every
// snapshot, while the room's population changes under the deltas: 6 bots
// start, one more joins every half second up to 12, one leaves and
// re-joins under the same name once the room has let its id go (so it gets
// the id back), one leaves and re-joins at once (leave and join may fall in
// one tick), one leaves for good. Every bot that was ever connected must
// have rebuilt, from deltas, exactly the state the server checksummed, with
// ticks and acks only going forward.
func TestDeltasWhilePlayersComeAndGo(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) {
		shortMatches(o)
		o.Server.ChecksumEvery = 1
	})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	runCtx, stopRun := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stopRun(); wg.Wait() }()

	type player struct {
		name   string
		b      *bots.Bot
		left   bool // closed by the test
		joined int  // step of the schedule it joined at; 0: at the start
	}
	var all []*player
	var live []*player // in join order
	join := func(name string, step int) *player {
		t.Helper()
		b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: name, Behavior: bots.Fight(), Seed: uint64(len(all))})
		if err != nil {
			t.Fatalf("%s: join: %v", name, err)
		}
		t.Cleanup(b.Close)
		wg.Add(1)
		go func() { defer wg.Done(); b.Run(runCtx) }()
		p := &player{name: name, b: b, joined: step}
		all, live = append(all, p), append(live, p)
		return p
	}
	// leave closes p once it has taken some snapshots and waits until the
	// connection is over.
	leave := func(p *player) {
		t.Helper()
		if err := p.b.WaitFor(ctx, func(_ *pb.State, s *bots.Stats) bool { return s.Snapshots >= 30 }); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		p.b.Close()
		p.left = true
		for i, q := range live {
			if q == p {
				live = append(live[:i], live[i+1:]...)
				break
			}
		}
		select {
		case <-p.b.Done():
		case <-ctx.Done():
			t.Fatalf("%s: still connected after Close", p.name)
		}
	}
	// gone waits until observer's snapshots no longer hold player id.
	gone := func(observer *player, id uint32) {
		t.Helper()
		if err := observer.b.WaitFor(ctx, func(s *pb.State, _ *bots.Stats) bool { return s.Player(id) == nil }); err != nil {
			t.Fatalf("waiting for player %d to leave: %v", id, err)
		}
	}

	for i := range 6 {
		join(fmt.Sprintf("bot%d", i), 0)
	}
	first := all[0]
	room := first.b.Assignment().Room
	next := 6
	reused := false
	pace := time.NewTicker(500 * time.Millisecond)
	defer pace.Stop()
	schedule := []string{"join", "join", "cycle", "join", "swap", "join", "join", "leave", "join", "join"}
	for step, what := range schedule {
		step++
		select {
		case <-pace.C:
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
		switch what {
		case "join":
			join(fmt.Sprintf("bot%d", next), step)
			next++
		case "cycle": // leave; once the room dropped the id, come back
			p := all[2]
			id := p.b.ID()
			leave(p)
			gone(first, id)
			q := join(p.name, step)
			if q.b.ID() != id {
				t.Errorf("%s came back as player %d, had %d: lowest free id must be reused", p.name, q.b.ID(), id)
			}
			reused = true
		case "swap": // leave and come back at once
			p := all[4]
			leave(p)
			join(p.name, step)
		case "leave":
			leave(all[7])
		}
	}
	if len(live) != 12 || !reused {
		t.Fatalf("schedule left %d bots playing (want 12), id reused: %v", len(live), reused)
	}
	for _, p := range live {
		if r := p.b.Assignment().Room; r != room {
			t.Fatalf("%s in room %s, %s in %s: quick play must fill one room", p.name, r, first.name, room)
		}
	}

	// Play on until the bots there from the start have ~10 s of snapshots
	// and the late ones at least 2 s.
	for _, p := range live {
		want := 120
		if p.joined == 0 {
			want = 600
		}
		if err := p.b.WaitFor(ctx, func(_ *pb.State, s *bots.Stats) bool { return s.Snapshots >= want }); err != nil {
			p.b.View(func(_ *pb.State, s *bots.Stats) { t.Fatalf("%s: %v; stats %+v", p.name, err, *s) })
		}
	}
	stopRun()
	wg.Wait()

	var kills, ends int
	for _, p := range all {
		p.b.View(func(s *pb.State, st *bots.Stats) {
			t.Logf("%-5s joined at step %2d left %-5v: %4d snapshots (%d full), %4d checksums, %d desyncs, last ack %d",
				p.name, p.joined, p.left, st.Snapshots, st.Full, st.Checksums, st.Desyncs, st.LastAck)
			if st.Desyncs != 0 {
				t.Errorf("%s: %d of %d checksums did not match the rebuilt state", p.name, st.Desyncs, st.Checksums)
			}
			// ChecksumEvery 1 puts one in every snapshot, the Welcome's too.
			if st.Checksums != st.Snapshots || st.Snapshots == 0 {
				t.Errorf("%s: %d checksums in %d snapshots", p.name, st.Checksums, st.Snapshots)
			}
			if st.TickRegressions != 0 || st.AckRegressions != 0 {
				t.Errorf("%s: ticks went backwards %d times, acks %d times", p.name, st.TickRegressions, st.AckRegressions)
			}
			if !p.left && p.joined == 0 && st.Checksums < 300 {
				t.Errorf("%s: only %d checksummed snapshots", p.name, st.Checksums)
			}
			if !p.left && st.LastAck == 0 {
				t.Errorf("%s: no input acknowledged", p.name)
			}
			kills += st.Events[pb.EventKind_EVENT_KIND_KILL]
			ends += st.Events[pb.EventKind_EVENT_KIND_MATCH_END]
		})
	}
	t.Logf("events seen across bots: %d kills, %d match ends", kills, ends)
	if kills == 0 || ends == 0 {
		t.Errorf("saw %d kills and %d match ends: the deltas should have carried both", kills, ends)
	}
}
