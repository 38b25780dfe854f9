// ops.go — what an operator reads from a serving role (serve.go,
// lobby.go, node.go): the metrics registry with the Go and process
// collectors, /metrics and /healthz on the public mux, and Go's profiler
// for --debug-addr only (serving.go listens for it).

package main

import (
	"fmt"
	"net/http"
	"net/http/pprof"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// registry is a metrics registry with the Go and process collectors.
func registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// opsRoutes adds /metrics and /healthz; health says "ok" while healthy()
// is empty, and otherwise what it returns (still 200: draining is healthy).
func opsRoutes(mux *http.ServeMux, reg *prometheus.Registry, health func() string) {
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		msg := "ok"
		if health != nil {
			if s := health(); s != "" {
				msg = s
			}
		}
		fmt.Fprintln(w, msg)
	})
}

// debugRoutes serves net/http/pprof's handlers, for --debug-addr only:
// never on the public mux.
func debugRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
