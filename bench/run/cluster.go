// cluster.go — the cluster mode (-cluster): for each number of game nodes
// K and each N, a fresh redis-server, K `skirmish node`s, one `skirmish
// lobby` that places rooms on them, and the swarm, each its own process on
// 127.0.0.1. Every process's CPU and memory is sampled (proc.go) and each
// node's /status polled for its players; the window is cut out of both as
// measure.go does for the normal mode. clusterdoc.go writes cluster.md.

package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"skirmish/bots"
)

// The cluster mode's defaults, its quick ones, and how its processes run.
const (
	defaultClusterNodes    = "1,2,3"
	defaultClusterNs       = "250,500,750"
	defaultClusterDuration = 15 * time.Second
	quickClusterNodes      = "1,2"
	quickClusterNs         = "100"
	quickClusterDuration   = 5 * time.Second

	// nodeCapacity is the players each node takes: more than any run
	// puts on one, so that placement alone spreads them.
	nodeCapacity = 2000
	// nodeDrainTimeout bounds a node's drain on SIGTERM; by then the
	// swarm has left, and empty rooms end at once.
	nodeDrainTimeout = 5 * time.Second
	// statusEvery is how often each node's /status is read during a run;
	// statusTimeout bounds one read.
	statusEvery   = time.Second
	statusTimeout = 2 * time.Second
	// redisAttempts: another process may take the free port between
	// choosing it and redis-server binding it.
	redisAttempts = 3
)

var (
	// nodeReady is the line `skirmish node` prints once it is registered
	// and listening; its group is the node's address.
	nodeReady = regexp.MustCompile(`players connect at ws://(127\.0\.0\.1:[0-9]+)/ws `)
	// redisReady is the line redis-server logs once it takes clients.
	redisReady = regexp.MustCompile(`Ready to accept connections`)
)

// clusterOptions are the cluster mode's flags.
type clusterOptions struct {
	dir              string // where cluster.md goes; per-run files go to its out/
	ks, ns           []int  // numbers of nodes, numbers of bots
	duration, settle time.Duration
	ramp             float64
	quick            bool
	command          string
}

// clusterSpec is one run: k nodes, n bots.
type clusterSpec struct {
	k, n     int
	duration time.Duration
	ramp     float64
}

// nodeFigures is what one node did over the swarm's measurement window.
type nodeFigures struct {
	Name      string
	Players   float64 // connected players, the mean of its /status readings
	Rooms     float64 // open rooms, the same way
	CPU       float64 // CPU seconds per second
	UsPerTick float64 // CPU µs per client-tick: CPU / (Players × tick rate)
	RSSMax    int64   // bytes, the most in the window
}

// clusterMeasurement is what one cluster run found. CPU figures are over
// the swarm's measurement window.
type clusterMeasurement struct {
	K, N         int
	Report       *bots.Report `json:"-"` // in JSON
	Nodes        []nodeFigures
	LobbyCPU     float64 // CPU seconds per second
	RedisCPU     float64
	SwarmCPU     float64
	OtherCPU     float64 // the rest of the machine: the noise
	SwarmErr     string  // the swarm's exit, when not clean
	Err          string  // what went wrong, when the run failed
	JSON, HTML   string  // the swarm's report files
	Load1Before  float64
	LoadAvgAfter string
}

// holds reports whether the cluster held 60 Hz for every bot.
func (m *clusterMeasurement) holds() bool { return m != nil && holds60(m.Report, m.N) }

// nodePlayers is the players on all nodes together.
func (m *clusterMeasurement) nodePlayers() float64 {
	sum := 0.0
	for _, n := range m.Nodes {
		sum += n.Players
	}
	return sum
}

// runCluster is the cluster mode: every K and N in turn, then cluster.md.
func runCluster(opts clusterOptions) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		fail(fmt.Errorf("-cluster: redis-server not found in PATH (apt-get install redis-server)"))
	}
	b := &bench{outDir: filepath.Join(opts.dir, "out")}
	if err := os.MkdirAll(filepath.Join(b.outDir, "bin"), 0o755); err != nil {
		fail(err)
	}
	b.skirmish = filepath.Join(b.outDir, "bin", "skirmish")
	if err := build("./cmd/skirmish", b.skirmish); err != nil {
		fail(err)
	}
	res := &clusterResults{opts: opts, started: time.Now(), machine: describeMachine()}
	for _, k := range opts.ks {
		for _, n := range opts.ns {
			res.runs = append(res.runs, b.runCluster(clusterSpec{k: k, n: n, duration: opts.duration, ramp: opts.ramp}, opts.settle))
		}
	}
	res.finished = time.Now()
	if err := res.write(opts.dir, b.outDir); err != nil {
		fail(err)
	}
	fmt.Printf("bench: wrote %s\n", filepath.Join(opts.dir, "cluster.md"))
}

