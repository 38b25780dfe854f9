// main.go — the load benchmark's driver: flags, building the two binaries,
// then for each N a Skirmish run and a floor run moving the same bytes
// (measure.go), Skirmish runs with the bots over a simulated 100 ms link
// and with two inputs a frame, an optional profiled pair, and the
// write-up (results.go).
// With -cluster, the scale-out runs of cluster.go instead.

package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Benchmark defaults: the full run, and the quick one for smoke tests.
const (
	defaultNs         = "250,500,750,1000,1500,2000"
	defaultDuration   = 20 * time.Second
	quickNs           = "100,250"
	quickDuration     = 5 * time.Second
	defaultRamp       = 200 // joins a second
	defaultSettle     = 3 * time.Second
	defaultProfileN   = 1000
	defaultProfileFor = 10 * time.Second
	defaultBatchedNs  = "1000,1500"
	defaultLaggedNs   = "250,500,750,1000"
	defaultLagRTT     = 100 * time.Millisecond
	defaultLagJitter  = 10 * time.Millisecond
)

// bench is one benchmark run.
type bench struct {
	outDir          string // per-run files: JSON, HTML, logs, perf data
	skirmish, floor string // the binaries
}

func main() {
	dir := flag.String("dir", "bench", "where results.md and results.html (with -cluster: cluster.md) go; per-run files go to its out/")
	nsFlag := flag.String("n", defaultNs, "comma-separated numbers of bots")
	duration := flag.Duration("duration", defaultDuration, "measurement window of each run, after the ramp")
	ramp := flag.Float64("ramp", defaultRamp, "bots joining per second")
	quick := flag.Bool("quick", false, "smoke test: -n "+quickNs+" -duration "+quickDuration.String()+" unless given")
	settle := flag.Duration("settle", defaultSettle, "pause between runs")
	profileN := flag.Int("profile-n", defaultProfileN, "N of an extra Skirmish and floor pair profiled with perf (0: none; quick: the largest N)")
	profileFor := flag.Duration("profile-for", defaultProfileFor, "how long perf records in each profiled run")
	batchedFlag := flag.String("batched-n", defaultBatchedNs, "Ns of extra Skirmish runs whose bots send two inputs a frame (the protocol's Inputs message); empty or -quick: none")
	laggedFlag := flag.String("lagged-n", defaultLaggedNs, "Ns of extra Skirmish runs whose bots play over a simulated link of -rtt ± -jitter (internal/linksim); empty: none; -quick: the largest N")
	lagRTT := flag.Duration("rtt", defaultLagRTT, "round trip of the lagged runs' link, half each way")
	lagJitter := flag.Duration("jitter", defaultLagJitter, "jitter of the lagged runs' link, each way")
	cluster := flag.Bool("cluster", false, "scale-out instead: a lobby and -nodes game nodes on one Redis, each its own process, into cluster.md "+
		"(then -n defaults to "+defaultClusterNs+" and -duration to "+defaultClusterDuration.String()+
		"; -quick: -nodes "+quickClusterNodes+" -n "+quickClusterNs+" -duration "+quickClusterDuration.String()+")")
	nodesFlag := flag.String("nodes", defaultClusterNodes, "with -cluster: comma-separated numbers of game nodes")
	flag.Parse()

	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *cluster {
		nodes, ns, d := defaultClusterNodes, defaultClusterNs, defaultClusterDuration
		if *quick {
			nodes, ns, d = quickClusterNodes, quickClusterNs, quickClusterDuration
		}
		if set["nodes"] {
			nodes = *nodesFlag
		}
		if set["n"] {
			ns = *nsFlag
		}
		if set["duration"] {
			d = *duration
		}
		opts := clusterOptions{dir: *dir, duration: d, ramp: *ramp, settle: *settle, quick: *quick,
			command: commandLine(os.Args[1:])}
		var err error
		if opts.ks, err = parseCounts("-nodes", nodes, "a number of nodes"); err != nil {
			fail(err)
		}
		if opts.ns, err = parseNs(ns); err != nil {
			fail(err)
		}
		runCluster(opts)
		return
	}
	if *quick {
		if !set["n"] {
			*nsFlag = quickNs
		}
		if !set["duration"] {
			*duration = quickDuration
		}
		if !set["profile-for"] {
			*profileFor = *duration / 2
		}
	}
	ns, err := parseNs(*nsFlag)
	if err != nil {
		fail(err)
	}
	var batchedNs []int
	if *batchedFlag != "" && (!*quick || set["batched-n"]) {
		if batchedNs, err = parseNs(*batchedFlag); err != nil {
			fail(err)
		}
	}
	var laggedNs []int
	switch {
	case *quick && !set["lagged-n"]:
		laggedNs = ns[len(ns)-1:]
	case *laggedFlag != "":
		if laggedNs, err = parseNs(*laggedFlag); err != nil {
			fail(err)
		}
	}
	if *lagRTT <= 0 || *lagJitter < 0 || *lagJitter > *lagRTT/2 {
		fail(fmt.Errorf("-rtt %v, -jitter %v: want a round trip above 0 and a jitter from 0 to half of it", *lagRTT, *lagJitter))
	}
	if *quick && !set["profile-n"] {
		*profileN = ns[len(ns)-1]
	}
	if *profileN > 0 {
		if _, err := exec.LookPath("perf"); err != nil {
			fmt.Fprintln(os.Stderr, "bench: perf not found: no profile (apt-get install linux-perf)")
			*profileN = 0
		}
		if *profileFor >= *duration {
			*profileFor = *duration * 3 / 4
		}
	}

	b := &bench{outDir: filepath.Join(*dir, "out")}
	if err := os.MkdirAll(filepath.Join(b.outDir, "bin"), 0o755); err != nil {
		fail(err)
	}
	b.skirmish, b.floor = filepath.Join(b.outDir, "bin", "skirmish"), filepath.Join(b.outDir, "bin", "floor")
	for pkg, out := range map[string]string{"./cmd/skirmish": b.skirmish, "./bench/floor": b.floor} {
		if err := build(pkg, out); err != nil {
			fail(err)
		}
	}

	res := &results{
		started: time.Now(), ns: ns, duration: *duration, ramp: *ramp, quick: *quick,
		command: commandLine(os.Args[1:]), machine: describeMachine(),
		lagRTT: *lagRTT, lagJitter: *lagJitter,
	}
	for _, n := range ns {
		sk := b.run(runSpec{kind: "skirmish", n: n, duration: *duration, ramp: *ramp}, *settle)
		res.skirmish = append(res.skirmish, sk)
		bytes := 64
		if sk != nil && sk.BytesPerMsg > 0 {
			bytes = int(sk.BytesPerMsg + 0.5)
		}
		res.floor = append(res.floor, b.run(runSpec{kind: "floor", n: n, bytes: bytes, duration: *duration, ramp: *ramp}, *settle))
	}
	for _, n := range laggedNs {
		res.lagged = append(res.lagged, b.run(runSpec{kind: "skirmish", n: n, duration: *duration, ramp: *ramp, rtt: *lagRTT, jitter: *lagJitter}, *settle))
	}
	for _, n := range batchedNs {
		res.batched = append(res.batched, b.run(runSpec{kind: "skirmish", n: n, duration: *duration, ramp: *ramp, perMessage: 2}, *settle))
	}
	if *profileN > 0 {
		bytes := 64
		for _, m := range res.skirmish {
			if m != nil && m.N == *profileN && m.BytesPerMsg > 0 {
				bytes = int(m.BytesPerMsg + 0.5)
			}
		}
		for _, kind := range []string{"skirmish", "floor"} {
			res.profiled = append(res.profiled, b.run(runSpec{kind: kind, n: *profileN, bytes: bytes,
				duration: *duration, ramp: *ramp, perf: *profileFor}, *settle))
		}
	}
	res.finished = time.Now()
	if err := res.write(*dir); err != nil {
		fail(err)
	}
	fmt.Printf("bench: wrote %s and %s\n", filepath.Join(*dir, "results.md"), filepath.Join(*dir, "results.html"))
}

