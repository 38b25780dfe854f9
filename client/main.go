//go:build js && wasm

// main.go — starts Ebiten and owns the Game: which screen is up, and the
// hand-over between them.

package main

import (
	"log"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// The logical screen is the arena at one pixel per sim pixel; the screen
// Ebiten draws is that times the device's scale (view.go), letterboxed into
// the browser window.
const (
	screenW = 1280
	screenH = 960
)

// screen is which part of the game is showing.
type screen int

const (
	screenTitle  screen = iota
	screenPlay          // connecting, playing, or reconnecting: see session
	screenReplay        // a recorded match played back: see replay
)

// Game implements ebiten.Game.
type Game struct {
	screen  screen
	title   *title
	session *session
	replay  *replay
	status  *status
	sound   *sound
	sharp   *sharpness
	ticks   int
}

func main() {
	g := &Game{title: newTitle(), status: newStatus(), sound: newSound(), sharp: newSharpness()}
	if room, ok := watchFromURL(); ok {
		g.start(watchRequest(room), time.Now())
	} else if id, ok := replayFromURL(); ok {
		g.replay, g.screen = newReplay(id, time.Now()), screenReplay
	}
	ebiten.SetWindowTitle("Skirmish")
	ebiten.SetWindowSize(screenW, screenH)
	ebiten.SetRunnableOnUnfocused(true)
	// Every screen paints all of itself: a match copies back from its
	// arena what the last frame drew over (dirty.go), a full-screen clear
	// less a frame.
	ebiten.SetScreenClearedEveryFrame(false)
	if err := ebiten.RunGame(g); err != nil {
		log.Fatal(err)
	}
}

// Update implements ebiten.Game: 60 times a second, or fewer when frames
// are slow (Ebiten runs at most five a frame and drops the time beyond);
// the netcode's input clock, not this count, says how many inputs go out.
func (g *Game) Update() error {
	now := time.Now()
	g.ticks++
	g.sound.update(g.screen == screenPlay, now)
	g.sharp.update(g.screen == screenPlay, now)
	g.title.kb.shown(g.screen == screenTitle)
	switch g.screen {
	case screenTitle:
		switch req, ok := g.title.update(now); {
		case ok && req.replay != "":
			g.replay, g.screen = newReplay(req.replay, now), screenReplay
		case ok:
			g.start(req, now)
		}
	case screenPlay:
		if g.session.update(now) {
			if ss := g.session; ss.net != nil && !ss.opened && ss.attempt >= len(backoff) {
				// Every socket was refused: the page says what to try.
				pageProblem("socket", ss.exitMessage)
			}
			g.title.back(g.session.exitMessage, now, g.session.opened)
			g.session.close()
			g.session = nil
			g.screen = screenTitle
		}
	case screenReplay:
		if g.replay.update(now) {
			g.title.back(g.replay.err, now, true) // true: a replay leaves the party as it was
			g.replay = nil
			g.screen = screenTitle
		}
	}
	if g.ticks%6 == 0 || g.screen == screenTitle {
		g.status.publish(g, now)
	}
	return nil
}

// start leaves the title screen for a session: a seat, or a room to
// watch (watchRequest).
func (g *Game) start(req request, now time.Time) {
	g.session = newSession(req, now)
	g.session.sound = g.sound
	g.screen = screenPlay
}

// Draw implements ebiten.Game.
func (g *Game) Draw(dst *ebiten.Image) {
	g.status.drawn(dst)
	labels.frame()
	switch g.screen {
	case screenTitle:
		dirty.everything() // the title screen fills it all
		g.title.draw(dst, time.Now())
	case screenPlay:
		g.session.draw(dst, time.Now())
	case screenReplay:
		g.replay.draw(dst, time.Now())
	}
	g.sound.draw(dst, time.Now())
	g.sharp.draw(dst, time.Now())
}

// LayoutF implements ebiten.LayoutFer: the logical screen at the scale
// the window's device pixels call for (view.go), w×h being the window's
// size in CSS pixels; at 1× when sharp drawing is off (sharp.go).
func (g *Game) LayoutF(w, h float64) (float64, float64) {
	scr.set(screenScale(w, h, g.sharp.ratio()))
	sw, sh := scr.size()
	return float64(sw), float64(sh)
}

// Layout implements ebiten.Game; Ebiten calls LayoutF instead.
func (g *Game) Layout(int, int) (int, int) { return scr.size() }