// runCluster measures one cluster spec after settling, and says how it
// went. A run that failed still has its K, N and Err.
func (b *bench) runCluster(spec clusterSpec, settle time.Duration) *clusterMeasurement {
	time.Sleep(settle)
	fmt.Fprintf(os.Stderr, "bench: cluster of %d nodes, %d bots, %v...", spec.k, spec.n, spec.duration)
	m, err := b.measureCluster(spec)
	if m == nil {
		m = &clusterMeasurement{K: spec.k, N: spec.n}
	}
	if err != nil {
		m.Err = err.Error()
		fmt.Fprintf(os.Stderr, " failed: %v\n", err)
		if m.Report == nil {
			return m
		}
	}
	r := m.Report
	var per []string
	for _, n := range m.Nodes {
		per = append(per, fmt.Sprintf("%s %.0f players %.2f CPU s/s %.1f µs/client-tick", n.Name, n.Players, n.CPU, n.UsPerTick))
	}
	fmt.Fprintf(os.Stderr, " delivered %.2f%%, p99 late %.1f ms; %s; lobby %.2f, redis %.2f, swarm %.2f, others %.2f CPU s/s\n",
		100*r.Delivered, r.Lateness.P99, strings.Join(per, ", "), m.LobbyCPU, m.RedisCPU, m.SwarmCPU, m.OtherCPU)
	return m
}

// measureCluster runs one cluster and one swarm, and stops them all
// (the lobby and the nodes at once, then Redis) before it returns, failed
// or not.
func (b *bench) measureCluster(spec clusterSpec) (*clusterMeasurement, error) {
	m := &clusterMeasurement{K: spec.k, N: spec.n, Load1Before: load1()}
	name := fmt.Sprintf("cluster-k%d-n%d", spec.k, spec.n)
	file := func(suffix string) string { return filepath.Join(b.outDir, name+suffix) }
	m.JSON, m.HTML = file(".json"), file(".html")

	var procs []*exec.Cmd      // started so far: the lobby, then the nodes
	redisDir := file(".redis") // its working directory: it writes nothing there
	if err := os.MkdirAll(redisDir, 0o755); err != nil {
		return m, err
	}
	defer os.RemoveAll(redisDir)
	redis, redisURL, err := startRedis(redisDir, file(".redis.log"))
	if err != nil {
		return m, err
	}
	defer func() {
		stopAll(procs)
		stopProcess(redis)
	}()

	// The lobby first: it publishes the ticket key the nodes read.
	lobby, lobbyURL, err := startServer(b.skirmish, []string{"lobby", "--addr", "127.0.0.1:0", "--redis", redisURL,
		"--log-level", "warn"}, file(".lobby.log"))
	if err != nil {
		return m, fmt.Errorf("lobby: %w", err)
	}
	procs = append(procs, lobby)
	var nodeURLs []string
	var nodePids []int
	for i := 1; i <= spec.k; i++ {
		node := fmt.Sprintf("n%d", i)
		cmd, addr, err := startProcess(b.skirmish, []string{"node", "--addr", "127.0.0.1:0", "--redis", redisURL,
			"--name", node, "--capacity", strconv.Itoa(nodeCapacity), "--drain-timeout", nodeDrainTimeout.String(),
			"--log-level", "warn"}, file(".node-"+node+".log"), nodeReady)
		if err != nil {
			return m, fmt.Errorf("node %s: %w", node, err)
		}
		procs = append(procs, cmd)
		nodeURLs = append(nodeURLs, "http://"+addr)
		nodePids = append(nodePids, cmd.Process.Pid)
		m.Nodes = append(m.Nodes, nodeFigures{Name: node})
	}
	time.Sleep(time.Second) // let them settle, as the normal mode does

	logf, err := os.Create(file(".swarm.log"))
	if err != nil {
		return m, err
	}
	defer logf.Close()
	swarm, cancel, err := b.startSwarm(swarmRun{url: lobbyURL, n: spec.n, duration: spec.duration, ramp: spec.ramp,
		json: m.JSON, html: m.HTML, log: logf})
	if err != nil {
		return m, err
	}
	defer cancel()
	// Sampled in this order: the nodes, the lobby, Redis, the swarm.
	pids := append(nodePids, lobby.Process.Pid, redis.Process.Pid, swarm.Process.Pid)
	iLobby, iRedis, iSwarm := spec.k, spec.k+1, spec.k+2
	stop, samples, statuses := make(chan struct{}), make(chan []sample, 1), make(chan []statusSample, 1)
	go sampler(pids, stop, samples)
	go pollStatus(nodeURLs, stop, statuses)
	if err := swarm.Wait(); err != nil {
		m.SwarmErr = err.Error()
	}
	close(stop)
	ss, sts := <-samples, <-statuses
	m.LoadAvgAfter = loadavg()

	r, from, to, err := readSwarmReport(m.JSON, name, m.SwarmErr)
	if r == nil {
		return m, err
	}
	m.Report = r
	if err != nil {
		return m, err
	}
	m.LobbyCPU = perSecond(ss, from, to, cpuOf(iLobby))
	m.RedisCPU = perSecond(ss, from, to, cpuOf(iRedis))
	m.SwarmCPU = perSecond(ss, from, to, cpuOf(iSwarm))
	all := m.LobbyCPU + m.RedisCPU + m.SwarmCPU
	players, rooms, seen := meanStatus(sts, from, to, spec.k)
	for i := range m.Nodes {
		n := &m.Nodes[i]
		n.CPU = perSecond(ss, from, to, cpuOf(i))
		n.RSSMax = int64(maxIn(ss, from, to, rssOf(i)))
		n.Players, n.Rooms = players[i], rooms[i]
		if n.Players > 0 {
			n.UsPerTick = n.CPU / (n.Players * float64(r.TickRate)) * 1e6
		}
		all += n.CPU
	}
	// As in the normal mode: the clocks tick apart, so near zero the
	// difference may come out a little below it.
	m.OtherCPU = max(0, perSecond(ss, from, to, busyOf)-all)
	if !seen {
		return m, fmt.Errorf("%s: no node's /status could be read in the window", name)
	}
	return m, nil
}

