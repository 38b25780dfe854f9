// report.go — what a swarm (swarm.go) measured: a Second for each progress
// line, and the Report of the whole run, as text, as JSON, and as the page
// html.go draws. collect.go fills both in.

package bots

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Second is one progress interval of a swarm, normally a second long.
// Times are in milliseconds, rates per second.
type Second struct {
	T               float64 `json:"t"`      // seconds since the swarm started, at the interval's end
	Window          bool    `json:"window"` // the interval is part of the measurement window
	Connected       int     `json:"connected"`
	Failed          int     `json:"failed"`  // joins that failed so far
	Dropped         int     `json:"dropped"` // connections the server or the network ended so far
	Snapshots       int64   `json:"snapshots"`
	SnapshotsPerSec float64 `json:"snapshots_per_sec"`
	SnapshotsPerBot float64 `json:"snapshots_per_bot"` // per second, per connected bot
	GapP50          float64 `json:"gap_p50_ms"`        // between a bot's consecutive snapshots
	GapP99          float64 `json:"gap_p99_ms"`
	LateP99         float64 `json:"late_p99_ms"` // a snapshot's lateness against the tick schedule
	RTTP50          float64 `json:"rtt_p50_ms"`  // ping to pong
	RTTP99          float64 `json:"rtt_p99_ms"`
	BytesInPerBot   float64 `json:"bytes_in_per_bot"` // per second
	Desyncs         int     `json:"desyncs"`          // so far
	Errors          int     `json:"errors"`           // so far: failed joins, drops, refused writes

	// What the players saw (doc.go defines each).
	FramesPerBot         float64 `json:"frames_per_bot"`         // per second, per connected bot
	CorrectionsPerMinute float64 `json:"corrections_per_minute"` // per connected bot
	HUDRTTP50            float64 `json:"hud_rtt_p50_ms"`         // the round trip the network HUD shows
	ShotP50              float64 `json:"own_shot_p50_ms"`        // own shot: input to drawn
	ShotP99              float64 `json:"own_shot_p99_ms"`
	ScreenHits           int     `json:"screen_hits"`        // own shots that hit a player as drawn
	ScreenHitsScored     int     `json:"screen_hits_scored"` // of those, hits the server scored
	ScreenHitsUntrue     int     `json:"screen_hits_untrue"` // taken back: shots the server never fired
}

// HitFairness is the second's hit fairness, by the Report's rule: scored
// screen hits over the screen hits less the untrue ones; false when there
// were none. Untrue hits are taken back a round trip after they hit on
// screen, sometimes in the next second, so one second can read over 1.
func (s Second) HitFairness() (float64, bool) {
	return hitFairness(s.ScreenHitsScored, s.ScreenHits, s.ScreenHitsUntrue)
}

// hitFairness is scored over hits less untrue, and whether that is more
// than none.
func hitFairness(scored, hits, untrue int) (float64, bool) {
	if n := hits - untrue; n > 0 {
		return float64(scored) / float64(n), true
	}
	return 0, false
}

// String is the progress line.
func (s Second) String() string {
	return fmt.Sprintf("[%5.1fs] bots %d up, %d failed, %d dropped | snapshots %.0f/s (%.1f/bot) | gap p50 %.1f p99 %.1f ms | late p99 %.1f ms | rtt p50 %.2f p99 %.2f ms | in %.0f B/s/bot | "+
		"%.0f fps | hud rtt %.0f ms | corrections %.1f/min | own shot p50 %.0f p99 %.0f ms | fair %s | desyncs %d | errors %d",
		s.T, s.Connected, s.Failed, s.Dropped, s.SnapshotsPerSec, s.SnapshotsPerBot, s.GapP50, s.GapP99,
		s.LateP99, s.RTTP50, s.RTTP99, s.BytesInPerBot,
		s.FramesPerBot, s.HUDRTTP50, s.CorrectionsPerMinute, s.ShotP50, s.ShotP99, fairness(s.ScreenHitsScored, s.ScreenHits-s.ScreenHitsUntrue), s.Desyncs, s.Errors)
}

// fairness is scored of hits as a percentage and a fraction ("–" of none).
func fairness(scored, hits int) string {
	if hits <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", 100*float64(scored)/float64(hits), scored, hits)
}

