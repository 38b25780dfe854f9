// batch.go — Batch, the quads of one frame in one vertex and one index
// slice, both reused: the client draws them with one DrawTriangles call
// from the sheet of sheet.go. world.go fills it.

package sprites

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// Batch is a list of textured quads. The zero value is empty and ready.
type Batch struct {
	Vertices []ebiten.Vertex
	Indices  []uint16
}

// MaxQuads is how many quads a Batch holds: 16-bit indices address 65,536
// vertices, four a quad. Quads past it are dropped.
const MaxQuads = 1 << 14

// Reset empties b, keeping its slices.
func (b *Batch) Reset() {
	b.Vertices = b.Vertices[:0]
	b.Indices = b.Indices[:0]
}

// Len is the number of quads in b.
func (b *Batch) Len() int { return len(b.Vertices) / 4 }

// premultiplied is c's straight components as Ebiten's vertex colours
// want them (premultiplied, in [0, 1]), scaled by alpha in [0, 1].
func premultiplied(c color.RGBA, alpha float32) [4]float32 {
	return [4]float32{float32(c.R) / 255 * alpha, float32(c.G) / 255 * alpha, float32(c.B) / 255 * alpha, float32(c.A) / 255 * alpha}
}

// Sprite draws s with its origin at (x, y), scaled by scale.
func (b *Batch) Sprite(s Sprite, x, y, scale float32, c color.RGBA, alpha float32) {
	x0, y0 := x-s.OriginX*scale, y-s.OriginY*scale
	w, h := float32(s.Rect.Dx())*scale, float32(s.Rect.Dy())*scale
	b.quad(s, [4][2]float32{{x0, y0}, {x0 + w, y0}, {x0, y0 + h}, {x0 + w, y0 + h}}, c, alpha)
}

// Rect fills the axis-aligned rectangle at (x, y), w by h, with c.
func (b *Batch) Rect(x, y, w, h float32, c color.RGBA) {
	b.quad(Solid, [4][2]float32{{x, y}, {x + w, y}, {x, y + h}, {x + w, y + h}}, c, 1)
}

// Line strokes the segment from (x0, y0) to (x1, y1), width wide, with
// soft long edges.
func (b *Batch) Line(x0, y0, x1, y1, width float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	// Across the segment, the sprite's clear rows and solid core are
	// stretched so that the core is width wide.
	half := width / 2 * float32(lineCore+2) / lineCore
	nx, ny := -dy/l*half, dx/l*half
	b.quad(Line, [4][2]float32{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x0 - nx, y0 - ny}, {x1 - nx, y1 - ny}}, c, 1)
}

// quad appends the corners top-left, top-right, bottom-left, bottom-right
// of s's rectangle at the points p.
func (b *Batch) quad(s Sprite, p [4][2]float32, c color.RGBA, alpha float32) {
	if b.Len() >= MaxQuads {
		return
	}
	col := premultiplied(c, alpha)
	sx0, sy0, sx1, sy1 := float32(s.Rect.Min.X), float32(s.Rect.Min.Y), float32(s.Rect.Max.X), float32(s.Rect.Max.Y)
	if s == Line {
		// Sample the profile's middle column only: along the segment it is
		// the same everywhere.
		mid := (sx0 + sx1) / 2
		sx0, sx1 = mid, mid
	}
	src := [4][2]float32{{sx0, sy0}, {sx1, sy0}, {sx0, sy1}, {sx1, sy1}}
	base := uint16(len(b.Vertices))
	for i := range 4 {
		b.Vertices = append(b.Vertices, ebiten.Vertex{DstX: p[i][0], DstY: p[i][1], SrcX: src[i][0], SrcY: src[i][1],
			ColorR: col[0], ColorG: col[1], ColorB: col[2], ColorA: col[3]})
	}
	b.Indices = append(b.Indices, base, base+1, base+2, base+1, base+3, base+2)
}
