//go:build js && wasm

// session.go — one trip into a match: ask the lobby, connect, play (or
// watch, as a spectator: watch.go, camera.go), and when the connection
// drops, say so and come back with backoff. The lobby
// knows the tab's session (lobby_js.go) and sends it back to the seat the
// server holds for its player (server/hold.go): the Welcome then says
// resumed, and the overlay "Back in your match", or why not. A session
// ends (back to the title) when the player leaves with Esc, when the
// server refuses the player for good (another tab took the player over:
// KICK_REASON_REPLACED), or when reconnecting keeps failing.

package main

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	pb "skirmish/proto"
)

// phase is where a session stands.
type phase int

const (
	phaseLobby      phase = iota // waiting for the lobby's answer
	phaseConnecting              // socket dialed, waiting for the Welcome
	phasePlaying
	phaseLost // waiting to try again
)

func (p phase) String() string {
	return [...]string{"lobby", "connecting", "playing", "reconnecting"}[p]
}

// Reconnection: the waits before attempts 1, 2, 3… and how many to make.
var backoff = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}

const (
	welcomeTimeout = 10 * time.Second // from dial to Welcome
	pingInterval   = time.Second
	noticeFor      = 4 * time.Second // how long a notice stays up

	// watchTimeout is welcomeTimeout for a spectator: a room that delays
	// its spectators (up to a minute) sends the Welcome only once it is
	// that old.
	watchTimeout = time.Minute + welcomeTimeout
)

type session struct {
	// req is how to ask the lobby: a private room is rejoined by its code,
	// a party's or the room list's public room by its id.
	req   request
	phase phase
	lobby <-chan lobbyResult
	sock  *socket
	net   *netcode.Client
	since time.Time // when the phase began

	room      string // the room of the current or last connection
	rejoin    string // the room the player was in before this reconnect; "" on the first trip
	attempt   int    // failed attempts in a row
	retryAt   time.Time
	lostWhy   string // what the reconnect overlay says
	notice    string // a short message shown over the game
	noticeEnd time.Time

	exitMessage string // for the title screen, once the session ends
	done        bool
	opened      bool // a socket of this session opened, at least once

	input    inputState
	cam      camera // a spectator's, instead of input
	view     netcode.View
	arena    arena
	world    world
	hud      hud
	sound    *sound // the game's; set by main.go
	cues     cues
	lastPing time.Time
}

func newSession(req request, now time.Time) *session {
	s := &session{req: req}
	s.ask(now)
	return s
}

// ask asks the lobby for a seat.
func (s *session) ask(now time.Time) {
	s.phase, s.since = phaseLobby, now
	s.lobby = requestSeat(s.req)
}

// update runs one tick; true when the session is over.
func (s *session) update(now time.Time) bool {
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		msg := "You left the match."
		if s.watching() {
			msg = "You stopped watching."
		}
		s.end(msg)
	}
	switch s.phase {
	case phaseLobby:
		s.updateLobby(now)
	case phaseConnecting, phasePlaying:
		s.updateConnected(now)
	case phaseLost:
		if !now.Before(s.retryAt) {
			s.ask(now)
		}
	}
	return s.done
}

func (s *session) updateLobby(now time.Time) {
	var res lobbyResult
	select {
	case res = <-s.lobby:
	default:
		return
	}
	if res.err != "" {
		if !res.retry {
			s.end("The lobby said: " + res.err)
			return
		}
		s.lose(now, "The lobby: "+res.err)
		return
	}
	s.net = netcode.New(netcode.Options{})
	s.sock = dial(res.a.dialURL())
	s.phase, s.since = phaseConnecting, now
	s.rejoin, s.room = s.room, res.a.Room
	switch {
	case res.a.Code != "":
		// Reconnects go back to this room by its code…
		s.req.kind, s.req.code = seatJoin, res.a.Code
	case s.req.kind != seatQuick && s.req.kind != seatWatch:
		// …or by its id (a spectator's reconnect watches again: watch.go).
		s.req.kind, s.req.room = seatRoom, res.a.Room
	}
}

func (s *session) updateConnected(now time.Time) {
	ok := true
	s.sock.drain(func(frame []byte, at time.Time) bool {
		if err := s.net.Handle(frame, at); err != nil {
			ok = false
		}
		return ok
	})
	if !ok {
		s.sock.close(retryClose, "bad server message") // a browser refuses to send 1002 itself
		s.lose(now, "The server sent something this client does not understand.")
		return
	}
	opened, closed, code, reason := s.sock.state()
	s.opened = s.opened || opened
	if closed {
		s.closed(now, code, reason)
		return
	}
	if s.phase == phaseConnecting {
		if !s.net.Welcomed() {
			if wait := now.Sub(s.since); wait > welcomeTimeout && !s.watching() || wait > watchTimeout {
				s.sock.close(retryClose, "timeout")
				s.lose(now, "The game server did not answer.")
			}
			return
		}
		s.phase, s.since, s.attempt = phasePlaying, now, 0
		s.hud.reset()
		s.rejoined(now)
		s.cues = cues{}
	}
	// The input clock, not the frame rate, says how many inputs this
	// update makes: none to eight (netcode.Client.Inputs); a slow frame's
	// updates make those it owes. A spectator makes none: its keys move
	// the camera.
	if s.net.Spectator() {
		s.cam.update(&s.view, s.net.Map())
	} else {
		s.sock.send(s.net.Inputs(s.input.read(&s.view), now))
	}
	if now.Sub(s.lastPing) >= pingInterval {
		s.sock.send(s.net.Ping(now))
		s.lastPing = now
	}
	// The netcode moves to now; draw only reads what this prepared.
	s.net.Advance(now)
	evs := s.net.Events()
	s.hud.events(evs, &s.view, now)
	s.cues.update(s.sound, evs, &s.view, s.net.PlayerID(), s.net.Stats().OwnShots)
	if inpututil.IsKeyJustPressed(ebiten.KeyN) {
		s.hud.netShown = !s.hud.netShown
	}
}

