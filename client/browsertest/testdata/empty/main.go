//go:build js && wasm

// Command empty is the frame-rate floor for fps_test.go: an Ebiten program
// at the game's logical size (1280×960) that draws nothing. Whatever it
// manages is what Ebiten, the browser and software WebGL cost on their
// own; the game's frame rate is measured against it.
package main

import (
	"log"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
)

type empty struct{ drawn bool }

func (e *empty) Update() error { return nil }

func (e *empty) Draw(*ebiten.Image) {
	if !e.drawn {
		e.drawn = true
		js.Global().Set("emptyReady", true)
	}
}

func (e *empty) Layout(int, int) (int, int) { return 1280, 960 }

func main() {
	ebiten.SetWindowSize(1280, 960)
	ebiten.SetRunnableOnUnfocused(true)
	if err := ebiten.RunGame(&empty{}); err != nil {
		log.Fatal(err)
	}
}
