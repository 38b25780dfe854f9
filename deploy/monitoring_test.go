// monitoring_test.go — monitoring/ for real: promtool checks alerts.yaml
// and runs its tests (alerts_test.yaml); then Debian's prometheus, on a
// free loopback port, scrapes a real `skirmish serve` with fighting bots
// every second and evaluates the alerts; its queries over the scraped
// series must say what the operator's console says (players, rooms, an
// operator's kick, bytes out), every rule must evaluate cleanly, and every
// query of grafana-dashboard.json must run. Without prometheus the test
// skips, or fails when CI=true.

package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/console"
	"skirmish/internal/testkit"
)

const (
	monitoringDir = "monitoring"
	promInstall   = "apt-get install -y prometheus"
	adminToken    = "monitoring-test-token"
	fightingBots  = 6
)

// promTool returns the path of a Prometheus program; without it the test
// skips, or fails when CI=true.
func promTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not found in PATH: install it with '%s' (make deps does, as root)", name, promInstall)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

func TestAlertRules(t *testing.T) {
	promtool := promTool(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "alerts.yaml"},
		{"test", "rules", "alerts_test.yaml"},
		{"check", "config", "prometheus.yaml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = monitoringDir
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "SUCCESS") {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestPrometheusScrapesServe(t *testing.T) {
	prometheus := promTool(t, "prometheus")
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	serve := startServe(t)
	for i := range fightingBots {
		b, err := bots.Join(ctx, bots.Options{BaseURL: serve, Name: fmt.Sprintf("bot%d", i), Behavior: bots.Fight(), Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		go b.Run(ctx)
		defer b.Close()
	}
	prom := startPrometheus(t, prometheus, strings.TrimPrefix(serve, "http://"))

	// The console and Prometheus agree on players and rooms.
	var st console.State
	testkit.WaitUntil(t, 20*time.Second, func() (bool, string) {
		st = consoleState(t, serve)
		players, rooms := promValue(t, prom, `sum(skirmish_players_connected{job="skirmish"})`), promValue(t, prom, `skirmish_rooms{job="skirmish"}`)
		return st.Totals.Players == fightingBots && players == fightingBots && rooms == float64(len(st.Rooms)),
			fmt.Sprintf("console: %d players in %d rooms; prometheus: %v players in %v rooms", st.Totals.Players, len(st.Rooms), players, rooms)
	})

	// An operator's kick, counted in both.
	victim := st.Players[0]
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, serve+"/console/api/players/"+strconv.FormatUint(victim.ID, 10)+"/kick", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("kick: %s", resp.Status)
	}
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		st = consoleState(t, serve)
		kicks := promValue(t, prom, `skirmish_disconnects_total{job="skirmish",reason="operator"}`)
		players := promValue(t, prom, `sum(skirmish_players_connected{job="skirmish"})`)
		return st.Disconnects["operator"] == 1 && kicks == 1 && players == fightingBots-1 && st.Totals.Players == fightingBots-1,
			fmt.Sprintf("console: %v operator kicks, %d players; prometheus: %v, %v", st.Disconnects["operator"], st.Totals.Players, kicks, players)
	})

	// Bytes out: the console's last second against Prometheus' rate
	// between its last two scrapes, a second apart, within a factor of two
	// (fights vary from one second to the next).
	st = consoleState(t, serve)
	rate := promValue(t, prom, `irate(skirmish_bytes_out_total{job="skirmish"}[5s])`)
	t.Logf("bytes out: console %d B/s, prometheus rate %.0f B/s", st.Totals.BytesOut, rate)
	if c := float64(st.Totals.BytesOut); c == 0 || rate < c/2 || rate > c*2 {
		t.Errorf("bytes out: console %v B/s, prometheus %v B/s; want them within a factor of two", c, rate)
	}

	// Every rule loaded and evaluates cleanly over the real series.
	raw, err := os.ReadFile(filepath.Join(monitoringDir, "alerts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Count(string(raw), "- alert: ")
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		rules := promRules(t, prom)
		bad := 0
		for _, r := range rules {
			if r.Health != "ok" {
				bad++
			}
		}
		return len(rules) == want && bad == 0, fmt.Sprintf("%d rules, %d not ok, want %d ok: %+v", len(rules), bad, want, rules)
	})

	// Every dashboard query runs; those over serve's own series have data.
	for _, q := range dashboardQueries(t) {
		res := promQuery(t, prom, q)
		if strings.Contains(q, "players_connected") || strings.Contains(q, "tick_duration") || strings.Contains(q, "bytes_out") {
			if len(res) == 0 {
				t.Errorf("dashboard query %s: no series", q)
			}
		}
	}
}

// startServe runs `skirmish serve` on a free loopback port with the
// console's token until the test ends, and returns its base URL.
func startServe(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(adminToken), 0o600); err != nil {
		t.Fatal(err)
	}
	return testkit.Run(t, testkit.Build(t), regexp.MustCompile(`Operator console: (http://\S+)/console`),
		"serve", "--addr", "127.0.0.1:0", "--web", dir, "--log-level", "warn", "--admin-token-file", tokenFile)
}

