// replayhttp.go — a ticklog.Dir over HTTP: GET /api/replays lists its logs
// (newest first, as JSON Entries), GET /api/replays/{id} serves one file as
// it is stored (a gzip stream: ticklog's decode.go reads it). An id is
// checked against the index before any file is opened, so no path reaches
// the file system. Both are public, to any origin: a lobby lists a node's
// logs and redirects there.

// Package replayhttp serves a directory of tick logs over HTTP. It is a
// package of its own so that ticklog, which the WebAssembly client links
// to read and replay logs, does not bring net/http into the download
// (about 500 KB gzipped).
package replayhttp

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"skirmish/ticklog"
)

// ContentType is the media type a log is served with.
const ContentType = "application/vnd.skirmish.ticklog"

// Routes mounts d's listing and files on mux; log takes the errors of
// reading a file.
func Routes(mux *http.ServeMux, d *ticklog.Dir, log *slog.Logger) {
	s := &server{d: d, log: log}
	mux.HandleFunc("GET /api/replays", s.serveList)
	mux.HandleFunc("GET /api/replays/{id}", s.serveLog)
}

type server struct {
	d   *ticklog.Dir
	log *slog.Logger
}

// listing is the body of GET /api/replays.
type listing struct {
	Replays []ticklog.Entry `json:"replays"`
}

func (s *server) serveList(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, listing{Replays: s.d.List()})
}

func (s *server) serveLog(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, e, err := s.d.OpenLog(id)
	if errors.Is(err, ticklog.ErrNoLog) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no replay with that id"})
		return
	}
	if err != nil {
		s.log.Error("replayhttp: serving a log", "id", id, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: "the replay could not be read"})
		return
	}
	defer f.Close()
	w.Header().Set("Access-Control-Allow-Origin", "*") // a page from the lobby's origin follows its redirect here
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+ticklog.FileSuffix+`"`)
	http.ServeContent(w, r, id+ticklog.FileSuffix, e.End, f)
}

// errorBody is the body of an error answer, as the lobby's are.
type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
