// measure.go — one measurement: a server (skirmish serve, or the floor) in
// one process, `skirmish bots` in another, /proc sampled throughout
// (proc.go), and the figures of the swarm's measurement window computed
// from the samples and the swarm's JSON report. main.go runs one per N
// and server; results.go writes them up.

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"skirmish/bots"
)

// Thresholds of "holds 60 Hz".
const (
	holdDelivered = 0.99
	holdLateP99   = 50.0 // ms
)

// measurement is what one run found. CPU figures are over the swarm's
// measurement window.
type measurement struct {
	Kind         string // "skirmish" or "floor"
	N            int
	PerMessage   int           // inputs each bot sent a frame, when more than one
	RTT          time.Duration // of the bots' simulated link, when they had one
	Report       *bots.Report
	ServerCPU    float64 // CPU seconds per second
	SwarmCPU     float64
	OtherCPU     float64 // the rest of the machine: the noise
	RSSIdle      int64   // bytes, before the swarm
	RSSMax       int64   // bytes, the most in the window
	RSSEnd       int64   // bytes, at the end of the window
	UsPerTick    float64 // server CPU µs per client-tick
	BytesPerMsg  float64 // payload bytes per snapshot
	SwarmErr     string  // the swarm's exit, when not clean
	ServerStats  map[string]float64
	PerfTop      []string // perf's top symbols, when profiled
	PerfFile     string
	HTML, JSON   string // the swarm's report files
	Load1Before  float64
	LoadAvgAfter string
}

// holds reports whether the server held 60 Hz for every bot.
func (m *measurement) holds() bool { return holds60(m.Report, m.N) }

// holds60 reports whether a swarm of n bots saw 60 Hz: every bot joined,
// at least holdDelivered of the snapshots arrived, and the p99 lateness
// stayed within holdLateP99.
func holds60(r *bots.Report, n int) bool {
	return r != nil && r.Joined == n && r.Delivered >= holdDelivered && r.Lateness.P99 <= holdLateP99
}

// KBPerPlayer is the server's memory growth per connected player, at its
// most in the window.
func (m *measurement) KBPerPlayer() float64 {
	return float64(m.RSSMax-m.RSSIdle) / 1024 / float64(max(m.N, 1))
}

// KBPerPlayerEnd is the same at the end of the window, once the joins'
// garbage has had time to go.
func (m *measurement) KBPerPlayerEnd() float64 {
	return float64(m.RSSEnd-m.RSSIdle) / 1024 / float64(max(m.N, 1))
}

// runSpec says what to run.
type runSpec struct {
	kind     string // "skirmish" or "floor"
	n        int
	bytes    int // the floor's payload per snapshot
	duration time.Duration
	ramp     float64
	perf     time.Duration // record perf for this long within the window (0: no)
	// perMessage is the inputs each bot sends in a frame (0 or 1: one).
	perMessage int
	// rtt and jitter shape every bot's link (`skirmish bots --latency
	// --jitter`, internal/linksim): 0, none.
	rtt, jitter time.Duration
}

