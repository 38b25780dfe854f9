package sprites_test

import (
	"image"
	"testing"

	"skirmish/client/netcode"
	"skirmish/client/sprites"
)

func TestSheetShapes(t *testing.T) {
	img := sprites.NewSheet(1)
	if img.Bounds().Size() != sprites.SheetSize {
		t.Fatalf("sheet is %v, want %v", img.Bounds().Size(), sprites.SheetSize)
	}
	alpha := func(s sprites.Sprite, dx, dy int) uint8 {
		return img.RGBAAt(s.Rect.Min.X+int(s.OriginX)+dx, s.Rect.Min.Y+int(s.OriginY)+dy).A
	}
	for _, c := range []struct {
		name   string
		s      sprites.Sprite
		dx, dy int
		want   func(uint8) bool
	}{
		{"disc centre", sprites.Disc, 0, 0, func(a uint8) bool { return a == 0xff }},
		{"disc inside its edge", sprites.Disc, sprites.PlayerRadius - 2, 0, func(a uint8) bool { return a == 0xff }},
		{"disc edge", sprites.Disc, 13, 4, func(a uint8) bool { return a > 0 && a < 0xff }},
		{"disc corner", sprites.Disc, -sprites.PlayerRadius, -sprites.PlayerRadius, func(a uint8) bool { return a == 0 }},
		{"ring hole", sprites.Ring, 0, 0, func(a uint8) bool { return a == 0 }},
		{"ring band", sprites.Ring, sprites.RingRadius - 1, 0, func(a uint8) bool { return a > 0x80 }},
		{"focus hole", sprites.Focus, sprites.RingRadius, 0, func(a uint8) bool { return a == 0 }},
		{"focus band", sprites.Focus, 0, sprites.FocusRadius - 1, func(a uint8) bool { return a > 0x80 }},
		{"shot centre", sprites.Shot, 0, 0, func(a uint8) bool { return a == 0xff }},
	} {
		if a := alpha(c.s, c.dx, c.dy); !c.want(a) {
			t.Errorf("%s: alpha %d", c.name, a)
		}
	}
	// Premultiplied white: every channel equals alpha.
	for y := range sprites.SheetSize.Y {
		for x := range sprites.SheetSize.X {
			if p := img.RGBAAt(x, y); p.R != p.A || p.G != p.A || p.B != p.A {
				t.Fatalf("pixel (%d, %d) is %v: not premultiplied white", x, y, p)
			}
		}
	}
	// Sprites never share a pixel, with a clear pixel around each disc.
	all := []sprites.Sprite{sprites.Disc, sprites.Ring, sprites.Focus, sprites.Shot, sprites.Solid, sprites.Line}
	for i, a := range all {
		for _, b := range all[i+1:] {
			if a.Rect.Overlaps(b.Rect) {
				t.Errorf("sprites %v and %v overlap", a.Rect, b.Rect)
			}
		}
		if !a.Rect.In(image.Rectangle{Max: sprites.SheetSize}) {
			t.Errorf("sprite %v is off the sheet", a.Rect)
		}
	}
}

