// soakcheck_test.go — what the soak (soak_test.go) watches and checks: a
// sample a second of every process's metrics and of the store (no player
// in two rooms, no room over capacity, on the nodes too), the settling at
// the end, and the checks: no desync, every early end on a node that
// died, resources back to their start, RSS flat, Redis keys back, and
// nothing in the error logs but the faults injected.

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skirmish/internal/testkit"
)

// soakSample is one second of the soak.
type soakSample struct {
	at      time.Duration
	procs   map[string]procSample // by process: "lobby", "n1"…
	players int                   // connected, summed over the nodes
	rooms   int                   // in the store
	keys    map[string]int        // Redis keys by their first part
}

// procSample is what a process's /metrics said.
type procSample struct {
	goroutines, heap, fds, rss float64
	rooms                      float64 // a node's open rooms, a goroutine each (idle ones close after 30 s)
}

// httpBase is a process's http:// address.
func (p *proc) httpBase() string {
	return strings.TrimSuffix(strings.Replace(p.url, "ws://", "http://", 1), "/ws")
}

var soakHTTP = &http.Client{Timeout: 2 * time.Second}

func scrapeProc(p *proc) (procSample, bool) {
	resp, err := soakHTTP.Get(p.httpBase() + "/metrics")
	if err != nil {
		return procSample{}, false
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return procSample{}, false
	}
	text := string(raw)
	return procSample{
		goroutines: testkit.Value(text, "go_goroutines"),
		heap:       testkit.Value(text, "go_memstats_heap_alloc_bytes"),
		fds:        testkit.Value(text, "process_open_fds"),
		rss:        testkit.Value(text, "process_resident_memory_bytes"),
		rooms:      testkit.Value(text, "skirmish_rooms"),
	}, true
}

// sample takes a soakSample a second until ctx ends.
func (r *soakRun) sample(ctx context.Context, c *cluster) {
	opts, _ := redis.ParseURL(c.redis.URL())
	rc := redis.NewClient(opts)
	defer rc.Close()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		r.mu.Lock()
		gc := r.gc
		r.mu.Unlock()
		if gc {
			r.collect(c)
		}
		s := soakSample{at: time.Since(r.start), procs: map[string]procSample{}}
		r.nodesMu.RLock()
		if ps, ok := scrapeProc(c.lobby); ok {
			s.procs["lobby"] = ps
		}
		for name, p := range c.nodes {
			if p.gone() {
				continue
			}
			if ps, ok := scrapeProc(p); ok {
				s.procs[name] = ps
			}
			if st, err := c.status(name); err == nil {
				s.players += st.Load.Players
				for _, room := range st.Rooms {
					if room.Seats > room.Capacity {
						r.breach("node %s: room %s has %d players in %d seats", name, room.ID, room.Seats, room.Capacity)
					}
				}
			}
		}
		r.nodesMu.RUnlock()
		s.rooms, s.keys = r.checkStore(ctx, rc)
		r.mu.Lock()
		r.samples = append(r.samples, s)
		r.mu.Unlock()
	}
}

// debugFlags gives the process called name a profiler on a free port.
func (r *soakRun) debugFlags(t *testing.T, name string) []string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r.mu.Lock()
	r.debug[name] = addr
	r.mu.Unlock()
	return []string{"--debug-addr", addr}
}

// idle says whether the samples are taken after a collection in every
// process: while nobody plays, at the start and the end.
func (r *soakRun) idle(on bool) {
	r.mu.Lock()
	r.gc = on
	r.mu.Unlock()
}

