// play_test.go — tests for play.go through a real loopback server (the
// fixture in api_test.go), on the memory store: a name in, a ticket the
// Verifier accepts out; every refusal with its status and reason; many
// players at once. play_store_test.go runs the same endpoint on each
// backend.

package lobby_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/ticket"
)

// playReply is the 200 body of POST /api/play.
type playReply struct {
	Ticket    string `json:"ticket"`
	WSURL     string `json:"ws_url"`
	Room      string `json:"room"`
	PlayerID  string `json:"player_id"`
	ExpiresIn int64  `json:"expires_in"`
}

// playAPI is the fixture of the /api/play tests: a lobby on a memory
// store, rooms of four.
func playAPI(t *testing.T, edit func(*lobby.Options)) *api {
	t.Helper()
	return newAPI(t, lobby.NewMemoryStore(), edit)
}

// held returns how many seats each room holds at the clock's now,
// reserved or connected, by room id.
func (a *api) held(t *testing.T) map[string]int {
	t.Helper()
	m := make(map[string]int)
	for id, r := range a.rooms(t) {
		if n := r.Reserved + r.Connected; n > 0 {
			m[id] = n
		}
	}
	return m
}

func decodePlay(t *testing.T, rep reply) playReply {
	t.Helper()
	if rep.status != http.StatusOK {
		t.Fatalf("status %d: %s", rep.status, rep.body)
	}
	var p playReply
	dec := json.NewDecoder(strings.NewReader(string(rep.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("body %s: %v", rep.body, err)
	}
	return p
}

func TestPlayIssuesTicket(t *testing.T) {
	a := playAPI(t, nil)
	now := a.clock.Now()
	rep := a.play(t, `{"name": "  Ada Lovelace "}`)
	p := decodePlay(t, rep)

	for h, want := range map[string]string{
		"Content-Type":  "application/json; charset=utf-8",
		"Cache-Control": "no-store",
	} {
		if got := rep.header.Get(h); got != want {
			t.Errorf("%s = %q; want %q", h, got, want)
		}
	}
	if want := "ws://" + strings.TrimPrefix(a.srv.URL, "http://") + "/ws"; p.WSURL != want {
		t.Errorf("ws_url = %q; want %q", p.WSURL, want)
	}
	if p.Room != "r1" || p.ExpiresIn != 15 {
		t.Errorf("room %q, expires_in %d; want r1, 15", p.Room, p.ExpiresIn)
	}
	id, err := strconv.ParseUint(p.PlayerID, 10, 64)
	if err != nil || id == 0 {
		t.Fatalf("player_id %q is not a non-zero decimal uint64", p.PlayerID)
	}

	// The client connects to ws_url?ticket=…; the game server reads it back.
	u, err := url.Parse(p.WSURL + "?ticket=" + url.QueryEscape(p.Ticket))
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("ticket")
	if token != p.Ticket {
		t.Fatalf("ticket changed on its way through the URL: %q → %q", p.Ticket, token)
	}
	tk, err := a.verifier.Verify(token, now)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// now is 0.5 s past a second: the expiry rounds up, never down.
	wantExpires := now.Add(15 * time.Second).Truncate(time.Second).Add(time.Second)
	if tk.PlayerID != id || tk.Name != "Ada Lovelace" || tk.Room != "r1" || !tk.Expires.Equal(wantExpires) {
		t.Errorf("ticket = %+v; want player %d, Ada Lovelace, r1, expiring %v", tk, id, wantExpires)
	}
	if seat, err := a.store.Seat(bg, id, now); err != nil || seat.Room != "r1" || !seat.Until.Equal(tk.Expires) {
		t.Errorf("seat %+v, %v; want one held in r1 until the ticket expires", seat, err)
	}
	if _, err := a.verifier.Verify(token, now.Add(15*time.Second)); err != nil {
		t.Errorf("ticket refused before its 15 s were up: %v", err)
	}
	if _, err := a.verifier.Redeem(token, now); err != nil {
		t.Errorf("Redeem: %v", err)
	}
	if _, err := a.verifier.Redeem(token, now); !errors.Is(err, ticket.ErrReused) {
		t.Errorf("second Redeem: %v; want ErrTicketReused", err)
	}
	if got := a.outcomes.count("ok"); got != 1 {
		t.Errorf("observed %d ok outcomes; want 1", got)
	}
}

func TestPlayTicketTTLOption(t *testing.T) {
	a := playAPI(t, func(o *lobby.Options) { o.TicketTTL = 90 * time.Second })
	now := a.clock.Now()
	p := decodePlay(t, a.play(t, `{"name":"Ada"}`))
	if p.ExpiresIn != 90 {
		t.Errorf("expires_in = %d; want 90", p.ExpiresIn)
	}
	if _, err := a.verifier.Verify(p.Ticket, now.Add(90*time.Second)); err != nil {
		t.Errorf("ticket refused within its 90 s: %v", err)
	}
	if _, err := a.verifier.Verify(p.Ticket, now.Add(91*time.Second)); !errors.Is(err, ticket.ErrExpired) {
		t.Errorf("ticket after 91 s: %v; want ErrTicketExpired", err)
	}
}

func TestPlayFillsRooms(t *testing.T) {
	a := playAPI(t, nil) // rooms of 4
	var rooms []string
	for range 9 {
		rooms = append(rooms, decodePlay(t, a.play(t, `{"name":"Ada"}`)).Room)
	}
	if got, want := strings.Join(rooms, " "), "r1 r1 r1 r1 r2 r2 r2 r2 r3"; got != want {
		t.Errorf("rooms %s; want %s", got, want)
	}
	// Once those tickets expire, their seats are free again: the rooms
	// hold nobody, and the next player is seated alone.
	a.clock.Advance(time.Minute)
	if held := a.held(t); len(held) != 0 {
		t.Errorf("after the holds expired: seats held %v; want none", held)
	}
	p := decodePlay(t, a.play(t, `{"name":"Ada"}`))
	if held := a.held(t); len(held) != 1 || held[p.Room] != 1 {
		t.Errorf("after the holds expired: seats held %v; want one, in %s", held, p.Room)
	}
}

func TestPlayRefusals(t *testing.T) {
	const ctJSON = "application/json"
	big := `{"name":"` + strings.Repeat("a", 5000) + `"}`
	for name, tc := range map[string]struct {
		method, contentType, body string
		status                    int
		outcome, reason           string
	}{
		"GET":                    {"GET", "", "", 405, "method", "method GET not allowed; use POST"},
		"PUT":                    {"PUT", ctJSON, `{"name":"Ada"}`, 405, "method", "use POST"},
		"no content type":        {"POST", "", `{"name":"Ada"}`, 415, "media_type", `must be "application/json"; none was sent`},
		"text/plain":             {"POST", "text/plain;charset=UTF-8", `{"name":"Ada"}`, 415, "media_type", `not "text/plain;charset=UTF-8"`},
		"form":                   {"POST", "application/x-www-form-urlencoded", `name=Ada`, 415, "media_type", "application/json"},
		"bad media type":         {"POST", "application/json; ;", `{"name":"Ada"}`, 415, "media_type", "application/json"},
		"latin1":                 {"POST", "application/json; charset=latin1", `{"name":"Ada"}`, 415, "media_type", `charset must be utf-8, not "latin1"`},
		"body over the limit":    {"POST", ctJSON, big, 413, "too_large", "larger than 4096 bytes"},
		"trailer over the limit": {"POST", ctJSON, `{"name":"Ada"}` + strings.Repeat(" ", 5000), 413, "too_large", "larger than 4096 bytes"},
		"empty body":             {"POST", ctJSON, "", 400, "bad_request", `empty; want {"name": "..."}`},
		"cut short":              {"POST", ctJSON, `{"name":"Ad`, 400, "bad_request", "cut short"},
		"not JSON":               {"POST", ctJSON, `hello`, 400, "bad_request", "not valid JSON at byte 1: invalid character 'h'"},
		"unknown field":          {"POST", ctJSON, `{"name":"Ada","admin":true}`, 400, "bad_request", `unknown field "admin"; only "name" is allowed`},
		"name is a number":       {"POST", ctJSON, `{"name":42}`, 400, "bad_request", `field "name" must be a string, not a JSON number`},
		"array":                  {"POST", ctJSON, `["Ada"]`, 400, "bad_request", "must be a JSON object"},
		"second object":          {"POST", ctJSON, `{"name":"Ada"} {}`, 400, "bad_request", "data after the JSON object"},
		"trailing garbage":       {"POST", ctJSON, `{"name":"Ada"}x`, 400, "bad_request", "data after the JSON object"},
		"null":                   {"POST", ctJSON, `null`, 400, "bad_name", "invalid name: empty"},
		"no name":                {"POST", ctJSON, `{}`, 400, "bad_name", "invalid name: empty"},
		"blank name":             {"POST", ctJSON, `{"name":"   "}`, 400, "bad_name", "invalid name: empty"},
		"long name":              {"POST", ctJSON, `{"name":"ABCDEFGHIJKLMNOPQ"}`, 400, "bad_name", "invalid name: 17 characters long; at most 16"},
		"bad character":          {"POST", ctJSON, `{"name":"<b>Ada</b>"}`, 400, "bad_name", `invalid name: contains '<'`},
		"control character":      {"POST", ctJSON, `{"name":"A\u0007da"}`, 400, "bad_name", "invalid name: contains a control character (U+0007)"},
	} {
		t.Run(name, func(t *testing.T) {
			a := playAPI(t, nil)
			rep := a.raw(t, tc.method, "/api/play", tc.contentType, strings.NewReader(tc.body))
			if rep.status != tc.status {
				t.Errorf("status %d; want %d (body %s)", rep.status, tc.status, rep.body)
			}
			if msg := errorText(t, rep); !strings.Contains(msg, tc.reason) {
				t.Errorf("reason %q; want it to say %q", msg, tc.reason)
			}
			if tc.status == 405 && rep.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q; want POST", rep.header.Get("Allow"))
			}
			if got := a.outcomes.count(tc.outcome); got != 1 {
				t.Errorf("observed outcome %q %d times; want once", tc.outcome, got)
			}
			if held := a.held(t); len(held) != 0 {
				t.Errorf("a refused request reserved seats: %v", held)
			}
		})
	}
}

func TestPlayAcceptsJSONVariants(t *testing.T) {
	a := playAPI(t, nil)
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON; charset=UTF-8"} {
		rep := a.raw(t, http.MethodPost, "/api/play", ct, strings.NewReader(`{"name":"Ada"}`+"\n"))
		if rep.status != http.StatusOK {
			t.Errorf("Content-Type %q: status %d (%s); want 200", ct, rep.status, rep.body)
		}
	}
}

