// web.go — the web client at /: the built client's folder (make client puts
// index.html, wasm_exec.js, skirmish.wasm and its gzip beside it there) when
// it exists, otherwise a page that says how to build it. The .wasm goes out
// gzip-compressed to browsers that accept it, as application/wasm, so
// WebAssembly.instantiateStreaming can compile it while it downloads.

package main

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

const noClientPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skirmish</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>Skirmish server is running</h1>
<p>The browser client is not built into this server. The lobby and the game
server are up: <code>POST /api/play</code> hands out tickets, <code>/ws</code> takes
players, <code>/metrics</code> and <code>/healthz</code> are for operators.</p>
<p><code>make run</code> builds the client into <code>client/dist</code> and
serves it from there; <code>skirmish serve --web DIR</code> names another folder.</p>
</body></html>
`

func webHandler(dir string) http.Handler {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(noClientPage))
		})
	}
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A new build must reach players at once: browsers revalidate every time.
		w.Header().Set("Cache-Control", "no-cache")
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Vary", "Accept-Encoding")
			if acceptsGzip(r) && serveGzipped(w, r, dir) {
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// serveGzipped serves the precompressed twin (name.wasm.gz) of the asked
// file, if there is one.
func serveGzipped(w http.ResponseWriter, r *http.Request, dir string) bool {
	name := path.Clean("/" + r.URL.Path)
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)) + ".gz")
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return false
	}
	w.Header().Set("Content-Type", "application/wasm")
	w.Header().Set("Content-Encoding", "gzip")
	http.ServeContent(w, r, name, st.ModTime(), f)
	return true
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