// rejoined says, after a reconnect's Welcome, whether the player is back
// as themself (the server held them) or why not.
func (s *session) rejoined(now time.Time) {
	switch {
	case s.rejoin == "":
	case s.net.Spectator() && s.net.Room() == s.rejoin:
		s.show(now, "Reconnected: watching again.")
	case s.net.Resumed():
		s.show(now, "Back in your match.")
	case s.net.Room() == s.rejoin:
		s.show(now, "Back in your room, as a new player: your old one was not held any longer.")
	default:
		s.show(now, "Your last match is gone: you joined a new one.")
	}
}

// closed handles the end of a connection: a kick the server explained, or
// a plain drop.
func (s *session) closed(now time.Time, code int, reason string) {
	kick, msg, kicked := s.net.Kick()
	switch {
	case kicked && (kick == pb.KickReason_KICK_REASON_FLOOD || kick == pb.KickReason_KICK_REASON_PROTOCOL || kick == pb.KickReason_KICK_REASON_REPLACED ||
		kick == pb.KickReason_KICK_REASON_KICKED || kick == pb.KickReason_KICK_REASON_SPECTATOR):
		s.end("The server closed the game: " + msg)
	case kicked:
		s.lose(now, msg)
	case code == 1000 || code == 1001:
		s.lose(now, "The server closed the connection.")
	default:
		why := fmt.Sprintf("Connection lost (code %d)", code)
		if reason != "" {
			why += ": " + reason
		}
		s.lose(now, why)
	}
}

// retryClose is the close code of a connection the client gives up on to
// try again: not 1000, which tells the server the player left (it would
// let the player go rather than hold them).
const retryClose = 4000

// lose schedules the next attempt, or ends the session after the last.
func (s *session) lose(now time.Time, why string) {
	if s.sock != nil {
		s.sock.close(retryClose, "reconnecting")
		s.sock = nil
	}
	if s.attempt >= len(backoff) {
		s.end("Could not reconnect. " + why)
		return
	}
	s.retryAt = now.Add(backoff[s.attempt])
	s.attempt++
	s.phase, s.since, s.lostWhy = phaseLost, now, why
}

// watching reports whether this session watches a room.
func (s *session) watching() bool { return s.req.kind == seatWatch }

// end finishes the session with a message for the title screen.
func (s *session) end(msg string) {
	s.exitMessage, s.done = msg, true
}

func (s *session) show(now time.Time, msg string) {
	s.notice, s.noticeEnd = msg, now.Add(noticeFor)
}

// close releases the connection.
func (s *session) close() {
	if s.sock != nil {
		s.sock.close(1000, "left")
		s.sock = nil
	}
}

// draw draws whatever the phase shows. It changes nothing but s.view, the
// copy of what the last update's Advance prepared, and a spectator's
// camera, which it centres on that view.
func (s *session) draw(dst *ebiten.Image, now time.Time) {
	if s.net != nil && s.net.Welcomed() {
		s.net.View(&s.view)
		if s.net.Spectator() {
			s.cam.draw(dst, &s.arena, s.net.Map(), &s.view)
		} else {
			s.arena.draw(dst, s.net.Map())
			s.world.draw(dst, &s.view, plain(), nil)
		}
		s.hud.draw(dst, s, now)
		s.input.drawTouch(dst)
	} else {
		dst.Fill(colBackground)
		dirty.everything()
	}
	switch s.phase {
	case phaseLobby, phaseConnecting:
		switch {
		case s.attempt == 0 && s.watching():
			overlay(dst, "Joining room "+s.req.room+" as a spectator…", "")
		case s.attempt == 0:
			overlay(dst, "Finding a match…", "")
		default:
			overlay(dst, "Connection lost — getting you back into your match…", fmt.Sprintf("attempt %d of %d · %s", s.attempt, len(backoff), s.lostWhy))
		}
	case phaseLost:
		wait := max(s.retryAt.Sub(now), 0).Round(100 * time.Millisecond)
		overlay(dst, "Connection lost — getting you back into your match…", fmt.Sprintf("%s · next try in %v · Esc for the title screen", s.lostWhy, wait))
	}
	if s.notice != "" && now.Before(s.noticeEnd) {
		drawText(dst, s.notice, fontMedium, screenW/2, 80, colAccent, alignCenter)
	}
}
