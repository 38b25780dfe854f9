//go:build js && wasm

// lobby_js.go — the lobby calls, on the page's own origin: a guest login
// (POST /api/login) kept in sessionStorage for the tab's life, then quick
// match (POST /api/play), creating a private room (POST /api/rooms) or
// joining one by code (POST /api/rooms/join), each with the session's
// token: asked again after a dropped connection (session.go), the lobby
// hands back the seat the server holds for the player, so they come back
// as themself (server/hold.go). It uses
// the browser's fetch and JSON through syscall/js (Go's net/http and
// encoding/json would add megabytes to the download). The calls run on
// their own goroutine, waiting on the promises, and deliver on a channel,
// so Update never waits for the lobby.

package main

import (
	"syscall/js"
)

// seatKind is how a session asks for its seat.
type seatKind int

const (
	seatQuick  seatKind = iota // quick match
	seatCreate                 // open a private room
	seatJoin                   // join a private room by its code
)

// assignment is the lobby's answer: where to connect, with which ticket.
type assignment struct {
	Ticket string
	WSURL  string
	Room   string
	Code   string // the private room's code; empty for a quick match
}

// dialURL is where the ticket is presented.
func (a assignment) dialURL() string {
	return a.WSURL + "?ticket=" + js.Global().Call("encodeURIComponent", a.Ticket).String()
}

// lobbyResult is what requestSeat delivers.
type lobbyResult struct {
	a   assignment
	err string // empty on success
	// retry is false when asking again cannot help (the name or code was refused).
	retry bool
}

// lobbyTimeout bounds each lobby call, in milliseconds.
const lobbyTimeout = 10000

// requestSeat asks the lobby for a seat and delivers the answer on the
// returned channel.
func requestSeat(kind seatKind, name, code string) <-chan lobbyResult {
	ch := make(chan lobbyResult, 1)
	go func() { ch <- seat(kind, name, code) }()
	return ch
}

func seat(kind seatKind, name, code string) lobbyResult {
	for fresh := false; ; fresh = true {
		token, failed := sessionToken(name, fresh)
		if failed.err != "" {
			return lobbyResult{err: failed.err, retry: failed.retry}
		}
		var r reply
		switch kind {
		case seatQuick:
			r = post("/api/play", token)
		case seatCreate:
			r = post("/api/rooms", token)
		default:
			r = post("/api/rooms/join", token, "code", code)
		}
		if r.status == 401 && !fresh {
			continue // the session expired: a new one, once
		}
		return assigned(r)
	}
}

// sessionStore is where the tab keeps its lobby session, as JSON
// {"token", "name"}: sessionStorage lives as long as the tab, reloads
// included, and no other tab sees it.
const sessionStore = "skirmish.session"

// sessionToken returns the token of the tab's lobby session for name,
// logging in when there is none for that name (or fresh asks for a new
// one); a failed login is the reply.
func sessionToken(name string, fresh bool) (string, reply) {
	store := sessionStorage()
	if store.Truthy() && !fresh {
		if raw := store.Call("getItem", sessionStore); raw.Type() == js.TypeString {
			if v, ok := parseJSON(raw.String()); ok && jsString(v, "name") == name && jsString(v, "token") != "" {
				return jsString(v, "token"), reply{}
			}
		}
	}
	login := post("/api/login", "", "name", name)
	if login.err != "" {
		return "", login
	}
	token := jsString(login.v, "token")
	if store.Truthy() {
		kept := js.Global().Get("Object").New()
		kept.Set("token", token)
		kept.Set("name", name)
		store.Call("setItem", sessionStore, js.Global().Get("JSON").Call("stringify", kept))
	}
	return token, reply{}
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
		return lobbyResult{err: r.err, retry: r.retry}
	}
	a := assignment{Ticket: jsString(r.v, "ticket"), WSURL: jsString(r.v, "ws_url"), Room: jsString(r.v, "room"), Code: jsString(r.v, "code")}
	if a.Ticket == "" || a.WSURL == "" {
		return lobbyResult{err: "the lobby's answer made no sense", retry: true}
	}
	return lobbyResult{a: a}
}

// post sends a JSON object made of the key, value pairs in kv, with the
// session token if there is one, and waits for the JSON answer.
func post(path, token string, kv ...string) reply {
	global := js.Global()
	body := global.Get("Object").New()
	for i := 0; i+1 < len(kv); i += 2 {
		body.Set(kv[i], kv[i+1])
	}
	headers := global.Get("Object").New()
	headers.Set("Content-Type", "application/json")
	if token != "" {
		headers.Set("Authorization", "Bearer "+token)
	}
	opts := global.Get("Object").New()
	opts.Set("method", "POST")
	opts.Set("headers", headers)
	opts.Set("body", global.Get("JSON").Call("stringify", body))
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
		msg = "the lobby answered " + resp.Get("statusText").String()
	}
	return reply{status: status, err: msg, retry: status >= 500 || status == 429}
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
