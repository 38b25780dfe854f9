//go:build js && wasm

// title.go — the title screen: the name field (empty with a placeholder,
// or the name last played with, from localStorage; on a phone, typed into
// an HTML input over it: keyboard_js.go), the Play button
// (quick match through the lobby, or the party's match when its leader
// presses it), private rooms (create one, or join one by its code), the
// party (party.go), the room list (rooms.go), and the last message from a
// session that ended.

package main

import (
	"image"
	"image/color"
	"strings"
	"syscall/js"
	"time"
	"unicode"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"skirmish/playername"
)

// Room and party codes: five characters from the lobby's alphabet
// (lobby/codes.go), which has no 0/O or 1/I/L to misread.
const (
	codeLen      = 5
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
)

// nameKey is where the browser keeps the name last played with.
const nameKey = "skirmish.name"

// Title screen layout, in logical pixels: the name and Play in the middle,
// playing with friends on the left, the room list (rooms.go) on the right.
var (
	nameField         = image.Rect(440, 200, 840, 252)
	playButton        = image.Rect(540, 280, 740, 340)
	partyButton       = image.Rect(60, 470, 330, 515)
	createButton      = image.Rect(350, 470, 620, 515)
	codeField         = image.Rect(60, 565, 200, 615)
	joinPartyButton   = image.Rect(215, 565, 410, 615)
	joinButton        = image.Rect(425, 565, 620, 615)
	partyBox          = image.Rect(60, 640, 620, 860)
	leavePartyButton  = image.Rect(440, 654, 600, 694)
	namePlaceholder   = "Type your name"
	codePlaceholder   = "CODE"
	friendsHeadline   = "Play with friends"
	friendsCodeAdvice = "A friend's code? Type it, then join their party or room:"
)

// request is what the player asked for on the title screen: how the
// session asks the lobby for its seat.
type request struct {
	kind seatKind
	name string
	code string // seatJoin: the private room's code
	room string // seatRoom: the public room's id; seatWatch: the room to watch (watch.go)
	// replay is a recorded match to play back (the recent matches' Replay,
	// matches.go): no seat, no session.
	replay string
	token  string // a lobby session to ask with; "" logs in with name
}

// field is which text field takes the keyboard.
type field int

const (
	fieldName field = iota
	fieldCode
)

type title struct {
	name     []rune
	code     []rune
	focus    field
	selected bool   // the whole name is selected: what is typed replaces it
	chars    []rune // reused by AppendInputChars
	message  string // why the last session ended, or a lobby error
	party    party
	rooms    roomList
	matches  matchList
	kb       keyboard // a phone's keyboard for the fields
}

// newTitle starts with the name last played with, selected, or none: the
// tab's lobby session's (lobby_js.go), else the browser's; and with the
// session's party, if it is in one.
func newTitle() *title {
	t := &title{}
	last := ""
	if v := js.Global().Get("localStorage"); v.Truthy() {
		if s := v.Call("getItem", nameKey); s.Type() == js.TypeString {
			last = s.String()
		}
	}
	if _, _, name := storedSession(); name != "" {
		last = name
	}
	for _, r := range last {
		if playername.Allowed(r) && len(t.name) < playername.MaxRunes {
			t.name = append(t.name, r)
		}
	}
	t.selected = len(t.name) > 0
	t.party.restore()
	t.kb = newKeyboard(nameField, codeField, playername.MaxRunes)
	return t
}

// back is told that a session ended with msg; played is whether it got
// into a game.
func (t *title) back(msg string, now time.Time, played bool) {
	t.message = msg
	t.party.back(now, played)
	t.rooms.poll.refresh(now)
	t.matches.poll.refresh(now)
}

