//go:build js && wasm

// watch.go — joining a room as a spectator: from the page's URL
// (/#watch=ROOM), or from a room's Watch button on the title screen's
// list (rooms.go, title.go): either way a watchRequest(room). The session (session.go) then asks the lobby
// for a spectator's ticket (lobby_js.go, POST /api/watch), sends no
// inputs, and moves a camera (camera.go) instead of a player.

package main

import (
	"strings"
	"syscall/js"
)

// watchPrefix starts the URL fragment that opens a room to watch.
const watchPrefix = "#watch="

// watchRequest is what /#watch=ROOM and a Watch button ask for: to
// watch room.
func watchRequest(room string) request {
	return request{kind: seatWatch, room: room}
}

// watchFromURL is the room the page's URL asks to watch
// (/#watch=ROOM), if it does.
func watchFromURL() (string, bool) {
	hash := js.Global().Get("location").Get("hash").String()
	if !strings.HasPrefix(hash, watchPrefix) {
		return "", false
	}
	room := js.Global().Call("decodeURIComponent", strings.TrimPrefix(hash, watchPrefix)).String()
	return room, room != ""
}
