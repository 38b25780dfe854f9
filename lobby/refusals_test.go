// refusals_test.go — bad input to the full lobby's endpoints (http.go,
// session.go, queue.go, private.go, party.go, directory.go), against each
// Store backend: every refusal has its own status, a reason that says
// what was wrong, an outcome for the metrics, and changes nothing.

package lobby_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"skirmish/lobby"
)

func TestAPIRefusals(t *testing.T) {
	const ctJSON = "application/json"
	big := `{"name":"` + strings.Repeat("a", 5000) + `"}`
	type tc struct {
		method, path    string
		token           string // "ok", "expired", "unknown", "malformed", "basic" or "" for none
		contentType     string
		body            string
		status          int
		outcome, reason string
	}
	cases := map[string]tc{
		"login: malformed JSON":          {"POST", "/api/login", "", ctJSON, `{"name":`, 400, "bad_request", "cut short: the JSON object is incomplete"},
		"login: not JSON":                {"POST", "/api/login", "", ctJSON, `hello`, 400, "bad_request", "not valid JSON at byte 1"},
		"login: empty body":              {"POST", "/api/login", "", ctJSON, ``, 400, "bad_request", `empty; want {"name": "..."}`},
		"login: over the size limit":     {"POST", "/api/login", "", ctJSON, big, 413, "too_large", "larger than 4096 bytes"},
		"login: unknown field":           {"POST", "/api/login", "", ctJSON, `{"name":"Ada","admin":true}`, 400, "bad_request", `unknown field "admin"; only "name" is allowed`},
		"login: data after the object":   {"POST", "/api/login", "", ctJSON, `{"name":"Ada"}{}`, 400, "bad_request", "data after the JSON object"},
		"login: bad name":                {"POST", "/api/login", "", ctJSON, `{"name":"<b>Ada</b>"}`, 400, "bad_name", `invalid name: contains '<'`},
		"login: long name":               {"POST", "/api/login", "", ctJSON, `{"name":"ABCDEFGHIJKLMNOPQ"}`, 400, "bad_name", "17 characters long; at most 16"},
		"login: no content type":         {"POST", "/api/login", "", "", `{"name":"Ada"}`, 415, "media_type", "none was sent"},
		"login: GET":                     {"GET", "/api/login", "", "", ``, 405, "method", "method GET not allowed; use POST"},
		"refresh: unknown field":         {"POST", "/api/refresh", "ok", ctJSON, `{"x":1}`, 400, "bad_request", `unknown field "x"; this endpoint takes no fields`},
		"refresh: no token":              {"POST", "/api/refresh", "", "", ``, 401, "unauthorized", `missing session token: send "Authorization: Bearer <token>"`},
		"refresh: expired token":         {"POST", "/api/refresh", "expired", "", ``, 401, "unauthorized", "session token expired at 2030-01-02T04:04:05Z; log in again"},
		"queue: unknown token":           {"POST", "/api/queue", "unknown", "", ``, 401, "unauthorized", "unknown session token"},
		"queue: malformed token":         {"POST", "/api/queue", "malformed", "", ``, 401, "unauthorized", "session token is malformed"},
		"queue: not a bearer token":      {"POST", "/api/queue", "basic", "", ``, 401, "unauthorized", `must be "Bearer <token>"`},
		"queue: unknown field":           {"POST", "/api/queue", "ok", ctJSON, `{"mood":"ffa"}`, 400, "bad_request", `unknown field "mood"; only "mode" is allowed`},
		"queue: mode is a number":        {"POST", "/api/queue", "ok", ctJSON, `{"mode":7}`, 400, "bad_request", `field "mode" must be a string, not a JSON number`},
		"queue: unknown mode":            {"POST", "/api/queue", "ok", ctJSON, `{"mode":"chess"}`, 400, "bad_request", `unknown mode "chess"; the modes are big, ffa`},
		"queue: text/plain":              {"POST", "/api/queue", "ok", "text/plain", `{}`, 415, "media_type", `Content-Type must be "application/json"`},
		"queue: PUT":                     {"PUT", "/api/queue", "ok", ctJSON, `{}`, 405, "method", "use DELETE or GET or POST"},
		"queue: bad wait":                {"GET", "/api/queue?wait=forever", "ok", "", ``, 400, "bad_request", `wait must be whole seconds from 0 to 25, not "forever"`},
		"queue: wait too long":           {"GET", "/api/queue?wait=26", "ok", "", ``, 400, "bad_request", "from 0 to 25"},
		"rooms: capacity is a string":    {"POST", "/api/rooms", "ok", ctJSON, `{"capacity":"8"}`, 400, "bad_request", `field "capacity" must be a int, not a JSON string`},
		"rooms: unknown field":           {"POST", "/api/rooms", "ok", ctJSON, `{"size":8}`, 400, "bad_request", `only "capacity" and "mode" are allowed`},
		"rooms: an array":                {"POST", "/api/rooms", "ok", ctJSON, `[8]`, 400, "bad_request", `must be a JSON object like {"capacity": 8, "mode": "..."}, not a JSON array`},
		"rooms: DELETE":                  {"DELETE", "/api/rooms", "ok", "", ``, 405, "method", "use GET or POST"},
		"join room: unknown code":        {"POST", "/api/rooms/join", "ok", ctJSON, `{"code":"ZZZZZ"}`, 404, "not_found", "no private room has the code ZZZZZ"},
		"join room: not a code":          {"POST", "/api/rooms/join", "ok", ctJSON, `{"code":"OIL10"}`, 400, "bad_request", `code "OIL10" is not a code: want 5 characters from 23456789ABCDEFGHJKMNPQRSTUVWXYZ`},
		"join room: no code":             {"POST", "/api/rooms/join", "ok", ctJSON, `{}`, 400, "bad_request", `code "" is not a code`},
		"join room: over the size limit": {"POST", "/api/rooms/join", "ok", ctJSON, `{"code":"` + strings.Repeat("A", 5000) + `"}`, 413, "too_large", "larger than 4096 bytes"},
		"join room: empty body":          {"POST", "/api/rooms/join", "ok", ctJSON, ``, 400, "bad_request", `empty; want {"code": "..."}`},
		"join party: unknown code":       {"POST", "/api/party/join", "ok", ctJSON, `{"code":"ZZZZZ"}`, 404, "not_found", "no party has the code ZZZZZ"},
		"join party: unknown field":      {"POST", "/api/party/join", "ok", ctJSON, `{"code":"ZZZZZ","leader":1}`, 400, "bad_request", `unknown field "leader"; only "code" is allowed`},
		"party: none to leave":           {"DELETE", "/api/party", "ok", "", ``, 404, "not_found", "you are not in a party"},
		"directory: unknown mode":        {"GET", "/api/rooms?mode=chess", "", "", ``, 400, "bad_request", `unknown mode "chess"`},
		"no such endpoint":               {"GET", "/api/lobby", "", "", ``, 404, "not_found", "no such endpoint: /api/lobby"},
	}
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := newAPI(t, s, nil)
		ok := a.login(t, "Ada")
		old := a.login(t, "Old")
		a.clock.Advance(time.Hour) // Old's session expires; Ada refreshes first
		a.clock.Advance(-time.Minute)
		ok = decodeAs[player](t, a.do(t, http.MethodPost, "/api/refresh", ok.Token, ""), http.StatusOK)
		a.clock.Advance(time.Minute)
		tokens := map[string]string{
			"ok":        "Bearer " + ok.Token,
			"expired":   "Bearer " + old.Token,
			"unknown":   "Bearer " + strings.Repeat("A", 43),
			"malformed": "Bearer " + ok.Token[:20],
			"basic":     "Basic QWRhOnB3",
		}
		for name, c := range cases {
			t.Run(name, func(t *testing.T) {
				before := a.outcomes.count(c.outcome)
				req, err := http.NewRequest(c.method, a.srv.URL+c.path, strings.NewReader(c.body))
				if err != nil {
					t.Fatal(err)
				}
				if c.contentType != "" {
					req.Header.Set("Content-Type", c.contentType)
				}
				if c.token != "" {
					req.Header.Set("Authorization", tokens[c.token])
				}
				rep := send(t, a.srv.Client(), req)
				wantRefusal(t, name, rep, c.status, c.reason)
				if msg := errorText(t, rep); msg == "" {
					t.Errorf("no reason given")
				}
				if got := a.outcomes.count(c.outcome) - before; got != 1 {
					t.Errorf("outcome %q counted %d times; want once", c.outcome, got)
				}
				if c.status == http.StatusUnauthorized && rep.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				if c.status == http.StatusMethodNotAllowed && rep.header.Get("Allow") == "" {
					t.Error("405 without Allow")
				}
			})
		}
		// Nothing refused left a trace.
		if q, _ := s.Queue(bg, "ffa", 0); len(q) != 0 {
			t.Errorf("refused requests queued %v", q)
		}
		if rooms, _ := s.Rooms(bg, a.clock.Now()); len(rooms) != 0 {
			t.Errorf("refused requests opened rooms %v", rooms)
		}
	})
}
