// soakfaults_test.go — the soak's fault schedule (soak_test.go): at set
// fractions of each cycle of the run, a burst of forged tickets, a hostile
// client that floods inputs, a slow reader, kill -9 of a node, a Redis
// restart, and a node drained with SIGTERM; a new node replaces each. Each is logged with
// when it happened, for the report and for the error logs' check.

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"

	"skirmish/bots"
	pb "skirmish/proto"
)

// soakFault is one fault injected.
type soakFault struct {
	at   time.Duration // since the start
	wall time.Time     // when it was done: the logs' clock
	what string
}

// hostileAddr is the address the hostile clients claim through the
// nodes' trusted proxy (127.0.0.1): their refusals are counted against it.
const hostileAddr = "203.0.113.66"

// injected runs fault and logs it with when it began.
func (r *soakRun) injected(fault func() string) {
	wall := time.Now()
	what := fault()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults = append(r.faults, soakFault{at: wall.Sub(r.start), wall: wall, what: what})
}

// soakCycle is how long one round of the fault schedule takes at most: a
// longer soak repeats it.
const soakCycle = 2 * time.Minute

// inject runs the schedule until ctx ends: once in a short soak, once a
// soakCycle in a long one. Each node killed or drained is replaced by a
// new one (n4, n5…), so that three take players between the faults.
func (r *soakRun) inject(ctx context.Context, t *testing.T, c *cluster, nodeFlags func(name string) []string) {
	next := 4
	replace := func() string {
		name := fmt.Sprintf("n%d", next)
		next++
		r.nodesMu.Lock()
		defer r.nodesMu.Unlock()
		c.startNode(name, nodeFlags(name)...)
		return name
	}
	schedule := []struct {
		at    float64
		fault func() string
	}{
		{0.10, func() string { name, _ := r.busiest(c); return r.forgedBurst(c, name) }},
		{0.15, func() string { return r.flood(ctx, c) }},
		{0.20, func() string { return r.slowReader(ctx, c) }},
		{0.30, func() string {
			victim, players := r.busiest(c)
			if err := r.markDead(c, victim, "killed").Kill(); err != nil {
				return "kill -9 " + victim + " failed: " + err.Error()
			}
			return fmt.Sprintf("kill -9 node %s (the busiest: %d players), node %s started", victim, players, replace())
		}},
		{0.45, func() string { c.redis.Restart(t); return "Redis restarted (kill -9, then up on its append-only file)" }},
		{0.60, func() string {
			victim, players := r.busiest(c)
			if err := r.markDead(c, victim, "drained").Signal(syscall.SIGTERM); err != nil {
				return "SIGTERM " + victim + " failed: " + err.Error()
			}
			return fmt.Sprintf("SIGTERM (drain) node %s (the busiest: %d players), node %s started", victim, players, replace())
		}},
	}
	cycles := max(1, int((r.length+soakCycle-1)/soakCycle))
	cycle := r.length / time.Duration(cycles)
	for i := range cycles {
		for _, f := range schedule {
			at := r.start.Add(time.Duration(i)*cycle + time.Duration(f.at*float64(cycle)))
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(at)):
			}
			r.injected(f.fault)
		}
	}
}

// busiest names the live node with the most players, and their number.
func (r *soakRun) busiest(c *cluster) (string, int) {
	r.nodesMu.RLock()
	defer r.nodesMu.RUnlock()
	best, most := "", -1
	for name, p := range c.nodes {
		if p.gone() {
			continue
		}
		if st, err := c.status(name); err == nil && !st.Draining && st.Load.Players > most {
			best, most = name, st.Load.Players
		}
	}
	return best, most
}

// markDead records that the node called name goes away now, and how,
// and returns its process.
func (r *soakRun) markDead(c *cluster, name, how string) *os.Process {
	r.nodesMu.RLock()
	p := c.nodes[name]
	r.nodesMu.RUnlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dead[p.url] = true
	r.gone[name] = fmt.Sprintf("%s at %v", how, time.Since(r.start).Round(time.Second))
	return p.cmd.Process
}

// forgedBurst sends 200 handshakes at once with forged tickets, from the
// hostile address: every one must be refused (401, or 429 past the
// handshake cap), none upgraded.
func (r *soakRun) forgedBurst(c *cluster, node string) string {
	const n = 200
	base := c.nodes[node].url
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := http.Header{}
			h.Set("X-Forwarded-For", hostileAddr)
			forged := fmt.Sprintf("forged%04d.%s", i, strings.Repeat("A", 86))
			conn, resp, err := gws.NewClient(new(gws.BuiltinEventHandler), &gws.ClientOption{Addr: base + "?ticket=" + url.QueryEscape(forged), RequestHeader: h})
			status := 0
			if err == nil {
				conn.NetConn().Close()
				status = http.StatusSwitchingProtocols
			} else if resp != nil {
				resp.Body.Close()
				status = resp.StatusCode
			}
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusSwitchingProtocols] > 0 || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != n {
		r.fail("forged tickets: answered %v; want every one 401 or 429", statuses)
	}
	return fmt.Sprintf("%d forged tickets at once on %s: %d × 401, %d × 429", n, node, statuses[http.StatusUnauthorized], statuses[http.StatusTooManyRequests])
}

// flood seats a player and sends inputs as fast as the socket takes
// them: the node must close it for flooding.
func (r *soakRun) flood(ctx context.Context, c *cluster) string {
	jctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	b, err := bots.Join(jctx, bots.Options{BaseURL: c.lobby.url, Name: "flooder", Behavior: bots.Idle})
	cancel()
	if err != nil {
		r.fail("flood: %v", err)
		return "flood: could not join: " + err.Error()
	}
	defer b.Close()
	var in pb.InputMsg
	sent := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && b.Send(in) == nil; sent++ {
		in.Seq++
	}
	select {
	case <-b.Done():
	case <-time.After(5 * time.Second):
		r.fail("flood: the node did not close a client that sent %d inputs in a burst", sent)
	}
	why := "closed"
	if k := b.Kick(); k != nil {
		why = "kicked: " + k.GetMessage()
	}
	return fmt.Sprintf("input flood: a client sent %d inputs as fast as it could (%s)", sent, why)
}

// slowReader seats a player whose connection reads nothing and sends
// nothing: the node must drop it, not wait on it.
func (r *soakRun) slowReader(ctx context.Context, c *cluster) string {
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	a, err := bots.RequestPlay(lctx, http.DefaultClient, c.lobby.url, "slow")
	if err != nil {
		r.fail("slow reader: %v", err)
		return "slow reader: no seat: " + err.Error()
	}
	conn, _, err := gws.NewClient(new(gws.BuiltinEventHandler), &gws.ClientOption{Addr: a.DialURL()})
	if err != nil {
		r.fail("slow reader: dial: %v", err)
		return "slow reader: dial failed: " + err.Error()
	}
	r.mu.Lock()
	r.slow = append(r.slow, conn.NetConn()) // it never reads (no ReadLoop) nor writes: the node's silence timeout must end it
	r.mu.Unlock()
	return "slow reader: a seated client that neither reads nor writes"
}
