//go:build js && wasm

// replay_js.go — what a replay (replay.go) and the title's recent matches
// (title.go) fetch: GET /api/replays/{id}, the log's bytes, and GET
// /api/replays, the listing. Like lobby_js.go, each call runs on its own
// goroutine, waits on the fetch's promises and delivers on a channel that
// Update polls; nothing here blocks a frame.

package main

import "syscall/js"

// replayFetchTimeout bounds the download of one log, in milliseconds: a
// 3-minute match of 16 players is about 250 KB.
const replayFetchTimeout = 30000

// fetched is the answer of a fetch: the body, or why not.
type fetched struct {
	body []byte
	err  string
}

// fetchReplay downloads the log id and delivers it on the channel.
func fetchReplay(id string) <-chan fetched {
	ch := make(chan fetched, 1)
	go func() { ch <- fetchBytes("/api/replays/" + js.Global().Call("encodeURIComponent", id).String()) }()
	return ch
}

// fetchBytes GETs path and returns its body, following the lobby's
// redirect to the node that keeps a log.
func fetchBytes(path string) fetched {
	global := js.Global()
	opts := global.Get("Object").New()
	if ats := global.Get("AbortSignal"); ats.Truthy() && ats.Get("timeout").Truthy() {
		opts.Set("signal", ats.Call("timeout", replayFetchTimeout))
	}
	resp, ok := await(global.Call("fetch", path, opts))
	if !ok {
		return fetched{err: "the server did not answer"}
	}
	if status := resp.Get("status").Int(); status/100 != 2 {
		if status == 404 {
			return fetched{err: "there is no such replay (it may have been deleted)"}
		}
		return fetched{err: "the server answered " + resp.Get("statusText").String()}
	}
	buf, ok := await(resp.Call("arrayBuffer"))
	if !ok {
		return fetched{err: "the download broke off"}
	}
	arr := global.Get("Uint8Array").New(buf)
	b := make([]byte, arr.Get("length").Int())
	js.CopyBytesToGo(b, arr)
	return fetched{body: b}
}

// replayFromURL is the id of a /#replay=ID link, if the page was opened
// with one.
func replayFromURL() (string, bool) {
	hash := js.Global().Get("location").Get("hash").String()
	const prefix = "#replay="
	if len(hash) <= len(prefix) || hash[:len(prefix)] != prefix {
		return "", false
	}
	return hash[len(prefix):], true // log ids need no escaping; fetchReplay escapes whatever it is
}
