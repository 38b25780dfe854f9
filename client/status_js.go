//go:build js && wasm

// status_js.go — window.skirmish, a small read-only status object for
// tests and the curious: which screen is up, the connection's phase, the
// server tick, snapshots applied, corrections, where the local player is,
// the network's figures (round trip, interpolation delay, input lead and
// the input clock's dilation), the local player's own shots (predicted,
// refused, and how long after its input the last and the slowest were
// drawn), the frame and update rates, where the title screen's fields
// and buttons sit, the private room's code, the notice shown over the game
// (a reconnect's "Back in your match.", or why not), whether the
// connection took over a held player (resumed), the party (its code,
// members and whether this player leads it), the room list, with where
// each room's Join button sits (and its mode toggles: modes, each {mode,
// x, y, w, h}, "" for all; modeShown), the recent matches with their Replay
// buttons, the aim of the last input, the sounds played (sound.go), for a
// spectator (spectating) the player the camera follows (following,
// followingName; 0 and "" for the free camera) and where the camera looks
// (cameraX, cameraY); the screen's scale and size in pixels as the last
// frame drew it (view.go: scale, pixels) and where the logical screen sits
// in the page (view: x, y and CSS pixels per logical pixel, scale); and,
// while a replay plays, window.skirmish.replay (replay.go).
// Refreshed ten times a second.

package main

