//go:build js && wasm

// title.go — the title screen: a name field, the Play button (quick match
// through the lobby), and the last message from a session that ended.

package main

import (
	"image"
	"image/color"
	"unicode"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// maxNameRunes mirrors the lobby's limit (lobby/names.go), which decides.
const maxNameRunes = 16

// Title screen layout, in logical pixels.
var (
	nameField  = image.Rect(440, 400, 840, 452)
	playButton = image.Rect(540, 490, 740, 550)
)

type title struct {
	name    []rune
	chars   []rune // reused by AppendInputChars
	message string // why the last session ended, or a lobby error
}

func newTitle() *title { return &title{name: []rune("player")} }

// update reads the keyboard and mouse; it returns the name when the player
// asked to play (Play clicked or Enter pressed) with a non-empty name.
func (t *title) update() (string, bool) {
	t.chars = ebiten.AppendInputChars(t.chars[:0])
	for _, r := range t.chars {
		if len(t.name) < maxNameRunes && nameRune(r) {
			t.name = append(t.name, r)
		}
	}
	if repeating(ebiten.KeyBackspace) && len(t.name) > 0 {
		t.name = t.name[:len(t.name)-1]
	}
	play := inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		x, y := ebiten.CursorPosition()
		play = play || image.Pt(x, y).In(playButton)
	}
	if !play || !t.valid() {
		return "", false
	}
	t.message = ""
	return string(t.name), true
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
	fillRect(dst, nameField, colPanel)
	vector.StrokeRect(dst, float32(nameField.Min.X), float32(nameField.Min.Y), float32(nameField.Dx()), float32(nameField.Dy()), 2, colDim, false)
	shown := string(t.name)
	if (ebiten.Tick()/30)%2 == 0 {
		shown += "|"
	}
	drawText(dst, shown, fontMedium, nameField.Min.X+14, nameField.Min.Y+14, colText, alignLeft)

	btn := colAccent
	if !t.valid() {
		btn = colDim
	}
	fillRect(dst, playButton, btn)
	drawText(dst, "PLAY", fontLarge, (playButton.Min.X+playButton.Max.X)/2, playButton.Min.Y+12, colBackground, alignCenter)
	drawText(dst, "Enter or click Play for a quick match", fontSmall, screenW/2, 580, colDim, alignCenter)

	if t.message != "" {
		drawText(dst, t.message, fontMedium, screenW/2, 640, colWarn, alignCenter)
	}
	drawText(dst, "WASD or arrows move · mouse aims · click or space fires · Tab scores · N network", fontSmall, screenW/2, screenH-60, colDim, alignCenter)
}
