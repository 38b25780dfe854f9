//go:build js && wasm

// sound.go — the sound effects: client/sfx synthesises them once, when the
// player first presses a key, clicks or touches (browsers let audio start
// only after a gesture); cues (below) turn what a session's update saw
// into them; M mutes and - and = set the volume, kept in localStorage.
// main.go owns the sound and draws its note; session.go calls the cues.

package main

import (
	"fmt"
	"strconv"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/audio"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	"skirmish/client/sfx"
	pb "skirmish/proto"
)

const (
	sampleRate    = 48000
	volumeSteps   = 10
	defaultVolume = 7
	// voicesPerCue is how many of one cue can sound at once (shots five a
	// second overlap); a sixth restarts the oldest.
	voicesPerCue = 4
	noteFor      = 1500 * time.Millisecond
	volumeKey    = "skirmish.volume" // in localStorage
)

type sound struct {
	ctx     *audio.Context // nil until the first gesture
	voices  [len(sfx.Cues)][voicesPerCue]*audio.Player
	next    [len(sfx.Cues)]int
	played  [len(sfx.Cues)]int // for window.skirmish.sounds
	volume  int                // 0 to volumeSteps
	muted   bool
	note    string // "sound off", "volume 70 %", shown until noteEnd
	noteEnd time.Time
	keys    []ebiten.Key // reused by AppendJustPressedKeys
	touches []ebiten.TouchID
}

func newSound() *sound {
	s := &sound{volume: defaultVolume}
	if ls := js.Global().Get("localStorage"); ls.Truthy() {
		if v := ls.Call("getItem", volumeKey); v.Truthy() {
			if n, err := strconv.Atoi(v.String()); err == nil && n >= 0 && n <= volumeSteps {
				s.volume = n
			}
		}
	}
	return s
}

// update starts the audio on the first gesture and, while a match is on
// screen (inPlay; the title screen's keys are typing), reads M, - and =.
func (s *sound) update(inPlay bool, now time.Time) {
	s.keys = inpututil.AppendJustPressedKeys(s.keys[:0])
	s.touches = inpututil.AppendJustPressedTouchIDs(s.touches[:0])
	if s.ctx == nil && (len(s.keys) > 0 || len(s.touches) > 0 || inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)) {
		s.start()
	}
	if !inPlay {
		return
	}
	changed := true
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyM):
		s.muted = !s.muted
	case inpututil.IsKeyJustPressed(ebiten.KeyMinus) && s.volume > 0:
		s.volume, s.muted = s.volume-1, false
	case inpututil.IsKeyJustPressed(ebiten.KeyEqual) && s.volume < volumeSteps:
		s.volume, s.muted = s.volume+1, false
	default:
		changed = false
	}
	if !changed {
		return
	}
	s.note, s.noteEnd = fmt.Sprintf("volume %d %% · M mutes · - and = change it", 100*s.volume/volumeSteps), now.Add(noteFor)
	if s.muted {
		s.note = "sound off · M for sound"
	}
	if ls := js.Global().Get("localStorage"); ls.Truthy() {
		ls.Call("setItem", volumeKey, strconv.Itoa(s.volume))
	}
}

// start makes the audio context and every cue's voices.
func (s *sound) start() {
	s.ctx = audio.NewContext(sampleRate)
	for i, c := range sfx.Cues {
		pcm := sfx.Synth(c, sampleRate)
		for j := range s.voices[i] {
			s.voices[i][j] = s.ctx.NewPlayerFromBytes(pcm)
		}
	}
}

// play sounds c, unless the audio has not started or is off.
func (s *sound) play(c sfx.Cue) {
	if s.ctx == nil || s.muted || s.volume == 0 {
		return
	}
	p := s.voices[c][s.next[c]]
	s.next[c] = (s.next[c] + 1) % voicesPerCue
	p.SetVolume(float64(s.volume) / volumeSteps)
	if err := p.Rewind(); err != nil {
		return
	}
	p.Play()
	s.played[c]++
}

// draw shows the volume's note after a change.
func (s *sound) draw(dst *ebiten.Image, now time.Time) {
	if s.note != "" && now.Before(s.noteEnd) {
		drawText(dst, s.note, fontMedium, screenW/2, screenH-80, colText, alignCenter)
	}
}

// cues turns what one connection's updates see into sounds: the local
// player's shots (the netcode's count of them), its health falling, its
// respawn, and the kill and match-end events.
type cues struct {
	shots  int
	health int32
	alive  bool
	seen   bool // shots holds the count already
}

func (c *cues) update(s *sound, evs []pb.EventInfo, v *netcode.View, me uint32, ownShots int) {
	if c.seen && ownShots > c.shots {
		s.play(sfx.Fire)
	}
	c.shots, c.seen = ownShots, true
	for _, ev := range evs {
		switch ev.Kind {
		case pb.EventKind_EVENT_KIND_KILL:
			switch me {
			case ev.B:
				s.play(sfx.Death)
			case ev.A:
				s.play(sfx.Kill)
			}
		case pb.EventKind_EVENT_KIND_MATCH_END:
			s.play(sfx.MatchEnd)
		}
	}
	p := localPlayer(v)
	alive := p != nil && p.Alive
	switch {
	case alive && !c.alive:
		s.play(sfx.Respawn)
	case alive && p.Health < c.health:
		s.play(sfx.Hit)
	}
	c.alive = alive
	if p != nil {
		c.health = p.Health
	}
}

// publish puts the counts of sounds played, and the settings, on o.
func (s *sound) publish(o js.Value) {
	counts := js.Global().Get("Object").New()
	for i, c := range sfx.Cues {
		counts.Set(c.String(), s.played[i])
	}
	o.Set("sounds", counts)
	o.Set("audioStarted", s.ctx != nil)
	o.Set("muted", s.muted)
	o.Set("volume", s.volume)
}
