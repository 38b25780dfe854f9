// clusterdoc.go — the write-up of the cluster mode (cluster.go):
// cluster.md, a table per number of nodes K, the largest N that held 60 Hz
// for each, and the cost per node across K; and out/cluster.json, the same
// figures for scripts.

package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// clusterResults is everything one cluster-mode run measured.
type clusterResults struct {
	opts              clusterOptions
	started, finished time.Time
	machine           string
	runs              []*clusterMeasurement // K by K, N by N; a failed run has Err
}

func (r *clusterResults) write(dir, outDir string) error {
	if err := os.WriteFile(filepath.Join(dir, "cluster.md"), []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(r.runs, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "cluster.json"), raw, 0o644)
}

// run is the measurement of k nodes and n bots (nil: not run).
func (r *clusterResults) run(k, n int) *clusterMeasurement {
	for _, m := range r.runs {
		if m.K == k && m.N == n {
			return m
		}
	}
	return nil
}

// largestHolding is the largest N at which k nodes held 60 Hz (0: none).
func (r *clusterResults) largestHolding(k int) int {
	best := 0
	for _, m := range r.runs {
		if m.K == k && m.holds() {
			best = max(best, m.N)
		}
	}
	return best
}

func (r *clusterResults) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	o := r.opts
	p("# Skirmish scale-out: players per game node at 60 Hz\n\n")
	p("`%s`, %s, %v in all. ", o.command, r.started.Format("2006-01-02 15:04 MST"), r.finished.Sub(r.started).Round(time.Second))
	if o.quick {
		p("**Quick mode: a smoke test, not the benchmark.** ")
	}
	p("Each run starts a fresh `redis-server` (nothing on disk), K game nodes (`skirmish node --capacity %d`), one `skirmish lobby` "+
		"that places every room of 16 on the least-loaded node, and `skirmish bots` (N fighting bots joining through the lobby at %.0f a second, "+
		"then measured for %v), each its own process on 127.0.0.1; all of them stop before the next run. Figures per node are listed n1 / n2 / ….\n\n", nodeCapacity, o.ramp, o.duration)
	p("**Machine:** %s. **Every process of a run — the nodes, the lobby, Redis and the swarm — shares these cores**, with other engineers' work: "+
		"the *others* column is the CPU the rest of the machine used during each window (from `/proc/stat`). The one-minute load average "+
		"was %s before each run and %s after; it counts this benchmark's own processes too, so *others* is the measure of outside work.\n\n", r.machine, r.loadRange(func(m *clusterMeasurement) float64 { return m.Load1Before }),
		r.loadRange(func(m *clusterMeasurement) float64 { return firstFloat(m.LoadAvgAfter) }))

	p("## Largest N holding 60 Hz\n\n")
	p("Holding 60 Hz: every bot joined, ≥ %.0f%% of the snapshots delivered and p99 lateness ≤ %.0f ms (the rule of `results.md`).\n\n", 100*holdDelivered, holdLateP99)
	p("| nodes (K) | largest N holding 60 Hz | players per node there | node CPU s/s there, per node | µs per client-tick there, per node |\n|---:|---:|---|---|---|\n")
	for _, k := range o.ks {
		n := r.largestHolding(k)
		if n == 0 {
			p("| %d | none of %s | – | – | – |\n", k, joinInts(o.ns))
			continue
		}
		m, most := r.run(k, n), ""
		if n == slices.Max(o.ns) {
			most = " (the most tried)"
		}
		p("| %d | %d%s | %s | %s | %s |\n", k, n, most, perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.0f", f.Players) }),
			perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.2f", f.CPU) }), perNode(m, usPerTick))
	}
	p("\n")

	for _, k := range o.ks {
		p("## %d %s\n\n", k, plural(k, "node", "nodes"))
		p("| N | joined | players per node | delivered | p99 late | node CPU s/s | µs/client-tick | node RSS | lobby CPU s/s | redis CPU s/s | swarm CPU s/s | others CPU s/s | 60 Hz |\n")
		p("|---:|---:|---|---:|---:|---|---|---|---:|---:|---:|---:|:---:|\n")
		for _, n := range o.ns {
			m := r.run(k, n)
			if m == nil || m.Report == nil {
				why := "run failed"
				if m != nil && m.Err != "" {
					why += ": " + strings.ReplaceAll(m.Err, "|", "/")
				}
				p("| %d | %s | | | | | | | | | | | |\n", n, why)
				continue
			}
			rep := m.Report
			p("| %d | %d | %s | %.2f%% | %.1f ms | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %s |\n",
				n, rep.Joined, perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.0f", f.Players) }),
				100*rep.Delivered, rep.Lateness.P99,
				perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.2f", f.CPU) }), perNode(m, usPerTick),
				perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.0f MB", float64(f.RSSMax)/(1<<20)) }),
				m.LobbyCPU, m.RedisCPU, m.SwarmCPU, m.OtherCPU, yesNo(m.holds()))
		}
		p("\n")
	}

	if groups := r.equalLoad(); len(groups) > 0 {
		r.equalLoadTable(&b, groups)
	}
	if len(o.ks) > 1 {
		r.totalTable(&b)
	}

	if notes := r.anomalies(); len(notes) > 0 {
		p("## Anomalies\n\n")
		for _, s := range notes {
			p("- %s\n", s)
		}
		p("\n")
	}

	p("## What this can and cannot show\n\n")
	p("All the processes of a run share the same %d cores: the nodes, the lobby, Redis and the swarm, which itself needs about as much CPU as the game. "+
		"A second or third node adds no core here, so the number of players this machine holds at 60 Hz in total cannot grow with K (the extra "+
		"processes can only make it shrink). What the runs can show is the other half of scaling out: whether the lobby spreads the rooms over the nodes, "+
		"and whether a node's cost per player stays what it is on a single node, so that nodes on machines of their own would each hold what one node "+
		"holds here. ", numCPU())
	if spread, ok := r.spread(); ok {
		p("Spread: with more than one node, the busiest node had on average %.0f%% more players than the least busy one of its run (rooms are placed whole, 16 seats at a time). ", 100*spread)
	}
	p("The lobby and Redis used at most %.2f and %.2f CPU s/s in any window.\n\n", r.most(func(m *clusterMeasurement) float64 { return m.LobbyCPU }),
		r.most(func(m *clusterMeasurement) float64 { return m.RedisCPU }))

	p("## How each figure is measured\n\n")
	p("- **delivered**, **p99 late**: from the swarm's report, over its measurement window, as in `results.md`.\n")
	p("- **players per node**: the `load.players` of each node's `GET /status`, read every second, averaged over the window.\n")
	p("- **node CPU s/s**: user + system time of each node process (`/proc/<pid>/stat`) over the window, per second; **µs/client-tick** divides it by that node's players × 60 " +
		"(ticks due, whether or not their snapshots went out: a run that did not hold 60 Hz reads low).\n")
	p("- **node RSS**: `VmRSS` of each node, the most seen in the window.\n")
	p("- **lobby**, **redis**, **swarm CPU s/s**: the same for the lobby, `redis-server` and `skirmish bots`; **others**: everything else on the machine.\n\n")
	p("Per-run swarm reports (JSON, HTML), each process's log and `cluster.json` (these figures) are written to `bench/out/` and not committed.\n")
	return b.String()
}