// measure runs one server and one swarm.
func (b *bench) measure(spec runSpec) (*measurement, error) {
	m := &measurement{Kind: spec.kind, N: spec.n, Load1Before: load1()}
	name := fmt.Sprintf("%s-%d", spec.kind, spec.n)
	if spec.perMessage > 1 {
		m.PerMessage = spec.perMessage
		name = fmt.Sprintf("%s-%dper-%d", spec.kind, spec.perMessage, spec.n)
	}
	if spec.rtt > 0 {
		m.RTT = spec.rtt
		name = fmt.Sprintf("%s-rtt%d-%d", spec.kind, spec.rtt.Milliseconds(), spec.n)
	}
	if spec.perf > 0 {
		name += "-profiled"
	}
	m.JSON, m.HTML = filepath.Join(b.outDir, name+".json"), filepath.Join(b.outDir, name+".html")

	var serverArgs []string
	bin := b.skirmish
	if spec.kind == "floor" {
		bin, serverArgs = b.floor, []string{"--addr", "127.0.0.1:0", "--bytes", strconv.Itoa(spec.bytes)}
	} else {
		serverArgs = []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}
	}
	srv, url, err := startServer(bin, serverArgs, filepath.Join(b.outDir, name+".server.log"))
	if err != nil {
		return nil, err
	}
	defer stopProcess(srv)
	time.Sleep(time.Second) // let it settle before the idle reading
	if m.RSSIdle, err = procRSS(srv.Process.Pid); err != nil {
		return nil, err
	}
	before := map[string]float64{}
	if spec.kind == "skirmish" {
		before = scrapeMetrics(url)
	}

	logf, err := os.Create(filepath.Join(b.outDir, name+".swarm.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	swarm, cancel, err := b.startSwarm(swarmRun{url: url, n: spec.n, duration: spec.duration, ramp: spec.ramp,
		perMessage: spec.perMessage, rtt: spec.rtt, jitter: spec.jitter, json: m.JSON, html: m.HTML, log: logf})
	if err != nil {
		return nil, err
	}
	defer cancel()
	stop, samples := make(chan struct{}), make(chan []sample, 1)
	go sampler([]int{srv.Process.Pid, swarm.Process.Pid}, stop, samples)
	// The runtime's memory figures, once, in the middle of the window
	// (about n/ramp seconds of joins, then the window).
	levels := make(chan map[string]float64, 1)
	if spec.kind == "skirmish" {
		mid := rampTime(spec.n, spec.ramp) + spec.duration/2
		time.AfterFunc(mid, func() { levels <- scrapeMetrics(url) })
	} else {
		levels <- nil
	}
	perfDone := make(chan perfResult, 1)
	if spec.perf > 0 {
		// The window opens once every bot has joined: about n/ramp
		// seconds, plus a second of slack.
		wait := rampTime(spec.n, spec.ramp) + time.Second
		go func() {
			perfDone <- recordPerf(srv.Process.Pid, wait, spec.perf, filepath.Join(b.outDir, name+".perf.data"))
		}()
	}
	if err := swarm.Wait(); err != nil {
		m.SwarmErr = err.Error()
	}
	close(stop)
	ss := <-samples
	if spec.perf > 0 {
		p := <-perfDone
		m.PerfTop, m.PerfFile = p.top, p.file
		if p.err != nil {
			m.PerfTop = []string{"perf failed: " + p.err.Error()}
		}
	}
	if spec.kind == "skirmish" {
		after := scrapeMetrics(url)
		m.ServerStats = map[string]float64{}
		for k, v := range after {
			if !strings.HasPrefix(k, "go_") {
				m.ServerStats[k] = v - before[k]
			}
		}
		for k, v := range <-levels {
			if strings.HasPrefix(k, "go_") {
				m.ServerStats[k] = v // a level, not a count
			}
		}
	}
	m.LoadAvgAfter = loadavg()

	r, from, to, err := readSwarmReport(m.JSON, name, m.SwarmErr)
	if r == nil {
		return m, err
	}
	m.Report = r
	if err != nil {
		return m, err
	}
	m.ServerCPU = perSecond(ss, from, to, cpuOf(0))
	m.SwarmCPU = perSecond(ss, from, to, cpuOf(1))
	// The machine's and the processes' clocks tick apart: near zero, the
	// difference can come out a little below it.
	m.OtherCPU = max(0, perSecond(ss, from, to, busyOf)-m.ServerCPU-m.SwarmCPU)
	m.RSSMax = int64(maxIn(ss, from, to, rssOf(0)))
	m.RSSEnd = int64(at(ss, to, rssOf(0)))
	if players := r.Joined - r.Dropped; players > 0 {
		m.UsPerTick = m.ServerCPU / float64(players*r.TickRate) * 1e6
	}
	if r.SnapshotsPerBotPerSecond > 0 {
		m.BytesPerMsg = r.BytesInPerBotPerSecond / r.SnapshotsPerBotPerSecond
	}
	return m, nil
}

// swarmRun is one `skirmish bots` invocation: n fighting bots.
type swarmRun struct {
	url        string // the lobby's base URL
	n          int
	duration   time.Duration // the measurement window, after the ramp
	ramp       float64       // joins a second
	perMessage int           // inputs a frame (0 or 1: one)
	rtt        time.Duration // the simulated link's round trip (0: none)
	jitter     time.Duration // each way
	json, html string        // where its report goes
	log        io.Writer     // its stdout and stderr
}

// swarmSlack is how long a swarm may run past its ramp and window before
// it is killed.
const swarmSlack = 90 * time.Second

