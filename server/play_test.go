// play_test.go — whole matches over real sockets: bots join through the
// lobby, play, and check what they rebuild against the server's checksums.

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
	"skirmish/server"
	"skirmish/sim"
)

// shortMatches makes rooms whose matches last a few seconds.
func shortMatches(o *stack.Options) {
	o.Server.NewGame = func(room string) server.Game {
		cfg := sim.DefaultConfig()
		cfg.Seed = 7
		cfg.MatchTicks = 6 * sim.TickRate
		cfg.IntermissionTicks = sim.TickRate
		cfg.RespawnTicks = sim.TickRate / 2
		return server.NewSimGame(cfg)
	}
}

func joinBots(ctx context.Context, t *testing.T, st *testkit.Stack, n int, behave func(i int) bots.Behavior) []*bots.Bot {
	t.Helper()
	out := make([]*bots.Bot, n)
	for i := range out {
		b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: fmt.Sprintf("bot%d", i), Behavior: behave(i), Seed: uint64(i)})
		if err != nil {
			t.Fatalf("bot %d: %v", i, err)
		}
		out[i] = b
		t.Cleanup(b.Close)
	}
	return out
}

func TestSixteenPlayersPlayAMatch(t *testing.T) {
	st := testkit.Start(t, shortMatches)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bs := joinBots(ctx, t, st, 16, func(int) bots.Behavior { return bots.Fight() })
	room := bs[0].Assignment().Room
	for i, b := range bs {
		if b.Assignment().Room != room {
			t.Fatalf("bot %d in room %s, bot 0 in %s: quick play must fill one room", i, b.Assignment().Room, room)
		}
	}
	var wg sync.WaitGroup
	runCtx, stopRun := context.WithCancel(ctx)
	for _, b := range bs {
		wg.Add(1)
		go func() { defer wg.Done(); b.Run(runCtx) }()
	}
	defer func() { stopRun(); wg.Wait() }()

	// Every bot sees all sixteen, sees others move, gets acks in order, and
	// lives through a kill and a match end into the next match.
	start := make([]map[uint32][2]int32, len(bs))
	for i, b := range bs {
		b.View(func(s *pb.State, _ *bots.Stats) {
			start[i] = map[uint32][2]int32{}
			for _, p := range s.Players {
				start[i][p.ID] = [2]int32{p.F[pb.FieldX], p.F[pb.FieldY]}
			}
		})
	}
	for i, b := range bs {
		self := b.ID()
		err := b.WaitFor(ctx, func(s *pb.State, st *bots.Stats) bool {
			moved := 0
			for _, p := range s.Players {
				if p.ID == self {
					continue
				}
				if was, ok := start[i][p.ID]; ok && was != [2]int32{p.F[pb.FieldX], p.F[pb.FieldY]} {
					moved++
				}
			}
			return len(s.Players) == 16 && moved >= 8 && st.Events[pb.EventKind_EVENT_KIND_KILL] > 0 &&
				s.Match.Number >= 2 && st.Events[pb.EventKind_EVENT_KIND_MATCH_END] > 0
		})
		if err != nil {
			b.View(func(s *pb.State, st *bots.Stats) {
				t.Fatalf("bot %d: %v; players %d, match %d, stats %+v", i, err, len(s.Players), s.Match.Number, *st)
			})
		}
	}
	for i, b := range bs {
		b.View(func(s *pb.State, st *bots.Stats) {
			if st.AckRegressions != 0 || st.TickRegressions != 0 {
				t.Errorf("bot %d: acks or ticks went backwards: %+v", i, *st)
			}
			if st.LastAck == 0 {
				t.Errorf("bot %d: no input acknowledged", i)
			}
			if st.Desyncs != 0 {
				t.Errorf("bot %d: %d checksum mismatches", i, st.Desyncs)
			}
		})
	}
}
