// measure_test.go covers measure.go's reading of a histogram's buckets.

package main

import (
	"math"
	"testing"
)

func TestHistQuantile(t *testing.T) {
	b := func(le string) string { return `skirmish_x_seconds_bucket{le="` + le + `"}` }
	// 100 observations: 90 within 1 ms, 9 more within 2 ms, the last within 4 ms.
	st := map[string]float64{b("0.001"): 90, b("0.002"): 99, b("0.004"): 100, b("+Inf"): 100, "skirmish_x_seconds_count": 100}
	for _, c := range []struct{ q, want float64 }{{0.5, 0.001}, {0.9, 0.001}, {0.95, 0.002}, {0.99, 0.002}, {1, 0.004}} {
		if got, ok := histQuantile(st, "skirmish_x_seconds", c.q); !ok || got != c.want {
			t.Errorf("q %v: %v %v, want %v", c.q, got, ok, c.want)
		}
	}
	st[b("+Inf")] = 200 // 100 beyond the last bound
	if got, ok := histQuantile(st, "skirmish_x_seconds", 0.99); !ok || !math.IsInf(got, 1) {
		t.Errorf("p99 beyond the last bound: %v %v, want +Inf", got, ok)
	}
	if _, ok := histQuantile(map[string]float64{}, "skirmish_x_seconds", 0.99); ok {
		t.Error("a histogram with no buckets has a quantile")
	}
	if got := bucketBound(map[string]float64{b("0.0008"): 5, b("+Inf"): 5}, "skirmish_x_seconds"); got != "≤ 0.8 ms" {
		t.Errorf("bucketBound = %q, want ≤ 0.8 ms", got)
	}
}
