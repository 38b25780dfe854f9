// results.go — the write-up of a benchmark run (main.go): results.md, the
// tables and the verdicts on the targets, and results.html, the same
// figures plotted against N (package bots/plot draws the charts).

package main

import (
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"skirmish/bots"
	"skirmish/bots/plot"
)

// The targets.
const (
	targetNShare      = 0.90 // Skirmish's largest 60 Hz N over the floor's
	targetCPURatio    = 1.25 // Skirmish's CPU per client-tick over the floor's
	targetKBPerPlayer = 40.0
)

// results is everything one benchmark run measured.
type results struct {
	started, finished time.Time
	command, machine  string
	ns                []int
	duration          time.Duration
	ramp              float64
	quick             bool
	skirmish, floor   []*measurement // by index of ns; nil: the run failed
	batched           []*measurement // Skirmish, two inputs a frame (-batched-n)
	lagged            []*measurement // Skirmish, the bots over a simulated link (-lagged-n)
	lagRTT, lagJitter time.Duration  // that link
	profiled          []*measurement
}

func numCPU() int { return runtime.NumCPU() }

// largestHolding is the largest N at which ms held 60 Hz (0: none).
func largestHolding(ms []*measurement) int {
	n := 0
	for _, m := range ms {
		if m != nil && m.holds() {
			n = max(n, m.N)
		}
	}
	return n
}

// bucketBound is histogram h's p99 bucket bound in st, as "≤ x ms".
func bucketBound(st map[string]float64, h string) string { return quantileMs(st, h, 0.99, "> 51 ms") }

// quantileMs is the bound of the bucket of histogram h (in st) holding its
// q quantile, in milliseconds, as "≤ x ms"; over when past the last bound,
// and "–" when it counted nothing.
func quantileMs(st map[string]float64, h string, q float64, over string) string {
	le, ok := histQuantile(st, h, q)
	switch {
	case !ok:
		return "–"
	case math.IsInf(le, 1):
		return over
	}
	return fmt.Sprintf("≤ %.3g ms", le*1e3)
}

func (r *results) write(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, "results.md"), []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "results.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	return r.html(f)
}

