// swarm_test.go — a swarm of 50 fighting bots against the stack `skirmish
// serve` runs (internal/testkit), on 127.0.0.1, for 5 s: no desync,
// nearly every snapshot, every connection closed cleanly, and a report
// whose figures agree with each other, survive JSON, and draw as a page
// of plots.

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

	// Correctness: everyone played, nobody desynced, nearly every snapshot
	// arrived (loose: -race on a busy 2-core machine), all closed cleanly.
	if r.Joined != n || r.Failed != 0 || r.Dropped != 0 || r.Closed != n {
		t.Errorf("joined %d, failed %d, dropped %d, closed %d; want %d, 0, 0, %d", r.Joined, r.Failed, r.Dropped, r.Closed, n, n)
	}
	if r.Desyncs != 0 || r.TickRegressions != 0 || r.AckRegressions != 0 {
		t.Errorf("desyncs %d, tick regressions %d, ack regressions %d; want none", r.Desyncs, r.TickRegressions, r.AckRegressions)
	}
	if min := n * int(r.WindowSeconds) / 2; r.Checksums < min {
		t.Errorf("%d checksums checked, want at least %d (one a second per bot, with slack)", r.Checksums, min)
	}
	if r.Errors != 0 {
		t.Errorf("errors %d: %v", r.Errors, r.ErrorSamples)
	}
	if r.Delivered < 0.9 {
		t.Errorf("delivered %.3f of the snapshots, want at least 0.9", r.Delivered)
	}
	if r.KillsSeen == 0 {
		t.Error("fighting bots killed nobody in 5 s")
	}
	for series, want := range map[string]float64{`skirmish_disconnects_total{reason="client_close"}`: n, "skirmish_players_connected": 0} {
		st.WaitMetric(t, series, 10*time.Second, func(v float64) bool { return v == want })
	}

	// Consistency of the figures.
	if r.WindowSeconds < 4.5 || r.WindowSeconds > 6 {
		t.Errorf("window %.2f s, want about 5", r.WindowSeconds)
	}
	if r.Snapshots <= 0 || r.Expected <= 0 || r.Delivered != float64(r.Snapshots)/float64(r.Expected) {
		t.Errorf("snapshots %d of %d expected, delivered %v", r.Snapshots, r.Expected, r.Delivered)
	}
	if got := int64(r.GapHistogram.Count()); got > r.Snapshots || got < r.Snapshots*9/10 {
		t.Errorf("%d gaps timed for %d snapshots", got, r.Snapshots)
	}
	if r.Gap.P50 < 10 || r.Gap.P50 > 25 {
		t.Errorf("median gap %.2f ms, want about 16.7 at 60 Hz", r.Gap.P50)
	}
	if r.RTTHistogram.Count() == 0 || r.RTT.P50 <= 0 || r.RTT.P50 > r.RTT.P99 || r.RTT.P99 > r.RTT.Max {
		t.Errorf("round trips: %d, quantiles %+v", r.RTTHistogram.Count(), r.RTT)
	}
	// Every snapshot acks a new input at 60 Hz; each measured once.
	if got := int64(r.InputHistogram.Count()); got < r.Snapshots/2 || got > r.Snapshots || r.InputDelay.P50 <= 0 {
		t.Errorf("%d input delays measured for %d snapshots, p50 %.2f ms", got, r.Snapshots, r.InputDelay.P50)
	}
	if len(r.BandwidthPerBot) != n || r.BytesInPerBotPerSecond <= 0 {
		t.Errorf("bandwidth of %d bots, mean %.0f B/s", len(r.BandwidthPerBot), r.BytesInPerBotPerSecond)
	}
	if len(r.Seconds) != len(seconds) || len(seconds) < 5 {
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
		back.Gap != r.Gap || len(back.Seconds) != len(r.Seconds) || back.Seconds[2] != r.Seconds[2] ||
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
	// Frames read: inputs at 30 a second plus a ping a second, per bot,
	// over the ramp and the window; inputs applied: 60 a second.
	in, clamped := st.Metric("skirmish_messages_in_total"), st.Metric(`skirmish_inputs_dropped_total{reason="flood"}`)
	perBotSecond := in / n / (r.RampSeconds + r.WindowSeconds)
	if perBotSecond < 25 || perBotSecond > 40 || clamped != 0 {
		t.Errorf("%.1f frames a bot a second (%v in all), %v dropped as a flood; want about 31, none", perBotSecond, in, clamped)
	}
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
