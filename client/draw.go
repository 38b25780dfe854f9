//go:build js && wasm

// draw.go — the arena, players and projectiles, plus the small drawing
// helpers (fonts, text, rectangles) the other screens share. Positions
// arrive in sim units; the screen is one logical pixel per sim pixel. It
// draws the netcode.View that session.go's draw read; it changes nothing.

package main

import (
	"image"
	"image/color"
	"log"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"skirmish/client/netcode"
	"skirmish/sim"
)

var (
	fontSmall  = face(goregular.TTF, 14)
	fontMedium = face(goregular.TTF, 20)
	fontLarge  = face(goregular.TTF, 30)
	fontHuge   = face(goregular.TTF, 72)
)

func face(ttf []byte, size float64) text.Face {
	f, err := opentype.Parse(ttf)
	if err != nil {
		log.Fatal(err)
	}
	ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		log.Fatal(err)
	}
	return text.NewGoXFace(ff)
}

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// drawText draws s with its top at y, aligned at x.
func drawText(dst *ebiten.Image, s string, f text.Face, x, y int, clr color.Color, a align) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(float64(x), float64(y))
	op.ColorScale.ScaleWithColor(clr)
	op.PrimaryAlign = [...]text.Align{text.AlignStart, text.AlignCenter, text.AlignEnd}[a]
	text.Draw(dst, s, f, op)
}

func fillRect(dst *ebiten.Image, r image.Rectangle, clr color.Color) {
	vector.FillRect(dst, float32(r.Min.X), float32(r.Min.Y), float32(r.Dx()), float32(r.Dy()), clr, false)
}

// overlay dims the screen and shows a headline and a detail line.
func overlay(dst *ebiten.Image, headline, detail string) {
	vector.FillRect(dst, 0, 0, screenW, screenH, color.RGBA{0, 0, 0, 0xa0}, false)
	drawText(dst, headline, fontLarge, screenW/2, screenH/2-40, colText, alignCenter)
	if detail != "" {
		drawText(dst, detail, fontMedium, screenW/2, screenH/2+10, colDim, alignCenter)
	}
}

// toScreen converts sim units to logical pixels.
func toScreen(units float64) float64 { return units / sim.UnitsPerPixel }

var (
	colFloor = color.RGBA{0x1d, 0x23, 0x2c, 0xff}
	colGrid  = color.RGBA{0x23, 0x2a, 0x35, 0xff}
	colWall  = color.RGBA{0x4a, 0x55, 0x68, 0xff}
	colEdge  = color.RGBA{0x6b, 0x78, 0x8e, 0xff}
)

// arena is the map drawn once: floor, grid and walls never change, and a
// single DrawImage a frame is far cheaper than redrawing them (software
// WebGL draws every path with a stencil pass).
type arena struct {
	m   *sim.Map
	img *ebiten.Image
}

func (a *arena) draw(dst *ebiten.Image, m *sim.Map) {
	if a.m != m || a.img == nil {
		if a.img != nil {
			a.img.Deallocate()
		}
		a.m, a.img = m, renderArena(m)
	}
	dst.DrawImage(a.img, nil)
}

func renderArena(m *sim.Map) *ebiten.Image {
	w, h := float32(toScreen(float64(m.Width))), float32(toScreen(float64(m.Height)))
	img := ebiten.NewImage(int(w), int(h))
	img.Fill(colFloor)
	for x := float32(0); x < w; x += 64 {
		vector.StrokeLine(img, x, 0, x, h, 1, colGrid, false)
	}
	for y := float32(0); y < h; y += 64 {
		vector.StrokeLine(img, 0, y, w, y, 1, colGrid, false)
	}
	for _, r := range m.Walls {
		x0, y0 := float32(toScreen(float64(r.MinX))), float32(toScreen(float64(r.MinY)))
		x1, y1 := float32(toScreen(float64(r.MaxX))), float32(toScreen(float64(r.MaxY)))
		vector.FillRect(img, x0, y0, x1-x0, y1-y0, colWall, false)
		vector.StrokeRect(img, x0, y0, x1-x0, y1-y0, 2, colEdge, false)
	}
	return img
}

// playerColor gives each player id its own hue, spread by the golden angle.
func playerColor(id uint32) color.RGBA {
	h := math.Mod(float64(id)*137.508, 360)
	return hsv(h, 0.65, 0.95)
}

func hsv(h, s, v float64) color.RGBA {
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := v - c
	return color.RGBA{uint8((r + m) * 255), uint8((g + m) * 255), uint8((b + m) * 255), 0xff}
}

const (
	playerRadiusPx = 14
	shotRadiusPx   = 3
)

var (
	colHealthBack = color.RGBA{0x40, 0x10, 0x10, 0xff}
	colHealth     = color.RGBA{0x5c, 0xd6, 0x5c, 0xff}
)

func drawWorld(dst *ebiten.Image, v *netcode.View) {
	for i := range v.Shots {
		sh := &v.Shots[i]
		vector.FillCircle(dst, float32(toScreen(sh.X)), float32(toScreen(sh.Y)), shotRadiusPx, faded(playerColor(sh.Owner), sh.Alpha), true)
	}
	for i := range v.Players {
		p := &v.Players[i]
		if !p.Alive {
			continue
		}
		x, y := float32(toScreen(p.X)), float32(toScreen(p.Y))
		clr := playerColor(p.ID)
		vector.FillCircle(dst, x, y, playerRadiusPx, clr, true)
		if p.Local {
			vector.StrokeCircle(dst, x, y, playerRadiusPx+3, 2, colText, true)
		}
		a := p.Aim / sim.AimSteps * 2 * math.Pi
		dx, dy := float32(math.Cos(a)), float32(math.Sin(a))
		vector.StrokeLine(dst, x+dx*playerRadiusPx*0.5, y+dy*playerRadiusPx*0.5, x+dx*(playerRadiusPx+9), y+dy*(playerRadiusPx+9), 4, colText, true)

		const barW, barH = 36, 5
		bx, by := x-barW/2, y-playerRadiusPx-12
		vector.FillRect(dst, bx, by, barW, barH, colHealthBack, false)
		if p.MaxHealth > 0 {
			vector.FillRect(dst, bx, by, barW*float32(p.Health)/float32(p.MaxHealth), barH, colHealth, false)
		}
		drawText(dst, p.Name, fontSmall, int(x), int(by)-19, colText, alignCenter)
	}
}

// faded is c at opacity alpha in [0, 1] (premultiplied, as Ebiten draws).
func faded(c color.RGBA, alpha float64) color.RGBA {
	f := func(v uint8) uint8 { return uint8(float64(v)*alpha + 0.5) }
	return color.RGBA{f(c.R), f(c.G), f(c.B), f(c.A)}
}

// textSize measures s in fontSmall.
func textSize(s string) (int, int) {
	w, h := text.Measure(s, fontSmall, 0)
	return int(w), int(h)
}
