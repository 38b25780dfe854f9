// Package plot draws the charts of Skirmish's load-test reports as inline
// SVG: text a page embeds as it is, with no script and nothing fetched.
// bots' swarm report (bots/html.go) and the load benchmark's summary
// (bench/run) use it.
//
//	Lines  several series over one x axis, an optional shaded lead-in
//	Bars   one bar per labelled bucket: histograms
package plot
