//go:build js && wasm

// matches.go — the title screen's recent matches, under the room list
// (rooms.go) and in its style: the tick logs the server keeps (GET
// /api/replays, ticklog/replayhttp; a lobby lists every node's), newest
// first, asked again every five seconds while the title screen is up,
// each with its room and match, players, winner and length, and a Replay
// button that plays it back (replay.go). title.go places it and takes the
// clicks.

package main

import (
	"fmt"
	"image"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"skirmish/sim"
)

const (
	matchesPoll = 5 * time.Second
	matchesRows = 3
)

// Recent matches layout, in logical pixels: a header, then rows.
var (
	matchesTop  = 690 // the header
	matchesRow0 = 750 // top of the first row
	matchesRowH = 36
)

// matchInfo is one recorded match, as the listing gave it.
type matchInfo struct {
	id, room string
	match    int
	players  int
	winner   string // "" when nobody won or the room closed first
	complete bool
	seconds  int // the log's length
}

// matchesResult is one listing call's outcome.
type matchesResult struct {
	matches []matchInfo
	none    bool // the server keeps no replays (404)
	err     string
}

type matchList struct {
	matches []matchInfo
	none    bool
	err     string
	poll    poller[matchesResult]
	version int // counts the lists that came, for status_js.go
}

// update takes the listing's answer and asks again when it is time.
func (l *matchList) update(now time.Time) {
	if r, ok := l.poll.update(now, matchesPoll, recentMatches); ok {
		l.err = r.err
		if r.err == "" {
			l.matches, l.none = r.matches, r.none
			l.version++
		}
	}
}

// recentMatches asks the server for the logs it keeps.
func recentMatches() matchesResult {
	r := call("GET", "/api/replays", "")
	switch {
	case r.status == 404:
		return matchesResult{none: true}
	case r.err != "":
		return matchesResult{err: r.err}
	}
	a := r.v.Get("replays")
	if a.Type() != js.TypeObject {
		return matchesResult{err: "the listing made no sense"}
	}
	out := matchesResult{matches: make([]matchInfo, 0, min(a.Length(), matchesRows))}
	for i := range min(a.Length(), 64) {
		v := a.Index(i)
		m := matchInfo{id: jsString(v, "id"), room: jsString(v, "room"), match: jsInt(v, "match"),
			winner: jsString(v, "winner"), complete: v.Get("complete").Truthy(), seconds: jsInt(v, "ticks") / sim.TickRate}
		if p := v.Get("players"); p.Type() == js.TypeObject {
			m.players = p.Length()
		}
		if m.id != "" {
			out.matches = append(out.matches, m)
		}
	}
	return out
}

// replayButton is the Replay button of row i.
func (l *matchList) replayButton(i int) image.Rectangle {
	y := matchesRow0 + i*matchesRowH
	return image.Rect(1060, y+3, 1210, y+matchesRowH-3)
}

// clicked returns the match whose Replay button is at pt.
func (l *matchList) clicked(pt image.Point) (matchInfo, bool) {
	for i, m := range l.shown() {
		if pt.In(l.replayButton(i)) {
			return m, true
		}
	}
	return matchInfo{}, false
}

func (l *matchList) shown() []matchInfo { return l.matches[:min(len(l.matches), matchesRows)] }

// draw draws the list.
func (l *matchList) draw(dst *ebiten.Image) {
	p := roomsPanel
	drawText(dst, "Recent matches", fontMedium, p.Min.X, matchesTop, colText, alignLeft)
	drawText(dst, "recorded here: watch one again", fontSmall, p.Min.X+170, matchesTop+5, colDim, alignLeft)
	y := matchesRow0 - 28
	for _, h := range []struct {
		s string
		x int
	}{{"match", 680}, {"players", 820}, {"result", 920}} {
		drawText(dst, h.s, fontSmall, h.x, y, colDim, alignLeft)
	}
	switch {
	case l.err != "" && len(l.matches) == 0:
		drawText(dst, "Could not load the matches: "+l.err, fontSmall, p.Min.X, matchesRow0+8, colWarn, alignLeft)
	case l.none:
		drawText(dst, "This server keeps no replays.", fontMedium, p.Min.X, matchesRow0+8, colDim, alignLeft)
	case len(l.matches) == 0 && l.version > 0:
		drawText(dst, "No recorded matches yet.", fontMedium, p.Min.X, matchesRow0+8, colDim, alignLeft)
	}
	for i, m := range l.shown() {
		ry := matchesRow0 + i*matchesRowH
		fillRect(dst, image.Rect(p.Min.X, ry+2, p.Max.X, ry+matchesRowH-2), colPanel)
		ty := ry + (matchesRowH-20)/2
		drawText(dst, fmt.Sprintf("%s · match %d", m.room, m.match), fontMedium, 680, ty, colText, alignLeft)
		drawText(dst, fmt.Sprint(m.players), fontMedium, 820, ty, colText, alignLeft)
		result := "room closed"
		switch {
		case m.complete && m.winner != "":
			result = "won by " + m.winner
		case m.complete:
			result = "no winner"
		}
		drawText(dst, fmt.Sprintf("%s · %d:%02d", result, m.seconds/60, m.seconds%60), fontSmall, 920, ty+3, colDim, alignLeft)
		b := l.replayButton(i)
		fillRect(dst, b, colAccent)
		drawText(dst, "Replay", fontMedium, (b.Min.X+b.Max.X)/2, b.Min.Y+5, colBackground, alignCenter)
	}
}
