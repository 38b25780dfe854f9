//go:build js && wasm

// lobby_js.go — the lobby calls, on the page's own origin. A seat for a
// session (session.go) is asked with the tab's lobby session, a guest
// login (POST /api/login) kept in sessionStorage for the tab's life: quick
// match (POST /api/play), creating a private room (POST /api/rooms),
// joining one by code or a public room by its id (POST /api/rooms/join),
// or waiting for the seat a party's leader queued for (GET /api/queue);
// a spectator's ticket, without a session (POST /api/watch).
// Asked again after a dropped connection, the lobby hands back the seat
// the server holds for the player, so they come back as themself
// (server/hold.go). The title screen's calls go through call too: the
// party (party.go: /api/party, /api/party/join, POST /api/queue) and the
// room directory (rooms.go: GET /api/rooms). It uses the browser's fetch
// and JSON through syscall/js (Go's net/http and encoding/json would add
// megabytes to the download: not even their constants are imported). The
// calls run on their own goroutine, waiting on the promises, and deliver
// on a channel, so Update never waits for the lobby.

package main

import (
	"strconv"
	"syscall/js"
)

// seatKind is how a session asks for its seat.
type seatKind int

const (
	seatQuick  seatKind = iota // quick match
	seatCreate                 // open a private room
	seatJoin                   // join a private room by its code
	seatParty                  // wait for the seat the party's leader queued the party for
	seatRoom                   // a public room by its id: the room list's Join, and a party's way back in
	seatWatch                  // watch a room: a spectator's ticket, no seat (watch.go)
)

// assignment is the lobby's answer: where to connect, with which ticket.
type assignment struct {
	Ticket string
	WSURL  string
	Room   string
	Code   string // the private room's code; empty for a public room
}

// dialURL is where the ticket is presented.
func (a assignment) dialURL() string {
	return a.WSURL + "?ticket=" + js.Global().Call("encodeURIComponent", a.Ticket).String()
}

// lobbyResult is what requestSeat delivers.
type lobbyResult struct {
	a      assignment
	status int    // the lobby's HTTP status when it refused
	err    string // empty on success
	// retry is false when asking again cannot help (the name or code was refused).
	retry bool
}

// lobbyTimeout bounds each lobby call, in milliseconds; queueWait, the
// long poll of GET /api/queue, in seconds, stays inside it.
const (
	lobbyTimeout = 10000
	queueWait    = "8"
)

// requestSeat asks the lobby for the seat req describes and delivers the
// answer on the returned channel.
func requestSeat(req request) <-chan lobbyResult {
	ch := make(chan lobbyResult, 1)
	go func() { ch <- seat(req) }()
	return ch
}

func seat(req request) lobbyResult {
	if req.kind == seatWatch {
		return assigned(call("POST", "/api/watch", "", "room", req.room)) // no session: a spectator takes no seat
	}
	for fresh := false; ; fresh = true {
		token := req.token
		if token == "" {
			t, _, failed := sessionToken(req.name, fresh)
			if failed.err != "" {
				return lobbyResult{err: failed.err, retry: failed.retry}
			}
			token = t
		}
		var res lobbyResult
		switch req.kind {
		case seatQuick:
			res = assigned(call("POST", "/api/play", token))
		case seatCreate:
			res = assigned(call("POST", "/api/rooms", token))
		case seatJoin:
			res = assigned(call("POST", "/api/rooms/join", token, "code", req.code))
		case seatRoom:
			res = assigned(call("POST", "/api/rooms/join", token, "room", req.room))
		case seatParty:
			res = awaitSeat(token)
		}
		if res.status == 401 && !fresh && req.token == "" {
			continue // the session expired: a new one, once
		}
		return res
	}
}

// awaitSeat long-polls GET /api/queue until the seat the party was queued
// for is assigned.
func awaitSeat(token string) lobbyResult {
	for {
		r := call("GET", "/api/queue?wait="+queueWait, token)
		switch {
		case r.status == 404:
			return lobbyResult{err: "the party is no longer in the queue: its leader went back to the title screen"}
		case r.err != "":
			return lobbyResult{err: r.err, retry: r.retry, status: r.status}
		}
		switch jsString(r.v, "status") {
		case "assigned":
			return assigned(r)
		case "queued":
		default:
			return lobbyResult{err: "you are in a game already, perhaps in another tab"}
		}
	}
}

// sessionStore is where the tab keeps its lobby session, as JSON
// {"token", "player", "name"}: sessionStorage lives as long as the tab,
// reloads included, and no other tab sees it.
const sessionStore = "skirmish.session"

// storedSession is the tab's lobby session: its token, player id and
// name, or empty strings when it has none.
func storedSession() (token, player, name string) {
	store := sessionStorage()
	if !store.Truthy() {
		return "", "", ""
	}
	raw := store.Call("getItem", sessionStore)
	if raw.Type() != js.TypeString {
		return "", "", ""
	}
	v, ok := parseJSON(raw.String())
	if !ok {
		return "", "", ""
	}
	return jsString(v, "token"), jsString(v, "player"), jsString(v, "name")
}

