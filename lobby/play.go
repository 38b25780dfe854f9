// play.go — POST /api/play: a display name in, a signed ticket for a
// reserved seat out. It checks the request (method, media type, size, JSON,
// name per names.go), reserves through Options.Seats (lobby.go), signs with
// Options.Signer (ticket.go), and answers in JSON, errors included.

package lobby

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// playRequest is the body of POST /api/play.
type playRequest struct {
	Name string `json:"name"` // requested display name; see ValidName
}

// playResponse is the 200 answer. The client connects to
// WSURL + "?ticket=" + url.QueryEscape(Ticket) before ExpiresIn seconds pass.
type playResponse struct {
	Ticket    string `json:"ticket"`
	WSURL     string `json:"ws_url"`
	Room      string `json:"room"`
	PlayerID  string `json:"player_id"`  // decimal: JavaScript numbers lose uint64 precision
	ExpiresIn int64  `json:"expires_in"` // whole seconds the ticket is valid for, at least
}

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

func (l *Lobby) servePlay(w http.ResponseWriter, r *http.Request) {
	name, ref := l.readPlay(w, r)
	if ref != nil {
		l.refuse(w, r, ref.status, ref.outcome, ref.msg)
		return
	}

	now := l.opts.Now()
	expires := ceilSecond(now.Add(l.opts.TicketTTL))
	id := newPlayerID()
	room, err := l.opts.Seats.Reserve(r.Context(), id, expires)
	if err != nil {
		l.noSeat(w, r, id, err)
		return
	}
	t := Ticket{PlayerID: id, Name: name, Room: room, Expires: expires, Nonce: randomUint64()}
	if err := t.check(); err != nil {
		l.opts.Logger.Error("lobby: seat reservation returned an unusable room", "room", room, "err", err)
		l.refuse(w, r, http.StatusInternalServerError, "internal", "internal error reserving a seat")
		return
	}

	resp := playResponse{
		Ticket:    l.opts.Signer.Sign(t),
		WSURL:     l.opts.WSURL(r),
		Room:      room,
		PlayerID:  strconv.FormatUint(id, 10),
		ExpiresIn: int64(l.opts.TicketTTL / time.Second),
	}
	l.opts.Observe("ok")
	l.opts.Logger.Info("lobby: ticket issued", "player", id, "name", name, "room", room,
		"expires", expires, "remote", r.RemoteAddr)
	writeJSON(w, http.StatusOK, resp)
}

// readPlay checks the request and returns the validated name, or why the
// request is refused.
//
// The body must be declared application/json (a charset parameter, if any,
// must be utf-8). A request with no Content-Type is refused too: requiring
// the JSON type also means a cross-site HTML form cannot post here, and
// browsers preflight cross-origin fetches that send it.
func (l *Lobby) readPlay(w http.ResponseWriter, r *http.Request) (string, *refusal) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return "", &refusal{http.StatusMethodNotAllowed, "method", "method " + r.Method + " not allowed; use POST"}
	}
	if msg := checkJSONType(r.Header.Get("Content-Type")); msg != "" {
		return "", &refusal{http.StatusUnsupportedMediaType, "media_type", msg}
	}

	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, l.opts.MaxBodyBytes))
	dec.DisallowUnknownFields()
	var req playRequest
	if err := dec.Decode(&req); err != nil {
		return "", l.bodyRefusal(err)
	}
	switch err := dec.Decode(&struct{}{}); {
	case err == io.EOF:
	case isTooLarge(err):
		return "", l.bodyRefusal(err)
	default:
		return "", &refusal{http.StatusBadRequest, "bad_request", "request body has data after the JSON object"}
	}

	name, err := ValidName(req.Name)
	if err != nil {
		return "", &refusal{http.StatusBadRequest, "bad_name", strings.TrimPrefix(err.Error(), "lobby: ")}
	}
	return name, nil
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
func (l *Lobby) bodyRefusal(err error) *refusal {
	if isTooLarge(err) {
		return &refusal{http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("request body is larger than %d bytes", l.opts.MaxBodyBytes)}
	}
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	msg := "request body is not valid JSON"
	switch {
	case errors.Is(err, io.EOF):
		msg = `request body is empty; want {"name": "..."}`
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "request body is cut short: the JSON object is incomplete"
	case errors.As(err, &syntaxErr):
		msg = fmt.Sprintf("request body is not valid JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		msg = fmt.Sprintf("field %q must be a %s, not a JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &typeErr):
		msg = fmt.Sprintf(`request body must be a JSON object like {"name": "..."}, not a JSON %s`, typeErr.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// DisallowUnknownFields reports this without an error type of its own.
		msg = "request body has an " + strings.TrimPrefix(err.Error(), "json: ") + `; only "name" is allowed`
	}
	return &refusal{http.StatusBadRequest, "bad_request", msg}
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

// noSeat answers a failed reservation: 503, unless the client went away
// first, which is counted apart so that impatient clients do not look like
// a seat shortage.
func (l *Lobby) noSeat(w http.ResponseWriter, r *http.Request, id uint64, err error) {
	if r.Context().Err() != nil {
		l.opts.Observe("canceled")
		l.opts.Logger.Debug("lobby: client left while a seat was reserved", "player", id, "err", err)
		return
	}
	l.opts.Observe("no_seat")
	l.opts.Logger.Warn("lobby: seat reservation failed", "player", id, "err", err, "remote", r.RemoteAddr)
	w.Header().Set("Retry-After", "1")
	writeJSON(w, http.StatusServiceUnavailable, errorResponse{Error: "no seat available right now; try again shortly"})
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

// writeJSON writes v as the JSON answer. Answers carry tickets, so they are
// never cached.
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

// ceilSecond rounds t up to a whole second, so a ticket carrying whole
// seconds lasts at least as long as asked.
func ceilSecond(t time.Time) time.Time {
	if s := t.Truncate(time.Second); !s.Equal(t) {
		return s.Add(time.Second)
	}
	return t
}

// newPlayerID returns a random, non-zero player id.
func newPlayerID() uint64 {
	for {
		if id := randomUint64(); id != 0 {
			return id
		}
	}
}

// randomUint64 comes from crypto/rand so that ids and nonces cannot be
// guessed.
func randomUint64() uint64 {
	var b [8]byte
	// crypto/rand.Read never fails; on a broken system it crashes the program.
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}