// TestSheetAtScale: the sheet at scale 2 is the same shapes at twice the
// pixels: twice the size, four times each shape's coverage, the disc
// solid at its centre and clear at its corner, and sharper: its edge, the
// pixels neither clear nor solid, is about as many pixels wide as at 1.
func TestSheetAtScale(t *testing.T) {
	one, two := sprites.NewSheet(1), sprites.NewSheet(2)
	if got, want := two.Bounds().Size(), sprites.SheetSize.Mul(2); got != want {
		t.Fatalf("sheet at 2 is %v, want %v", got, want)
	}
	coverage := func(img *image.RGBA, r image.Rectangle) (sum, edge int) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				a := img.RGBAAt(x, y).A
				sum += int(a)
				if a > 0 && a < 0xff {
					edge++
				}
			}
		}
		return sum, edge
	}
	for _, s := range []sprites.Sprite{sprites.Disc, sprites.Ring, sprites.Focus, sprites.Shot} {
		r2 := image.Rectangle{Min: s.Rect.Min.Mul(2), Max: s.Rect.Max.Mul(2)}
		c1, e1 := coverage(one, s.Rect)
		c2, e2 := coverage(two, r2)
		if ratio := float64(c2) / float64(c1); ratio < 3.9 || ratio > 4.1 {
			t.Errorf("sprite %v: coverage %d at 2 against %d at 1 (%.2f×); want 4×", s.Rect, c2, c1, ratio)
		}
		// The edge's pixels grow with the circumference (2×), not the area.
		if e2 > 3*e1 {
			t.Errorf("sprite %v: %d edge pixels at 2 against %d at 1; want about twice", s.Rect, e2, e1)
		}
	}
	d := sprites.Disc
	cx, cy := 2*(d.Rect.Min.X+int(d.OriginX)), 2*(d.Rect.Min.Y+int(d.OriginY))
	if a := two.RGBAAt(cx, cy).A; a != 0xff {
		t.Errorf("the disc's centre at 2 is %d, want solid", a)
	}
	if a := two.RGBAAt(2*d.Rect.Min.X, 2*d.Rect.Min.Y).A; a != 0 {
		t.Errorf("the disc's corner at 2 is %d, want clear", a)
	}
}

// view is a frame of a room: n players (the first local, every fifth
// dead) and a few shots each.
func view(n int) *netcode.View {
	v := &netcode.View{}
	for i := range n {
		v.Players = append(v.Players, netcode.PlayerView{ID: uint32(i + 1), Name: "p", X: float64(i * 1000), Y: 5000, Aim: float64(i * 500),
			Health: 75, MaxHealth: 100, Alive: i%5 != 4, Local: i == 0})
		for j := range 4 {
			v.Shots = append(v.Shots, netcode.ShotView{Owner: uint32(i + 1), X: float64(i*1000 + j*100), Y: 4000, Alpha: 1})
		}
	}
	return v
}

func TestAppendWorld(t *testing.T) {
	var b sprites.Batch
	v := view(6) // 5 alive, 1 local, 24 shots
	sprites.AppendWorld(&b, v)
	// A shot a quad; a player a disc, the aim and two bars; the ring.
	if want := 24 + 5*4 + 1; b.Len() != want {
		t.Fatalf("%d quads, want %d", b.Len(), want)
	}
	if len(b.Indices) != 6*b.Len() {
		t.Fatalf("%d indices for %d quads", len(b.Indices), b.Len())
	}
	// The first player's disc is centred on it, in pixels.
	first := b.Vertices[4*24:]
	cx, cy := (first[0].DstX+first[3].DstX)/2, (first[0].DstY+first[3].DstY)/2
	if cx != 0 || cy != 5000.0/16 {
		t.Errorf("the first disc is centred at (%v, %v), want (0, %v)", cx, cy, 5000.0/16)
	}
	b.Reset()
	if b.Len() != 0 {
		t.Errorf("Reset left %d quads", b.Len())
	}
	if allocs := testing.AllocsPerRun(100, func() { b.Reset(); sprites.AppendWorld(&b, v) }); allocs != 0 {
		t.Errorf("a frame's batch allocates %.0f times, want 0", allocs)
	}
}

func TestBatchIsBounded(t *testing.T) {
	var b sprites.Batch
	for range sprites.MaxQuads + 10 {
		b.Rect(0, 0, 1, 1, sprites.PlayerColor(1))
	}
	if b.Len() != sprites.MaxQuads {
		t.Fatalf("%d quads, want the bound %d", b.Len(), sprites.MaxQuads)
	}
	if max := b.Indices[len(b.Indices)-1]; int(max) != 4*sprites.MaxQuads-2 {
		t.Errorf("last index %d", max)
	}
}