func TestPlayBodyLimitOption(t *testing.T) {
	a := playAPI(t, func(o *lobby.Options) { o.MaxBodyBytes = 16 })
	if rep := a.play(t, `{"name":"Ada"}`); rep.status != http.StatusOK {
		t.Errorf("14-byte body: status %d; want 200", rep.status)
	}
	rep := a.play(t, `{"name":"Ada Lovelace"}`)
	if rep.status != http.StatusRequestEntityTooLarge || !strings.Contains(errorText(t, rep), "larger than 16 bytes") {
		t.Errorf("23-byte body: status %d, %s; want 413 naming the 16-byte limit", rep.status, rep.body)
	}
}

func TestPlayNoSeat(t *testing.T) {
	a := newAPI(t, &hookedStore{Store: lobby.NewMemoryStore(), enqueue: func(context.Context) error {
		return errors.New("every server is full")
	}}, nil)
	rep := a.play(t, `{"name":"Ada"}`)
	if rep.status != http.StatusServiceUnavailable || rep.header.Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q; want 503 with Retry-After", rep.status, rep.header.Get("Retry-After"))
	}
	msg := errorText(t, rep)
	if !strings.Contains(msg, "no seat available") || strings.Contains(msg, "every server is full") {
		t.Errorf("reason %q; want a plain no-seat message without internals", msg)
	}
	if got := a.outcomes.count("no_seat"); got != 1 {
		t.Errorf("observed %d no_seat outcomes; want 1", got)
	}
}

