// plot.go — the two charts: Lines over a shared x axis, and Bars over
// labelled buckets, each one inline SVG element with round axis ticks and a
// legend.

package plot

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	chartW, chartH                 = 960, 300
	padLeft, padRight, padTop, pad = 70, 20, 34, 46
)

// palette colours the series of a chart, in order.
var palette = [...]string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"}

// Series is one named line: Ys[i] is drawn at the chart's xs[i]; a NaN is
// left out.
type Series struct {
	Name string
	Ys   []float64
}

// Lines draws ss against xs, y from zero up. The x range before
// shadeUntil (NaN: none) is shaded.
func Lines(title, xLabel, yLabel string, xs []float64, shadeUntil float64, ss ...Series) template.HTML {
	var b strings.Builder
	open(&b, title)
	if len(xs) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no data</text></svg>`, padLeft, chartH/2)
		return template.HTML(b.String())
	}
	x0, x1 := xs[0], xs[len(xs)-1]
	for _, x := range xs {
		x0, x1 = math.Min(x0, x), math.Max(x1, x)
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	y1 := 0.0
	for _, s := range ss {
		for _, y := range s.Ys {
			if !math.IsNaN(y) {
				y1 = math.Max(y1, y)
			}
		}
	}
	yTicks := niceTicks(0, y1)
	y1 = yTicks[len(yTicks)-1]
	px := func(x float64) float64 { return padLeft + (x-x0)/(x1-x0)*(chartW-padLeft-padRight) }
	py := func(y float64) float64 { return chartH - pad - y/y1*(chartH-pad-padTop) }
	if !math.IsNaN(shadeUntil) && shadeUntil > x0 {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#eee"/>`,
			padLeft, padTop, px(math.Min(shadeUntil, x1))-padLeft, chartH-pad-padTop)
	}
	axes(&b, xLabel, yLabel)
	for _, v := range yTicks {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end" font-size="11">%s</text>`,
			padLeft, chartW-padRight, py(v), py(v), padLeft-6, py(v)+4, tickLabel(v))
	}
	for _, v := range niceTicks(x0, x1) {
		if v < x0 || v > x1 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="11">%s</text>`, px(v), chartH-pad+16, tickLabel(v))
	}
	for i, s := range ss {
		clr := palette[i%len(palette)]
		var pts strings.Builder
		for j, y := range s.Ys {
			if j < len(xs) && !math.IsNaN(y) {
				fmt.Fprintf(&pts, "%.1f,%.1f ", px(xs[j]), py(y))
			}
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.6" points="%s"/>`, clr, pts.String())
		legend(&b, i, clr, s.Name)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Bars draws one bar per label, y from zero up; note goes under the
// title.
func Bars(title, note, yLabel string, labels []string, values []float64) template.HTML {
	var b strings.Builder
	open(&b, title)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#555">%s</text>`, padLeft, padTop-4, html.EscapeString(note))
	if len(values) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no data</text></svg>`, padLeft, chartH/2)
		return template.HTML(b.String())
	}
	top := 0.0
	for _, v := range values {
		top = math.Max(top, v)
	}
	yTicks := niceTicks(0, top)
	top = yTicks[len(yTicks)-1]
	py := func(y float64) float64 { return chartH - pad - y/top*(chartH-pad-padTop-10) }
	axes(&b, "", yLabel)
	for _, v := range yTicks {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end" font-size="11">%s</text>`,
			padLeft, chartW-padRight, py(v), py(v), padLeft-6, py(v)+4, tickLabel(v))
	}
	slot := float64(chartW-padLeft-padRight) / float64(len(values))
	every := int(math.Ceil(float64(len(values)) / 16)) // at most 16 labels
	for i, v := range values {
		x := padLeft + float64(i)*slot
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %.3g</title></rect>`,
			x+slot*0.1, py(v), slot*0.8, py(0)-py(v), palette[0], html.EscapeString(labels[i]), v)
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="11">%s</text>`, x+slot/2, chartH-pad+16, html.EscapeString(labels[i]))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// open starts an SVG with its title.
func open(b *strings.Builder, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s" font-family="system-ui,sans-serif">`,
		chartW, chartH, html.EscapeString(title))
	fmt.Fprintf(b, `<text x="%d" y="18" font-size="15" font-weight="600">%s</text>`, padLeft, html.EscapeString(title))
}

// axes draws the axis lines and their labels.
func axes(b *strings.Builder, xLabel, yLabel string) {
	fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#888"/><line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#888"/>`,
		padLeft, chartW-padRight, chartH-pad, chartH-pad, padLeft, padLeft, padTop, chartH-pad)
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="12">%s</text>`, (chartW+padLeft)/2, chartH-8, html.EscapeString(xLabel))
	fmt.Fprintf(b, `<text transform="translate(16 %d) rotate(-90)" text-anchor="middle" font-size="12">%s</text>`, (chartH+padTop-pad)/2, html.EscapeString(yLabel))
}

// legend labels series i in the top right corner.
func legend(b *strings.Builder, i int, clr, name string) {
	y := padTop + 6 + 16*i
	fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="3"/><text x="%d" y="%d" font-size="12">%s</text>`,
		chartW-padRight-190, chartW-padRight-170, y, y, clr, chartW-padRight-164, y+4, html.EscapeString(name))
}

// niceTicks are round values from at most lo to at least hi, 4 to 10 of
// them.
func niceTicks(lo, hi float64) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range [...]float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	var ticks []float64
	for v := math.Floor(lo/step) * step; ; v += step {
		ticks = append(ticks, v)
		if v >= hi {
			return ticks
		}
	}
}

func tickLabel(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e6:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 1e6:
		return fmt.Sprintf("%.3g", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}