// collect runs a garbage collection in every live process (its
// profiler's heap profile with gc=1), so that the heap sampled next is
// what is live.
func (r *soakRun) collect(c *cluster) {
	procs := map[string]*proc{"lobby": c.lobby}
	r.nodesMu.RLock()
	for name, p := range c.nodes {
		procs[name] = p
	}
	r.nodesMu.RUnlock()
	for name, p := range procs {
		r.mu.Lock()
		addr := r.debug[name]
		r.mu.Unlock()
		if p.gone() || addr == "" {
			continue
		}
		resp, err := soakHTTP.Get("http://" + addr + "/debug/pprof/heap?gc=1")
		if err != nil {
			r.fail("%s: its profiler (--debug-addr %s): %v", name, addr, err)
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func (r *soakRun) breach(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.breaches, msg) {
		r.breaches = append(r.breaches, fmt.Sprintf("at %v: %s", time.Since(r.start).Round(time.Second), msg))
	}
}

// checkStore reads every room's seats in one transaction: a player held
// (connected, or reserved and not expired) in two rooms, or a room with
// more seats than its capacity, is a breach. It returns the rooms and the
// keys by their first part; -1 rooms when Redis could not be read (it is
// being restarted).
func (r *soakRun) checkStore(ctx context.Context, rc *redis.Client) (int, map[string]int) {
	const p = "skirmish:"
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	rooms, err := rc.SMembers(rctx, p+"rooms").Result()
	if err != nil {
		return -1, nil
	}
	seats := make([]*redis.MapStringStringCmd, len(rooms))
	caps := make([]*redis.StringCmd, len(rooms))
	if _, err := rc.TxPipelined(rctx, func(tx redis.Pipeliner) error {
		for i, id := range rooms {
			seats[i] = tx.HGetAll(rctx, p+"seats:"+id)
			caps[i] = tx.HGet(rctx, p+"room:"+id, "capacity")
		}
		return nil
	}); err != nil && err != redis.Nil {
		return -1, nil
	}
	now := time.Now().UnixMilli()
	holder := map[string]string{}
	for i, id := range rooms {
		held := 0
		for player, until := range seats[i].Val() {
			ms, _ := strconv.ParseInt(until, 10, 64)
			if ms != 0 && ms <= now {
				continue // an expired reservation, not yet swept
			}
			held++
			if other, ok := holder[player]; ok {
				r.breach("player %s holds seats in rooms %s and %s", player, other, id)
			}
			holder[player] = id
		}
		if capacity, err := strconv.Atoi(caps[i].Val()); err == nil && held > capacity {
			r.breach("room %s holds %d seats of %d", id, held, capacity)
		}
	}
	keys := map[string]int{}
	iter := rc.Scan(rctx, 0, p+"*", 1000).Iterator()
	for iter.Next(rctx) {
		kind, _, _ := strings.Cut(strings.TrimPrefix(iter.Val(), p), ":")
		keys[kind]++
	}
	if iter.Err() != nil {
		return -1, nil
	}
	return len(rooms), keys
}

// waitSamples waits for n more samples.
func (r *soakRun) waitSamples(t *testing.T, n int) {
	r.mu.Lock()
	want := len(r.samples) + n
	r.mu.Unlock()
	testkit.WaitUntil(t, time.Duration(n+5)*time.Second, func() (bool, string) {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.samples) >= want, fmt.Sprintf("%d samples", len(r.samples))
	})
}

// settle closes the slow reader and waits until no player is connected
// and the store has no room; it returns how long that took.
func (r *soakRun) settle(t *testing.T, c *cluster) time.Duration {
	r.mu.Lock()
	for _, conn := range r.slow {
		conn.Close()
	}
	r.mu.Unlock()
	http.DefaultClient.CloseIdleConnections() // the players' keep-alive connections to the lobby
	from := time.Now()
	testkit.WaitUntil(t, soakSettle, func() (bool, string) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.samples) == 0 {
			return false, "no samples"
		}
		s := r.samples[len(r.samples)-1]
		return s.at > from.Sub(r.start) && s.players == 0 && s.rooms == 0, fmt.Sprintf("%d players, %d rooms", s.players, s.rooms)
	})
	return time.Since(from)
}

// The leak margins: a process's idle figures at the end may exceed its
// first by this much.
const (
	goroutineMargin = 3       // besides a goroutine for each idle room
	fdMargin        = 4       // besides the Redis client's pool
	heapMargin      = 4 << 20 // bytes live after a collection, or half the start, whichever is more
	rssGrowth       = 0.25    // the last quarter's mean RSS over the third's
)

