// http.go — what every lobby endpoint shares: method routing, reading a
// JSON body (media type, size, unknown fields, trailing data), the session
// token check (session.go issues tokens), and JSON answers, errors
// included. The endpoints themselves are in play.go, session.go, queue.go,
// private.go, party.go and directory.go.

package lobby

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// errorResponse is the body of every error answer.
type errorResponse struct {
	Error string `json:"error"`
}

// refusal is a request the lobby answers with an error.
type refusal struct {
	status  int
	outcome string // label for Options.Observe
	msg     string // for the client
}

func (r *refusal) Error() string { return r.msg }

func refused(status int, outcome, format string, args ...any) *refusal {
	return &refusal{status, outcome, fmt.Sprintf(format, args...)}
}

// methods maps each HTTP method of one path to its handler.
type methods map[string]http.HandlerFunc

// route serves path with one handler per method; any other method gets 405
// with an Allow header.
func (l *Lobby) route(path string, m methods) {
	allow := strings.Join(slices.Sorted(maps.Keys(m)), ", ")
	l.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		h, ok := m[r.Method]
		if !ok {
			w.Header().Set("Allow", allow)
			l.refuse(w, r, http.StatusMethodNotAllowed, "method", "method "+r.Method+" not allowed; use "+strings.ReplaceAll(allow, ", ", " or "))
			return
		}
		h(w, r)
	})
}

// bodySpec describes the JSON object an endpoint takes, for the reasons
// given when a body is refused.
type bodySpec struct {
	example string // e.g. {"name": "..."}
	fields  string // e.g. only "name" is allowed
}

// Bodies of the endpoints.
var (
	nameBody     = bodySpec{`{"name": "..."}`, `only "name" is allowed`}
	modeBody     = bodySpec{`{"mode": "..."}`, `only "mode" is allowed`}
	codeBody     = bodySpec{`{"code": "..."}`, `only "code" is allowed`}
	joinRoomBody = bodySpec{`{"code": "..."} or {"room": "..."}`, `only "code" or "room" is allowed`}
	newRoomBody  = bodySpec{`{"capacity": 8, "mode": "..."}`, `only "capacity" and "mode" are allowed`}
	noFieldsBody = bodySpec{`{}`, "this endpoint takes no fields"}
)

// readJSON decodes the request body into dst, a pointer to a struct.
//
// The body must be declared application/json (a charset parameter, if any,
// must be utf-8). A request with no Content-Type is refused too: requiring
// the JSON type also means a cross-site HTML form cannot post here, and
// browsers preflight cross-origin fetches that send it. With optional, an
// empty body (no Content-Length, or 0) is accepted as {} without a
// Content-Type.
func (l *Lobby) readJSON(w http.ResponseWriter, r *http.Request, dst any, spec bodySpec, optional bool) *refusal {
	if optional && r.ContentLength == 0 {
		return nil
	}
	if msg := checkJSONType(r.Header.Get("Content-Type")); msg != "" {
		return &refusal{http.StatusUnsupportedMediaType, "media_type", msg}
	}
	return decodeJSON(http.MaxBytesReader(w, r.Body, l.opts.MaxBodyBytes), l.opts.MaxBodyBytes, dst, spec)
}

// decodeJSON reads exactly one JSON object into dst from body, which is
// limited to limit bytes, refusing unknown fields and anything after the
// object. It is the pure part of readJSON, and what FuzzDecodeJSON feeds.
func decodeJSON(body io.Reader, limit int64, dst any, spec bodySpec) *refusal {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return bodyRefusal(err, limit, spec)
	}
	switch err := dec.Decode(&struct{}{}); {
	case err == io.EOF:
		return nil
	case isTooLarge(err):
		return bodyRefusal(err, limit, spec)
	default:
		return &refusal{http.StatusBadRequest, "bad_request", "request body has data after the JSON object"}
	}
}

