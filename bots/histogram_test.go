// histogram_test.go — Histogram's buckets hold what they say, quantiles are
// within a bucket's width of the truth, and merging, resetting and JSON
// keep the counts.

package bots

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistogramBucketsHoldTheirValues(t *testing.T) {
	prevHi := time.Duration(0)
	for i := range histBuckets {
		lo, hi := histBounds(i)
		if lo != prevHi || hi <= lo {
			t.Fatalf("bucket %d is [%v, %v), after one ending at %v", i, lo, hi, prevHi)
		}
		for _, d := range []time.Duration{lo, hi - time.Microsecond, lo + (hi-lo)/2} {
			if got := histIndex(d); got != i {
				t.Fatalf("%v falls in bucket %d, want %d [%v, %v)", d, got, i, lo, hi)
			}
		}
		if i >= histLinear && float64(hi-lo) > float64(lo)/histSub+1 {
			t.Fatalf("bucket %d [%v, %v) is wider than 1/%d of its start", i, lo, hi, histSub)
		}
		prevHi = hi
	}
	if got := histIndex(time.Hour); got != histBuckets-1 {
		t.Errorf("an hour falls in bucket %d, want the last", got)
	}
	if got := histIndex(-time.Second); got != 0 {
		t.Errorf("a negative duration falls in bucket %d, want 0", got)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h Histogram
	var all []time.Duration
	for range 10000 {
		d := time.Duration(rng.ExpFloat64() * float64(5*time.Millisecond))
		h.Record(d)
		all = append(all, d)
	}
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.9, 0.99} {
		want := all[int(q*float64(len(all)))-1]
		got := h.Quantile(q)
		if diff := float64(got-want) / float64(want); diff > 0.04 || diff < -0.04 {
			t.Errorf("q%.2f = %v, want %v within 4%%", q, got, want)
		}
	}
	if h.Max() != all[len(all)-1] || h.Quantile(1) != h.Max() || h.Count() != 10000 {
		t.Errorf("max %v (want %v), q1 %v, count %d", h.Max(), all[len(all)-1], h.Quantile(1), h.Count())
	}
	var empty Histogram
	if empty.Quantile(0.5) != 0 || empty.Mean() != 0 {
		t.Error("an empty histogram has a median or a mean")
	}
}

func TestHistogramMergeResetJSON(t *testing.T) {
	var a, b, both Histogram
	for i := range 500 {
		d := time.Duration(i) * 37 * time.Microsecond
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
		both.Record(d)
	}
	a.Merge(&b)
	if a.counts != both.counts || a.Count() != both.Count() || a.Max() != both.Max() || a.Mean() != both.Mean() {
		t.Error("merging two halves differs from recording all")
	}
	raw, err := json.Marshal(&a)
	if err != nil {
		t.Fatal(err)
	}
	var back Histogram
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.counts != a.counts || back.Count() != a.Count() || back.Max() != a.Max() {
		t.Errorf("JSON round trip changed the histogram: %s", raw)
	}
	a.Reset()
	if a.Count() != 0 || len(a.Buckets()) != 0 {
		t.Error("Reset left counts")
	}
}