// The Redis key kinds that hold seats, rooms, queues and parties: none
// may be left once everyone has gone.
var seatKeys = []string{"room", "seats", "ratings", "seat", "rooms", "expiries", "entry", "queued", "queue", "code", "party", "partycode", "partyof"}

// explained lists what the lobby's and the nodes' warnings and errors may
// say, each only within a while after the fault that causes it: a line
// matching pattern is explained by a fault whose description contains
// fault, injected at most within before the line was written.
var explained = []struct {
	pattern *regexp.Regexp
	fault   string
	within  time.Duration
}{
	{regexp.MustCompile(`msg="server: input flood"`), "input flood", 15 * time.Second},
	{regexp.MustCompile(`msg="lobby: game nodes stopped beating[^"]*"`), "kill -9", 30 * time.Second},
	{regexp.MustCompile(`msg="(server: drain deadline: shutting down the rooms still playing|node: drain cut short[^"]*)"`), "SIGTERM", 30 * time.Second},
	// Redis restarting: refused, cut or still loading its file.
	{regexp.MustCompile(`err="lobby: redis [^"]*(LOADING|connection refused|EOF|connection reset|broken pipe|i/o timeout)`), "Redis restarted", 20 * time.Second},
}

func (r *soakRun) check(t *testing.T, c *cluster, settled time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.errs {
		t.Error(e)
	}
	for _, b := range r.breaches {
		t.Error(b)
	}
	desyncs, requeued, cut := 0, 0, 0
	for _, s := range r.sessions {
		desyncs += s.s.Stats.Desyncs
		if s.s.Requeues() > 0 {
			requeued++
		}
		for i, why := range s.s.Ends {
			if !r.dead[s.s.Games[i].WSURL] {
				cut++
				t.Errorf("player %d: a game on %s, a node that did not die, ended early: %s", s.player, c.nodeOfURL(s.s.Games[i].WSURL), why)
			}
		}
	}
	for _, s := range r.sessions {
		for i, d := range s.s.Regained {
			if d > 10*time.Second {
				t.Logf("soak: player %d took %v to play again after %q; refused on the way: %q", s.player, d.Round(time.Millisecond), s.s.Ends[i], s.s.Refused)
			}
		}
	}
	if desyncs != 0 {
		t.Errorf("%d desyncs; want none", desyncs)
	}
	if len(r.sessions) < soakPlayers {
		t.Errorf("%d sessions played; want at least %d", len(r.sessions), soakPlayers)
	}
	// A party lands in one room: each member's first game is in one of
	// its leader's (the leader's first may have been on a node that died
	// before the member connected; both queue again, together).
	perNode, leaderRooms := map[string]int{}, map[string][]string{}
	parties, private := 0, 0
	for _, s := range r.sessions {
		for _, g := range s.s.Games {
			perNode[c.nodeOfURL(g.WSURL)]++
			if s.party != "" && !s.led {
				leaderRooms[s.party] = append(leaderRooms[s.party], g.Room)
			}
		}
		if s.private {
			private++
		}
		if s.party != "" {
			parties++
		}
	}
	for _, s := range r.sessions {
		if s.led && len(s.s.Games) > 0 && !slices.Contains(leaderRooms[s.party], s.s.Games[0].Room) {
			t.Errorf("party %s: a member's first game was in room %s, its leader's in %v; want one room", s.party, s.s.Games[0].Room, leaderRooms[s.party])
		}
	}
	t.Logf("soak: games by node: %v", perNode)
	t.Logf("soak: %d sessions (%d in %d parties, %d in private rooms), %d re-queued, %d faults, settled in %v",
		len(r.sessions), parties, len(leaderRooms), private, requeued, len(r.faults), settled.Round(time.Second))

	first, _ := r.firstLast()
	end := r.samples[len(r.samples)-1]
	for name, ps := range end.procs {
		f := first[name]
		if ps.goroutines-ps.rooms > f.goroutines-f.rooms+goroutineMargin {
			t.Errorf("%s: %v goroutines at the end, %v of them idle rooms; %v at its start", name, ps.goroutines, ps.rooms, f.goroutines)
		}
		// The Redis client's pool keeps the connections it opened under
		// load (at most 10 a CPU): those are not a leak.
		peers := c.peersOf(name)
		if ps.fds-float64(peers[c.redis.Addr]) > f.fds+fdMargin {
			t.Errorf("%s: %v open files at the end, %d of them Redis's pool; %v at its start; its TCP connections, by peer: %v",
				name, ps.fds, peers[c.redis.Addr], f.fds, peers)
		}
		if ps.heap > f.heap+max(f.heap/2, heapMargin) {
			t.Errorf("%s: heap in use %.1f MB at the end; %.1f MB at its start", name, ps.heap/1e6, f.heap/1e6)
		}
		if third, fourth := r.meanRSS(name, 0.5, 0.75), r.meanRSS(name, 0.75, 1); third > 0 && fourth > third*(1+rssGrowth) {
			t.Errorf("%s: RSS grew from %.1f MB to %.1f MB over the last half", name, third/1e6, fourth/1e6)
		}
	}
	for _, kind := range seatKeys {
		if n := end.keys[kind]; n > 0 {
			t.Errorf("Redis: %d %s: keys left after everyone went", n, kind)
		}
	}
	for name, p := range c.nodes {
		r.checkLog(t, name, p.log.String())
	}
	r.checkLog(t, "lobby", c.lobby.log.String())
}

