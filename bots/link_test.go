// link_test.go — bots over a simulated link (internal/linksim) against a
// real lobby and game server on 127.0.0.1: a bot's ping round trip is the
// link's (and about nothing without one), through a Dialer and through a
// Proxy in front of the whole server; and a swarm whose links jitter and
// stall loses nothing: every checksum verifies, the stalls show as gaps.

package bots_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/linksim"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

// pingRTTs joins a bot with opts, pings it n times one after the other and
// returns the round trips, sorted.
func pingRTTs(t *testing.T, opts bots.Options, n int) []time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var rtts []time.Duration
	for i := 1; i <= n; i++ {
		if err := b.Ping(); err != nil {
			t.Fatal(err)
		}
		var rtt time.Duration
		if err := b.WaitFor(ctx, func(_ *pb.State, st *bots.Stats) bool { rtt = st.RTT; return st.Pongs >= i }); err != nil {
			t.Fatalf("pong %d: %v", i, err)
		}
		rtts = append(rtts, rtt)
	}
	slices.Sort(rtts)
	return rtts
}

func TestBotRoundTripIsTheLinks(t *testing.T) {
	base := testkit.Start(t, nil).URL
	for _, c := range []struct {
		name string
		link linksim.Link
	}{
		{"none", linksim.Link{}},
		{"50ms each way", linksim.Link{Up: linksim.Shape{Delay: 50 * time.Millisecond}, Down: linksim.Shape{Delay: 50 * time.Millisecond}}},
		{"80ms up, 20ms down", linksim.Link{Up: linksim.Shape{Delay: 80 * time.Millisecond}, Down: linksim.Shape{Delay: 20 * time.Millisecond}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rtts := pingRTTs(t, bots.Options{BaseURL: base, Name: "pinger", Link: c.link}, 7)
			// The link's delays hold every pong back (how little more a
			// loaded machine adds is the benchmark's: internal/linksim).
			if want := c.link.RoundTrip(); rtts[0] < want {
				t.Errorf("round trips %v, want each at least %v", rtts, want)
			}
		})
	}
}

func TestBotThroughProxy(t *testing.T) {
	base := testkit.Start(t, nil).URL
	half := linksim.Shape{Delay: 50 * time.Millisecond}
	p, err := linksim.Listen("127.0.0.1:0", strings.TrimPrefix(base, "http://"), linksim.Link{Up: half, Down: half})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// The lobby answers with a ws_url on the proxy's address (the Host the
	// bot asked), so the WebSocket crosses the proxy too.
	rtts := pingRTTs(t, bots.Options{BaseURL: "http://" + p.Addr(), Name: "proxied"}, 5)
	if rtts[0] < 100*time.Millisecond {
		t.Errorf("round trips through the proxy %v, want each at least 100ms", rtts)
	}
}

func TestSwarmOverAStallingLink(t *testing.T) {
	const n, rtt, stall = 6, 100 * time.Millisecond, 150 * time.Millisecond
	st := testkit.Start(t, nil)
	base := st.URL
	shape := linksim.Shape{Delay: rtt / 2, Jitter: 10 * time.Millisecond, StallEvery: time.Second, Stall: stall}
	r := runSwarm(t, bots.SwarmOptions{BaseURL: base, Count: n, Duration: 4 * time.Second, Link: linksim.Link{Up: shape, Down: shape}})

	// Nothing lost: a missing byte would break the next delta (an error or
	// a desync), and the server skipped nothing.
	if r.Joined != n || r.Dropped != 0 || r.Errors != 0 || r.Desyncs != 0 || r.TickRegressions != 0 || r.AckRegressions != 0 {
		t.Errorf("joined %d, dropped %d, errors %d %v, desyncs %d, tick regressions %d, ack regressions %d",
			r.Joined, r.Dropped, r.Errors, r.ErrorSamples, r.Desyncs, r.TickRegressions, r.AckRegressions)
	}
	// Checksums verified beyond the Welcome's, and snapshots to every bot
	// (a snapshot the server skipped for a stalled write is no loss: the
	// next delta is against what the bot has, which the checksums prove).
	if r.Checksums <= n || len(r.BandwidthPerBot) != n || r.BandwidthPerBot[0] <= 0 {
		t.Errorf("%d checksums verified; bandwidth of %d bots %v", r.Checksums, len(r.BandwidthPerBot), r.BandwidthPerBot)
	}
	// The link shows: the round trip is at least its own (less its
	// jitter: ±10 ms each way), and the stalls hold snapshots back.
	if r.RTT.P50 < 0.97*ms(rtt-20*time.Millisecond) {
		t.Errorf("rtt p50 %.1f ms, want from %v", r.RTT.P50, rtt-20*time.Millisecond)
	}
	if r.Gap.Max < 0.97*ms(stall-20*time.Millisecond) {
		t.Errorf("longest gap between snapshots %.1f ms: no stall of %v showed", r.Gap.Max, stall)
	}
	if r.Link != "up 50ms ± 10ms stalling 150ms every 1s, down 50ms ± 10ms stalling 150ms every 1s" || r.LinkRTT != 100 {
		t.Errorf("report's link: %q, %v ms", r.Link, r.LinkRTT)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