// equalLoadTable writes the runs with the same players per node side by
// side.
func (r *clusterResults) equalLoadTable(b *strings.Builder, groups []loadGroup) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("## Cost per node at the same load\n\n")
	p("A node's CPU µs per client-tick falls as its players grow (fixed costs spread, writes batch: see `results.md`), so nodes are compared at the same players per node, N / K. " +
		"Only runs that held 60 Hz compare: in one that did not, the nodes were short of CPU and skipped snapshots, and their µs per client-tick comes out lower for doing less.\n\n")
	p("| players per node | K | N | players per node, measured | µs/client-tick | node CPU s/s | delivered | 60 Hz |\n|---:|---:|---:|---|---|---|---:|:---:|\n")
	for _, g := range groups {
		for _, m := range g.runs {
			p("| %d | %d | %d | %s | %s | %s | %.2f%% | %s |\n", g.perNode, m.K, m.N,
				perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.0f", f.Players) }), perNode(m, usPerTick),
				perNode(m, func(f nodeFigures) string { return fmt.Sprintf("%.2f", f.CPU) }), 100*m.Report.Delivered, yesNo(m.holds()))
		}
	}
	p("\n")

}

// totalTable writes the nodes' CPU together, at each N, for each K: what
// splitting the same players over more processes costs.
func (r *clusterResults) totalTable(b *strings.Builder) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	o := r.opts
	p("## The nodes' CPU together, at the same N\n\n")
	p("The same players over more node processes: the sum of the nodes' CPU s/s (in parentheses: over the first K's).\n\n| N |")
	for _, k := range o.ks {
		p(" K=%d |", k)
	}
	p("\n|---:|%s\n", strings.Repeat("---:|", len(o.ks)))
	for _, n := range o.ns {
		p("| %d |", n)
		base := 0.0
		for i, k := range o.ks {
			m := r.run(k, n)
			if m == nil || m.Report == nil {
				p(" – |")
				continue
			}
			sum := 0.0
			for _, f := range m.Nodes {
				sum += f.CPU
			}
			switch {
			case i == 0:
				base = sum
				p(" %.2f |", sum)
			case base > 0:
				p(" %.2f (%.2f×) |", sum, sum/base)
			default:
				p(" %.2f |", sum)
			}
		}
		p("\n")
	}
	p("\n")
}

