// plot_test.go — the charts are well-formed SVG that escapes its text,
// leaves out missing points, and puts round ticks around the data.

package plot

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

// wellFormed fails unless svg parses as XML.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
	}
}

func TestLines(t *testing.T) {
	svg := string(Lines("rate <per> bot", "s", "ms & more", []float64{0, 1, 2, 3}, 1.5,
		Series{Name: "a", Ys: []float64{1, 2, math.NaN(), 4}}, Series{Name: "b", Ys: []float64{0, 0, 0, 0}}))
	wellFormed(t, svg)
	if !strings.Contains(svg, "rate &lt;per&gt; bot") || !strings.Contains(svg, "ms &amp; more") {
		t.Error("text is not escaped")
	}
	if got := strings.Count(svg, "<polyline"); got != 2 {
		t.Errorf("%d lines, want 2", got)
	}
	if strings.Contains(svg, "NaN") {
		t.Error("a missing point was drawn")
	}
	wellFormed(t, string(Lines("empty", "x", "y", nil, math.NaN())))
}

func TestBars(t *testing.T) {
	svg := string(Bars("gaps", "note", "%", []string{"1ms", "2ms", "4ms"}, []float64{10, 80, 10}))
	wellFormed(t, svg)
	if got := strings.Count(svg, "<rect"); got != 3 {
		t.Errorf("%d bars, want 3", got)
	}
	wellFormed(t, string(Bars("none", "", "%", nil, nil)))
}

func TestNiceTicks(t *testing.T) {
	for _, c := range [][2]float64{{0, 1}, {0, 7}, {0, 16.7}, {0, 2850}, {3, 97}, {0, 0}, {0.001, 0.004}} {
		ticks := niceTicks(c[0], c[1])
		if len(ticks) < 2 || len(ticks) > 11 || ticks[0] > c[0] || ticks[len(ticks)-1] < c[1] {
			t.Errorf("niceTicks(%v, %v) = %v", c[0], c[1], ticks)
		}
	}
}
