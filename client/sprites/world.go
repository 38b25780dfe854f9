// world.go — a netcode.View as quads: each shot, then each living player
// (disc, the local player's ring, the aim, the health bar). The names over
// the bars are text, which the client draws after the batch
// (client/draw.go).

package sprites

import (
	"image/color"
	"math"

	"skirmish/client/netcode"
	"skirmish/sim"
)

// Health bar: its size, and its place above a player's centre.
const (
	BarW, BarH = 36, 5
	BarAbove   = PlayerRadius + 12
)

var (
	colWhite      = color.RGBA{0xe6, 0xe9, 0xee, 0xff}
	colHealthBack = color.RGBA{0x40, 0x10, 0x10, 0xff}
	colHealth     = color.RGBA{0x5c, 0xd6, 0x5c, 0xff}
)

// AppendWorld appends v's shots and living players to b. Positions go from
// sim units to logical pixels (one a sim pixel).
func AppendWorld(b *Batch, v *netcode.View) {
	for i := range v.Shots {
		sh := &v.Shots[i]
		b.Sprite(Shot, px(sh.X), px(sh.Y), 1, PlayerColor(sh.Owner), float32(sh.Alpha))
	}
	for i := range v.Players {
		p := &v.Players[i]
		if !p.Alive {
			continue
		}
		x, y := px(p.X), px(p.Y)
		b.Sprite(Disc, x, y, 1, PlayerColor(p.ID), 1)
		if p.Local {
			b.Sprite(Ring, x, y, 1, colWhite, 1)
		}
		a := p.Aim / sim.AimSteps * 2 * math.Pi
		dx, dy := float32(math.Cos(a)), float32(math.Sin(a))
		b.Line(x+dx*PlayerRadius*0.5, y+dy*PlayerRadius*0.5, x+dx*(PlayerRadius+9), y+dy*(PlayerRadius+9), 4, colWhite)
		bx, by := x-BarW/2, y-BarAbove
		b.Rect(bx, by, BarW, BarH, colHealthBack)
		if p.MaxHealth > 0 {
			b.Rect(bx, by, BarW*float32(p.Health)/float32(p.MaxHealth), BarH, colHealth)
		}
	}
}

func px(units float64) float32 { return float32(units / sim.UnitsPerPixel) }

// PlayerColor gives each player id its own hue, spread by the golden angle.
func PlayerColor(id uint32) color.RGBA {
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