// update reads the keyboard and mouse and the lobby's answers; it returns
// what the player asked for: Play (or Enter in the name field), Create
// private room, Join (or Enter in the code field) with a whole code, a
// room's Join or Watch, or the party's match (the leader's Play went through, or a
// member's page follows the leader).
func (t *title) update(now time.Time) (request, bool) {
	t.rooms.update(now)
	t.matches.update(now)
	if req, ok, msg := t.party.update(now); ok || msg != "" {
		if msg != "" {
			t.message = msg
		}
		if ok {
			t.message = ""
			return req, true
		}
	}
	kbEnter := t.kb.update(t)
	clicked := image.Point{-1, -1}
	if p, ok := tapped(); ok {
		clicked = p
	}
	switch {
	case clicked.In(nameField):
		// A click selects the name, so typing replaces it (an arrow key
		// puts the caret back at its end).
		t.focus, t.selected = fieldName, len(t.name) > 0
	case clicked.In(codeField):
		t.focus, t.selected = fieldCode, false
	case inpututil.IsKeyJustPressed(ebiten.KeyTab):
		t.focus, t.selected = 1-t.focus, false
	}
	t.typed()
	enter := kbEnter || inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	req := request{kind: -1, name: strings.TrimSpace(string(t.name))}
	if t.rooms.toggled(clicked) {
		return req, false
	}
	room, roomClicked := t.rooms.clicked(clicked)
	if w, ok := t.rooms.watched(clicked); ok {
		t.message = "" // a spectator needs no name
		return watchRequest(w.room), true
	}
	if m, ok := t.matches.clicked(clicked); ok {
		t.message = ""
		return request{replay: m.id}, true
	}
	switch {
	case clicked.In(playButton) || (enter && t.focus == fieldName):
		req.kind = seatQuick
	case clicked.In(createButton):
		req.kind = seatCreate
	case clicked.In(joinButton) || (enter && t.focus == fieldCode):
		req.kind, req.code = seatJoin, string(t.code)
	case roomClicked:
		req.kind, req.room = seatRoom, room.room
	case clicked.In(leavePartyButton) && t.party.in:
		t.party.start(opLeave, t.party.name, "")
		return req, false
	case clicked.In(partyButton) || clicked.In(joinPartyButton):
		t.partyClicked(clicked.In(partyButton))
		return req, false
	}
	switch {
	case req.kind < 0:
		return req, false
	case t.problem() != "":
		t.message = "Type a name first: it is " + t.problem() + "."
		t.focus = fieldName
		return req, false
	case req.kind == seatJoin && len(t.code) != codeLen:
		t.focus = fieldCode
		t.message = "A code has 5 characters."
		return req, false
	case req.kind == seatQuick && t.party.in:
		if !t.party.leader() {
			t.message = "Your party's leader starts the match: wait for them, or leave the party."
			return req, false
		}
		t.message = ""
		t.party.start(opQueue, t.party.name, "")
		return req, false
	}
	t.remember()
	t.message = ""
	return req, true
}

// typed applies the characters typed and Backspace to the focused field.
func (t *title) typed() {
	t.chars = ebiten.AppendInputChars(t.chars[:0])
	for _, r := range t.chars {
		switch {
		case t.focus == fieldName && t.party.in:
			t.message = "Leave the party to change your name."
		case t.focus == fieldName && playername.Allowed(r):
			if t.selected {
				t.name, t.selected = t.name[:0], false
			}
			if len(t.name) < playername.MaxRunes {
				t.name = append(t.name, r)
			}
		case t.focus == fieldCode && len(t.code) < codeLen && strings.ContainsRune(codeAlphabet, unicode.ToUpper(r)):
			t.code = append(t.code, unicode.ToUpper(r))
		}
	}
	for _, k := range []ebiten.Key{ebiten.KeyArrowLeft, ebiten.KeyArrowRight, ebiten.KeyHome, ebiten.KeyEnd} {
		if inpututil.IsKeyJustPressed(k) {
			t.selected = false
		}
	}
	if !repeating(ebiten.KeyBackspace) {
		return
	}
	switch {
	case t.focus == fieldName && t.party.in:
	case t.focus == fieldName && t.selected:
		t.name, t.selected = t.name[:0], false
	case t.focus == fieldName && len(t.name) > 0:
		t.name = t.name[:len(t.name)-1]
	case t.focus == fieldCode && len(t.code) > 0:
		t.code = t.code[:len(t.code)-1]
	}
}

// setText puts what a phone's input holds (keyboard_js.go) into field f,
// by the rules typing follows; it returns the text the field now holds.
func (t *title) setText(f field, s string) string {
	switch {
	case f == fieldName && t.party.in:
		if s != string(t.name) {
			t.message = "Leave the party to change your name."
		}
		return string(t.name)
	case f == fieldName:
		t.name, t.selected = t.name[:0], false
		for _, r := range s {
			if playername.Allowed(r) && len(t.name) < playername.MaxRunes {
				t.name = append(t.name, r)
			}
		}
		return string(t.name)
	}
	t.code = t.code[:0]
	for _, r := range strings.ToUpper(s) {
		if len(t.code) < codeLen && strings.ContainsRune(codeAlphabet, r) {
			t.code = append(t.code, r)
		}
	}
	return string(t.code)
}

// partyClicked starts a party (create) or joins the one whose code is
// typed.
func (t *title) partyClicked(create bool) {
	switch {
	case t.party.in:
		t.message = "You are in a party already: leave it first."
	case t.problem() != "":
		t.message = "Type a name first: it is " + t.problem() + "."
		t.focus = fieldName
	case !create && len(t.code) != codeLen:
		t.message = "Type the party's 5-character code first."
		t.focus = fieldCode
	default:
		t.message = ""
		t.remember()
		op := opCreate
		if !create {
			op = opJoin
		}
		t.party.start(op, strings.TrimSpace(string(t.name)), string(t.code))
	}
}

// problem says what is wrong with the name, as the lobby would (the rule
// is playername's), or "" when it is fine.
func (t *title) problem() string {
	_, problem := playername.Check(string(t.name))
	return problem
}

// remember keeps the name for the next visit.
func (t *title) remember() {
	if v := js.Global().Get("localStorage"); v.Truthy() {
		v.Call("setItem", nameKey, strings.TrimSpace(string(t.name)))
	}
}

