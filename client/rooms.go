//go:build js && wasm

// rooms.go — the title screen's room list: the public rooms the lobby's
// directory lists (GET /api/rooms, lobby/directory.go), asked again every
// two seconds while the title screen is up, each with its mode, players,
// match phase and time left, a Join button when it has a free seat (a
// seatRoom session, lobby_js.go) and a Watch button when it takes one
// more spectator (a seatWatch session: watch.go). A list of more than one
// mode has a row of toggles to show one mode's rooms only. title.go
// places it and takes the clicks.

package main

import (
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

const (
	roomsPoll = 2 * time.Second
	roomsRows = 4 // rows shown; the rest are counted (the recent matches, matches.go, sit below)
)

// Room list layout, in logical pixels: a header, then rows.
var (
	roomsPanel = image.Rect(660, 420, 1220, 680)
	roomsRow0  = 500 // top of the first row
	roomsRowH  = 42
)

// roomInfo is one public room, as the directory listed it.
type roomInfo struct {
	room, mode                  string
	players, reserved, capacity int
	playing                     bool // a match is on; else between matches
	timeLeft                    int  // whole seconds left in the match, when the list came
	watchable                   bool // POST /api/watch would take one more spectator
}

func (r roomInfo) free() int { return r.capacity - r.players - r.reserved }

// roomsResult is one directory call's outcome.
type roomsResult struct {
	rooms []roomInfo
	err   string
}

type roomList struct {
	rooms   []roomInfo
	at      time.Time // when rooms came
	err     string
	poll    poller[roomsResult]
	version int // counts the lists that came and the filter's changes, for status_js.go

	modes    []string   // the list's modes, sorted; the toggles show when there are two or more
	mode     string     // the mode shown; "" all of them
	filtered []roomInfo // rooms of that mode
}

// The mode toggles sit right of the column headings, "all" first.
const (
	modesRight = 1220
	modesSpan  = 240 // the row's width at most
	modeW      = 80  // a toggle's width at most
)

// update takes the directory's answer and asks again when it is time.
func (l *roomList) update(now time.Time) {
	if r, ok := l.poll.update(now, roomsPoll, directory); ok {
		l.err = r.err
		if r.err == "" {
			l.rooms, l.at = r.rooms, now
			l.filter()
		}
	}
}

// filter lists the rooms' modes and picks the rooms of the mode shown
// (all, when that mode has gone or is the only one).
func (l *roomList) filter() {
	l.modes = l.modes[:0]
	for _, r := range l.rooms {
		if !slices.Contains(l.modes, r.mode) {
			l.modes = append(l.modes, r.mode)
		}
	}
	slices.Sort(l.modes)
	if len(l.modes) < 2 || !slices.Contains(l.modes, l.mode) {
		l.mode = ""
	}
	l.filtered = l.filtered[:0]
	for _, r := range l.rooms {
		if l.mode == "" || r.mode == l.mode {
			l.filtered = append(l.filtered, r)
		}
	}
	l.version++
}

// toggles is how many mode toggles show: none, or "all" and each mode.
func (l *roomList) toggles() int {
	if len(l.modes) < 2 {
		return 0
	}
	return len(l.modes) + 1
}

// toggle is the rectangle of toggle i of n (0: all, then l.modes).
func (l *roomList) toggle(i, n int) image.Rectangle {
	w := min(modeW, modesSpan/n)
	x := modesRight - (n-i)*w
	y := roomsRow0 - 34
	return image.Rect(x+2, y, x+w-2, y+26)
}

// toggled shows the mode whose toggle is at pt, if any; it reports
// whether one was.
func (l *roomList) toggled(pt image.Point) bool {
	n := l.toggles()
	for i := range n {
		if !pt.In(l.toggle(i, n)) {
			continue
		}
		l.mode = ""
		if i > 0 {
			l.mode = l.modes[i-1]
		}
		l.filter()
		return true
	}
	return false
}

// directory asks the lobby for its public rooms.
func directory() roomsResult {
	r := call("GET", "/api/rooms", "")
	if r.err != "" {
		return roomsResult{err: r.err}
	}
	a := r.v.Get("rooms")
	out := roomsResult{rooms: make([]roomInfo, 0, a.Length())}
	for i := range a.Length() {
		v := a.Index(i)
		out.rooms = append(out.rooms, roomInfo{room: jsString(v, "room"), mode: jsString(v, "mode"),
			players: jsInt(v, "players"), reserved: jsInt(v, "reserved"), capacity: jsInt(v, "capacity"),
			playing: jsString(v, "phase") == "playing", timeLeft: jsInt(v, "time_left"),
			watchable: v.Get("watchable").Truthy()})
	}
	return out
}

// joinButton is the Join button of row i.
func (l *roomList) joinButton(i int) image.Rectangle {
	y := roomsRow0 + i*roomsRowH
	return image.Rect(1060, y+4, 1130, y+roomsRowH-4)
}

// watchButton is the Watch button of row i.
func (l *roomList) watchButton(i int) image.Rectangle {
	y := roomsRow0 + i*roomsRowH
	return image.Rect(1140, y+4, 1210, y+roomsRowH-4)
}

// watched returns the room whose Watch button is at pt, if it takes a
// spectator.
func (l *roomList) watched(pt image.Point) (roomInfo, bool) {
	for i, r := range l.shown() {
		if pt.In(l.watchButton(i)) && r.watchable {
			return r, true
		}
	}
	return roomInfo{}, false
}

// clicked returns the room whose Join button is at pt, if it has space.
func (l *roomList) clicked(pt image.Point) (roomInfo, bool) {
	for i, r := range l.shown() {
		if pt.In(l.joinButton(i)) && r.free() > 0 {
			return r, true
		}
	}
	return roomInfo{}, false
}

// shown is the rows shown: the rooms of the mode shown, as many as fit.
func (l *roomList) shown() []roomInfo { return l.filtered[:min(len(l.filtered), roomsRows)] }

// draw draws the list; now counts the time left down between lists.
func (l *roomList) draw(dst *ebiten.Image, now time.Time) {
	p := roomsPanel
	drawText(dst, "Rooms", fontMedium, p.Min.X, p.Min.Y, colText, alignLeft)
	drawText(dst, "public rooms you can join or watch now", fontSmall, p.Min.X+80, p.Min.Y+5, colDim, alignLeft)
	y := roomsRow0 - 28
	for _, h := range []struct {
		s string
		x int
	}{{"room", 680}, {"players", 820}, {"match", 920}} {
		drawText(dst, h.s, fontSmall, h.x, y, colDim, alignLeft)
	}
	for i, n := 0, l.toggles(); i < n; i++ {
		r, label, on := l.toggle(i, n), "all", l.mode == ""
		if i > 0 {
			label, on = l.modes[i-1], l.mode == l.modes[i-1]
		}
		bg, fg := colPanel, colText
		if on {
			bg, fg = colAccent, colBackground
		}
		fillRect(dst, r, bg)
		drawText(dst, label, fontSmall, (r.Min.X+r.Max.X)/2, r.Min.Y+5, fg, alignCenter)
	}
	switch {
	case l.err != "" && len(l.rooms) == 0:
		drawText(dst, "Could not load the rooms: "+l.err, fontSmall, p.Min.X, roomsRow0+10, colWarn, alignLeft)
	case len(l.rooms) == 0 && l.version > 0:
		drawText(dst, "No public rooms yet: Play opens one.", fontMedium, p.Min.X, roomsRow0+10, colDim, alignLeft)
	}
	since := int(now.Sub(l.at) / time.Second)
	for i, r := range l.shown() {
		ry := roomsRow0 + i*roomsRowH
		fillRect(dst, image.Rect(p.Min.X, ry+2, p.Max.X, ry+roomsRowH-2), colPanel)
		ty := ry + (roomsRowH-20)/2
		drawText(dst, r.mode+" · "+r.room, fontMedium, 680, ty, colText, alignLeft)
		drawText(dst, fmt.Sprintf("%d/%d", r.players+r.reserved, r.capacity), fontMedium, 820, ty, colText, alignLeft)
		match := "between matches"
		if left := r.timeLeft - since; r.playing && left > 0 {
			match = fmt.Sprintf("playing · %d:%02d left", left/60, left%60)
		}
		drawText(dst, match, fontSmall, 920, ty+3, colDim, alignLeft)
		b := l.joinButton(i)
		if r.free() > 0 {
			fillRect(dst, b, colAccent)
			drawText(dst, "Join", fontMedium, (b.Min.X+b.Max.X)/2, b.Min.Y+6, colBackground, alignCenter)
		} else {
			drawText(dst, "full", fontMedium, (b.Min.X+b.Max.X)/2, b.Min.Y+6, colDim, alignCenter)
		}
		if w := l.watchButton(i); r.watchable {
			fillRect(dst, w, colDim)
			drawText(dst, "Watch", fontMedium, (w.Min.X+w.Max.X)/2, w.Min.Y+6, colBackground, alignCenter)
		}
	}
	if more := len(l.filtered) - roomsRows; more > 0 {
		drawText(dst, fmt.Sprintf("and %d more", more), fontSmall, p.Min.X, roomsRow0+roomsRows*roomsRowH+6, colDim, alignLeft)
	}
}