// startSwarm starts the swarm s. It is killed if it runs swarmSlack past
// its ramp and window; the returned func releases that timer (call it
// once the swarm has been waited for).
func (b *bench) startSwarm(s swarmRun) (*exec.Cmd, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rampTime(s.n, s.ramp)+s.duration+swarmSlack)
	swarm := exec.CommandContext(ctx, b.skirmish, "bots", "--url", s.url, "--count", strconv.Itoa(s.n),
		"--duration", s.duration.String(), "--ramp", fmt.Sprint(s.ramp), "--behavior", "fight",
		"--inputs-per-message", strconv.Itoa(max(s.perMessage, 1)), "--json", s.json, "--html", s.html)
	if s.rtt > 0 {
		swarm.Args = append(swarm.Args, "--latency", s.rtt.String(), "--jitter", s.jitter.String())
	}
	swarm.Stdout, swarm.Stderr = s.log, s.log
	dieWithUs(swarm)
	if err := swarm.Start(); err != nil {
		cancel()
		return nil, nil, err
	}
	return swarm, cancel, nil
}

// rampTime is about how long n bots take to join at ramp a second.
func rampTime(n int, ramp float64) time.Duration {
	return time.Duration(float64(n) / ramp * float64(time.Second))
}

// readSwarmReport reads the swarm's JSON report and its measurement
// window: from the last join to the end of play. name and swarmErr (how
// the swarm exited) go into the errors. A report with an empty window
// comes back with an error.
func readSwarmReport(file, name, swarmErr string) (r *bots.Report, from, to time.Time, err error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, from, to, fmt.Errorf("%s: no report (%s): %w", name, swarmErr, err)
	}
	defer f.Close()
	if r, err = bots.ReadReport(f); err != nil {
		return nil, from, to, err
	}
	from = r.Started.Add(time.Duration(r.RampSeconds * float64(time.Second)))
	to = from.Add(time.Duration(r.WindowSeconds * float64(time.Second)))
	if !to.After(from) {
		return r, from, to, fmt.Errorf("%s: the swarm measured nothing (%s)", name, swarmErr)
	}
	return r, from, to, nil
}

// serverURL is what `skirmish serve`, `skirmish lobby` and the floor
// print when they are ready.
var serverURL = regexp.MustCompile(`http://[0-9.]+:[0-9]+`)

// startServer starts bin and waits for the URL it prints.
func startServer(bin string, args []string, logFile string) (*exec.Cmd, string, error) {
	return startProcess(bin, args, logFile, serverURL)
}

// readyTimeout bounds the wait for a process's ready line.
const readyTimeout = 30 * time.Second

// startProcess starts bin, logging its stdout and stderr to logFile, and
// waits until it prints a line matching ready; it returns the match's
// last group (the whole match if it has none). A process that exits, or
// prints no such line within readyTimeout, is an error (and stopped).
func startProcess(bin string, args []string, logFile string, ready *regexp.Regexp) (*exec.Cmd, string, error) {
	log, err := os.Create(logFile)
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = log
	dieWithUs(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		log.Close()
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, "", err
	}
	urls, eof := make(chan string, 1), make(chan struct{})
	go func() {
		defer log.Close()
		defer close(eof)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(log, sc.Text())
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[len(m)-1]:
				default:
				}
			}
		}
	}()
	timeout := time.NewTimer(readyTimeout)
	defer timeout.Stop()
	select {
	case u := <-urls:
		return cmd, u, nil
	case <-eof:
		select {
		case u := <-urls:
			return cmd, u, nil
		default:
		}
		stopProcess(cmd)
		return nil, "", fmt.Errorf("%s exited before it was ready (see %s)", filepath.Base(bin), logFile)
	case <-timeout.C:
		stopProcess(cmd)
		return nil, "", fmt.Errorf("%s printed no URL within 30 s (see %s)", filepath.Base(bin), logFile)
	}
}

