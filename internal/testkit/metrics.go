// metrics.go — reading Prometheus metrics the way an operator's scraper
// does: from a registry (a Stack's, stack.go) or from a process's
// /metrics, in the text exposition format, one series at a time.

package testkit

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Gather returns g's metrics in the text exposition format: what its
// /metrics would serve.
func Gather(g prometheus.Gatherer) string {
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

// Scrape returns the metrics served at url (e.g. base + "/metrics").
func Scrape(t testing.TB, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("testkit: metrics: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("testkit: metrics at %s: %s %v", url, resp.Status, err)
	}
	return string(b)
}

// Value returns the value of series (the name and labels exactly as
// exposed, e.g. `skirmish_disconnects_total{reason="silent"}`) in text; 0
// when absent, as a counter that never moved is.
func Value(text, series string) float64 {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				return f
			}
		}
	}
	return 0
}

// Metric returns the value of series in the stack's registry.
func (s *Stack) Metric(series string) float64 { return Value(Gather(s.Metrics), series) }

// WaitMetric waits until series in the stack's registry satisfies ok, and
// returns its value then.
func (s *Stack) WaitMetric(t testing.TB, series string, within time.Duration, ok func(float64) bool) float64 {
	t.Helper()
	var v float64
	WaitUntil(t, within, func() (bool, string) {
		v = s.Metric(series)
		return ok(v), fmt.Sprintf("%s = %v", series, v)
	})
	return v
}
