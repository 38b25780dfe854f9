// Stage: the arena. Static geometry read by movement (move.go), projectiles
// (projectile.go) and spawning (spawn.go); it never changes during a World's life.

package sim

// Point is a position in units.
type Point struct {
	X, Y int32
}

// Rect is an axis-aligned box in units. Players may touch its faces but never overlap it
// (move.go); a projectile that touches it, faces included, is stopped (projectile.go).
type Rect struct {
	MinX, MinY, MaxX, MaxY int32
}

// Map is an arena of Width×Height units with its origin at the top-left corner. The
// bounds act as walls. A World reads its Map and never writes it; callers must not change
// a Map once a World uses it. Every spawn point must leave a player clear of walls and
// bounds, and there must be at least one.
type Map struct {
	Width, Height int32
	Walls         []Rect
	Spawns        []Point
}

// DefaultMap returns a new copy of the standard arena: 1280×960 pixels, 11 obstacles and
// 12 spawn points (s), mirror-symmetric about both centre lines. One character is 20×60
// pixels:
//
//	+----------------------------------------------------------------+
//	|                                                                |
//	|    s                           s                           s   |
//	|        ########                                ########        |
//	|        ########                                ########        |
//	|        ##  s                                      s  ##        |
//	|        ##                                            ##        |
//	|                    ##                    ##                    |
//	|                    ##       ######       ##                    |
//	|    s               ##       ######       ##                s   |
//	|                    ##                    ##                    |
//	|        ##                                            ##        |
//	|        ##  s                                      s  ##        |
//	|        ########                                ########        |
//	|        ########                                ########        |
//	|    s                           s                           s   |
//	|                                                                |
//	+----------------------------------------------------------------+
func DefaultMap() *Map {
	px := func(minX, minY, maxX, maxY int32) Rect {
		return Rect{minX * UnitsPerPixel, minY * UnitsPerPixel, maxX * UnitsPerPixel, maxY * UnitsPerPixel}
	}
	pt := func(x, y int32) Point { return Point{x * UnitsPerPixel, y * UnitsPerPixel} }
	return &Map{
		Width:  1280 * UnitsPerPixel,
		Height: 960 * UnitsPerPixel,
		Walls: []Rect{
			px(592, 432, 688, 528), // centre block
			px(400, 384, 432, 576), // west bar
			px(848, 384, 880, 576), // east bar
			px(160, 160, 320, 192), // north-west corner, top arm
			px(160, 192, 192, 320), // north-west corner, side arm
			px(960, 160, 1120, 192),
			px(1088, 192, 1120, 320),
			px(160, 768, 320, 800),
			px(160, 640, 192, 768),
			px(960, 768, 1120, 800),
			px(1088, 640, 1120, 768),
		},
		Spawns: []Point{
			pt(80, 80), pt(640, 80), pt(1200, 80),
			pt(256, 256), pt(1024, 256),
			pt(80, 480), pt(1200, 480),
			pt(256, 704), pt(1024, 704),
			pt(80, 880), pt(640, 880), pt(1200, 880),
		},
	}
}