// stopProcess asks cmd to stop (SIGTERM) and kills it if it has not within
// 15 s.
func stopProcess(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// serverMetrics are the Skirmish counters the report shows, as deltas.
var serverMetrics = []string{
	"skirmish_messages_out_total", "skirmish_bytes_out_total", "skirmish_snapshots_skipped_total",
	"skirmish_snapshots_merged_total", "skirmish_ticks_skipped_total", "skirmish_tick_overruns_total",
	"skirmish_tick_duration_seconds_sum", "skirmish_tick_duration_seconds_count",
	"skirmish_messages_in_total", "skirmish_inputs_late_total", "skirmish_inputs_amended_total",
	`skirmish_input_slots_total{lead="stood_in"}`, `skirmish_input_slots_total{lead="0"}`, `skirmish_input_slots_total{lead="1"}`,
	`skirmish_input_slots_total{lead="2"}`, `skirmish_input_slots_total{lead="3+"}`,
	"go_memstats_stack_inuse_bytes", "go_memstats_heap_inuse_bytes", "go_goroutines",
}

// serverHistograms are the Skirmish histograms whose buckets the report
// reads (as deltas, like the counters): where a room's tick and its
// writes wait.
var serverHistograms = []string{
	"skirmish_tick_lateness_seconds", "skirmish_tick_duration_seconds",
	"skirmish_snapshot_write_wait_seconds", "skirmish_snapshots_written_seconds",
}

// marginHistogram is how early inputs arrived before their slots: the
// report reads its low and middle quantiles beside the slots' leads.
const marginHistogram = "skirmish_input_margin_seconds"

// scrapedHistograms are the histograms scrapeMetrics reads.
var scrapedHistograms = append(serverHistograms[:len(serverHistograms):len(serverHistograms)], marginHistogram)

// scrapeMetrics reads serverMetrics, and scrapedHistograms' buckets under
// their series names (name_bucket{le="…"}), from url/metrics (missing:
// absent).
func scrapeMetrics(url string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		for _, name := range scrapedHistograms {
			if strings.HasPrefix(line, name+"_bucket{") {
				if i := strings.LastIndexByte(line, ' '); i > 0 {
					if f, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
						out[line[:i]] = f
					}
				}
			}
		}
		for _, name := range serverMetrics {
			if v, ok := strings.CutPrefix(line, name+" "); ok {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					out[name] = f
				}
			}
		}
	}
	return out
}

// histQuantile is the upper bound of the bucket of histogram name (in st,
// as scrapeMetrics reads it) that holds its q quantile, in seconds; +Inf
// beyond the last bound, and false when it counted nothing.
func histQuantile(st map[string]float64, name string, q float64) (float64, bool) {
	type bucket struct{ le, n float64 }
	var bs []bucket
	prefix := name + `_bucket{le="`
	for k, v := range st {
		if le, ok := strings.CutPrefix(k, prefix); ok {
			f, err := strconv.ParseFloat(strings.TrimSuffix(le, `"}`), 64)
			if err == nil {
				bs = append(bs, bucket{f, v})
			}
		}
	}
	if len(bs) == 0 {
		return 0, false
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].le < bs[j].le })
	total := bs[len(bs)-1].n // le="+Inf": every observation
	if total <= 0 {
		return 0, false
	}
	for _, b := range bs {
		if b.n >= q*total {
			return b.le, true
		}
	}
	return math.Inf(1), true
}

// perfResult is what recordPerf found.
type perfResult struct {
	top  []string
	file string
	err  error
}

// maxPerfLines is how many of perf's top symbols the report keeps.
const maxPerfLines = 25

// recordPerf records pid's on-CPU stacks with perf for d, after wait, and
// returns its top symbols by self time, kernel included.
func recordPerf(pid int, wait, d time.Duration, file string) perfResult {
	time.Sleep(wait)
	rec := exec.Command("perf", "record", "-F", "499", "-g", "-p", strconv.Itoa(pid), "-o", file,
		"--", "sleep", fmt.Sprint(d.Seconds()))
	if out, err := rec.CombinedOutput(); err != nil {
		return perfResult{err: fmt.Errorf("perf record: %w: %s", err, lastLine(out))}
	}
	rep := exec.Command("perf", "report", "-i", file, "--stdio", "--no-children", "--sort", "dso,symbol",
		"-g", "none", "--percent-limit", "0.7")
	out, err := rep.Output()
	if err != nil {
		return perfResult{file: file, err: fmt.Errorf("perf report: %w", err)}
	}
	var top []string
	for _, line := range strings.Split(string(out), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") && strings.Contains(t, "%") {
			t = strings.TrimSpace(strings.TrimSuffix(strings.Join(strings.Fields(t), " "), " - -"))
			top = append(top, t)
			if len(top) == maxPerfLines {
				break
			}
		}
	}
	if len(top) == 0 {
		return perfResult{file: file, err: errors.New("perf report listed nothing")}
	}
	return perfResult{top: top, file: file}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// load1 is the machine's one-minute load average.
func load1() float64 {
	f, _ := strconv.ParseFloat(strings.Fields(loadavg() + " 0")[0], 64)
	return f
}

// loadavg is /proc/loadavg's first three numbers.
func loadavg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
