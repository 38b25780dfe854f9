//go:build js && wasm

// lobby_js.go — the lobby call: POST /api/play {name} on the page's own
// origin, which answers with a ticket and the WebSocket URL. It uses the
// browser's fetch and JSON directly through syscall/js (Go's net/http and
// encoding/json would add megabytes to the download); the promise's
// callbacks deliver on a channel, so Update never waits for the call.

package main

import (
	"net/url"
	"syscall/js"
)

// assignment is the lobby's answer.
type assignment struct {
	Ticket string
	WSURL  string
	Room   string
}

// dialURL is where the ticket is presented.
func (a assignment) dialURL() string { return a.WSURL + "?ticket=" + url.QueryEscape(a.Ticket) }

// lobbyResult is what requestPlay delivers.
type lobbyResult struct {
	a   assignment
	err string // empty on success
	// retry is false when asking again cannot help (the name was refused).
	retry bool
}

// lobbyTimeout bounds a lobby call, in milliseconds.
const lobbyTimeout = 10000

// requestPlay asks the lobby for a seat and delivers the answer on the
// returned channel.
func requestPlay(name string) <-chan lobbyResult {
	ch := make(chan lobbyResult, 1)
	global := js.Global()
	body := global.Get("Object").New()
	body.Set("name", name)
	headers := global.Get("Object").New()
	headers.Set("Content-Type", "application/json")
	opts := global.Get("Object").New()
	opts.Set("method", "POST")
	opts.Set("headers", headers)
	opts.Set("body", global.Get("JSON").Call("stringify", body))
	if ats := global.Get("AbortSignal"); ats.Truthy() && ats.Get("timeout").Truthy() {
		opts.Set("signal", ats.Call("timeout", lobbyTimeout))
	}

	var funcs []js.Func
	deliver := func(r lobbyResult) {
		ch <- r
		for _, f := range funcs {
			f.Release()
		}
	}
	var status int
	onJSON := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := args[0]
		if status != 200 {
			msg := "the lobby refused (HTTP " + itoa(status) + ")"
			if e := v.Get("error"); e.Type() == js.TypeString {
				msg = e.String()
			}
			deliver(lobbyResult{err: msg, retry: status >= 500 || status == 429})
			return nil
		}
		a := assignment{Ticket: jsString(v, "ticket"), WSURL: jsString(v, "ws_url"), Room: jsString(v, "room")}
		if a.Ticket == "" || a.WSURL == "" {
			deliver(lobbyResult{err: "the lobby's answer made no sense", retry: true})
			return nil
		}
		deliver(lobbyResult{a: a})
		return nil
	})
	onResponse := js.FuncOf(func(_ js.Value, args []js.Value) any {
		status = args[0].Get("status").Int()
		return args[0].Call("json")
	})
	onError := js.FuncOf(func(js.Value, []js.Value) any {
		deliver(lobbyResult{err: "the lobby did not answer", retry: true})
		return nil
	})
	funcs = append(funcs, onJSON, onResponse, onError)
	global.Call("fetch", "/api/play", opts).Call("then", onResponse).Call("then", onJSON).Call("catch", onError)
	return ch
}

// jsString is v[key] when it is a string, else "".
func jsString(v js.Value, key string) string {
	if s := v.Get(key); s.Type() == js.TypeString {
		return s.String()
	}
	return ""
}

func itoa(n int) string { return js.ValueOf(n).Call("toString").String() }
