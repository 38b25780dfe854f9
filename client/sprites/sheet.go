// sheet.go — the sprite sheet: white, premultiplied shapes that a vertex
// colour tints, rasterised once in Go. batch.go cuts quads from it; the
// client uploads it once (ebiten.NewImageFromImage), rasterised at its
// screen's scale (a whole number of sheet pixels to a logical pixel: 2 on
// a high-DPI screen) and its quads' source positions scaled to match.

package sprites

import (
	"image"
	"image/color"
)

// The shapes' sizes, in logical pixels: what client/draw.go drew with
// vector paths before.
const (
	PlayerRadius = 14
	RingRadius   = 17 // the local player's ring, RingWidth wide
	RingWidth    = 2
	FocusRadius  = RingRadius + 3 // a watcher's ring round the player followed, RingWidth wide
	ShotRadius   = 3
)

// supersample is the samples per pixel edge for the shapes' edges.
const supersample = 4

// Sprite is where a shape sits on the sheet and the point of it that goes
// where it is drawn (a disc's centre).
type Sprite struct {
	Rect             image.Rectangle
	OriginX, OriginY float32
}

// The sprites, each with a pixel of clear border so that linear filtering
// never picks up a neighbour.
var (
	Disc  = disc(image.Pt(0, 0), PlayerRadius)
	Ring  = disc(image.Pt(32, 0), RingRadius+1)
	Focus = disc(image.Pt(96, 0), FocusRadius+1)
	Shot  = disc(image.Pt(72, 0), ShotRadius)
	Solid = Sprite{Rect: image.Rect(82, 2, 84, 4)}
	// Line's profile runs across its height: a clear row, lineCore solid
	// rows, a clear row; drawn stretched along a segment, linear filtering
	// makes its long edges soft.
	Line = Sprite{Rect: image.Rect(88, 0, 89, lineCore+2)}
)

const lineCore = 4

// SheetSize is the sheet's size at scale 1.
var SheetSize = image.Pt(140, 44)

func disc(at image.Point, r int) Sprite {
	d := 2 * (r + 1)
	return Sprite{Rect: image.Rect(at.X, at.Y, at.X+d, at.Y+d), OriginX: float32(r + 1), OriginY: float32(r + 1)}
}

// NewSheet rasterises the sheet at scale sheet pixels a logical pixel
// (1 or more): SheetSize times scale, each sprite's Rect and origin times
// scale.
func NewSheet(scale int) *image.RGBA {
	scale = max(scale, 1)
	img := image.NewRGBA(image.Rectangle{Max: SheetSize.Mul(scale)})
	ring(img, Disc, 0, PlayerRadius, scale)
	ring(img, Ring, RingRadius-RingWidth/2, RingRadius+RingWidth/2, scale)
	ring(img, Focus, FocusRadius-RingWidth/2, FocusRadius+RingWidth/2, scale)
	ring(img, Shot, 0, ShotRadius, scale)
	for _, r := range []image.Rectangle{Solid.Rect.Inset(-1), image.Rect(Line.Rect.Min.X, 1, Line.Rect.Max.X, 1+lineCore)} {
		r = image.Rectangle{Min: r.Min.Mul(scale), Max: r.Max.Mul(scale)}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.SetRGBA(x, y, color.RGBA{0xff, 0xff, 0xff, 0xff})
			}
		}
	}
	return img
}

// ring fills the pixels of s (at scale) between radii inner and outer (a
// disc when inner is 0), in logical pixels, with their coverage, sampled
// supersample² times a pixel.
func ring(img *image.RGBA, s Sprite, inner, outer float32, scale int) {
	f := float32(scale)
	for y := s.Rect.Min.Y * scale; y < s.Rect.Max.Y*scale; y++ {
		for x := s.Rect.Min.X * scale; x < s.Rect.Max.X*scale; x++ {
			n := 0
			for sy := range supersample {
				for sx := range supersample {
					dx := (float32(x-s.Rect.Min.X*scale)+(float32(sx)+0.5)/supersample)/f - s.OriginX
					dy := (float32(y-s.Rect.Min.Y*scale)+(float32(sy)+0.5)/supersample)/f - s.OriginY
					if d2 := dx*dx + dy*dy; d2 <= outer*outer && d2 >= inner*inner {
						n++
					}
				}
			}
			a := uint8(n * 255 / (supersample * supersample))
			img.SetRGBA(x, y, color.RGBA{a, a, a, a})
		}
	}
}