// Quantiles summarise a Histogram, in milliseconds.
type Quantiles struct {
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

func quantilesOf(h *Histogram) Quantiles {
	return Quantiles{P50: ms(h.Quantile(0.5)), P90: ms(h.Quantile(0.9)), P99: ms(h.Quantile(0.99)),
		Max: ms(h.Max()), Mean: ms(h.Mean())}
}

// Report is what a swarm measured. Totals are over the measurement window
// (every bot joined, Duration long) unless they say otherwise.
type Report struct {
	URL      string `json:"url"`
	Behavior string `json:"behavior"`
	Count    int    `json:"count"`
	TickRate int    `json:"tick_rate"`
	// InputsPerMessage is how many ticks' inputs each bot sent in a frame.
	InputsPerMessage int `json:"inputs_per_message"`
	// Link says what the simulated link every bot's connection went
	// through does (SwarmOptions.Link), "none" for none; LinkRTT is its
	// round trip without jitter or stalls, in milliseconds.
	Link    string    `json:"link"`
	LinkRTT float64   `json:"link_rtt_ms"`
	Started time.Time `json:"started"`
	// RampSeconds is how long the joins took; WindowSeconds how long the
	// whole swarm then played.
	RampSeconds   float64 `json:"ramp_seconds"`
	WindowSeconds float64 `json:"window_seconds"`

	Joined  int `json:"joined"`  // bots that got a Welcome
	Failed  int `json:"failed"`  // joins that failed
	Dropped int `json:"dropped"` // connections ended by the server or the network
	Closed  int `json:"closed"`  // connections the swarm closed at the end (code 1000)

	// Snapshots were received; Expected is the tick rate times the time
	// each bot was connected, summed; Delivered is their ratio.
	Snapshots                int64   `json:"snapshots"`
	Expected                 int64   `json:"expected"`
	Delivered                float64 `json:"delivered"`
	SnapshotsPerSecond       float64 `json:"snapshots_per_second"`
	SnapshotsPerBotPerSecond float64 `json:"snapshots_per_bot_per_second"`
	BytesInPerBotPerSecond   float64 `json:"bytes_in_per_bot_per_second"` // WebSocket payload

	// Gap is the time between a bot's consecutive snapshots (1/TickRate
	// when all is well); Lateness how much later than on time a snapshot
	// arrived (timing.go); RTT a ping's round trip; InputDelay the time
	// from a bot making an input to the first snapshot acknowledging it.
	Gap               Quantiles `json:"gap"`
	Lateness          Quantiles `json:"lateness"`
	RTT               Quantiles `json:"rtt"`
	InputDelay        Quantiles `json:"input_delay"`
	GapHistogram      Histogram `json:"gap_histogram"`
	LatenessHistogram Histogram `json:"lateness_histogram"`
	RTTHistogram      Histogram `json:"rtt_histogram"`
	InputHistogram    Histogram `json:"input_delay_histogram"`
	// BandwidthPerBot is each bot's payload bytes a second, ascending.
	BandwidthPerBot []float64 `json:"bandwidth_per_bot"`

	// What a player sees, over the window (doc.go defines each). FPS is
	// the frame rate the bots played at, FramesPerBotPerSecond the one
	// they kept. HUDRTT is the round trip as the netcode measures it, what
	// the network HUD shows: RTT's, to the pong's arrival, as long as the
	// netcode is given each frame's arrival, as the browser's socket gives
	// it. OwnShotLatency runs from the input that fired an own shot to the
	// first frame that drew it.
	FPS                   int       `json:"fps"`
	FramesPerBotPerSecond float64   `json:"frames_per_bot_per_second"`
	Corrections           int       `json:"corrections"`
	CorrectionsPerMinute  float64   `json:"corrections_per_minute"` // per bot
	StandIns              int       `json:"stand_ins"`              // late inputs the server stood in for
	StandInsPerMinute     float64   `json:"stand_ins_per_minute"`   // per bot
	HUDRTT                Quantiles `json:"hud_rtt"`
	HUDRTTHistogram       Histogram `json:"hud_rtt_histogram"`
	OwnShots              int       `json:"own_shots"` // own projectiles drawn
	OwnShotLatency        Quantiles `json:"own_shot_latency"`
	OwnShotHistogram      Histogram `json:"own_shot_latency_histogram"`
	// Hit fairness: ScreenHits own shots hit a player as drawn on the
	// shooter's screen; ScreenHitsUntrue of them the server never fired
	// (the shooter was already dead there, which its screen showed a
	// round trip later); the server scored ScreenHitsScored of the rest, a
	// HitFairness share. ServerHits the server scored in all;
	// ServerHitsNotSeen of them did not hit on the shooter's screen.
	ScreenHits        int     `json:"screen_hits"`
	ScreenHitsUntrue  int     `json:"screen_hits_untrue"`
	ScreenHitsScored  int     `json:"screen_hits_scored"`
	HitFairness       float64 `json:"hit_fairness"`
	ServerHits        int     `json:"server_hits"`
	ServerHitsNotSeen int     `json:"server_hits_not_seen"`

	// Counts over the whole run, summed over bots.
	Checksums       int `json:"checksums"` // snapshots that carried a checksum
	Desyncs         int `json:"desyncs"`   // checksums that did not match the rebuilt state
	FullSnapshots   int `json:"full_snapshots"`
	TickRegressions int `json:"tick_regressions"`
	AckRegressions  int `json:"ack_regressions"`
	KillsSeen       int `json:"kills_seen"` // kill events, each seen by every bot of its room
	HitsSeen        int `json:"hits_seen"`

	Errors       int      `json:"errors"` // failed joins, drops and refused writes
	ErrorSamples []string `json:"error_samples"`

	Seconds []Second `json:"seconds"`
}

// Healthy reports whether the run had no desync, no error, and every bot
// joined.
func (r *Report) Healthy() bool {
	return r.Desyncs == 0 && r.Errors == 0 && r.Joined == r.Count
}

// WriteSummary writes the report as a few lines of text.
func (r *Report) WriteSummary(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "swarm of %d %s bots against %s\n", r.Count, r.Behavior, r.URL)
	fmt.Fprintf(&b, "  link %s\n", r.Link)
	fmt.Fprintf(&b, "  joined %d, failed %d, dropped %d, closed %d; ramp %.1f s, then %.1f s measured\n",
		r.Joined, r.Failed, r.Dropped, r.Closed, r.RampSeconds, r.WindowSeconds)
	fmt.Fprintf(&b, "  snapshots %d of %d expected (%.2f%%): %.0f/s, %.2f/s per bot\n",
		r.Snapshots, r.Expected, 100*r.Delivered, r.SnapshotsPerSecond, r.SnapshotsPerBotPerSecond)
	q := func(name string, v Quantiles) {
		fmt.Fprintf(&b, "  %-9s p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms\n", name, v.P50, v.P90, v.P99, v.Max)
	}
	q("gap", r.Gap)
	q("lateness", r.Lateness)
	q("rtt", r.RTT)
	q("input→ack", r.InputDelay)
	q("hud rtt", r.HUDRTT)
	q("own shot", r.OwnShotLatency)
	fmt.Fprintf(&b, "  as players at %d fps (%.1f kept): corrections %.2f a minute per bot (late inputs stood in for: %.2f a minute); %d own shots drawn; hit fairness %s on screen scored by the server (%d more screen hits by shots the server never fired: the shooter was already dead), %d of %d server hits not seen hitting\n",
		r.FPS, r.FramesPerBotPerSecond, r.CorrectionsPerMinute, r.StandInsPerMinute, r.OwnShots, fairness(r.ScreenHitsScored, r.ScreenHits-r.ScreenHitsUntrue), r.ScreenHitsUntrue, r.ServerHitsNotSeen, r.ServerHits)
	fmt.Fprintf(&b, "  bytes in %.0f B/s per bot", r.BytesInPerBotPerSecond)
	if n := len(r.BandwidthPerBot); n > 0 {
		fmt.Fprintf(&b, " (min %.0f, max %.0f)", r.BandwidthPerBot[0], r.BandwidthPerBot[n-1])
	}
	fmt.Fprintf(&b, "\n  checksums %d, desyncs %d; full snapshots %d; tick regressions %d, ack regressions %d; kills seen %d\n",
		r.Checksums, r.Desyncs, r.FullSnapshots, r.TickRegressions, r.AckRegressions, r.KillsSeen)
	fmt.Fprintf(&b, "  errors %d\n", r.Errors)
	for _, e := range r.ErrorSamples {
		fmt.Fprintf(&b, "    %s\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReport reads what WriteJSON wrote.
func ReadReport(rd io.Reader) (*Report, error) {
	var r Report
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, fmt.Errorf("bots: report: %w", err)
	}
	return &r, nil
}
