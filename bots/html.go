// html.go — a Report (report.go) as one self-contained HTML page: the
// figures, and plots as inline SVG (package plot draws them; no script,
// nothing fetched), for a person to open in a browser.

package bots

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"time"

	"skirmish/bots/plot"
)

// WriteHTML writes r as a web page with plots: snapshot rate over time,
// gap, lateness and round-trip histograms, what the players saw (own-shot
// latency, the HUD's round trip, corrections, hit fairness), and
// bandwidth per bot.
func (r *Report) WriteHTML(w io.Writer) error {
	return pageTemplate.Execute(w, pageData{R: r, Title: fmt.Sprintf("Skirmish swarm: %d %s bots", r.Count, r.Behavior), Plots: r.plots()})
}

type pageData struct {
	Title string
	R     *Report
	Plots []template.HTML
}

// plots draws the report's charts.
func (r *Report) plots() []template.HTML {
	t := make([]float64, len(r.Seconds))
	col := func(f func(Second) float64) []float64 {
		v := make([]float64, len(r.Seconds))
		for i, s := range r.Seconds {
			v[i] = f(s)
		}
		return v
	}
	for i, s := range r.Seconds {
		t[i] = s.T
	}
	windowStart := math.NaN() // the end of the ramp, shaded before
	if r.WindowSeconds > 0 {
		windowStart = r.RampSeconds
	}
	perBot := make([]float64, len(r.BandwidthPerBot))
	for i := range perBot {
		perBot[i] = float64(i + 1)
	}
	return []template.HTML{
		plot.Lines("Snapshots received per second, all bots", "seconds since start", "snapshots/s", t, windowStart,
			plot.Series{Name: "total", Ys: col(func(s Second) float64 { return s.SnapshotsPerSec })}),
		plot.Lines("Snapshots received per second, per connected bot", "seconds since start", "snapshots/s", t, windowStart,
			plot.Series{Name: "per bot", Ys: col(func(s Second) float64 { return s.SnapshotsPerBot })}),
		plot.Lines("Bots connected", "seconds since start", "bots", t, windowStart,
			plot.Series{Name: "connected", Ys: col(func(s Second) float64 { return float64(s.Connected) })},
			plot.Series{Name: "failed to join", Ys: col(func(s Second) float64 { return float64(s.Failed) })},
			plot.Series{Name: "dropped", Ys: col(func(s Second) float64 { return float64(s.Dropped) })}),
		plot.Lines("Snapshot gap and lateness over time", "seconds since start", "ms", t, windowStart,
			plot.Series{Name: "gap p50", Ys: col(func(s Second) float64 { return s.GapP50 })},
			plot.Series{Name: "gap p99", Ys: col(func(s Second) float64 { return s.GapP99 })},
			plot.Series{Name: "lateness p99", Ys: col(func(s Second) float64 { return s.LateP99 })}),
		histogramChart("Gap between a bot's snapshots (measurement window)", &r.GapHistogram),
		histogramChart("Snapshot lateness against the tick schedule (measurement window)", &r.LatenessHistogram),
		histogramChart("Ping round trip (measurement window)", &r.RTTHistogram),
		histogramChart("Input made to acknowledged (measurement window)", &r.InputHistogram),
		histogramChart("Own shot: input that fired it to the first frame that drew it (measurement window)", &r.OwnShotHistogram),
		histogramChart("Round trip as the network HUD shows it (measurement window)", &r.HUDRTTHistogram),
		plot.Lines("What players saw over time", "seconds since start", "ms, or a minute's corrections", t, windowStart,
			plot.Series{Name: "own shot p50 (ms)", Ys: col(func(s Second) float64 { return s.ShotP50 })},
			plot.Series{Name: "HUD round trip p50 (ms)", Ys: col(func(s Second) float64 { return s.HUDRTTP50 })},
			plot.Series{Name: "corrections a minute per bot", Ys: col(func(s Second) float64 { return s.CorrectionsPerMinute })}),
		plot.Lines("Hit fairness over time: own shots that hit on the shooter's screen and that the server scored (shots it never fired left out)", "seconds since start", "%", t, windowStart,
			plot.Series{Name: "scored of screen hits", Ys: col(func(s Second) float64 {
				f, ok := s.HitFairness()
				if !ok {
					return math.NaN()
				}
				return 100 * f
			})}),
		plot.Lines("Round trip over time", "seconds since start", "ms", t, windowStart,
			plot.Series{Name: "rtt p50", Ys: col(func(s Second) float64 { return s.RTTP50 })},
			plot.Series{Name: "rtt p99", Ys: col(func(s Second) float64 { return s.RTTP99 })}),
		plot.Lines("Bytes received per bot per second", "seconds since start", "B/s", t, windowStart,
			plot.Series{Name: "mean over bots", Ys: col(func(s Second) float64 { return s.BytesInPerBot })}),
		plot.Lines("Bandwidth of each bot over the window, ascending", "bots, ranked", "B/s", perBot, math.NaN(),
			plot.Series{Name: "bytes/s", Ys: r.BandwidthPerBot}),
	}
}