// sessionToken returns the token and player id of the tab's lobby session
// for name, logging in when there is none for that name (or fresh asks
// for a new one); a failed login is the reply.
func sessionToken(name string, fresh bool) (token, player string, failed reply) {
	if t, p, n := storedSession(); !fresh && t != "" && p != "" && n == name {
		return t, p, reply{}
	}
	login := call("POST", "/api/login", "", "name", name)
	if login.err != "" {
		return "", "", login
	}
	token, player = jsString(login.v, "token"), jsString(login.v, "player_id")
	if store := sessionStorage(); store.Truthy() {
		kept := js.Global().Get("Object").New()
		kept.Set("token", token)
		kept.Set("player", player)
		kept.Set("name", name)
		store.Call("setItem", sessionStore, js.Global().Get("JSON").Call("stringify", kept))
	}
	return token, player, reply{}
}

// sessionStorage is the page's, or undefined where the browser refuses
// it (a sandboxed frame throws).
func sessionStorage() (v js.Value) {
	defer func() {
		if recover() != nil {
			v = js.Undefined()
		}
	}()
	return js.Global().Get("sessionStorage")
}

// parseJSON parses s; false if it is not JSON.
func parseJSON(s string) (v js.Value, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return js.Global().Get("JSON").Call("parse", s), true
}

// reply is one lobby call's outcome.
type reply struct {
	v      js.Value // the JSON answer
	status int      // the HTTP status; 0 when the lobby did not answer
	err    string
	retry  bool
}

// assigned reads an assignment out of a reply.
func assigned(r reply) lobbyResult {
	if r.err != "" {
		return lobbyResult{err: r.err, retry: r.retry, status: r.status}
	}
	a := assignment{Ticket: jsString(r.v, "ticket"), WSURL: jsString(r.v, "ws_url"), Room: jsString(r.v, "room"), Code: jsString(r.v, "code")}
	if a.Ticket == "" || a.WSURL == "" {
		return lobbyResult{err: "the lobby's answer made no sense", retry: true}
	}
	return lobbyResult{a: a}
}

// call sends method to path with the session token if there is one and,
// when kv has key, value pairs, a JSON object made of them; it waits for
// the JSON answer.
func call(method, path, token string, kv ...string) reply {
	global := js.Global()
	headers := global.Get("Object").New()
	opts := global.Get("Object").New()
	if len(kv) > 0 {
		body := global.Get("Object").New()
		for i := 0; i+1 < len(kv); i += 2 {
			body.Set(kv[i], kv[i+1])
		}
		headers.Set("Content-Type", "application/json")
		opts.Set("body", global.Get("JSON").Call("stringify", body))
	}
	if token != "" {
		headers.Set("Authorization", "Bearer "+token)
	}
	opts.Set("method", method)
	opts.Set("headers", headers)
	if ats := global.Get("AbortSignal"); ats.Truthy() && ats.Get("timeout").Truthy() {
		opts.Set("signal", ats.Call("timeout", lobbyTimeout))
	}
	resp, ok := await(global.Call("fetch", path, opts))
	if !ok {
		return reply{err: "the lobby did not answer", retry: true}
	}
	status := resp.Get("status").Int()
	v, ok := await(resp.Call("json"))
	if !ok {
		v = global.Get("Object").New()
	}
	if status/100 == 2 && ok {
		return reply{v: v, status: status}
	}
	msg := jsString(v, "error")
	if msg == "" {
		msg = "the lobby answered " + strconv.Itoa(status) + " " + resp.Get("statusText").String()
	}
	return reply{v: v, status: status, err: msg, retry: status >= 500 || status == 429}
}

// await blocks this goroutine (never Update's) until p settles: its value
// and true when it resolved, false when it was rejected.
func await(p js.Value) (js.Value, bool) {
	type settled struct {
		v  js.Value
		ok bool
	}
	ch := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{args[0], true}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{args[0], false}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	p.Call("then", onOK, onErr)
	s := <-ch
	return s.v, s.ok
}

// jsString is v[key] when it is a string, else "".
func jsString(v js.Value, key string) string {
	if v.Type() != js.TypeObject {
		return ""
	}
	if s := v.Get(key); s.Type() == js.TypeString {
		return s.String()
	}
	return ""
}

// jsInt is v[key] when it is a number, else 0.
func jsInt(v js.Value, key string) int {
	if v.Type() != js.TypeObject {
		return 0
	}
	if n := v.Get(key); n.Type() == js.TypeNumber {
		return n.Int()
	}
	return 0
}

// jsStrings is v[key] when it is an array, its strings.
func jsStrings(v js.Value, key string) []string {
	if v.Type() != js.TypeObject {
		return nil
	}
	a := v.Get(key)
	if !js.Global().Get("Array").Call("isArray", a).Bool() {
		return nil
	}
	out := make([]string, 0, a.Length())
	for i := range a.Length() {
		if s := a.Index(i); s.Type() == js.TypeString {
			out = append(out, s.String())
		}
	}
	return out
}
