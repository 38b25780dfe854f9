//go:build js && wasm

// replay.go — a recorded match played back in the browser (/#replay=ID,
// or the title's recent matches): the log fetched by replay_js.go, read
// with ticklog's Reader and run by ticklog's Replay, the sim package
// itself, tick by tick, then drawn as a netcode.View through the game's
// own arena and world (draw.go) and hud. Space pauses, - and + (or [ and ]) set the speed
// from ¼× to 4×, Left and Right seek 5 s (the keyframe at or before the
// target restored, then stepped to it), Tab follows the next player and
// then the free camera (replaycam.go); Esc goes back to the title.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/proto/ticklogpb"
	"skirmish/sim"
	"skirmish/ticklog"
)

// The speeds a replay plays at, slowest first; speedNormal is 1×.
var speeds = [...]float64{0.25, 0.5, 1, 2, 4}

const (
	speedNormal = 2
	seekStep    = 5 // seconds, for Left and Right
	// maxCatchUp bounds the wall time one update plays, so that a tab
	// left in the background does not fast-forward when shown.
	maxCatchUp = 250 * time.Millisecond
)

type replay struct {
	id    string
	fetch <-chan fetched
	err   string // why the replay stopped: a download or a log that does not read

	h      *ticklogpb.Header
	chunks []*ticklogpb.Chunk
	rp     *ticklog.Replay
	m      *sim.Map
	ci, ti int // the next tick to play: chunks[ci].Ticks[ti]
	names  map[uint32]string

	speed  int // index into speeds
	paused bool
	acc    float64 // ticks owed to the wall clock
	last   time.Time

	cam   replayCam
	view  netcode.View
	arena arena
	world world
	hud   hud
	evs   []pb.EventInfo
	done  bool // Esc: back to the title
}

func newReplay(id string, now time.Time) *replay {
	return &replay{id: id, fetch: fetchReplay(id), speed: speedNormal, last: now, names: map[uint32]string{}}
}

// update runs one update: the download's answer, the keys, then as many
// ticks as the wall clock owes at the speed. True once the viewer leaves.
func (r *replay) update(now time.Time) bool {
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		r.done = true
	}
	elapsed := min(now.Sub(r.last), maxCatchUp)
	r.last = now
	if r.rp == nil {
		if r.err == "" {
			r.receive()
		}
		return r.done
	}
	r.keys()
	if !r.paused && r.err == "" {
		r.acc += elapsed.Seconds() * float64(r.h.GetTickRate()) * speeds[r.speed]
		for ; r.acc >= 1 && r.err == ""; r.acc-- {
			if !r.step(true, now) {
				r.paused, r.acc = true, 0 // the end of the log
				break
			}
		}
	}
	r.fillView()
	r.cam.update(&r.view, r.m)
	return r.done
}

// receive reads the log once it has arrived, and shows its first tick.
func (r *replay) receive() {
	var f fetched
	select {
	case f = <-r.fetch:
	default:
		return
	}
	if f.err != "" {
		r.err = "The replay could not be downloaded: " + f.err
		return
	}
	rd, err := ticklog.NewReader(bytes.NewReader(f.body))
	if err != nil {
		r.err = "The replay does not read: " + err.Error()
		return
	}
	for {
		c, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			r.err = "The replay does not read: " + err.Error()
			return
		}
		r.chunks = append(r.chunks, c)
	}
	if len(r.chunks) == 0 {
		r.err = "The replay holds no ticks."
		return
	}
	rp, err := ticklog.NewReplay(rd.Header())
	if err != nil {
		r.err = "The replay does not read: " + err.Error()
		return
	}
	r.h, r.rp = rd.Header(), rp
	if err := rp.Seek(r.chunks[0].GetKeyframe()); err != nil {
		r.err = "The replay does not read: " + err.Error()
		return
	}
	r.m = r.rp.World.Config().Map
	r.seek(r.firstTick())
	r.fillView()
}

