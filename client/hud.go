//go:build js && wasm

// hud.go — everything drawn over the arena: the match timer, the server's
// notice, the kill feed, the player's own numbers, the scoreboard (Tab,
// and the results in the intermission), and the network HUD (N). A
// spectator (camera.go) sees the scores beside the arena instead, with who
// the camera follows: its Tab cycles the players.
// A replay (replay.go) draws the clock, the kill feed and the scores
// beside the arena from here too.

package main

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"skirmish/client/netcode"
	"skirmish/client/sprites"
	pb "skirmish/proto"
)

const (
	feedLines = 5
	feedFor   = 5 * time.Second
)

type feedItem struct {
	killed, victim string // "Ada  killed", "Bob"
	kc, vc         color.RGBA
	until          time.Time
}

type hud struct {
	feed     []feedItem
	winner   string // of the last finished match
	netShown bool
	order    []int // scoreboard order, indices into the view's players

	// The strings that change, kept until what they show does, so that a
	// frame formats nothing.
	clock      string
	clockLeft  int32 // seconds left
	clockPause bool  // in the intermission
	status     string
	statusOf   [3]int32 // health, kills, deaths
	codeLine   string
	codeLineOf string
}

// reset forgets what belonged to the previous connection.
func (h *hud) reset() {
	h.feed = h.feed[:0]
	h.winner = ""
}

// events takes the events the picture reached this tick (netcode's Events
// holds each back until the other players are drawn at its tick). Names
// come from v, the last drawn view.
func (h *hud) events(evs []pb.EventInfo, v *netcode.View, now time.Time) {
	for _, ev := range evs {
		switch ev.Kind {
		case pb.EventKind_EVENT_KIND_KILL:
			if len(h.feed) == feedLines {
				h.feed = append(h.feed[:0], h.feed[1:]...)
			}
			h.feed = append(h.feed, feedItem{killed: nameOf(v, ev.A) + "  killed", victim: nameOf(v, ev.B),
				kc: sprites.PlayerColor(ev.A), vc: sprites.PlayerColor(ev.B), until: now.Add(feedFor)})
		case pb.EventKind_EVENT_KIND_MATCH_END:
			h.winner = "nobody"
			if ev.A != 0 {
				h.winner = nameOf(v, ev.A)
			}
		case pb.EventKind_EVENT_KIND_MATCH_START:
			h.winner = ""
		}
	}
}

func nameOf(v *netcode.View, id uint32) string {
	for i := range v.Players {
		if v.Players[i].ID == id {
			return v.Players[i].Name
		}
	}
	return fmt.Sprintf("player %d", id)
}

func (h *hud) draw(dst *ebiten.Image, s *session, now time.Time) {
	v := &s.view
	h.drawClock(dst, v, int32(max(s.net.TickRate(), 1)))
	intermission := v.Match.Phase == pb.MatchPhase_MATCH_PHASE_INTERMISSION
	if msg, ok := s.net.Notice(); ok && msg != "" && s.phase == phasePlaying {
		noticeBanner(dst, msg)
	}
	h.drawFeed(dst, now)

	spectating := s.net.Spectator()
	if spectating {
		h.spectatorBar(dst, s)
	} else if me := localPlayer(v); me != nil {
		if of := [3]int32{me.Health, me.Kills, me.Deaths}; h.status == "" || of != h.statusOf {
			h.statusOf, h.status = of, fmt.Sprintf("health %d   kills %d   deaths %d", me.Health, me.Kills, me.Deaths)
		}
		drawText(dst, h.status, fontMedium, 16, screenH-40, colText, alignLeft)
		if !me.Alive {
			drawText(dst, "You were killed. Respawning…", fontLarge, screenW/2, screenH/2-120, colWarn, alignCenter)
		}
	} else if s.net.Welcomed() {
		drawText(dst, "Waiting to spawn…", fontMedium, 16, screenH-40, colDim, alignLeft)
	}
	if !spectating {
		drawText(dst, "Tab scores · N network · Esc leave", fontSmall, screenW-16, screenH-30, colDim, alignRight)
	}
	if s.req.code != "" {
		if h.codeLineOf != s.req.code {
			h.codeLineOf, h.codeLine = s.req.code, "Private room "+s.req.code+" · share the code"
		}
		drawText(dst, h.codeLine, fontMedium, screenW/2, screenH-40, colAccent, alignCenter)
	}

	switch {
	case intermission:
		h.scoreboard(dst, v, "Match over — winner: "+h.winner)
	case spectating:
		h.scores(dst, v, s.cam.follow)
	case ebiten.IsKeyPressed(ebiten.KeyTab):
		h.scoreboard(dst, v, fmt.Sprintf("Scores · room %s", s.net.Room()))
	}
	if h.netShown {
		h.netHUD(dst, s)
	}
}

