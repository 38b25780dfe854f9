//go:build js && wasm

// poll.go — asking the server again and again without waiting for it:
// the title's lists (rooms.go, matches.go) each keep a poller, which runs
// one call at a time off the game's goroutine and hands the answer to
// update.

package main

import "time"

// poller runs fetch every so often, one call at a time. The zero value
// asks at the first update.
type poller[R any] struct {
	busy <-chan R
	next time.Time
}

// update returns the answer of the call under way once it came (true),
// and starts the next call every after it, on a goroutine of its own.
func (p *poller[R]) update(now time.Time, every time.Duration, fetch func() R) (r R, came bool) {
	if p.busy != nil {
		select {
		case r = <-p.busy:
			p.busy, p.next = nil, now.Add(every)
			return r, true
		default:
			return r, false
		}
	}
	if !now.Before(p.next) {
		ch := make(chan R, 1)
		p.busy = ch
		go func() { ch <- fetch() }()
	}
	return r, false
}

// refresh asks again at the next update (after a session, say).
func (p *poller[R]) refresh(now time.Time) { p.next = now }
