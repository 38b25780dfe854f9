// web.go — the web client at /: the built client's folder when it exists,
// otherwise a page that says how to build it.

package main

import (
	"net/http"
	"os"
	"path/filepath"
)

const noClientPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skirmish</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>Skirmish server is running</h1>
<p>The browser client is not built into this server yet. The lobby and the game
server are up: <code>POST /api/play</code> hands out tickets, <code>/ws</code> takes
players, <code>/metrics</code> and <code>/healthz</code> are for operators.</p>
<p>Once the client exists, <code>make run</code> builds it into <code>client/dist</code>
and this page becomes the game.</p>
</body></html>
`

func webHandler(dir string) http.Handler {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err == nil {
		return http.FileServer(http.Dir(dir))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(noClientPage))
	})
}