// anomalies are what went wrong in the runs beyond missing 60 Hz: failed
// runs, failed or dropped bots, desyncs, a swarm that exited badly, and
// nodes whose players do not add up to the bots playing.
func (r *clusterResults) anomalies() []string {
	var out []string
	for _, m := range r.runs {
		at := fmt.Sprintf("K=%d, N=%d", m.K, m.N)
		if m.Report == nil {
			out = append(out, fmt.Sprintf("%s: the run failed: %s", at, m.Err))
			continue
		}
		rep := m.Report
		if rep.Failed > 0 || rep.Dropped > 0 || rep.Desyncs > 0 {
			out = append(out, fmt.Sprintf("%s: %d joins failed, %d bots dropped, %d desyncs", at, rep.Failed, rep.Dropped, rep.Desyncs))
		}
		if m.SwarmErr != "" {
			out = append(out, fmt.Sprintf("%s: the swarm exited with %s", at, m.SwarmErr))
		}
		if m.Err != "" {
			out = append(out, fmt.Sprintf("%s: %s", at, m.Err))
		}
		if playing := float64(rep.Joined - rep.Dropped); math.Abs(m.nodePlayers()-playing) > 0.02*playing+1 {
			out = append(out, fmt.Sprintf("%s: the nodes reported %.0f players on average, %0.f bots were playing", at, m.nodePlayers(), playing))
		}
	}
	return out
}

// loadRange is the range of f over the runs, "a–b".
func (r *clusterResults) loadRange(f func(*clusterMeasurement) float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range r.runs {
		if v := f(m); v > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return "unknown"
	}
	return fmt.Sprintf("%.2f–%.2f", lo, hi)
}

// most is the largest f over the runs that measured.
func (r *clusterResults) most(f func(*clusterMeasurement) float64) float64 {
	m := 0.0
	for _, run := range r.runs {
		if run.Report != nil {
			m = max(m, f(run))
		}
	}
	return m
}

// loadGroup is the runs with the same players per node, N / K.
type loadGroup struct {
	perNode int
	runs    []*clusterMeasurement // by K
}

// equalLoad groups the runs that measured by N / K (where K divides N),
// leaving out the groups of one run: nothing to compare.
func (r *clusterResults) equalLoad() []loadGroup {
	var groups []loadGroup
	for _, m := range r.runs {
		if m.Report == nil || m.N%m.K != 0 {
			continue
		}
		i := 0
		for i < len(groups) && groups[i].perNode != m.N/m.K {
			i++
		}
		if i == len(groups) {
			groups = append(groups, loadGroup{perNode: m.N / m.K})
		}
		groups[i].runs = append(groups[i].runs, m)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.runs) > 1 {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b loadGroup) int { return cmp.Compare(a.perNode, b.perNode) })
	return out
}

// spread is the mean, over the runs with more than one node, of how many
// more players the busiest node had than the least busy one, as a
// fraction of the least busy one's.
func (r *clusterResults) spread() (float64, bool) {
	sum, n := 0.0, 0
	for _, m := range r.runs {
		if m.Report == nil || len(m.Nodes) < 2 {
			continue
		}
		lo, hi := math.Inf(1), 0.0
		for _, f := range m.Nodes {
			lo, hi = math.Min(lo, f.Players), math.Max(hi, f.Players)
		}
		if lo > 0 {
			sum += hi/lo - 1
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// firstFloat is the first number of s ("1.84 2.00 1.93": 1.84), 0 if none.
func firstFloat(s string) float64 {
	f, _ := strconv.ParseFloat(strings.Fields(s + " 0")[0], 64)
	return f
}

// perNode is f of each node of m, "a / b / c".
func perNode(m *clusterMeasurement, f func(nodeFigures) string) string {
	var parts []string
	for _, n := range m.Nodes {
		parts = append(parts, f(n))
	}
	return strings.Join(parts, " / ")
}

func usPerTick(f nodeFigures) string {
	if f.UsPerTick == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", f.UsPerTick)
}

func joinInts(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, fmt.Sprint(n))
	}
	return strings.Join(s, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