// firstLast returns each process's first and last samples. The caller
// holds r.mu.
func (r *soakRun) firstLast() (first, last map[string]procSample) {
	first, last = map[string]procSample{}, map[string]procSample{}
	for _, s := range r.samples {
		for name, ps := range s.procs {
			if _, ok := first[name]; !ok {
				first[name] = ps
			}
			last[name] = ps
		}
	}
	return first, last
}

// meanRSS is the mean RSS of name over the run's fractions from..to.
func (r *soakRun) meanRSS(name string, from, to float64) float64 {
	var sum float64
	n := 0
	for _, s := range r.samples {
		f := float64(s.at) / float64(r.length)
		if ps, ok := s.procs[name]; ok && f >= from && f < to {
			sum += ps.rss
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// checkLog fails on every warning or error that no injected fault
// explains (explained). The caller holds r.mu.
func (r *soakRun) checkLog(t *testing.T, name, log string) {
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, "level=WARN") && !strings.Contains(line, "level=ERROR") {
			continue
		}
		stamp, _, _ := strings.Cut(strings.TrimPrefix(line, "time="), " ")
		at, err := time.Parse(time.RFC3339Nano, stamp)
		if err != nil || !r.explains(line, at) {
			t.Errorf("%s logged what no fault explains: %s", name, line)
		}
	}
}

// explains reports whether a fault injected shortly before at explains
// the log line.
func (r *soakRun) explains(line string, at time.Time) bool {
	for _, e := range explained {
		if !e.pattern.MatchString(line) {
			continue
		}
		for _, f := range r.faults {
			if strings.Contains(f.what, e.fault) && !at.Before(f.wall.Add(-time.Second)) && at.Sub(f.wall) <= e.within {
				return true
			}
		}
	}
	return false
}

// peersOf counts the established TCP connections of a process by the
// address at their other end (ss -tnp), to say what a leak of open files
// holds.
func (c *cluster) peersOf(name string) map[string]int {
	p := c.lobby
	if name != "lobby" {
		p = c.nodes[name]
	}
	out, err := exec.Command("ss", "-Htnp", "state", "established").Output()
	if err != nil {
		return map[string]int{"ss failed: " + err.Error(): 0}
	}
	peers := map[string]int{}
	tag := fmt.Sprintf("pid=%d,", p.cmd.Process.Pid)
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && strings.Contains(line, tag) {
			peers[f[3]]++
		}
	}
	return peers
}
