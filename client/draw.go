//go:build js && wasm

// draw.go — the arena (drawn once into an image), players and
// projectiles (one batch of sprites, client/sprites), plus the small
// drawing helpers (fonts, text from labels.go, rectangles) the other
// screens share. Positions arrive in sim units; in a match the screen is
// one logical pixel per sim pixel, and a camera's xform (camera.go) zooms
// and moves the world at the screen's own pixels. It draws the
// netcode.View that session.go's draw read; it changes nothing.

package main

import (
	"image"
	"image/color"
	"log"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"skirmish/client/netcode"
	"skirmish/client/sprites"
	"skirmish/sim"
)

var (
	fontSmall  = &font{size: 14}
	fontMedium = &font{size: 20}
	fontLarge  = &font{size: 30}
	fontHuge   = &font{size: 72}
	goRegular  = parseFont(goregular.TTF)
)

// font is Go Regular at a size in logical pixels; its face is made at the
// screen's scale (view.go), again when that changes.
type font struct {
	size float64
	k    float64 // the scale face was made at
	f    text.Face
}

// face is f at the current scale.
func (f *font) face() text.Face {
	if f.f == nil || f.k != scr.k {
		ff, err := opentype.NewFace(goRegular, &opentype.FaceOptions{Size: f.size * scr.k, DPI: 72, Hinting: xfont.HintingFull})
		if err != nil {
			log.Fatal(err)
		}
		f.f, f.k = text.NewGoXFace(ff), scr.k
	}
	return f.f
}

func parseFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		log.Fatal(err)
	}
	return f
}

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// drawText draws s with its top at y, aligned at x, from its cached label
// (at the screen's scale: its pixels are the screen's).
func drawText(dst *ebiten.Image, s string, f *font, x, y int, clr color.Color, a align) {
	sx, sy := x, y
	if scr.k != 1 {
		sx, sy = int(math.Round(float64(x)*scr.k)), int(math.Round(float64(y)*scr.k))
	}
	drawTextAt(dst, s, f, sx, sy, clr, a)
}

// drawTextAt is drawText at (sx, sy) in the screen's pixels.
func drawTextAt(dst *ebiten.Image, s string, f *font, sx, sy int, clr color.Color, a align) {
	l := labels.get(s, f.face())
	op := &l.op
	op.GeoM.Reset()
	sx -= [...]int{0, l.w / 2, l.w}[a]
	op.GeoM.Translate(float64(sx), float64(sy))
	dirty.addScreen(image.Rect(sx, sy, sx+l.w, sy+l.h))
	op.ColorScale.Reset()
	op.ColorScale.ScaleWithColor(clr)
	dst.DrawImage(l.img, op)
}

// fillRect fills the logical rectangle r.
func fillRect(dst *ebiten.Image, r image.Rectangle, clr color.Color) {
	dirty.add(r)
	fillRectF(dst, float32(r.Min.X), float32(r.Min.Y), float32(r.Dx()), float32(r.Dy()), clr)
}