// drawClock draws the match timer at the top, or the intermission's
// count; rate is ticks per second. The text is made again only when it
// changes.
func (h *hud) drawClock(dst *ebiten.Image, v *netcode.View, rate int32) {
	left := max(v.TicksLeft, 0) / rate
	intermission := v.Match.Phase == pb.MatchPhase_MATCH_PHASE_INTERMISSION
	if h.clock == "" || left != h.clockLeft || intermission != h.clockPause {
		h.clockLeft, h.clockPause, h.clock = left, intermission, fmt.Sprintf("%d:%02d", left/60, left%60)
		if intermission {
			h.clock = fmt.Sprintf("next match in %d", left+1)
		}
	}
	drawText(dst, h.clock, fontLarge, screenW/2, 16, colText, alignCenter)
}

// drawFeed draws the latest kills at the top right.
func (h *hud) drawFeed(dst *ebiten.Image, now time.Time) {
	y := 16
	for _, it := range h.feed {
		if now.After(it.until) {
			continue
		}
		drawText(dst, it.victim, fontSmall, screenW-16, y, it.vc, alignRight)
		drawText(dst, it.killed, fontSmall, screenW-16-textWidth(it.victim)-8, y, it.kc, alignRight)
		y += 20
	}
}

// noticeBanner shows the server's latest notice (for one: this server shuts
// down after the match) on a strip under the match timer.
func noticeBanner(dst *ebiten.Image, msg string) {
	w, h := textSize(msg)
	banner := image.Rect(screenW/2-w/2-12, 54, screenW/2+w/2+12, 54+h+12)
	dirty.add(banner)
	fillRect(dst, banner, color.RGBA{0x10, 0x14, 0x1a, 0xd0})
	drawText(dst, msg, fontSmall, screenW/2, 60, colAccent, alignCenter)
}

func textWidth(s string) int {
	w, _ := textSize(s)
	return w
}

// spectatorBar says what a spectator watches and which keys move the
// camera.
func (h *hud) spectatorBar(dst *ebiten.Image, s *session) {
	what := "free camera"
	if p := s.cam.following(&s.view); p != nil {
		what = "following " + p.Name
	}
	drawText(dst, "Spectating room "+s.net.Room()+" · "+what, fontMedium, 16, screenH-40, colAccent, alignLeft)
	drawText(dst, "Tab or ] next player · [ previous · arrows or WASD free camera · N network · Esc leave", fontSmall, screenW-16, screenH-30, colDim, alignRight)
}

// scores is a watcher's scoreboard (a spectator's or a replay's), small, at the top
// left: the players by kills, the followed one marked.
func (h *hud) scores(dst *ebiten.Image, v *netcode.View, followed uint32) {
	h.sortByScore(v)
	const rowH = 22
	fillRect(dst, image.Rect(8, 8, 248, 24+rowH*len(h.order)), color.RGBA{0x10, 0x14, 0x1a, 0xc0})
	for row, i := range h.order {
		p := &v.Players[i]
		y := 14 + rowH*row
		clr := colText
		if p.ID == followed {
			clr = colAccent
		}
		fillCircle(dst, 22, float32(y+8), 6, sprites.PlayerColor(p.ID))
		drawText(dst, p.Name, fontSmall, 36, y, clr, alignLeft)
		drawText(dst, fmt.Sprintf("%d / %d", p.Kills, p.Deaths), fontSmall, 236, y, clr, alignRight)
	}
}