// keys applies this update's controls.
func (r *replay) keys() {
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeySpace):
		if r.paused && r.tick() >= r.lastTick() {
			r.seek(r.firstTick()) // at the end, Space plays it again
		}
		r.paused = !r.paused
		r.acc = 0
	case justPressed(ebiten.KeyMinus, ebiten.KeyBracketLeft, ebiten.KeyNumpadSubtract):
		r.speed = max(r.speed-1, 0)
	case justPressed(ebiten.KeyEqual, ebiten.KeyBracketRight, ebiten.KeyNumpadAdd):
		r.speed = min(r.speed+1, len(speeds)-1)
	case justPressed(ebiten.KeyArrowRight):
		r.seek(r.tick() + seekStep*int32(r.h.GetTickRate()))
	case justPressed(ebiten.KeyArrowLeft):
		r.seek(r.tick() - seekStep*int32(r.h.GetTickRate()))
	}
}

func justPressed(keys ...ebiten.Key) bool {
	for _, k := range keys {
		if inpututil.IsKeyJustPressed(k) {
			return true
		}
	}
	return false
}

// firstTick is the tick the log starts in: its first keyframe's.
func (r *replay) firstTick() int32 { return r.h.GetFirstTick() - 1 }

// lastTick is the log's last tick.
func (r *replay) lastTick() int32 { return r.h.GetLastTick() }

// tick is the World's tick: the last one played.
func (r *replay) tick() int32 { return r.rp.World.Tick }

// seek moves the replay to tick t (clamped to the log): it restores the
// latest keyframe at or before t and steps from there. The kill feed
// starts afresh.
func (r *replay) seek(t int32) {
	t = min(max(t, r.firstTick()), r.lastTick())
	ci := 0
	for i, c := range r.chunks {
		if c.GetKeyframe().GetTick() <= t {
			ci = i
		}
	}
	k := r.chunks[ci].GetKeyframe()
	if err := r.rp.Seek(k); err != nil {
		r.err = "The replay does not read: " + err.Error()
		return
	}
	r.ci, r.ti, r.acc = ci, 0, 0
	clear(r.names)
	for _, n := range k.GetNames() {
		r.names[n.GetPlayer()] = n.GetName()
	}
	for r.tick() < t && r.err == "" && r.step(false, time.Time{}) {
	}
	r.hud.reset()
}

// step plays the next tick; false at the end of the log. With events, the
// tick's kills and match ends reach the hud.
func (r *replay) step(events bool, now time.Time) bool {
	if r.ti == len(r.chunks[r.ci].GetTicks()) {
		if r.ci+1 == len(r.chunks) {
			return false
		}
		r.ci, r.ti = r.ci+1, 0
	}
	t := r.chunks[r.ci].GetTicks()[r.ti]
	r.ti++
	for _, n := range t.GetNames() {
		r.names[n.GetPlayer()] = n.GetName()
	}
	if err := r.rp.Step(t); err != nil {
		r.err = "The replay stopped: " + err.Error()
		return false
	}
	if events {
		r.evs = r.evs[:0]
		for _, e := range r.rp.World.Events {
			r.evs = append(r.evs, pb.EventInfo{Tick: uint32(r.tick()), Kind: pb.EventKind(e.Kind), A: uint32(e.A), B: uint32(e.B), Value: e.Value})
		}
		r.hud.events(r.evs, &r.view, now)
	}
	return true
}