// startRedis starts a redis-server on a free loopback port with its
// directory in dir, keeping nothing on disk, and returns it and its URL.
func startRedis(dir, logFile string) (*exec.Cmd, string, error) {
	var errs []string
	for range redisAttempts {
		port, err := freePort()
		if err != nil {
			return nil, "", err
		}
		p := strconv.Itoa(port)
		cmd, _, err := startProcess("redis-server", []string{"--port", p, "--bind", "127.0.0.1", "--dir", dir,
			"--save", "", "--appendonly", "no", "--logfile", ""}, logFile, redisReady)
		if err == nil {
			return cmd, "redis://127.0.0.1:" + p + "/0", nil
		}
		errs = append(errs, err.Error())
	}
	return nil, "", fmt.Errorf("redis-server: %s", strings.Join(errs, "; "))
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// stopAll stops the processes at once, each as stopProcess does, and
// returns when all have.
func stopAll(cmds []*exec.Cmd) {
	var wg sync.WaitGroup
	for _, c := range cmds {
		wg.Go(func() { stopProcess(c) })
	}
	wg.Wait()
}

// statusSample is one reading of every node's /status: players and rooms
// by node, -1 where the node did not answer.
type statusSample struct {
	at             time.Time
	players, rooms []int
}

// pollStatus reads each node's /status every statusEvery until stop is
// closed, then sends what it read.
func pollStatus(urls []string, stop <-chan struct{}, out chan<- []statusSample) {
	client := &http.Client{Timeout: statusTimeout}
	var got []statusSample
	t := time.NewTicker(statusEvery)
	defer t.Stop()
	for {
		s := statusSample{at: time.Now(), players: make([]int, len(urls)), rooms: make([]int, len(urls))}
		for i, u := range urls {
			s.players[i], s.rooms[i] = -1, -1
			var st struct {
				Load struct {
					Rooms   int `json:"rooms"`
					Players int `json:"players"`
				} `json:"load"`
			}
			resp, err := client.Get(u + "/status")
			if err != nil {
				continue
			}
			err = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK {
				s.players[i], s.rooms[i] = st.Load.Players, st.Load.Rooms
			}
		}
		got = append(got, s)
		select {
		case <-stop:
			out <- got
			return
		case <-t.C:
		}
	}
}

// meanStatus is each of k nodes' mean players and rooms over the readings
// within [from, to] (0 for a node never read there); seen says whether
// any node was.
func meanStatus(ss []statusSample, from, to time.Time, k int) (players, rooms []float64, seen bool) {
	players, rooms = make([]float64, k), make([]float64, k)
	count := make([]int, k)
	for _, s := range ss {
		if s.at.Before(from) || s.at.After(to) {
			continue
		}
		for i := range k {
			if s.players[i] >= 0 {
				players[i] += float64(s.players[i])
				rooms[i] += float64(s.rooms[i])
				count[i]++
			}
		}
	}
	for i := range k {
		if count[i] > 0 {
			players[i] /= float64(count[i])
			rooms[i] /= float64(count[i])
			seen = true
		}
	}
	return players, rooms, seen
}
