// conformance_move_test.go — the movement vectors of the conformance
// corpus (testdata/conformance/movement.json): arenas, a start, a list of
// move bit sets and the positions sim.MovePlayer gives after each, for a
// client that predicts its own player from the README's rules alone.
// conformance_test.go writes and checks the file; the scripted match is in
// conformance_script_test.go.

package pb_test

import (
	"skirmish/sim"
)

// corpusArena is an arena of the movement vectors, as a Welcome sends it.
type corpusArena struct {
	Name   string  `json:"name"`
	Width  int32   `json:"width"`
	Height int32   `json:"height"`
	Walls  []int32 `json:"walls"` // min_x, min_y, max_x, max_y each
}

// corpusMove is one movement vector: the player's box of half-size radius
// starts centred at start and takes one move bit set a tick.
type corpusMove struct {
	Name      string     `json:"name"`
	Arena     int        `json:"arena"` // index into the arenas
	Speed     int32      `json:"player_speed"`
	Radius    int32      `json:"player_radius"`
	Start     [2]int32   `json:"start"`
	Moves     []uint32   `json:"moves"`
	Positions [][2]int32 `json:"positions"` // after each move
}

// movement is the movement vectors' file.
type movement struct {
	Arenas []corpusArena `json:"arenas"`
	Cases  []corpusMove  `json:"cases"`
}

// movementMaps are the vectors' arenas: the default map, and a small one
// with a wall one unit thick that a fast player must not step through.
func movementMaps() []sim.Map {
	small := sim.Map{Width: 4000, Height: 3000, Walls: []sim.Rect{
		{MinX: 2000, MinY: 0, MaxX: 2001, MaxY: 2000}, // a wall one unit thick
		{MinX: 500, MinY: 2500, MaxX: 900, MaxY: 2600},
	}}
	return []sim.Map{*sim.DefaultMap(), small}
}

// movementCases builds the vectors, running sim.MovePlayer for the
// positions.
func movementCases() movement {
	maps := movementMaps()
	var mv movement
	mv.Arenas = append(mv.Arenas, corpusArena{Name: "default", Width: maps[0].Width, Height: maps[0].Height, Walls: walls(maps[0])},
		corpusArena{Name: "small, with a wall one unit thick", Width: maps[1].Width, Height: maps[1].Height, Walls: walls(maps[1])})
	def := sim.DefaultConfig()
	speed, radius := def.PlayerSpeed, def.PlayerRadius
	px := func(x, y int32) [2]int32 { return [2]int32{x * sim.UnitsPerPixel, y * sim.UnitsPerPixel} }
	repeat := func(n int, moves ...uint8) []uint8 {
		var out []uint8
		for _, m := range moves {
			for range n {
				out = append(out, m)
			}
		}
		return out
	}
	add := func(name string, arena int, speed, radius int32, start [2]int32, moves []uint8) {
		c := corpusMove{Name: name, Arena: arena, Speed: speed, Radius: radius, Start: start}
		cfg := sim.DefaultConfig()
		cfg.PlayerSpeed, cfg.PlayerRadius, cfg.Map = speed, radius, &maps[arena]
		p := sim.Player{X: start[0], Y: start[1]}
		for _, m := range moves {
			sim.MovePlayer(cfg.Map, &cfg, &p, sim.Input{Move: m})
			c.Moves = append(c.Moves, uint32(m))
			c.Positions = append(c.Positions, [2]int32{p.X, p.Y})
		}
		mv.Cases = append(mv.Cases, c)
	}

	var all []uint8
	for m := range uint8(16) {
		all = append(all, m, m)
	}
	add("every move bit set, twice each, in open ground", 0, speed, radius, px(640, 300), all)
	add("east into the centre block, flush against its face", 0, speed, radius, px(520, 480), repeat(5, sim.MoveRight))
	add("south-east into the centre block: stops on x, slides on y", 0, speed, radius, px(560, 400), repeat(12, sim.MoveRight|sim.MoveDown))
	add("north-west into the top-left corner: clamped to the arena", 0, speed, radius, px(40, 40), repeat(8, sim.MoveLeft|sim.MoveUp))
	add("south-east into the bottom-right corner", 0, speed, radius, px(1250, 930), repeat(8, sim.MoveRight|sim.MoveDown))
	add("under the north-west corner's top arm, then up into it", 0, speed, radius, px(240, 230), repeat(6, sim.MoveUp, sim.MoveLeft, sim.MoveRight|sim.MoveUp))
	add("overlapping the west bar: walls already overlapped do not hold", 0, speed, radius, px(420, 480), repeat(4, sim.MoveRight, sim.MoveLeft))
	add("touching a wall's end: beside it, not facing it", 0, speed, radius, [2]int32{400*16 - radius, 384*16 - radius}, repeat(4, sim.MoveRight, sim.MoveDown))
	add("fastest, at the thin wall: no stepping through", 1, sim.MaxPlayerSpeed, 100, [2]int32{1880, 1000}, repeat(4, sim.MoveRight, sim.MoveRight|sim.MoveDown))
	add("fastest, west at the thin wall from the east", 1, sim.MaxPlayerSpeed, 100, [2]int32{2120, 1900}, repeat(4, sim.MoveLeft, sim.MoveLeft|sim.MoveDown, sim.MoveLeft|sim.MoveUp))
	add("below the thin wall's end: passes under it", 1, sim.MaxPlayerSpeed, 100, [2]int32{1880, 2150}, repeat(6, sim.MoveRight))
	for s := int32(1); s <= sim.MaxPlayerSpeed; s++ {
		add("diagonals and straights at this speed", 1, s, 50, [2]int32{1000, 1000},
			[]uint8{sim.MoveRight | sim.MoveDown, sim.MoveLeft | sim.MoveUp, sim.MoveRight | sim.MoveUp, sim.MoveLeft | sim.MoveDown, sim.MoveRight, sim.MoveUp})
	}

	// A long walk over the default map from a spawn point, keys changed by
	// a seeded generator every few ticks.
	rng := uint64(12)
	next := func() uint64 { // splitmix64
		rng += 0x9e3779b97f4a7c15
		z := rng
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return z ^ z>>31
	}
	var walk []uint8
	for len(walk) < 1200 {
		m, n := uint8(next()%16), 4+int(next()%40)
		walk = append(walk, repeat(n, m)...)
	}
	sp := maps[0].Spawns[3]
	add("a random walk of 1200 ticks from a spawn point", 0, speed, radius, [2]int32{sp.X, sp.Y}, walk[:1200])
	return mv
}

func walls(m sim.Map) []int32 {
	var out []int32
	for _, w := range m.Walls {
		out = append(out, w.MinX, w.MinY, w.MaxX, w.MaxY)
	}
	return out
}