// histogramChart draws a Histogram from its first non-empty bucket to its
// last, as a share of the total, merging neighbouring buckets into at most
// maxBars bars.
func histogramChart(title string, h *Histogram) template.HTML {
	const maxBars = 60
	first, last := -1, -1
	for i, c := range h.counts {
		if c > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	var labels []string
	var values []float64
	if first >= 0 {
		per := (last - first + maxBars) / maxBars
		for i := first; i <= last; i += per {
			var n uint64
			for j := i; j < min(i+per, last+1); j++ {
				n += uint64(h.counts[j])
			}
			lo, _ := histBounds(i)
			labels = append(labels, durationLabel(lo))
			values = append(values, 100*float64(n)/float64(h.Count()))
		}
	}
	note := fmt.Sprintf("%d samples; p50 %s, p99 %s, max %s; each bar starts at its label", h.Count(),
		durationLabel(h.Quantile(0.5)), durationLabel(h.Quantile(0.99)), durationLabel(h.Max()))
	return plot.Bars(title, note, "% of samples", labels, values)
}

func durationLabel(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return strconvG(ms(d)) + "ms"
	}
	return strconvG(d.Seconds()) + "s"
}

// strconvG formats v with three significant digits.
func strconvG(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"pct":   func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) },
	"f0":    func(v float64) string { return fmt.Sprintf("%.0f", v) },
	"f2":    func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"minus": func(a, b int) int { return a - b },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:right}
th{text-align:left;font-weight:600}figure{margin:1.5rem 0}svg{background:#fcfcfc;border:1px solid #e4e4e4}
.bad{color:#b00020;font-weight:600}code{background:#eee;padding:0 .3em}
</style></head><body>
<h1>{{.Title}}</h1>
{{with .R}}
<p>Against <code>{{.URL}}</code>, started {{.Started.Format "2006-01-02 15:04:05 MST"}}: the bots joined in {{f2 .RampSeconds}} s,
then all played for {{f2 .WindowSeconds}} s (the measurement window; the plots over time shade the ramp).</p>
<table>
<tr><th>simulated link</th><td>{{.Link}}</td></tr>
<tr><th>bots joined / asked</th><td>{{.Joined}} / {{.Count}}</td></tr>
<tr><th>failed joins, dropped, closed at the end</th><td>{{.Failed}}, {{.Dropped}}, {{.Closed}}</td></tr>
<tr><th>snapshots received / expected</th><td>{{.Snapshots}} / {{.Expected}} ({{pct .Delivered}})</td></tr>
<tr><th>snapshots per second, per bot</th><td>{{f0 .SnapshotsPerSecond}}, {{f2 .SnapshotsPerBotPerSecond}}</td></tr>
<tr><th>gap p50 / p99 / max</th><td>{{f2 .Gap.P50}} / {{f2 .Gap.P99}} / {{f2 .Gap.Max}} ms</td></tr>
<tr><th>lateness p50 / p99 / max</th><td>{{f2 .Lateness.P50}} / {{f2 .Lateness.P99}} / {{f2 .Lateness.Max}} ms</td></tr>
<tr><th>round trip p50 / p99 / max</th><td>{{f2 .RTT.P50}} / {{f2 .RTT.P99}} / {{f2 .RTT.Max}} ms</td></tr>
<tr><th>input → ack p50 / p99 / max</th><td>{{f2 .InputDelay.P50}} / {{f2 .InputDelay.P99}} / {{f2 .InputDelay.Max}} ms ({{.InputsPerMessage}} input{{if gt .InputsPerMessage 1}}s{{end}} a frame)</td></tr>
<tr><th>bytes in per bot per second</th><td>{{f0 .BytesInPerBotPerSecond}}</td></tr>
<tr><th>frames per second, asked / kept per bot</th><td>{{.FPS}} / {{f2 .FramesPerBotPerSecond}}</td></tr>
<tr><th>round trip on the HUD p50 / p99 / max</th><td>{{f2 .HUDRTT.P50}} / {{f2 .HUDRTT.P99}} / {{f2 .HUDRTT.Max}} ms</td></tr>
<tr><th>own shot drawn after its input p50 / p99 / max</th><td>{{f2 .OwnShotLatency.P50}} / {{f2 .OwnShotLatency.P99}} / {{f2 .OwnShotLatency.Max}} ms ({{.OwnShots}} own shots drawn)</td></tr>
<tr><th>corrections per minute per bot</th><td>{{f2 .CorrectionsPerMinute}} ({{.Corrections}} in all)</td></tr>
<tr><th>late inputs stood in for, per minute per bot</th><td>{{f2 .StandInsPerMinute}} ({{.StandIns}} in all)</td></tr>
<tr><th>hit fairness: screen hits the server scored</th><td>{{.ScreenHitsScored}} of {{minus .ScreenHits .ScreenHitsUntrue}} ({{pct .HitFairness}}), {{.ScreenHitsUntrue}} more by shots the server never fired left out; {{.ServerHitsNotSeen}} of {{.ServerHits}} server hits not seen hitting</td></tr>
<tr><th>checksums checked, desyncs</th><td>{{.Checksums}}, <span {{if .Desyncs}}class="bad"{{end}}>{{.Desyncs}}</span></td></tr>
<tr><th>errors</th><td><span {{if .Errors}}class="bad"{{end}}>{{.Errors}}</span></td></tr>
</table>
{{if .ErrorSamples}}<p>Errors seen:</p><ul>{{range .ErrorSamples}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
{{end}}
{{range .Plots}}<figure>{{.}}</figure>
{{end}}
</body></html>
`))