// scoreboard lists the players by kills (then fewest deaths).
func (h *hud) scoreboard(dst *ebiten.Image, v *netcode.View, headline string) {
	h.sortByScore(v)
	const rowH = 28
	panel := image.Rect(340, 140, 940, 140+90+rowH*len(h.order))
	fillRect(dst, panel, color.RGBA{0x10, 0x14, 0x1a, 0xe8})
	drawText(dst, headline, fontMedium, screenW/2, panel.Min.Y+14, colAccent, alignCenter)
	y := panel.Min.Y + 52
	drawText(dst, "player", fontSmall, panel.Min.X+60, y, colDim, alignLeft)
	drawText(dst, "kills", fontSmall, panel.Max.X-140, y, colDim, alignRight)
	drawText(dst, "deaths", fontSmall, panel.Max.X-40, y, colDim, alignRight)
	for rank, i := range h.order {
		p := &v.Players[i]
		y += rowH
		clr := colText
		if p.Local {
			clr = colAccent
		}
		fillCircle(dst, float32(panel.Min.X+40), float32(y+9), 7, sprites.PlayerColor(p.ID))
		drawText(dst, fmt.Sprintf("%d. %s", rank+1, p.Name), fontMedium, panel.Min.X+60, y-3, clr, alignLeft)
		drawText(dst, fmt.Sprint(p.Kills), fontMedium, panel.Max.X-140, y-3, clr, alignRight)
		drawText(dst, fmt.Sprint(p.Deaths), fontMedium, panel.Max.X-40, y-3, clr, alignRight)
	}
}

// sortByScore fills h.order with v's players by kills, then fewest
// deaths, then id.
func (h *hud) sortByScore(v *netcode.View) {
	h.order = h.order[:0]
	for i := range v.Players {
		h.order = append(h.order, i)
	}
	slices.SortFunc(h.order, func(a, b int) int {
		pa, pb := &v.Players[a], &v.Players[b]
		if c := cmp.Compare(pb.Kills, pa.Kills); c != 0 {
			return c
		}
		if c := cmp.Compare(pa.Deaths, pb.Deaths); c != 0 {
			return c
		}
		return cmp.Compare(pa.ID, pb.ID)
	})
}

// netHUD shows the connection's numbers.
func (h *hud) netHUD(dst *ebiten.Image, s *session) {
	st := s.net.Stats()
	in, out := st.BytesInPerSec, st.BytesOutPerSec
	lines := []string{
		fmt.Sprintf("ping %d ms", st.RTT.Milliseconds()),
		fmt.Sprintf("fps %.0f  tps %.0f", ebiten.ActualFPS(), ebiten.ActualTPS()),
		fmt.Sprintf("server tick %d", st.ServerTick),
		fmt.Sprintf("snapshots %.0f/s", st.SnapshotsPerSec),
		fmt.Sprintf("in %.1f KB/s  out %.1f KB/s", in/1000, out/1000),
		fmt.Sprintf("corrections %d (last %d u)", st.Corrections, st.LastCorrection),
		fmt.Sprintf("own shot +%d ms (refused %d)", st.OwnShotLatency.Milliseconds(), st.OwnShotsRefused),
		fmt.Sprintf("interp delay %d ms", st.InterpDelay.Milliseconds()),
		fmt.Sprintf("input lead %d (low %.1f) clock %+.1f%%", st.InputLead, st.InputTrough, 100*st.Dilation),
		fmt.Sprintf("desyncs %d", st.Desyncs),
	}
	fillRect(dst, image.Rect(8, 8, 8+290, 8+12+20*len(lines)), color.RGBA{0, 0, 0, 0xb0})
	for i, l := range lines {
		drawText(dst, l, fontSmall, 16, 14+20*i, colText, alignLeft)
	}
}