func TestPlayUnusableRoom(t *testing.T) {
	a := newAPI(t, &hookedStore{Store: lobby.NewMemoryStore(), roomID: func() (string, bool) {
		return "room with spaces", true
	}}, nil)
	rep := a.play(t, `{"name":"Ada"}`)
	if rep.status != http.StatusInternalServerError {
		t.Errorf("status %d; want 500", rep.status)
	}
	if msg := errorText(t, rep); msg != "internal error reserving a seat" {
		t.Errorf("reason %q", msg)
	}
	if got := a.outcomes.count("internal"); got != 1 {
		t.Errorf("observed %d internal outcomes; want 1", got)
	}
}

func TestPlayClientLeavesDuringReserve(t *testing.T) {
	observed := make(chan string, 1)
	a := newAPI(t, &hookedStore{Store: lobby.NewMemoryStore(), enqueue: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}}, func(o *lobby.Options) { o.Observe = func(outcome string) { observed <- outcome } })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.srv.URL+"/api/play", strings.NewReader(`{"name":"Ada"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if resp, err := a.client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("request answered %d; want the client to give up", resp.StatusCode)
	}
	select {
	case got := <-observed:
		if got != "canceled" {
			t.Errorf("outcome %q; want canceled", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the lobby never noticed that the client left")
	}
}

func TestPlayConcurrentPlayers(t *testing.T) {
	const players, capacity = 100, 8
	a := playAPI(t, func(o *lobby.Options) { o.Modes = map[string]int{"ffa": capacity} })
	now := a.clock.Now()
	tickets := make([]ticket.Ticket, players)
	var wg sync.WaitGroup
	for i := range players {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/api/play", strings.NewReader(`{"name":"Bot `+strconv.Itoa(i)+`"}`))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := a.client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var p playReply
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("player %d: status %d, %v", i, resp.StatusCode, err)
				return
			}
			tk, err := a.verifier.Verify(p.Ticket, now)
			if err != nil || tk.Name != "Bot "+strconv.Itoa(i) || tk.Room != p.Room || strconv.FormatUint(tk.PlayerID, 10) != p.PlayerID {
				t.Errorf("player %d: ticket %+v, %v does not match %+v", i, tk, err, p)
			}
			tickets[i] = tk
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	ids, nonces := make(map[uint64]bool), make(map[uint64]bool)
	for _, tk := range tickets {
		ids[tk.PlayerID] = true
		nonces[tk.Nonce] = true
	}
	if len(ids) != players || len(nonces) != players {
		t.Errorf("%d distinct player ids and %d distinct nonces; want %d of each", len(ids), len(nonces), players)
	}
	held := a.held(t)
	if want := (players + capacity - 1) / capacity; len(held) != want {
		t.Errorf("%d rooms opened; want %d", len(held), want)
	}
	total := 0
	for room, n := range held {
		if n > capacity {
			t.Errorf("room %s holds %d seats; capacity %d", room, n, capacity)
		}
		total += n
	}
	if total != players {
		t.Errorf("%d seats held; want %d", total, players)
	}
	if got := a.outcomes.count("ok"); got != players {
		t.Errorf("observed %d ok outcomes; want %d", got, players)
	}
}