// overlay dims the screen and shows a headline and a detail line.
func overlay(dst *ebiten.Image, headline, detail string) {
	dirty.everything()
	fillRectF(dst, 0, 0, screenW, screenH, color.RGBA{0, 0, 0, 0xa0})
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

// arena is the map drawn once: floor, grid and walls never change, and
// copying them back is far cheaper than redrawing them (software WebGL
// draws every path with a stencil pass). The screen keeps its pixels
// between frames, so a frame copies back only what the last one drew over
// (dirty.go); the first frame, and the one after anything covered the
// screen, copies all of it. It covers the screen (the arena is the
// logical screen's size), so it is copied without blending.
type arena struct {
	m     *sim.Map
	k     float64 // the scale img was drawn at
	img   *ebiten.Image
	op    ebiten.DrawImageOptions
	rects []image.Rectangle // reused by dirty.take
}

func (a *arena) draw(dst *ebiten.Image, m *sim.Map) {
	all := false
	a.rects, all = dirty.take(a.rects)
	if a.render(m) || all || !a.img.Bounds().Eq(dst.Bounds()) {
		a.op.GeoM.Reset()
		dst.DrawImage(a.img, &a.op)
		return
	}
	for _, r := range a.rects {
		r = r.Intersect(a.img.Bounds())
		if r.Empty() {
			continue
		}
		a.op.GeoM.Reset()
		a.op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
		dst.DrawImage(a.img.SubImage(r).(*ebiten.Image), &a.op)
	}
}

// render draws m into a.img at the screen's scale unless it is there
// already; it reports whether it drew.
func (a *arena) render(m *sim.Map) bool {
	if a.m == m && a.img != nil && a.k == scr.k {
		return false
	}
	if a.img != nil {
		a.img.Deallocate()
	}
	a.m, a.k, a.img = m, scr.k, renderArena(m, scr.k32)
	a.op.Blend = ebiten.BlendCopy
	return true
}

// drawAt draws the arena m over the whole of dst through x (a camera's
// zoom, camera.go): its image enlarged x.k/k times, unfiltered, each of
// its pixels a block of the screen's. Its shapes are axis-aligned
// rectangles drawn without anti-aliasing, so at a whole zoom from a whole
// scale the blocks are the picture renderArena would draw at x.k, pixel
// for pixel, and they cost one copy of the screen's pixels, not a render
// of the arena a frame. x's origin is on a whole pixel, so no block is
// split. Where the arena does not reach, the screen is the background.
func (a *arena) drawAt(dst *ebiten.Image, m *sim.Map, x xform) {
	a.render(m)
	z := x.k / a.k
	a.op.GeoM.Reset()
	a.op.GeoM.Scale(z, z)
	a.op.GeoM.Translate(x.dx, x.dy)
	w, h := float64(a.img.Bounds().Dx())*z, float64(a.img.Bounds().Dy())*z
	if b := dst.Bounds(); x.dx > 0 || x.dy > 0 || x.dx+w < float64(b.Dx()) || x.dy+h < float64(b.Dy()) {
		dst.Fill(colBackground)
	}
	dst.DrawImage(a.img, &a.op)
}

// renderArena draws m at k screen pixels a logical pixel.
func renderArena(m *sim.Map, k float32) *ebiten.Image {
	w, h := float32(toScreen(float64(m.Width))), float32(toScreen(float64(m.Height)))
	img := ebiten.NewImage(int(math.Ceil(float64(w*k))), int(math.Ceil(float64(h*k))))
	img.Fill(colFloor)
	for x := float32(0); x < w; x += 64 {
		vector.StrokeLine(img, x*k, 0, x*k, h*k, k, colGrid, false)
	}
	for y := float32(0); y < h; y += 64 {
		vector.StrokeLine(img, 0, y*k, w*k, y*k, k, colGrid, false)
	}
	for _, r := range m.Walls {
		x0, y0 := float32(toScreen(float64(r.MinX)))*k, float32(toScreen(float64(r.MinY)))*k
		x1, y1 := float32(toScreen(float64(r.MaxX)))*k, float32(toScreen(float64(r.MaxY)))*k
		vector.FillRect(img, x0, y0, x1-x0, y1-y0, colWall, false)
		vector.StrokeRect(img, x0, y0, x1-x0, y1-y0, 2*k, colEdge, false)
	}
	return img
}

// xform is where the world goes on the screen: k screen pixels a sim
// pixel, the world's origin at (dx, dy) in screen pixels, the players'
// names in names. A match's is plain; a camera's zooms and moves
// (camera.go).
type xform struct {
	k, dx, dy float64
	names     *font
}

// plain is a match's xform: the world at the screen's scale, where the
// arena is.
func plain() xform { return xform{k: scr.k, names: fontSmall} }

// world draws the players and projectiles: one DrawTriangles call for
// every shape (package sprites batches them from its sheet), then the
// names, each a cached label (labels.go).
type world struct {
	batch      sprites.Batch
	sheet      *ebiten.Image
	sheetScale int // the sheet's pixels a logical pixel: the xform's scale, rounded up
	op         ebiten.DrawTrianglesOptions
}

// draw draws v's players and shots onto dst through x, with a ring round
// ringed (a camera's followed player; nil for none).
func (w *world) draw(dst *ebiten.Image, v *netcode.View, x xform, ringed *netcode.PlayerView) {
	if n := int(math.Ceil(x.k)); w.sheet == nil || w.sheetScale != n {
		if w.sheet != nil {
			w.sheet.Deallocate()
		}
		w.sheet, w.sheetScale = ebiten.NewImageFromImage(sprites.NewSheet(n)), n
		w.op.ColorScaleMode = ebiten.ColorScaleModePremultipliedAlpha
		w.op.Filter = ebiten.FilterLinear
	}
	w.batch.Reset()
	sprites.AppendWorld(&w.batch, v)
	if ringed != nil && ringed.Alive {
		w.batch.Sprite(sprites.Focus, float32(toScreen(ringed.X)), float32(toScreen(ringed.Y)), 1, colAccent, 1)
	}
	if k, dx, dy, n := float32(x.k), float32(x.dx), float32(x.dy), float32(w.sheetScale); k != 1 || dx != 0 || dy != 0 {
		for i := range w.batch.Vertices {
			vx := &w.batch.Vertices[i]
			vx.DstX, vx.DstY = vx.DstX*k+dx, vx.DstY*k+dy
			vx.SrcX, vx.SrcY = vx.SrcX*n, vx.SrcY*n
		}
	}
	dst.DrawTriangles(w.batch.Vertices, w.batch.Indices, w.sheet, &w.op)
	for i := 0; i+3 < len(w.batch.Vertices); i += 4 {
		q := w.batch.Vertices[i : i+4]
		dirty.addF(min(q[0].DstX, q[1].DstX, q[2].DstX, q[3].DstX), min(q[0].DstY, q[1].DstY, q[2].DstY, q[3].DstY),
			max(q[0].DstX, q[1].DstX, q[2].DstX, q[3].DstX), max(q[0].DstY, q[1].DstY, q[2].DstY, q[3].DstY))
	}
	for i := range v.Players {
		if p := &v.Players[i]; p.Alive {
			sx, sy := toScreen(p.X)*x.k+x.dx, (toScreen(p.Y)-sprites.BarAbove-19)*x.k+x.dy
			drawTextAt(dst, p.Name, x.names, int(math.Round(sx)), int(math.Round(sy)), colText, alignCenter)
		}
	}
}

// textSize measures s in fontSmall, in logical pixels.
func textSize(s string) (int, int) {
	l := labels.get(s, fontSmall.face())
	return scr.logical(l.w), scr.logical(l.h)
}
