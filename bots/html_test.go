// html_test.go covers html.go's page: its hit fairness over time follows
// the summary's rule.

package bots_test

import (
	"strings"
	"testing"

	"skirmish/bots"
)

// TestHTMLFairnessLeavesOutUntrueHits: the per-second hit fairness chart
// leaves the screen hits of shots the server never fired out of the
// denominator, as the summary does: 9 scored of 10 screen hits, one of
// them untrue, plots as 9 of 9.
func TestHTMLFairnessLeavesOutUntrueHits(t *testing.T) {
	chart := func(hits, scored, untrue int) string {
		t.Helper()
		r := &bots.Report{Count: 1, Behavior: "fight", Seconds: []bots.Second{
			{T: 1, Window: true, ScreenHits: 4, ScreenHitsScored: 3},
			{T: 2, Window: true, ScreenHits: hits, ScreenHitsScored: scored, ScreenHitsUntrue: untrue},
		}}
		var page strings.Builder
		if err := r.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		i := strings.Index(s, `aria-label="Hit fairness over time`)
		if i < 0 {
			t.Fatal("no hit fairness chart")
		}
		return s[i : i+strings.Index(s[i:], "</svg>")]
	}
	if f, ok := (bots.Second{ScreenHits: 10, ScreenHitsScored: 9, ScreenHitsUntrue: 1}).HitFairness(); !ok || f != 1 {
		t.Errorf("9 scored of 10 screen hits, 1 untrue: fairness %v, %v; want 1", f, ok)
	}
	if _, ok := (bots.Second{ScreenHits: 2, ScreenHitsUntrue: 2}).HitFairness(); ok {
		t.Error("a second whose screen hits were all untrue has a fairness")
	}
	untrue, clean, raw := chart(10, 9, 1), chart(9, 9, 0), chart(10, 9, 0)
	if untrue != clean {
		t.Errorf("9 of 10 screen hits with 1 untrue plots unlike 9 of 9:\n%s\n%s", untrue, clean)
	}
	if untrue == raw {
		t.Error("the chart does not depend on the untrue hits")
	}
}
