// frame_test.go — bots that play as browsers: small swarms of fighting
// bots in rooms of 8 against a real lobby and game server on 127.0.0.1,
// at RTT 0 and through the link shaper at 100 ms ± 10 ms, at 60 and at 20
// fps, whose reports carry what a player sees, sane and through JSON:
// frames kept, corrections, the HUD's round trip, own-shot latency, hit
// fairness; and no desync.

package bots_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/linksim"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
)

func TestSwarmPlaysAsBrowsers(t *testing.T) {
	half := linksim.Shape{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond}
	for _, c := range []struct {
		rtt  time.Duration
		link linksim.Link
		fps  int
	}{
		{0, linksim.Link{}, 60},
		{0, linksim.Link{}, 20},
		{100 * time.Millisecond, linksim.Link{Up: half, Down: half}, 60},
		{100 * time.Millisecond, linksim.Link{Up: half, Down: half}, 20},
	} {
		t.Run(fmt.Sprintf("rtt%v-%dfps", c.rtt, c.fps), func(t *testing.T) {
			const n = 8
			st := testkit.Start(t, func(o *stack.Options) { testkit.RoomSize(o, n) })
			r := runSwarm(t, bots.SwarmOptions{BaseURL: st.URL, Count: n, Duration: 4 * time.Second, FPS: c.fps, Link: c.link})
			checkPlayerFigures(t, r, n, c.fps, c.rtt)
		})
	}
}