// repeating is true when key was just pressed, then every 3 ticks after
// half a second held: the usual key repeat.
func repeating(key ebiten.Key) bool {
	d := inpututil.KeyPressDuration(key)
	return d == 1 || (d >= 30 && d%3 == 0)
}

var (
	colBackground = color.RGBA{0x16, 0x1b, 0x22, 0xff}
	colPanel      = color.RGBA{0x24, 0x2b, 0x36, 0xff}
	colText       = color.RGBA{0xe6, 0xe9, 0xee, 0xff}
	colDim        = color.RGBA{0x8b, 0x95, 0xa5, 0xff}
	colAccent     = color.RGBA{0xf2, 0xa9, 0x3b, 0xff}
	colWarn       = color.RGBA{0xff, 0x6b, 0x6b, 0xff}
	colSelection  = color.RGBA{0x3d, 0x5a, 0x80, 0xff}
)

func (t *title) draw(dst *ebiten.Image, now time.Time) {
	dst.Fill(colBackground)
	drawText(dst, "SKIRMISH", fontHuge, screenW/2, 50, colAccent, alignCenter)
	drawText(dst, "a fast arena shooter in your browser", fontMedium, screenW/2, 130, colDim, alignCenter)

	drawText(dst, "Your name", fontSmall, nameField.Min.X, nameField.Min.Y-24, colDim, alignLeft)
	t.drawField(dst, nameField, t.name, namePlaceholder, t.focus == fieldName, t.selected)

	btn, hint := colAccent, "Enter or click Play for a quick match"
	switch {
	case t.problem() != "" || (t.party.in && !t.party.leader()):
		btn = colDim
	case t.party.in:
		hint = "Play takes your whole party into one room"
	}
	if t.party.in && !t.party.leader() {
		hint = "Your party's leader presses Play"
	}
	fillRect(dst, playButton, btn)
	drawText(dst, "PLAY", fontLarge, (playButton.Min.X+playButton.Max.X)/2, playButton.Min.Y+12, colBackground, alignCenter)
	drawText(dst, hint, fontSmall, screenW/2, playButton.Max.Y+12, colDim, alignCenter)

	drawText(dst, friendsHeadline, fontMedium, partyButton.Min.X, 420, colText, alignLeft)
	button(dst, partyButton, "Create party", !t.party.in)
	button(dst, createButton, "Create private room", true)
	drawText(dst, friendsCodeAdvice, fontSmall, codeField.Min.X, codeField.Min.Y-26, colDim, alignLeft)
	t.drawField(dst, codeField, t.code, codePlaceholder, t.focus == fieldCode, false)
	button(dst, joinPartyButton, "Join party", !t.party.in)
	button(dst, joinButton, "Join room", true)
	if t.party.in {
		t.party.draw(dst, partyBox)
		fillRect(dst, leavePartyButton, colBackground)
		drawText(dst, "Leave party", fontMedium, (leavePartyButton.Min.X+leavePartyButton.Max.X)/2, leavePartyButton.Min.Y+8, colText, alignCenter)
	}

	t.rooms.draw(dst, now)
	t.matches.draw(dst)

	if t.message != "" {
		drawText(dst, t.message, fontMedium, screenW/2, 880, colWarn, alignCenter)
	}
	drawText(dst, "WASD or arrows move · mouse aims · click or space fires · Tab scores · N network", fontSmall, screenW/2, screenH-40, colDim, alignCenter)
}

// button draws a button, dimmed when it does nothing now.
func button(dst *ebiten.Image, r image.Rectangle, label string, enabled bool) {
	fillRect(dst, r, colPanel)
	clr := colText
	if !enabled {
		clr = colDim
	}
	drawText(dst, label, fontMedium, (r.Min.X+r.Max.X)/2, r.Min.Y+(r.Dy()-24)/2, clr, alignCenter)
}

// drawField draws a text field with its text (or, empty, the placeholder),
// the selection, and a blinking caret when it has the keyboard.
func (t *title) drawField(dst *ebiten.Image, r image.Rectangle, typed []rune, placeholder string, focused, selected bool) {
	fillRect(dst, r, colPanel)
	edge := colDim
	if focused {
		edge = colAccent
	}
	strokeRect(dst, r, 2, edge)
	x, y := r.Min.X+14, r.Min.Y+(r.Dy()-24)/2
	shown := string(typed)
	if selected {
		w, _ := text.Measure(shown, fontMedium.face(), 0)
		fillRect(dst, image.Rect(x-2, y, x+int(w/scr.k)+2, y+26), colSelection)
	}
	if len(typed) == 0 {
		drawText(dst, placeholder, fontMedium, x, y, colDim, alignLeft)
	}
	if focused && !selected && (ebiten.Tick()/30)%2 == 0 {
		shown += "|"
	}
	drawText(dst, shown, fontMedium, x, y, colText, alignLeft)
}