// checkJSONType returns why a Content-Type is not JSON, or "" if it is.
func checkJSONType(contentType string) string {
	const want = `Content-Type must be "application/json"`
	if contentType == "" {
		return want + "; none was sent"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "application/json" {
		return fmt.Sprintf("%s, not %q", want, contentType)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Sprintf("charset must be utf-8, not %q", cs)
	}
	return ""
}

// bodyRefusal explains an error from decoding the request body.
func bodyRefusal(err error, limit int64, spec bodySpec) *refusal {
	if isTooLarge(err) {
		return &refusal{http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("request body is larger than %d bytes", limit)}
	}
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	msg := "request body is not valid JSON"
	switch {
	case errors.Is(err, io.EOF):
		msg = "request body is empty; want " + spec.example
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "request body is cut short: the JSON object is incomplete"
	case errors.As(err, &syntaxErr):
		msg = fmt.Sprintf("request body is not valid JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		msg = fmt.Sprintf("field %q must be a %s, not a JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &typeErr):
		msg = fmt.Sprintf("request body must be a JSON object like %s, not a JSON %s", spec.example, typeErr.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// DisallowUnknownFields reports this without an error type of its own.
		msg = "request body has an " + strings.TrimPrefix(err.Error(), "json: ") + "; " + spec.fields
	}
	return &refusal{http.StatusBadRequest, "bad_request", msg}
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

// sessionHandler is an endpoint that needs a logged-in player.
type sessionHandler func(w http.ResponseWriter, r *http.Request, s Session)

// authed checks the request's session token (session.go) before h runs.
func (l *Lobby) authed(h sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := l.authenticate(r)
		if err != nil {
			if ref := (*refusal)(nil); errors.As(err, &ref) && ref.status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="skirmish"`)
			}
			l.fail(w, r, err)
			return
		}
		h(w, r, s)
	}
}

// fail answers an error from a handler's work: a refusal as it is, the
// client's own departure with nothing, and anything else, a store failure,
// with 503.
func (l *Lobby) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ref *refusal
	switch {
	case errors.As(err, &ref):
		l.refuseWith(w, r, ref)
	case r.Context().Err() != nil:
		l.opts.Observe("canceled")
		l.opts.Logger.Debug("lobby: client left", "path", r.URL.Path, "err", err)
	default:
		l.opts.Observe("unavailable")
		l.opts.Logger.Warn("lobby: store failed", "path", r.URL.Path, "err", err, "remote", r.RemoteAddr)
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, errorResponse{Error: "the lobby cannot reach its storage right now; try again shortly"})
	}
}

// ok counts a success and writes it.
func (l *Lobby) ok(w http.ResponseWriter, status int, v any) {
	l.opts.Observe("ok")
	writeJSON(w, status, v)
}

// refuseWith refuses the request as ref says.
func (l *Lobby) refuseWith(w http.ResponseWriter, r *http.Request, ref *refusal) {
	l.refuse(w, r, ref.status, ref.outcome, ref.msg)
}

// refuse counts a refused request, logs it at debug level (refusals are the
// client's doing) and answers with an error status and a JSON reason. Like
// every answer here, the outcome is recorded before it is written, so a
// client holding the answer can rely on it having been counted.
func (l *Lobby) refuse(w http.ResponseWriter, r *http.Request, status int, outcome, msg string) {
	l.opts.Observe(outcome)
	l.opts.Logger.LogAttrs(r.Context(), slog.LevelDebug, "lobby: request refused",
		slog.String("outcome", outcome), slog.Int("status", status), slog.String("reason", msg),
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("remote", r.RemoteAddr))
	writeJSON(w, status, errorResponse{Error: msg})
}

// writeJSON writes v as the JSON answer. Answers carry tickets and tokens,
// so they are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// Encoding these plain structs cannot fail; a write error means the
	// client left, and there is no one left to tell.
	_ = json.NewEncoder(w).Encode(v)
}

// detached is a context for store work that must finish even though the
// client left (undoing a half-done request), bounded by storeTimeout.
func detached() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), storeTimeout)
}