// run measures one spec after settling, and says how it went.
func (b *bench) run(spec runSpec, settle time.Duration) *measurement {
	time.Sleep(settle)
	link := ""
	if spec.rtt > 0 {
		link = fmt.Sprintf(" over %v ± %v", spec.rtt, spec.jitter)
	}
	fmt.Fprintf(os.Stderr, "bench: %s, %d bots%s, %v...", spec.kind, spec.n, link, spec.duration)
	m, err := b.measure(spec)
	if err != nil {
		fmt.Fprintf(os.Stderr, " failed: %v\n", err)
		if m == nil || m.Report == nil {
			return nil
		}
	}
	r := m.Report
	fmt.Fprintf(os.Stderr, " server %.2f CPU s/s (%.1f µs/client-tick), delivered %.2f%%, p99 late %.1f ms, swarm %.2f CPU s/s, others %.2f; own shot %s, hit fair %s\n",
		m.ServerCPU, m.UsPerTick, 100*r.Delivered, r.Lateness.P99, m.SwarmCPU, m.OtherCPU, ownShot(r), fairness(r))
	return m
}

// build builds package pkg into the binary out.
func build(pkg, out string) error {
	if msg, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, msg)
	}
	return nil
}

func parseNs(s string) ([]int, error) { return parseCounts("-n", s, "a number of bots") }

// parseCounts parses flag name's comma-separated list of positive numbers,
// each what.
func parseCounts(name, s, what string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bench: %s: %q is not %s", name, f, what)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// describeMachine is a line about the machine: cores, CPU model, kernel,
// Go.
func describeMachine() string {
	model := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	goVersion, _ := exec.Command("go", "env", "GOVERSION").Output()
	return fmt.Sprintf("%d cores (%s), Linux %s, %s", numCPU(), model, strings.TrimSpace(string(kernel)), strings.TrimSpace(string(goVersion)))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// commandLine is how this run was started, as a shell would take it: an
// empty argument (-batched-n ”) shows as ”, not as nothing.
func commandLine(args []string) string {
	b := []string{"go run ./bench/run"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		b = append(b, a)
	}
	return strings.Join(b, " ")
}