func (r *results) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Skirmish load benchmark\n\n")
	p("`%s`%s, %s, %.0f minutes. ", r.command, makeBench(r.command), r.started.Format("2006-01-02 15:04 MST"), r.finished.Sub(r.started).Minutes())
	if r.quick {
		p("**Quick mode: a smoke test, not the benchmark.** ")
	}
	p("Each run: `skirmish serve` (or the floor, `bench/floor`) in one process and `skirmish bots` in another, on loopback; ")
	p("rooms of 16 fighting bots joining at %.0f a second, then measured for %v.\n\n", r.ramp, r.duration)
	p("**Machine:** %s. Server and swarm share these cores. ", r.machine)
	p("**Machine state:** shared with other engineers' work while this ran: the *others* column is the CPU the rest of the machine used during each measurement window (from `/proc/stat`), and the one-minute load average before each run was %s. Figures taken on a quiet machine will differ; compare the ratios within one run.\n\n", r.loadRange())

	p("## Targets\n\n| target | Skirmish | floor | verdict |\n|---|---|---|---|\n")
	nS, nF := largestHolding(r.skirmish), largestHolding(r.floor)
	verdictN := "n/a: the floor held 60 Hz at no N"
	if nF > 0 {
		verdictN = verdict(float64(nS) >= targetNShare*float64(nF), fmt.Sprintf("%.0f%% of the floor's", 100*float64(nS)/float64(nF)))
	}
	p("| largest N holding 60 Hz (≥ %.0f%% delivered, p99 lateness ≤ %.0f ms), ≥ %.0f%% of the floor's | %d | %d | %s |\n",
		100*holdDelivered, holdLateP99, 100*targetNShare, nS, nF, verdictN)
	if len(r.batched) > 0 {
		nB := largestHolding(r.batched)
		tried := make([]string, 0, len(r.batched))
		for _, m := range compact(r.batched) {
			tried = append(tried, fmt.Sprint(m.N))
		}
		v := "n/a: the floor held 60 Hz at no N"
		if nF > 0 {
			v = verdict(float64(nB) >= targetNShare*float64(nF), fmt.Sprintf("%.0f%% of the floor's", 100*float64(nB)/float64(nF)))
		}
		p("| the same, bots sending two inputs a frame (the `Inputs` message: a protocol option, about a tick more input delay; tried at N = %s) | %d | %d | %s |\n",
			strings.Join(tried, ", "), nB, nF, v)
	}
	worst, at := 0.0, 0
	for i := range r.ns {
		s, f := r.skirmish[i], r.floor[i]
		if s != nil && f != nil && s.holds() && f.holds() && f.UsPerTick > 0 {
			if ratio := s.UsPerTick / f.UsPerTick; ratio > worst {
				worst, at = ratio, s.N
			}
		}
	}
	if at > 0 {
		p("| server CPU per client-tick ≤ %.2f× the floor's (worst N where both hold 60 Hz) | %.1f µs at N=%d | %.1f µs | %s |\n",
			targetCPURatio, r.at(r.skirmish, at).UsPerTick, at, r.at(r.floor, at).UsPerTick, verdict(worst <= targetCPURatio, fmt.Sprintf("%.2f×", worst)))
	} else {
		p("| server CPU per client-tick ≤ %.2f× the floor's | – | – | n/a: no N where both hold 60 Hz |\n", targetCPURatio)
	}
	if nS > 0 {
		m := r.at(r.skirmish, nS)
		kb := m.KBPerPlayer()
		p("| memory ≤ %.0f KB per connected player (RSS growth over the idle server, the most in the window, at the largest N holding 60 Hz) | %.1f KB at N=%d (%.1f KB at the window's end) | %.1f KB | %s |\n\n",
			targetKBPerPlayer, kb, nS, m.KBPerPlayerEnd(), r.at(r.floor, nS).KBPerPlayer(), verdict(kb <= targetKBPerPlayer, fmt.Sprintf("%.1f KB", kb)))
	} else {
		p("| memory ≤ %.0f KB per connected player | – | – | n/a: Skirmish held 60 Hz at no N |\n\n", targetKBPerPlayer)
	}

	p("## Skirmish\n\n")
	p("Bots play through the browser's netcode (`client/netcode`) at 60 frames a second, as the browser does: each frame one socket drain, one update making and sending one input, one draw.\n\n")
	r.table(&b, r.ns, r.skirmish)
	p("## Floor: a bare gws server moving the same bytes\n\n")
	p("Same swarm, same connections and inputs; the server writes a padded, empty snapshot of Skirmish's measured size per message to each connection every tick, from one goroutine per 16 connections, and answers pings. No game, no per-client goroutine.\n\n")
	r.table(&b, r.ns, r.floor)
	if len(r.batched) > 0 {
		var ns []int
		for _, m := range r.batched {
			if m != nil {
				ns = append(ns, m.N)
			}
		}
		p("## Skirmish, two inputs a frame\n\n")
		p("The protocol's `Inputs` message carries several ticks' inputs in one frame. Here each bot sends two, 30 frames a second (`skirmish bots --inputs-per-message 2`): half the frames upstream for both processes, for about a tick more input delay (*input→ack*: from a bot making an input to the first snapshot acknowledging it). Not counted in the targets above; compare with the same N in the Skirmish table.\n\n")
		r.table(&b, ns, compact(r.batched))
	}
	if len(r.lagged) > 0 {
		ms := compact(r.lagged)
		var ns []int
		for _, m := range ms {
			ns = append(ns, m.N)
		}
		p("## Skirmish, the bots over a %v ± %v link\n\n", r.lagRTT, r.lagJitter)
		p("The same swarm, every bot's WebSocket through the in-process link shaper (`skirmish bots --latency %v --jitter %v`, internal/linksim): %v each way, each write's delay drawn within ± %v, bytes in order. Lateness and gaps include the link's jitter, so *60 Hz* judges the link as much as the server here; not counted in the targets above.\n\n", r.lagRTT, r.lagJitter, r.lagRTT/2, r.lagJitter)
		r.table(&b, ns, ms)
		p("## What a player sees, at RTT 0 and %v\n\n", r.lagRTT)
		p("From the same runs: each bot plays through the browser's netcode at 60 fps (`bots/doc.go` defines each figure). A swarm short of CPU keeps fewer frames a second than it asks, and its bots then play as a slower browser would: more corrections, fewer fair hits.\n\n")
		p("| N | RTT | frames a second kept | input→ack p50 | HUD RTT p50 | own shot drawn p50 / p99 | hit fairness (screen hits the server scored) | server hits not seen | corrections a minute |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, n := range ns {
			for _, m := range []*measurement{r.at(r.skirmish, n), r.at(r.lagged, n)} {
				if m.Report == nil {
					continue
				}
				rep := m.Report
				p("| %d | %s | %.1f | %.1f ms | %.1f ms | %s | %s | %d of %d | %.1f |\n", n, rttLabel(m.RTT), rep.FramesPerBotPerSecond, rep.InputDelay.P50, rep.HUDRTT.P50, ownShot(rep), fairness(rep),
					rep.ServerHitsNotSeen, rep.ServerHits, rep.CorrectionsPerMinute)
			}
		}
		p("\n")
	}
	p("## Skirmish over the floor\n\n| N | µs per client-tick, Skirmish | floor | ratio | server CPU s/s, Skirmish | floor |\n|---:|---:|---:|---:|---:|---:|\n")
	for i, n := range r.ns {
		s, f := r.skirmish[i], r.floor[i]
		if s == nil || f == nil || f.UsPerTick == 0 {
			p("| %d | – | – | – | – | – |\n", n)
			continue
		}
		p("| %d | %.1f | %.1f | %.2f× | %.2f | %.2f |\n", n, s.UsPerTick, f.UsPerTick, s.UsPerTick/f.UsPerTick, s.ServerCPU, f.ServerCPU)
	}
	p("\n## Skirmish's own counters (over each whole run, ramp included; goroutines and memory in the middle of the window)\n\n| N | snapshots out | skipped (queue full) | merged (late ticks) | ticks skipped | tick overruns | mean tick | goroutines | stacks KB/player | heap in use KB/player |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range r.skirmish {
		if m == nil || m.ServerStats == nil {
			continue
		}
		st := m.ServerStats
		mean := 0.0
		if c := st["skirmish_tick_duration_seconds_count"]; c > 0 {
			mean = st["skirmish_tick_duration_seconds_sum"] / c * 1e6
		}
		p("| %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f µs | %.0f | %.1f | %.1f |\n", m.N, st["skirmish_messages_out_total"], st["skirmish_snapshots_skipped_total"],
			st["skirmish_snapshots_merged_total"], st["skirmish_ticks_skipped_total"], st["skirmish_tick_overruns_total"], mean, st["go_goroutines"],
			st["go_memstats_stack_inuse_bytes"]/1024/float64(m.N), st["go_memstats_heap_inuse_bytes"]/1024/float64(m.N))
	}
	p("\n## Where a room's tick and its writes wait (Skirmish's histograms over each whole run, ramp included: the bucket bound holding the p99)\n\n" +
		"*Tick start late*: after its due time (`skirmish_tick_lateness_seconds`); *tick*: its work (`skirmish_tick_duration_seconds`); " +
		"*writes' wait*: from the room handing the tick's snapshots over to their goroutine starting (`skirmish_snapshot_write_wait_seconds`); " +
		"*written*: from the tick's start to its last write's return (`skirmish_snapshots_written_seconds`). " +
		"Beside them the lateness the bots measured on receipt, in the window.\n\n" +
		"| N | tick start late p99 | tick p99 | writes' wait p99 | written p99 | bots' p99 late |\n|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range r.skirmish {
		if m == nil || m.ServerStats == nil || m.Report == nil {
			continue
		}
		p("| %d |", m.N)
		for _, h := range serverHistograms {
			p(" %s |", bucketBound(m.ServerStats, h))
		}
		p(" %.1f ms |\n", m.Report.Lateness.P99)
	}
	p("\n## How the bots' inputs arrived (Skirmish's `skirmish_input_slots_total` over each whole run, ramp included)\n\n" +
		"Each player's input slot, one a tick, by the input lead once filled: *stood in*, its input had not come (the newest stood in); *0*, it came in time " +
		"and the next had not; *1*, *2*, *3+*, the next inputs had come too and waited that many ticks early. An input waits about a tick more for each step " +
		"of lead, so the shares at 1 and beyond are input→ack's part beyond the floor's, which acks whatever came by its next tick. *Amended*: inputs that " +
		"came up to two ticks late and amended the stand-in's slot (`skirmish_inputs_amended_total`); *late*: those that came later, dropped " +
		"(`skirmish_inputs_late_total`); both per 1,000 slots. *Margin p1 / p50*: how long before its slot was filled a player's input came, each " +
		"tick (`skirmish_input_margin_seconds`, the bucket bound holding the quantile): the input clock keeps the low one a little below 0 (amending), and the middle one " +
		"over it is what the jitter of the machine and the link costs the median input; the floor's median input waits half a tick.\n\n" +
		"| N | slots | stood in | 0 | 1 | 2 | 3+ | amended ‰ | late ‰ | margin p1 / p50 |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, ms := range [][]*measurement{r.skirmish, r.lagged} {
		for _, m := range ms {
			if m == nil || m.ServerStats == nil {
				continue
			}
			st, total := m.ServerStats, 0.0
			bands := []string{"stood_in", "0", "1", "2", "3+"}
			for _, b := range bands {
				total += st[`skirmish_input_slots_total{lead="`+b+`"}`]
			}
			if total == 0 {
				continue
			}
			label := fmt.Sprint(m.N)
			if m.RTT > 0 {
				label += fmt.Sprintf(" (%s RTT)", m.RTT)
			}
			p("| %s | %.0f |", label, total)
			for _, b := range bands {
				p(" %.1f%% |", 100*st[`skirmish_input_slots_total{lead="`+b+`"}`]/total)
			}
			p(" %.1f | %.1f | %s / %s |\n", 1000*st["skirmish_inputs_amended_total"]/total, 1000*st["skirmish_inputs_late_total"]/total,
				quantileMs(st, marginHistogram, 0.01, "> 100 ms"), quantileMs(st, marginHistogram, 0.5, "> 100 ms"))
		}
	}
	for _, m := range r.profiled {
		if m == nil {
			continue
		}
		p("\n## Profile: %s at N=%d (perf, on-CPU, self time, kernel included)\n\n", m.Kind, m.N)
		p("Recorded in a separate run (perf's own cost stays out of the tables): server %.2f CPU s/s, %.1f µs per client-tick, delivered %.2f%%. `perf report -i %s`.\n\n```\n",
			m.ServerCPU, m.UsPerTick, 100*m.Report.Delivered, m.PerfFile)
		for _, line := range m.PerfTop {
			p("%s\n", line)
		}
		p("```\n")
	}
	p("\n## How each figure is measured\n\n")
	p("- **delivered**: snapshots the bots received in the window over the tick rate × each bot's time connected in it.\n")
	p("- **p99 lateness**: per bot, arrival − tick × (1/60 s) is constant for snapshots that arrive on time; a snapshot's lateness is its excess over the least value that bot saw (`bots/timing.go`). No clock is shared with the server.\n")
	p("- **server CPU s/s**: user + system time of the server process (`/proc/<pid>/stat`) over the window, per second of it; **µs per client-tick** divides it by connected players × 60.\n")
	p("- **RSS**: `VmRSS` of the server, the most seen in the window; **KB/player** is its growth over the idle server, over N (in parentheses: at the window's end, once the joins' garbage has had time to go).\n")
	p("- **B/client/s**: WebSocket payload bytes each bot received a second (frame headers not counted).\n")
	p("- **input→ack**: per input, from the bot making it to the first snapshot whose ack covers it (`bots/timing.go`): the round trip, the wait for the room's tick and any queueing, as a player would feel a button press come back.\n")
	p("- **swarm**, **others**: CPU s/s of the swarm process, and of everything else on the machine.\n")
	p("- **corr/min**, **own shot**, **hit fair**, **HUD RTT**: what the bots, each playing through the browser's netcode at 60 fps, saw as players (`bots/doc.go`): the netcode's corrections per bot and minute; from the input that fired an own projectile to the first frame that drew it; of the own shots that hit a player as drawn on the shooter's screen, the share the server scored; the round trip the network HUD shows. The floor has no game: no shots, no corrections.\n\n")
	p("Per-run swarm reports (JSON and HTML with plots), logs and perf data are written to `bench/out/` and not committed; `results.html` plots this page's figures against N.\n")
	return b.String()
}

