// http.go — a Dir over HTTP: GET /api/replays lists its logs (newest
// first, as JSON Entries), GET /api/replays/{id} serves one file as it is
// stored (a gzip stream: decode.go reads it). An id is checked against the
// index before any file is opened, so no path reaches the file system.
// Both are public, to any origin: a lobby lists a node's logs and
// redirects there.

package ticklog

import (
	"encoding/json"
	"errors"
	"net/http"
)

// ContentType is the media type a log is served with.
const ContentType = "application/vnd.skirmish.ticklog"

// Routes mounts the listing and the files on mux.
func (d *Dir) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/replays", d.serveList)
	mux.HandleFunc("GET /api/replays/{id}", d.serveLog)
}

// listing is the body of GET /api/replays.
type listing struct {
	Replays []Entry `json:"replays"`
}

func (d *Dir) serveList(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, listing{Replays: d.List()})
}

func (d *Dir) serveLog(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, e, err := d.OpenLog(id)
	if errors.Is(err, errNoLog) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no replay with that id"})
		return
	}
	if err != nil {
		d.opts.Logger.Error("ticklog: serving a log", "id", id, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: "the replay could not be read"})
		return
	}
	defer f.Close()
	w.Header().Set("Access-Control-Allow-Origin", "*") // a page from the lobby's origin follows its redirect here
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+fileSuffix+`"`)
	http.ServeContent(w, r, id+fileSuffix, e.End, f)
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
