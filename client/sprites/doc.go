// Package sprites draws the arena's moving things — players, their aim,
// health bars, the local player's ring (and a watcher's round the player
// it follows), projectiles — as one batch of
// textured quads cut from one small sprite sheet, so that a frame of the
// game is a single DrawTriangles call for all of them instead of a
// stencilled vector path each (which software WebGL paid for with a
// render pass apiece).
//
//	sheet.go  the sprite sheet, rasterised once in Go (anti-aliased by
//	          supersampling), and where each sprite sits on it
//	batch.go  Batch: quads and lines appended to one reused vertex and
//	          index slice
//	world.go  AppendWorld: a netcode.View as quads; PlayerColor
//
// The package does no drawing itself (the client hands Batch's slices to
// ebiten.Image.DrawTriangles with the sheet as the source), so it is
// tested and benchmarked natively: a frame's batch allocates nothing once
// its slices have grown.
package sprites