// startPrometheus runs prometheus on a free loopback port, scraping
// target (host:port) as job "skirmish" every second and evaluating
// alerts.yaml every second, until the test ends; it returns its base URL
// once it is ready.
func startPrometheus(t *testing.T, bin, target string) string {
	t.Helper()
	dir := t.TempDir()
	rules, err := filepath.Abs(filepath.Join(monitoringDir, "alerts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: skirmish
    static_configs:
      - targets: [%q]
`, rules, target)
	cfgFile := filepath.Join(dir, "prometheus.yaml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logFile, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+cfgFile, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); logFile.Close() })
	base := "http://" + addr
	testkit.WaitUntil(t, 15*time.Second, func() (bool, string) {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		log, _ := os.ReadFile(logFile.Name())
		return resp.StatusCode == http.StatusOK, resp.Status + "\n" + string(log)
	})
	return base
}

func consoleState(t *testing.T, base string) console.State {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/console/api/state", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	var st console.State
	getJSON(t, req, &st)
	return st
}

// promSample is one series of a query's instant vector.
type promSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"` // time, "value"
}

// promQuery runs an instant query and returns its series.
func promQuery(t *testing.T, base, q string) []promSample {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/query?query="+url.QueryEscape(q), nil)
	var out struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string       `json:"resultType"`
			Result     []promSample `json:"result"`
		} `json:"data"`
	}
	getJSON(t, req, &out)
	if out.Status != "success" {
		t.Fatalf("prometheus query %s: %s", q, out.Error)
	}
	return out.Data.Result
}

// promValue is the value of a query that gives one series; NaN-free -1
// when it gives none.
func promValue(t *testing.T, base, q string) float64 {
	t.Helper()
	res := promQuery(t, base, q)
	if len(res) != 1 {
		return -1
	}
	s, _ := res[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("prometheus query %s: value %q", q, s)
	}
	return v
}

type promRule struct {
	Name      string `json:"name"`
	Health    string `json:"health"`
	LastError string `json:"lastError"`
}

// promRules lists the rules prometheus loaded, with their health.
func promRules(t *testing.T, base string) []promRule {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/rules", nil)
	var out struct {
		Data struct {
			Groups []struct {
				Rules []promRule `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	getJSON(t, req, &out)
	var rules []promRule
	for _, g := range out.Data.Groups {
		rules = append(rules, g.Rules...)
	}
	return rules
}

// dashboardQueries are the PromQL queries of grafana-dashboard.json's
// panels, with its variables given values: every job and instance, a 5 s
// rate interval.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(monitoringDir, "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	if dash.UID == "" || len(dash.Panels) == 0 {
		t.Fatalf("grafana-dashboard.json: no uid or no panels")
	}
	vars := strings.NewReplacer("$__rate_interval", "5s", "$job", ".*", "$instance", ".*")
	var qs []string
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("dashboard panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			qs = append(qs, vars.Replace(tg.Expr))
		}
	}
	return qs
}

func getJSON(t *testing.T, req *http.Request, out any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %s: %v\n%s", req.URL, resp.Status, err, b)
	}
}
