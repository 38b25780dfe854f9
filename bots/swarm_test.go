// swarm_test.go — a swarm of 50 fighting bots against the stack `skirmish
// serve` runs (internal/testkit), on 127.0.0.1, for 5 s: no desync,
// snapshots to every bot, every connection closed cleanly, and a report
// whose figures agree with each other, survive JSON, and draw as a page
// of plots. What they assert is behaviour, never speed: how many
// snapshots a loaded machine delivers in time is the benchmark's
// (bench_test.go, make bench).

package bots_test

import (
	"bytes"
	"context"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/linksim"
	"skirmish/internal/testkit"
)

// runSwarm runs a swarm of o to its end (within a minute), logs its
// summary and returns its report.
func runSwarm(t *testing.T, o bots.SwarmOptions) *bots.Report {
	t.Helper()
	swarm, err := bots.NewSwarm(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := swarm.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var summary strings.Builder
	if err := r.WriteSummary(&summary); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + summary.String())
	return r
}

func TestSwarmOfFifty(t *testing.T) {
	const n = 50
	st := testkit.Start(t, nil)
	var seconds []bots.Second
	r := runSwarm(t, bots.SwarmOptions{
		BaseURL:  st.URL,
		Count:    n,
		Duration: 5 * time.Second,
		Ramp:     100,
		Progress: func(s bots.Second) { seconds = append(seconds, s) },
	})

	// Correctness: everyone played, nobody desynced, every bot verified
	// checksums (its Welcome's full snapshot carries one) and had
	// snapshots in the window, all closed cleanly.
	if r.Joined != n || r.Failed != 0 || r.Dropped != 0 || r.Closed != n {
		t.Errorf("joined %d, failed %d, dropped %d, closed %d; want %d, 0, 0, %d", r.Joined, r.Failed, r.Dropped, r.Closed, n, n)
	}
	if r.Desyncs != 0 || r.TickRegressions != 0 || r.AckRegressions != 0 {
		t.Errorf("desyncs %d, tick regressions %d, ack regressions %d; want none", r.Desyncs, r.TickRegressions, r.AckRegressions)
	}
	if r.Checksums <= n || r.FullSnapshots < n {
		t.Errorf("%d checksums checked, %d full snapshots; want more than one checksum a bot, a full snapshot each", r.Checksums, r.FullSnapshots)
	}
	if r.Errors != 0 {
		t.Errorf("errors %d: %v", r.Errors, r.ErrorSamples)
	}
	if len(r.BandwidthPerBot) != n || r.BandwidthPerBot[0] <= 0 || r.BytesInPerBotPerSecond <= 0 {
		t.Errorf("bandwidth of %d bots (least %v B/s), mean %.0f B/s; want every bot's snapshots", len(r.BandwidthPerBot), r.BandwidthPerBot, r.BytesInPerBotPerSecond)
	}
	if r.KillsSeen == 0 {
		t.Error("fighting bots killed nobody")
	}
	// Every connection the swarm closed, the server saw closed by its
	// client (the bound only guards against a hang).
	st.WaitMetric(t, "skirmish_players_connected", time.Minute, func(v float64) bool { return v == 0 })
	if got := st.Metric(`skirmish_disconnects_total{reason="client_close"}`); got != n {
		t.Errorf("%v client closes counted; want %d:\n%s", got, n, disconnectSeries(st))
	}

	// Consistency of the figures.
	if min := (5*time.Second - time.Second/10).Seconds(); r.WindowSeconds < min {
		t.Errorf("window %.2f s, want at least the 5 s asked (less a tenth: it ends on the progress tick before)", r.WindowSeconds)
	}
	if r.Snapshots <= 0 || r.Expected <= 0 || r.Delivered != float64(r.Snapshots)/float64(r.Expected) {
		t.Errorf("snapshots %d of %d expected, delivered %v", r.Snapshots, r.Expected, r.Delivered)
	}
	// Each snapshot in the window follows another of its bot's (the
	// Welcome's came before): one gap each.
	if got := int64(r.GapHistogram.Count()); got != r.Snapshots || r.Gap.P50 <= 0 || r.Gap.P50 > r.Gap.Max {
		t.Errorf("%d gaps timed for %d snapshots, quantiles %+v", got, r.Snapshots, r.Gap)
	}
	if r.RTTHistogram.Count() == 0 || r.RTT.P50 <= 0 || r.RTT.P50 > r.RTT.P99 || r.RTT.P99 > r.RTT.Max {
		t.Errorf("round trips: %d, quantiles %+v", r.RTTHistogram.Count(), r.RTT)
	}
	// An input's delay is measured once, by the first snapshot that acks
	// it: at most one a snapshot.
	if got := int64(r.InputHistogram.Count()); got == 0 || got > r.Snapshots || r.InputDelay.P50 <= 0 {
		t.Errorf("%d input delays measured for %d snapshots, p50 %.2f ms", got, r.Snapshots, r.InputDelay.P50)
	}
	// The window opens with a progress call and ends with one.
	if len(r.Seconds) != len(seconds) || len(seconds) < 2 {
		t.Fatalf("%d seconds in the report, %d progress calls", len(r.Seconds), len(seconds))
	}
	var inWindow int64
	for _, s := range seconds {
		if s.Window {
			inWindow += s.Snapshots
		}
	}
	if last := seconds[len(seconds)-1]; inWindow != r.Snapshots || last.Connected != n || last.Desyncs != r.Desyncs {
		t.Errorf("seconds in the window add up to %d snapshots, report %d; last second %+v", inWindow, r.Snapshots, last)
	}

	// JSON round trip.
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	back, err := bots.ReadReport(&js)
	if err != nil {
		t.Fatal(err)
	}
	if back.Snapshots != r.Snapshots || back.Expected != r.Expected || back.Joined != r.Joined || back.Desyncs != r.Desyncs ||
		back.Gap != r.Gap || len(back.Seconds) != len(r.Seconds) || back.Seconds[1] != r.Seconds[1] ||
		len(back.BandwidthPerBot) != n || back.LatenessHistogram.Count() != r.LatenessHistogram.Count() ||
		back.LatenessHistogram.Quantile(0.99) != r.LatenessHistogram.Quantile(0.99) {
		t.Errorf("JSON round trip changed the report:\n%+v\n%+v", back, r)
	}

	// The page and its plots.
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	for _, want := range []string{"<!doctype html>", "Snapshots received per second", "Gap between", "lateness against", "Ping round trip", "Input made to acknowledged", "Bandwidth of each bot", "<polyline", "<rect"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := strings.Count(html, "<svg"); got < 8 {
		t.Errorf("page has %d plots, want at least 8", got)
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "http://www.w3.org/2000/svg\" src") {
		t.Error("page is not self-contained")
	}
}

// TestSwarmTwoInputsAFrame: bots that send two ticks' inputs a frame play
// like the others (every input acked, no desync), and the server reads
// half the frames.
func TestSwarmTwoInputsAFrame(t *testing.T) {
	const n = 16
	st := testkit.Start(t, nil)
	swarm, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: st.URL, Count: n, Duration: 3 * time.Second, InputsPerMessage: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := swarm.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Joined != n || r.Desyncs != 0 || r.AckRegressions != 0 || r.Errors != 0 || r.InputsPerMessage != 2 {
		t.Errorf("joined %d, desyncs %d, ack regressions %d, errors %d, %d inputs a frame", r.Joined, r.Desyncs, r.AckRegressions, r.Errors, r.InputsPerMessage)
	}
	if r.InputHistogram.Count() == 0 {
		t.Error("no input delay measured")
	}
	// Frames read against the ticks each player was in: an input a tick
	// at most (the input clock runs at most 5 % fast), two to a frame,
	// and a ping a second, is at most about 0.54 frames a tick; a bot
	// that sent one input a frame would send 1.02. A loaded machine only
	// lowers it (bots whose frames come late make fewer inputs), so the
	// bound holds at any load. Nothing is dropped as a flood.
	st.WaitMetric(t, "skirmish_players_connected", time.Minute, func(v float64) bool { return v == 0 })
	in, flood := st.Metric("skirmish_messages_in_total"), st.Metric(`skirmish_inputs_dropped_total{reason="flood"}`)
	ticks := st.Metric("skirmish_messages_out_total") + st.Metric("skirmish_snapshots_skipped_total") +
		st.Metric("skirmish_snapshots_merged_total") + n*st.Metric("skirmish_ticks_skipped_total")
	if perTick := in / ticks; in == 0 || perTick > 0.6 || flood != 0 {
		t.Errorf("%.2f frames read a player's tick (%v frames, %v ticks), %v dropped as a flood; want at most 0.6, none", perTick, in, ticks, flood)
	}
}

// disconnectSeries is the stack's disconnects by reason, one a line.
func disconnectSeries(st *testkit.Stack) string {
	var b strings.Builder
	for _, line := range strings.Split(testkit.Gather(st.Metrics), "\n") {
		if strings.HasPrefix(line, "skirmish_disconnects_total{") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// TestSwarmWithNoServer: nothing listens, so no bot joins; Run says why and
// still returns a report.
func TestSwarmWithNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close()
	swarm, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: base, Count: 3, Duration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := swarm.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "no bot could join") {
		t.Fatalf("Run: %v, want no bot could join", err)
	}
	if r == nil || r.Failed != 3 || r.Joined != 0 || len(r.ErrorSamples) == 0 {
		t.Fatalf("report %+v", r)
	}
}

func TestSwarmOptionsAreChecked(t *testing.T) {
	if _, err := bots.NewSwarm(bots.SwarmOptions{}); err == nil {
		t.Error("a swarm without a BaseURL was accepted")
	}
	if _, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: "http://127.0.0.1:1", Link: linksim.Link{Down: linksim.Shape{Jitter: -1}}}); err == nil || !strings.Contains(err.Error(), "SwarmOptions.Link") {
		t.Errorf("a link with a negative jitter: %v", err)
	}
	if _, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: "http://127.0.0.1:1", Behavior: "dance"}); err == nil {
		t.Error("an unknown behaviour was accepted")
	}
	if _, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: "http://127.0.0.1:1", Ramp: math.NaN()}); err == nil || !strings.Contains(err.Error(), "SwarmOptions.Ramp") {
		t.Errorf("a Ramp of NaN: %v; want an error naming SwarmOptions.Ramp", err)
	}
	s, err := bots.NewSwarm(bots.SwarmOptions{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if o := s.Options(); o.Count <= 0 || o.Duration <= 0 || o.Ramp <= 0 || o.Behavior != "fight" || o.TickRate != 60 || o.Shards <= 0 {
		t.Errorf("defaults not filled: %+v", o)
	}
}
