// Package sfx synthesises the game's sound effects at start, in Go: no
// asset files, nothing added to the download but this code. Each Cue is a
// few tenths of a second of 16-bit little-endian stereo PCM, the format
// ebiten/v2/audio plays (Context.NewPlayerFromBytes); client/sound.go plays
// them.
//
//	synth.go  Cue, Synth: tones, sweeps and noise under an envelope
//
// The package is pure (no audio device, no randomness but a seeded
// generator of its own), so its output is tested natively.
package sfx
