// bench_test.go — matchmaking throughput and time to assignment (match.go)
// with 10,000 queued tickets, on each Store backend:
//
//	go test ./lobby -run '^$' -bench Matchmaking -benchtime 1x
//
// Each iteration queues 10,000 single players in the store, then runs
// matcher passes until the queue is empty. tickets/s is tickets seated per
// second of matching; p50-ms and p99-ms are the times by which half and
// 99 % of the tickets queued at the start had their seat (the median over
// iterations). A pass plans for at most 1,000 tickets, oldest first.

package lobby_test

import (
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"skirmish/internal/redistest"
	"skirmish/lobby"
	"skirmish/ticket"
)

const benchTickets = 10_000

func BenchmarkMatchmaking(b *testing.B) {
	var srv *redistest.Server
	var prefix atomic.Int64
	for _, be := range []struct {
		name string
		open func(b *testing.B) lobby.Store
	}{
		{"memory", func(*testing.B) lobby.Store { return lobby.NewMemoryStore() }},
		{"redis", func(sub *testing.B) lobby.Store {
			if srv == nil {
				srv = redistest.Start(b) // lives as long as the whole benchmark
			}
			return lobby.NewRedisStore(newRedisClient(sub, srv), lobby.RedisOptions{Prefix: fmt.Sprintf("bench%d:", prefix.Add(1))})
		}},
	} {
		b.Run(be.name, func(b *testing.B) {
			var matching time.Duration
			var p50s, p99s []time.Duration
			for b.Loop() {
				b.StopTimer()
				s := be.open(b)
				l := benchLobby(b, s)
				queued := time.Now()
				for i := range benchTickets {
					id := uint64(i + 1)
					e := lobby.Entry{ID: strconv.FormatUint(id, 10), Mode: "ffa", Members: []lobby.Member{{ID: id, Rating: 1500}}, Enqueued: queued}
					if err := s.Enqueue(bg, e, queued); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				var done []time.Duration // when each ticket was seated, from start
				for len(done) < benchTickets {
					n, err := l.MatchPass(bg)
					if err != nil {
						b.Fatal(err)
					}
					if n == 0 {
						b.Fatalf("a pass seated nobody with %d tickets left", benchTickets-len(done))
					}
					at := time.Since(start)
					for range n {
						done = append(done, at)
					}
				}
				matching += time.Since(start)
				b.StopTimer()
				p50s = append(p50s, done[len(done)/2-1])
				p99s = append(p99s, done[len(done)*99/100-1])
				l.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(benchTickets*len(p99s))/matching.Seconds(), "tickets/s")
			slices.Sort(p50s)
			slices.Sort(p99s)
			b.ReportMetric(float64(p50s[len(p50s)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p99s[len(p99s)/2].Microseconds())/1000, "p99-ms")
		})
	}
}

// benchLobby is a lobby whose matcher only runs when the benchmark asks.
func benchLobby(b *testing.B, s lobby.Store) *lobby.Lobby {
	signer, err := ticket.GenerateSigner()
	if err != nil {
		b.Fatal(err)
	}
	l, err := lobby.New(lobby.Options{Signer: signer, Store: s, Logger: slog.New(slog.DiscardHandler), MatchInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	return l
}