// checkPlayerFigures checks what the players of a swarm of n bots at fps
// over a link of round trip rtt saw, in r and in r read back from JSON.
func checkPlayerFigures(t *testing.T, r *bots.Report, n, fps int, rtt time.Duration) {
	t.Helper()
	if r.Joined != n || r.Errors != 0 || r.Desyncs != 0 || r.Checksums == 0 {
		t.Fatalf("joined %d of %d, errors %d %v, desyncs %d of %d checksums", r.Joined, n, r.Errors, r.ErrorSamples, r.Desyncs, r.Checksums)
	}
	// Frames played, never faster than asked (how close to it a loaded
	// machine keeps is the benchmark's).
	if r.FPS != fps || r.FramesPerBotPerSecond <= 0 || r.FramesPerBotPerSecond > 1.05*float64(fps) {
		t.Errorf("%.1f frames a second per bot, asked %d", r.FramesPerBotPerSecond, r.FPS)
	}
	// Every bot's snapshots; inputs acked, each measured once, by the
	// first snapshot that acks it.
	if len(r.BandwidthPerBot) != n || r.BandwidthPerBot[0] <= 0 || r.InputHistogram.Count() == 0 || int64(r.InputHistogram.Count()) > r.Snapshots {
		t.Errorf("bandwidth of %d bots %v; %d input delays measured for %d snapshots", len(r.BandwidthPerBot), r.BandwidthPerBot, r.InputHistogram.Count(), r.Snapshots)
	}
	// The HUD's round trip is the socket's, not a frame more: the netcode
	// is given each frame's arrival.
	frame := ms(time.Second / time.Duration(fps))
	if r.HUDRTTHistogram.Count() == 0 || r.HUDRTTHistogram.Count() != r.RTTHistogram.Count() ||
		math.Abs(r.HUDRTT.P50-r.RTT.P50) > 0.05*r.RTT.P50+0.1 || r.RTT.P50 < 0.9*ms(rtt) {
		t.Errorf("round trips: %d to arrival, p50 %.1f ms; %d on the HUD, p50 %.1f ms; link %v, a frame %.1f ms",
			r.RTTHistogram.Count(), r.RTT.P50, r.HUDRTTHistogram.Count(), r.HUDRTT.P50, rtt, frame)
	}
	// Own shots drawn, predicted: on the frame of the input that fired
	// them, whatever the round trip.
	if r.OwnShots == 0 || r.OwnShotHistogram.Count() == 0 || r.OwnShotHistogram.Count() > uint64(r.OwnShots) ||
		r.OwnShotLatency.P99 > frame {
		t.Errorf("%d own shots drawn, %d latencies, p50 %.1f ms", r.OwnShots, r.OwnShotHistogram.Count(), r.OwnShotLatency.P50)
	}
	// Fighting bots hit each other; the hit counts agree with each other
	// (how many of them the server scores, at a given load, is the
	// benchmark's: bench/results.md).
	fairness := 0.0
	if hits := r.ScreenHits - r.ScreenHitsUntrue; hits > 0 {
		fairness = float64(r.ScreenHitsScored) / float64(hits)
	}
	if r.ScreenHits+r.ServerHits == 0 || r.ScreenHitsScored+r.ScreenHitsUntrue > r.ScreenHits || r.ScreenHitsScored > r.ServerHits ||
		r.HitFairness != fairness || r.ServerHitsNotSeen != r.ServerHits-r.ScreenHitsScored {
		t.Errorf("hits: %d on screen, %d of them scored (%.3f), %d by the server, %d of them not seen",
			r.ScreenHits, r.ScreenHitsScored, r.HitFairness, r.ServerHits, r.ServerHitsNotSeen)
	}
	// Corrections counted per bot and minute connected.
	if minutes := r.WindowSeconds * float64(n) / 60; r.Corrections < 0 ||
		math.Abs(r.CorrectionsPerMinute*minutes-float64(r.Corrections)) > 0.05*float64(r.Corrections)+1 {
		t.Errorf("%d corrections, %.2f a minute per bot over %.1f s", r.Corrections, r.CorrectionsPerMinute, r.WindowSeconds)
	}
	// Late inputs stood in for, counted as the corrections are (how many
	// is the machine's: -race on two shared cores delays frames and ticks).
	if minutes := r.WindowSeconds * float64(n) / 60; r.StandIns < 0 ||
		math.Abs(r.StandInsPerMinute*minutes-float64(r.StandIns)) > 0.05*float64(r.StandIns)+1 {
		t.Errorf("%d stand-ins, %.2f a minute per bot over %.1f s", r.StandIns, r.StandInsPerMinute, r.WindowSeconds)
	}
	var hits, scored, untrue int
	for _, s := range r.Seconds {
		if s.Window {
			hits, scored, untrue = hits+s.ScreenHits, scored+s.ScreenHitsScored, untrue+s.ScreenHitsUntrue
		}
	}
	if hits != r.ScreenHits || scored != r.ScreenHitsScored || untrue != r.ScreenHitsUntrue {
		t.Errorf("the window's seconds count %d screen hits, %d scored, %d untrue; the report %d, %d, %d",
			hits, scored, untrue, r.ScreenHits, r.ScreenHitsScored, r.ScreenHitsUntrue)
	}

	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"fps"`, `"corrections_per_minute"`, `"stand_ins_per_minute"`, `"hud_rtt"`, `"own_shot_latency"`, `"hit_fairness"`, `"screen_hits_scored"`, `"screen_hits_untrue"`} {
		if !bytes.Contains(js.Bytes(), []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	back, err := bots.ReadReport(&js)
	if err != nil {
		t.Fatal(err)
	}
	if back.FPS != r.FPS || back.Corrections != r.Corrections || back.CorrectionsPerMinute != r.CorrectionsPerMinute || back.StandIns != r.StandIns ||
		back.OwnShotLatency != r.OwnShotLatency || back.HUDRTT != r.HUDRTT || back.HitFairness != r.HitFairness ||
		back.ScreenHits != r.ScreenHits || back.ScreenHitsUntrue != r.ScreenHitsUntrue || back.ServerHits != r.ServerHits || back.OwnShotHistogram.Count() != r.OwnShotHistogram.Count() {
		t.Errorf("JSON round trip changed the player figures:\n%+v\n%+v", back, r)
	}
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Own shot: input that fired it", "network HUD", "Hit fairness over time", "hit fairness: screen hits the server scored", "late inputs stood in for"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
