//go:build js && wasm

// socket_js.go — the WebSocket, through the browser's own (syscall/js).
// JavaScript calls the callbacks on the event loop; they only copy bytes
// into a queue under a mutex, with the time they came. The game's Update
// drains the queue, so it never waits on the network, and hands the
// netcode each frame with its arrival time (a round trip or a snapshot's
// arrival is not a frame late for it); send only hands bytes to the
// browser, which buffers them.

package main

import (
	"sync"
	"syscall/js"
	"time"
)

// socket is one WebSocket connection.
type socket struct {
	ws    js.Value
	funcs []js.Func
	out   js.Value // Uint8Array that outgoing frames are copied into

	mu       sync.Mutex
	frames   [][]byte    // received, oldest first
	at       []time.Time // when each of frames came
	draining [][]byte    // being handed to drain's f; owned by drain
	drainAt  []time.Time
	spare    [][]byte // drained frames' buffers, for reuse
	opened   bool
	closed   bool
	code     int    // close code, once closed
	reason   string // close reason, once closed
	bytesIn  int64
	bytesOut int64
}

// dial starts connecting to url. Progress shows through poll.
func dial(url string) *socket {
	s := &socket{out: js.Global().Get("Uint8Array").New(4096)}
	ws := js.Global().Get("WebSocket").New(url)
	ws.Set("binaryType", "arraybuffer")
	s.ws = ws
	s.on("open", func(js.Value) {
		s.mu.Lock()
		s.opened = true
		s.mu.Unlock()
	})
	s.on("message", func(ev js.Value) {
		data := ev.Get("data")
		if data.Type() == js.TypeString {
			return // the server sends binary frames only
		}
		src := js.Global().Get("Uint8Array").New(data)
		n := src.Get("byteLength").Int()
		s.mu.Lock()
		var b []byte
		if k := len(s.spare); k > 0 {
			b, s.spare = s.spare[k-1][:0], s.spare[:k-1]
		}
		if cap(b) < n {
			b = make([]byte, n)
		}
		b = b[:n]
		js.CopyBytesToGo(b, src)
		s.frames = append(s.frames, b)
		s.at = append(s.at, time.Now())
		s.bytesIn += int64(n)
		s.mu.Unlock()
	})
	s.on("close", func(ev js.Value) {
		s.mu.Lock()
		s.closed = true
		s.code = ev.Get("code").Int()
		s.reason = ev.Get("reason").String()
		s.mu.Unlock()
	})
	return s
}

// on registers a callback for a WebSocket event.
func (s *socket) on(event string, f func(js.Value)) {
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		f(args[0])
		return nil
	})
	s.funcs = append(s.funcs, fn)
	s.ws.Call("addEventListener", event, fn)
}

// drain calls f with every frame received since the last call, oldest
// first, and the time it came, until f returns false. f must not keep the
// slice.
func (s *socket) drain(f func(frame []byte, at time.Time) bool) {
	s.mu.Lock()
	s.frames, s.draining = s.draining[:0], s.frames
	s.at, s.drainAt = s.drainAt[:0], s.at
	s.mu.Unlock()
	for i, b := range s.draining {
		if !f(b, s.drainAt[i]) {
			break
		}
	}
	s.mu.Lock()
	s.spare = append(s.spare, s.draining...)
	s.mu.Unlock()
}

// state reports whether the socket opened, whether it closed, and how.
func (s *socket) state() (opened, closed bool, code int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened, s.closed, s.code, s.reason
}

// traffic is the payload bytes received and sent so far.
func (s *socket) traffic() (in, out int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytesIn, s.bytesOut
}

// send sends one binary frame; it never blocks. Frames before the socket
// opens or after it closes are dropped.
func (s *socket) send(b []byte) {
	if len(b) == 0 || s.ws.Get("readyState").Int() != 1 {
		return
	}
	if len(b) > s.out.Get("length").Int() {
		s.out = js.Global().Get("Uint8Array").New(len(b))
	}
	js.CopyBytesToJS(s.out, b)
	s.ws.Call("send", s.out.Call("subarray", 0, len(b)))
	s.mu.Lock()
	s.bytesOut += int64(len(b))
	s.mu.Unlock()
}

// close says goodbye with code and releases the callbacks.
func (s *socket) close(code int, reason string) {
	s.ws.Call("close", code, reason)
	for _, f := range s.funcs {
		defer f.Release()
	}
	s.funcs = nil
}