import (
	"image"
	"math"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

type status struct {
	obj        js.Value
	perf       js.Value
	pixels     image.Point // the size of the screen the last frame drew
	firstFrame bool
	inGame     bool
	rooms      int // the room list's version last published
	matches    int // the recent matches' version last published
}

func newStatus() *status {
	s := &status{obj: js.Global().Get("Object").New()}
	s.obj.Set("playButton", jsRect(playButton))
	s.obj.Set("nameField", jsRect(nameField))
	s.obj.Set("createButton", jsRect(createButton))
	s.obj.Set("codeField", jsRect(codeField))
	s.obj.Set("joinButton", jsRect(joinButton))
	s.obj.Set("partyButton", jsRect(partyButton))
	s.obj.Set("joinPartyButton", jsRect(joinPartyButton))
	s.obj.Set("leavePartyButton", jsRect(leavePartyButton))
	s.obj.Set("rooms", []any{})
	s.obj.Set("screen", []any{screenW, screenH})
	s.perf = js.Global().Get("performance")
	js.Global().Set("skirmish", s.obj)
	return s
}

// drawn records the screen's size and, once, when the first frame was
// drawn (ms since the page started loading).
func (s *status) drawn(dst *ebiten.Image) {
	s.pixels = dst.Bounds().Size()
	if !s.firstFrame {
		s.firstFrame = true
		s.obj.Set("firstFrameMs", s.perf.Call("now").Float())
	}
}

func jsRect(r image.Rectangle) js.Value {
	o := js.Global().Get("Object").New()
	o.Set("x", r.Min.X)
	o.Set("y", r.Min.Y)
	o.Set("w", r.Dx())
	o.Set("h", r.Dy())
	return o
}

// publish copies the game's current numbers into window.skirmish.
func (s *status) publish(g *Game, now time.Time) {
	o := s.obj
	o.Set("updated", now.UnixMilli())
	state, message := "title", g.title.message
	var tick, snapshots, corrections, desyncs, player, inputLead, ownShots, ownRefused int
	var rtt, interpDelay, dilation, ownLatency, ownLatencyMax float64
	players := []any{}
	var x, y float64
	room, code, notice, socketURL := "", "", "", ""
	resumed := false
	spectating, following, followingName := false, 0, ""
	var camX, camY float64
	if ss := g.session; ss != nil {
		state, message = ss.phase.String(), ss.lostWhy
		room, code = ss.room, ss.req.code
		if now.Before(ss.noticeEnd) {
			notice = ss.notice
		}
		if ss.sock != nil {
			socketURL = ss.sock.url
		}
		if ss.net != nil && ss.net.Welcomed() {
			st := ss.net.Stats()
			tick, snapshots, corrections, desyncs = int(st.ServerTick), int(st.Snapshots), int(st.Corrections), int(st.Desyncs)
			rtt, interpDelay = ms(st.RTT), ms(st.InterpDelay)
			inputLead, dilation = int(st.InputLead), st.Dilation
			ownShots, ownRefused = st.OwnShots, st.OwnShotsRefused
			ownLatency, ownLatencyMax = ms(st.OwnShotLatency), ms(st.OwnShotLatencyMax)
			for i := range ss.view.Players {
				players = append(players, ss.view.Players[i].Name)
			}
			player, resumed = int(ss.net.PlayerID()), ss.net.Resumed()
			if me := localPlayer(&ss.view); me != nil {
				x, y = me.X, me.Y
			}
			if spectating = ss.net.Spectator(); spectating {
				camX, camY = ss.cam.x, ss.cam.y
				if p := ss.cam.following(&ss.view); p != nil {
					following, followingName = int(p.ID), p.Name
				}
			}
		}
	}
	if state == "playing" && !s.inGame {
		s.inGame = true
		o.Set("inGameMs", s.perf.Call("now").Float())
	}
	if r := g.replay; r != nil {
		state, message = "replay", r.err
		o.Set("replay", r.status())
	} else {
		o.Set("replay", nil)
	}
	o.Set("state", state)
	o.Set("name", string(g.title.name))
	o.Set("nameSelected", g.title.selected)
	o.Set("typedCode", string(g.title.code))
	p := &g.title.party
	o.Set("partyCode", p.info.code)
	o.Set("partyMembers", len(p.info.members))
	names := make([]any, len(p.info.names))
	for i, n := range p.info.names {
		names[i] = n
	}
	o.Set("partyNames", names)
	o.Set("partyLeader", p.leader())
	if l := &g.title.rooms; l.version != s.rooms {
		s.rooms = l.version
		rooms := []any{}
		for i, r := range l.shown() {
			v := js.Global().Get("Object").New()
			v.Set("room", r.room)
			v.Set("mode", r.mode)
			v.Set("players", r.players)
			v.Set("reserved", r.reserved)
			v.Set("capacity", r.capacity)
			v.Set("playing", r.playing)
			v.Set("timeLeft", r.timeLeft)
			v.Set("join", jsRect(l.joinButton(i)))
			v.Set("watchable", r.watchable)
			v.Set("watch", jsRect(l.watchButton(i)))
			rooms = append(rooms, v)
		}
		o.Set("rooms", rooms)
		modes := []any{}
		for i, n := 0, l.toggles(); i < n; i++ {
			v := jsRect(l.toggle(i, n))
			v.Set("mode", "")
			if i > 0 {
				v.Set("mode", l.modes[i-1])
			}
			modes = append(modes, v)
		}
		o.Set("modes", modes)
		o.Set("modeShown", l.mode)
	}
	if l := &g.title.matches; l.version != s.matches {
		s.matches = l.version
		matches := []any{}
		for i, m := range l.shown() {
			v := js.Global().Get("Object").New()
			v.Set("id", m.id)
			v.Set("room", m.room)
			v.Set("match", m.match)
			v.Set("replay", jsRect(l.replayButton(i)))
			matches = append(matches, v)
		}
		o.Set("matches", matches)
	}
	o.Set("players", players)
	o.Set("desyncs", desyncs)
	o.Set("message", message)
	o.Set("room", room)
	o.Set("code", code)
	o.Set("notice", notice)
	o.Set("resumed", resumed)
	o.Set("socketUrl", socketURL)
	o.Set("playerId", player)
	o.Set("spectating", spectating)
	o.Set("following", following)
	o.Set("followingName", followingName)
	o.Set("cameraX", camX)
	o.Set("cameraY", camY)
	o.Set("tick", tick)
	o.Set("snapshots", snapshots)
	o.Set("corrections", corrections)
	o.Set("x", x)
	o.Set("y", y)
	o.Set("fps", math.Round(ebiten.ActualFPS()*10)/10)
	o.Set("tps", math.Round(ebiten.ActualTPS()*10)/10)
	o.Set("rttMs", rtt)
	o.Set("interpDelayMs", interpDelay)
	o.Set("inputLead", inputLead)
	o.Set("dilation", dilation)
	o.Set("ownShots", ownShots)
	o.Set("ownShotsRefused", ownRefused)
	o.Set("ownShotLatencyMs", ownLatency)
	o.Set("ownShotLatencyMaxMs", ownLatencyMax)
	aim := 0
	if g.session != nil {
		aim = int(g.session.input.aim)
	}
	o.Set("aim", aim)
	o.Set("scale", scr.k)
	o.Set("pixels", []any{s.pixels.X, s.pixels.Y})
	o.Set("view", g.title.kb.pageView())
	g.sound.publish(o)
	g.sharp.publish(o)
}

// ms is d in milliseconds, to a tenth.
func ms(d time.Duration) float64 { return math.Round(float64(d)/1e5) / 10 }

// pageProblem shows the page's message for a problem the game cannot
// solve itself (index.html's skirmishProblem: what is wrong and what to
// try), with detail under it.
func pageProblem(kind, detail string) {
	if f := js.Global().Get("skirmishProblem"); f.Type() == js.TypeFunction {
		f.Invoke(kind, detail)
	}
}

// status is the replay's numbers for window.skirmish.replay: its id, the
// tick played and the log's first and last (tick - first of length
// played), the speed (1 is normal), whether paused or at the end, the
// followed player (id and name; 0 and "" for the free camera) and whether
// the log has loaded.
func (r *replay) status() map[string]any {
	o := map[string]any{"id": r.id, "loaded": r.rp != nil, "error": r.err}
	if r.rp == nil {
		return o
	}
	o["tick"] = int(r.tick())
	o["first"] = int(r.firstTick())
	o["length"] = int(r.lastTick() - r.firstTick())
	o["speed"] = speeds[r.speed]
	o["paused"] = r.paused
	o["ended"] = r.tick() >= r.lastTick()
	o["players"] = len(r.view.Players)
	o["following"] = int(r.cam.followed(&r.view))
	name := ""
	if p := r.cam.following(&r.view); p != nil {
		name = p.Name
	}
	o["followingName"] = name
	return o
}