// table writes one server's per-N table: ms by index of ns.
func (r *results) table(b *strings.Builder, ns []int, ms []*measurement) {
	fmt.Fprintf(b, "| N | joined | delivered | p99 late | p99 gap | input→ack p50 / p99 | server CPU s/s | µs/client-tick | RSS | KB/player (end) | B/client/s | swarm CPU s/s | others CPU s/s | 60 Hz | corr/min | own shot p50 / p99 | hit fair | HUD RTT p50 |\n")
	fmt.Fprintf(b, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|\n")
	for i, n := range ns {
		m := ms[i]
		if m == nil || m.Report == nil {
			fmt.Fprintf(b, "| %d | run failed | | | | | | | | | | | | | | | | |\n", n)
			continue
		}
		rep := m.Report
		hold := "no"
		if m.holds() {
			hold = "yes"
		}
		fmt.Fprintf(b, "| %d | %d | %.2f%% | %.1f ms | %.1f ms | %.1f / %.1f ms | %.2f | %.1f | %.0f MB | %.1f (%.1f) | %.0f | %.2f | %.2f | %s | %.1f | %s | %s | %.1f ms |\n",
			n, rep.Joined, 100*rep.Delivered, rep.Lateness.P99, rep.Gap.P99, rep.InputDelay.P50, rep.InputDelay.P99, m.ServerCPU, m.UsPerTick,
			float64(m.RSSMax)/(1<<20), m.KBPerPlayer(), m.KBPerPlayerEnd(), rep.BytesInPerBotPerSecond, m.SwarmCPU, m.OtherCPU, hold,
			rep.CorrectionsPerMinute, ownShot(rep), fairness(rep), rep.HUDRTT.P50)
	}
	b.WriteString("\n")
}

// rttLabel is a link's round trip, 0 for none.
func rttLabel(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return d.String()
}

// ownShot is a report's own-shot latency, p50 / p99, or – without shots.
func ownShot(rep *bots.Report) string {
	if rep.OwnShotHistogram.Count() == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f / %.0f ms", rep.OwnShotLatency.P50, rep.OwnShotLatency.P99)
}

// fairness is a report's hit fairness, or – without screen hits.
func fairness(rep *bots.Report) string {
	if rep.ScreenHits == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%% (%d)", 100*rep.HitFairness, rep.ScreenHits)
}

// compact drops the failed runs.
func compact(ms []*measurement) []*measurement {
	var out []*measurement
	for _, m := range ms {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// byN lays ms out by index of r.ns (nil where none ran).
func (r *results) byN(ms []*measurement) []*measurement {
	out := make([]*measurement, len(r.ns))
	for i, n := range r.ns {
		for _, m := range ms {
			if m != nil && m.N == n {
				out[i] = m
			}
		}
	}
	return out
}

// at is the measurement of N n.
func (r *results) at(ms []*measurement, n int) *measurement {
	for _, m := range ms {
		if m != nil && m.N == n {
			return m
		}
	}
	return &measurement{}
}

func (r *results) loadRange() string {
	lo, hi := math.Inf(1), 0.0
	for _, ms := range [][]*measurement{r.skirmish, r.floor} {
		for _, m := range ms {
			if m != nil {
				lo, hi = math.Min(lo, m.Load1Before), math.Max(hi, m.Load1Before)
			}
		}
	}
	if hi == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.2f–%.2f", lo, hi)
}

func verdict(ok bool, figure string) string {
	if ok {
		return "**met** (" + figure + ")"
	}
	return "**not met** (" + figure + ")"
}

// html writes results.html: the figures against N.
func (r *results) html(f *os.File) error {
	xs := make([]float64, len(r.ns))
	for i, n := range r.ns {
		xs[i] = float64(n)
	}
	col := func(ms []*measurement, v func(*measurement) float64) []float64 {
		out := make([]float64, len(ms))
		for i, m := range ms {
			out[i] = math.NaN()
			if m != nil && m.Report != nil {
				out[i] = v(m)
			}
		}
		return out
	}
	both := func(title, y string, v func(*measurement) float64) template.HTML {
		return plot.Lines(title, "bots (N)", y, xs, math.NaN(),
			plot.Series{Name: "Skirmish", Ys: col(r.skirmish, v)}, plot.Series{Name: "floor", Ys: col(r.floor, v)})
	}
	lagged := func(title, y string, v func(*measurement) float64) template.HTML {
		return plot.Lines(title, "bots (N)", y, xs, math.NaN(),
			plot.Series{Name: "Skirmish, RTT 0", Ys: col(r.skirmish, v)},
			plot.Series{Name: fmt.Sprintf("Skirmish, RTT %v", r.lagRTT), Ys: col(r.byN(r.lagged), v)})
	}
	plots := []template.HTML{
		lagged("Own shot: input to the first frame that draws it (p50)", "ms", func(m *measurement) float64 { return m.Report.OwnShotLatency.P50 }),
		lagged("Hit fairness: own screen hits the server scored", "%", func(m *measurement) float64 { return 100 * m.Report.HitFairness }),
		lagged("Input to acknowledged (p50)", "ms", func(m *measurement) float64 { return m.Report.InputDelay.P50 }),
		lagged("Corrections a minute per bot", "corrections", func(m *measurement) float64 { return m.Report.CorrectionsPerMinute }),
		both("Server CPU per client-tick", "µs", func(m *measurement) float64 { return m.UsPerTick }),
		both("Server CPU", "CPU seconds per second", func(m *measurement) float64 { return m.ServerCPU }),
		both("Snapshots delivered", "% of expected", func(m *measurement) float64 { return 100 * m.Report.Delivered }),
		both("p99 snapshot lateness", "ms", func(m *measurement) float64 { return m.Report.Lateness.P99 }),
		both("Server memory growth per player", "KB", func(m *measurement) float64 { return m.KBPerPlayer() }),
		both("Swarm CPU (the other process on the same cores)", "CPU seconds per second", func(m *measurement) float64 { return m.SwarmCPU }),
	}
	return resultsPage.Execute(f, struct {
		Title, Started string
		Plots          []template.HTML
	}{"Skirmish load benchmark", r.started.Format("2006-01-02 15:04 MST"), plots})
}

var resultsPage = template.Must(template.New("results").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#222}
figure{margin:1.5rem 0}svg{background:#fcfcfc;border:1px solid #e4e4e4}</style></head><body>
<h1>{{.Title}}</h1>
<p>Run of {{.Started}}; the tables, the machine's state and the method are in results.md beside this page.</p>
{{range .Plots}}<figure>{{.}}</figure>
{{end}}</body></html>
`))

// makeBench says "(what `make bench` runs)" of the command that is.
func makeBench(command string) string {
	if command == "go run ./bench/run" {
		return " (what `make bench` runs)"
	}
	return ""
}
