//go:build js && wasm

// socket_js.go — the WebSocket, in a Web Worker of its own (socketWorker),
// so that a frame is stamped when it arrives, not when the page's main
// thread is next free: at a low frame rate a frame's work holds the main
// thread, and a message handler there would run up to a frame late (a
// round trip read 100 ms high at 10 fps). The worker stamps each frame
// with the time it came and posts it to the page, where a plain
// JavaScript handler queues it; open and close set flags in the same way.
// The game's Update drains the queue, so it never waits on the network,
// and hands the netcode each frame with its arrival time; send posts the
// bytes to the worker, which sends them at once.

package main

import (
	"syscall/js"
	"time"
)

// socket is one WebSocket connection.
type socket struct {
	url  string
	conn js.Value // what socketJS made: the worker, its queue and flags
	perf js.Value // window.performance
	out  js.Value // Uint8Array that outgoing frames are copied into

	draining [][]byte // being handed to drain's f; owned by drain
	drainAt  []time.Time
}

// socketJS starts a worker that owns one WebSocket to url and returns the
// page's side of it: q, the frames received, as [frame, ms, frame, ms, …]
// with ms the arrival on the page's performance.now() clock; the state
// (open, closed, code, reason); send and close.
var socketJS = js.Global().Get("Function").New("url", `
	const worker = new Worker(URL.createObjectURL(new Blob([`+"`"+`
		let ws;
		onmessage = (e) => {
			const m = e.data;
			if (m.dial) {
				ws = new WebSocket(m.dial);
				ws.binaryType = "arraybuffer";
				ws.onopen = () => postMessage({open: true});
				ws.onclose = (ev) => postMessage({close: true, code: ev.code, reason: ev.reason});
				ws.onmessage = (ev) => {
					if (typeof ev.data !== "string") {
						postMessage({data: ev.data, at: performance.timeOrigin + performance.now()}, [ev.data]);
					}
				};
			} else if (m.send) {
				if (ws.readyState === 1) ws.send(m.send);
			} else if (m.close) {
				ws.close(m.code, m.reason);
				close();
			}
		};
	`+"`"+`], {type: "text/javascript"})));
	const c = {q: [], open: false, closed: false, code: 0, reason: "", worker: worker};
	worker.onmessage = (e) => {
		const m = e.data;
		if (m.data) c.q.push(new Uint8Array(m.data), m.at - performance.timeOrigin);
		else if (m.open) c.open = true;
		else if (m.close) { c.closed = true; c.code = m.code; c.reason = m.reason; }
	};
	worker.onerror = () => { c.closed = true; c.code = 1006; c.reason = "the socket's worker failed"; };
	c.send = (b) => { if (c.open && !c.closed) worker.postMessage({send: b.buffer}, [b.buffer]); };
	c.close = (code, reason) => { worker.postMessage({close: true, code: code, reason: reason}); };
	worker.postMessage({dial: url});
	return c;`)

// dial starts connecting to url. Progress shows through state.
func dial(url string) *socket {
	return &socket{
		url:  url,
		conn: socketJS.Invoke(url),
		perf: js.Global().Get("performance"),
		out:  js.Global().Get("Uint8Array").New(4096),
	}
}

// drain calls f with every frame received since the last call, oldest
// first, and the time it came, until f returns false. f must not keep the
// slice. A frame's time is the worker's stamp, put on Go's clock by the
// gap between that stamp and performance.now() at the drain.
func (s *socket) drain(f func(frame []byte, at time.Time) bool) {
	q := s.conn.Get("q")
	n := q.Length() / 2
	if n == 0 {
		return
	}
	now, nowMs := time.Now(), s.perf.Call("now").Float()
	bufs := s.draining[:cap(s.draining)]
	s.draining, s.drainAt = s.draining[:0], s.drainAt[:0]
	for i := range n {
		src := q.Index(2 * i)
		size := src.Length()
		var b []byte
		if i < len(bufs) {
			b = bufs[i][:0]
		}
		if cap(b) < size {
			b = make([]byte, size)
		}
		b = b[:size]
		js.CopyBytesToGo(b, src)
		ago := time.Duration((nowMs - q.Index(2*i+1).Float()) * float64(time.Millisecond))
		s.draining = append(s.draining, b)
		s.drainAt = append(s.drainAt, now.Add(-max(ago, 0)))
	}
	q.Call("splice", 0, 2*n)
	for i, b := range s.draining {
		if !f(b, s.drainAt[i]) {
			break
		}
	}
}

// state reports whether the socket opened, whether it closed, and how.
func (s *socket) state() (opened, closed bool, code int, reason string) {
	c := s.conn
	return c.Get("open").Bool(), c.Get("closed").Bool(), c.Get("code").Int(), c.Get("reason").String()
}

// send sends one binary frame; it never blocks. Frames before the socket
// opens or after it closes are dropped.
func (s *socket) send(b []byte) {
	if len(b) == 0 || !s.conn.Get("open").Bool() || s.conn.Get("closed").Bool() {
		return
	}
	if len(b) > s.out.Get("length").Int() {
		s.out = js.Global().Get("Uint8Array").New(len(b))
	}
	js.CopyBytesToJS(s.out, b)
	// A copy of its own, which the worker takes over.
	s.conn.Call("send", s.out.Call("slice", 0, len(b)))
}

// close says goodbye with code; the worker closes the socket and ends.
func (s *socket) close(code int, reason string) { s.conn.Call("close", code, reason) }
