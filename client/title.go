//go:build js && wasm

// title.go — the title screen: a name field, the Play button (quick match
// through the lobby), private rooms (create one, or join one by its code),
// and the last message from a session that ended.

package main

import (
	"image"
	"image/color"
	"strings"
	"unicode"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// maxNameRunes mirrors the limit of the names in tickets (ticket/names.go), which decides.
const maxNameRunes = 16

// Room codes: five characters from the lobby's alphabet (lobby/codes.go),
// which has no 0/O or 1/I/L to misread.
const (
	codeLen      = 5
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
)

// Title screen layout, in logical pixels.
var (
	nameField    = image.Rect(440, 400, 840, 452)
	playButton   = image.Rect(540, 490, 740, 550)
	createButton = image.Rect(340, 650, 620, 700)
	codeField    = image.Rect(660, 650, 800, 700)
	joinButton   = image.Rect(810, 650, 940, 700)
)

// request is what the player asked for on the title screen.
type request struct {
	kind seatKind
	name string
	code string
}

// field is which text field takes the keyboard.
type field int

const (
	fieldName field = iota
	fieldCode
)

type title struct {
	name    []rune
	code    []rune
	focus   field
	chars   []rune // reused by AppendInputChars
	message string // why the last session ended, or a lobby error
}

func newTitle() *title { return &title{name: []rune("player")} }

// update reads the keyboard and mouse; it returns what the player asked
// for: Play (or Enter in the name field), Create private room, or Join
// (or Enter in the code field) with a whole code.
func (t *title) update() (request, bool) {
	clicked := image.Point{-1, -1}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		clicked = image.Pt(ebiten.CursorPosition())
	}
	switch {
	case clicked.In(nameField):
		t.focus = fieldName
	case clicked.In(codeField):
		t.focus = fieldCode
	case inpututil.IsKeyJustPressed(ebiten.KeyTab):
		t.focus = 1 - t.focus
	}
	t.chars = ebiten.AppendInputChars(t.chars[:0])
	for _, r := range t.chars {
		switch {
		case t.focus == fieldName && len(t.name) < maxNameRunes && nameRune(r):
			t.name = append(t.name, r)
		case t.focus == fieldCode && len(t.code) < codeLen && strings.ContainsRune(codeAlphabet, unicode.ToUpper(r)):
			t.code = append(t.code, unicode.ToUpper(r))
		}
	}
	if repeating(ebiten.KeyBackspace) {
		if t.focus == fieldName && len(t.name) > 0 {
			t.name = t.name[:len(t.name)-1]
		} else if t.focus == fieldCode && len(t.code) > 0 {
			t.code = t.code[:len(t.code)-1]
		}
	}
	enter := inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	req := request{kind: -1, name: string(t.name)}
	switch {
	case clicked.In(playButton) || (enter && t.focus == fieldName):
		req.kind = seatQuick
	case clicked.In(createButton):
		req.kind = seatCreate
	case clicked.In(joinButton) || (enter && t.focus == fieldCode):
		req.kind, req.code = seatJoin, string(t.code)
	}
	switch {
	case req.kind < 0:
		return req, false
	case !t.valid():
		t.message = "Type a name with a letter or digit first."
		return req, false
	case req.kind == seatJoin && len(t.code) != codeLen:
		t.focus = fieldCode
		t.message = "A room code has 5 characters."
		return req, false
	}
	t.message = ""
	return req, true
}

// valid reports whether the name has a letter or digit, as the lobby wants.
func (t *title) valid() bool {
	for _, r := range t.name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// nameRune is a character the lobby accepts in names.
func nameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '_' || r == '-' || r == '.'
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
)

func (t *title) draw(dst *ebiten.Image) {
	dst.Fill(colBackground)
	drawText(dst, "SKIRMISH", fontHuge, screenW/2, 260, colAccent, alignCenter)
	drawText(dst, "a fast arena shooter in your browser", fontMedium, screenW/2, 330, colDim, alignCenter)

	drawText(dst, "Your name", fontSmall, nameField.Min.X, nameField.Min.Y-26, colDim, alignLeft)
	t.drawField(dst, nameField, t.name, t.focus == fieldName)

	btn := colAccent
	if !t.valid() {
		btn = colDim
	}
	fillRect(dst, playButton, btn)
	drawText(dst, "PLAY", fontLarge, (playButton.Min.X+playButton.Max.X)/2, playButton.Min.Y+12, colBackground, alignCenter)
	drawText(dst, "Enter or click Play for a quick match", fontSmall, screenW/2, 565, colDim, alignCenter)

	drawText(dst, "Play with friends: open a private room and share its code, or type theirs", fontSmall, screenW/2, 620, colDim, alignCenter)
	fillRect(dst, createButton, colPanel)
	drawText(dst, "Create private room", fontMedium, (createButton.Min.X+createButton.Max.X)/2, createButton.Min.Y+12, colText, alignCenter)
	t.drawField(dst, codeField, t.code, t.focus == fieldCode)
	if len(t.code) == 0 && t.focus != fieldCode {
		drawText(dst, "CODE", fontMedium, codeField.Min.X+14, codeField.Min.Y+12, colDim, alignLeft)
	}
	fillRect(dst, joinButton, colPanel)
	drawText(dst, "Join", fontMedium, (joinButton.Min.X+joinButton.Max.X)/2, joinButton.Min.Y+12, colText, alignCenter)

	if t.message != "" {
		drawText(dst, t.message, fontMedium, screenW/2, 740, colWarn, alignCenter)
	}
	drawText(dst, "WASD or arrows move · mouse aims · click or space fires · Tab scores · N network", fontSmall, screenW/2, screenH-60, colDim, alignCenter)
}

// drawField draws a text field with its text, and a blinking caret when it
// has the keyboard.
func (t *title) drawField(dst *ebiten.Image, r image.Rectangle, text []rune, focused bool) {
	fillRect(dst, r, colPanel)
	edge := colDim
	if focused {
		edge = colAccent
	}
	vector.StrokeRect(dst, float32(r.Min.X), float32(r.Min.Y), float32(r.Dx()), float32(r.Dy()), 2, edge, false)
	shown := string(text)
	if focused && (ebiten.Tick()/30)%2 == 0 {
		shown += "|"
	}
	drawText(dst, shown, fontMedium, r.Min.X+14, r.Min.Y+(r.Dy()-24)/2, colText, alignLeft)
}