// fillView turns the World into what the game draws: every player as
// another player (none is local), every projectile, the match clock.
func (r *replay) fillView() {
	w, v := r.rp.World, &r.view
	cfg := w.Config()
	v.Tick, v.RenderTick, v.PresentTick = uint32(w.Tick), float64(w.Tick), w.Tick
	v.Match = pb.MatchInfo{Number: uint32(w.Match.Number), Phase: pb.MatchPhase(w.Match.Phase), EndTick: uint32(max(w.Match.EndTick, 0))}
	v.TicksLeft = max(w.Match.EndTick-w.Tick, 0)
	v.Players = v.Players[:0]
	for i := range w.Players {
		p := &w.Players[i]
		name, ok := r.names[uint32(p.ID)]
		if !ok {
			name = fmt.Sprintf("player %d", p.ID)
		}
		v.Players = append(v.Players, netcode.PlayerView{
			ID: uint32(p.ID), Name: name, X: float64(p.X), Y: float64(p.Y), Aim: float64(p.Aim),
			Health: p.Health, MaxHealth: cfg.MaxHealth, Kills: p.Kills, Deaths: p.Deaths, Alive: p.Alive,
		})
	}
	v.Shots = v.Shots[:0]
	for i := range w.Projectiles {
		pr := &w.Projectiles[i]
		v.Shots = append(v.Shots, netcode.ShotView{ID: pr.ID, Owner: uint32(pr.Owner), X: float64(pr.X), Y: float64(pr.Y), Alpha: 1})
	}
}

// draw draws the replay's picture, its bar and, before the log has
// arrived or after it failed, what is happening.
func (r *replay) draw(dst *ebiten.Image, now time.Time) {
	// The camera zooms and moves, so every frame draws the whole screen
	// (dirty.go's copies back only suit a still arena).
	dirty.everything()
	dst.Fill(colBackground)
	if r.rp != nil {
		r.cam.draw(dst, &r.arena, &r.world, r.m, &r.view)
		rate := int32(max(r.h.GetTickRate(), 1))
		r.hud.drawClock(dst, &r.view, rate)
		r.hud.drawFeed(dst, now)
		if r.view.Match.Phase == pb.MatchPhase_MATCH_PHASE_INTERMISSION {
			r.hud.scoreboard(dst, &r.view, "Match over — winner: "+r.hud.winner)
		} else {
			r.hud.scores(dst, &r.view, r.cam.followed(&r.view))
		}
		r.drawBar(dst, rate)
	}
	switch {
	case r.err != "":
		overlay(dst, r.err, "Esc for the title screen")
	case r.rp == nil:
		overlay(dst, "Loading the replay…", r.id)
	}
}

// drawBar draws the bar along the bottom: play or pause, the time and the
// length, the speed, who the camera follows, and the keys.
func (r *replay) drawBar(dst *ebiten.Image, rate int32) {
	const barY, barH = screenH - 64, 64
	fillRect(dst, image.Rect(0, barY, screenW, barY+barH), color.RGBA{0x10, 0x14, 0x1a, 0xd8})
	length := r.lastTick() - r.firstTick()
	at := r.tick() - r.firstTick()
	if length > 0 {
		fillRectF(dst, 16, barY+8, float32(screenW-32), 4, colDim)
		fillRectF(dst, 16, barY+8, float32(screenW-32)*float32(at)/float32(length), 4, colAccent)
	}
	state := "playing"
	if r.paused {
		state = "paused"
	}
	what := "free camera"
	if p := r.cam.following(&r.view); p != nil {
		what = "following " + p.Name
	}
	line := fmt.Sprintf("%s  %s / %s  ·  %s×  ·  %s  ·  room %s, match %d", state, clockOf(at, rate), clockOf(length, rate),
		speedLabel(speeds[r.speed]), what, r.h.GetRoom(), r.h.GetMatch())
	drawText(dst, line, fontMedium, 16, barY+22, colText, alignLeft)
	drawText(dst, "Space pause · - + speed · Left Right 5 s · Tab follow · Esc leave", fontSmall, screenW-16, barY+26, colDim, alignRight)
}

// clockOf is ticks as m:ss.
func clockOf(ticks, rate int32) string {
	s := max(ticks, 0) / rate
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// speedLabel is a speed as the bar shows it: ¼, ½, 1, 2, 4.
func speedLabel(s float64) string {
	switch s {
	case 0.25:
		return "¼"
	case 0.5:
		return "½"
	}
	return fmt.Sprint(s)
}
