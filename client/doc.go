//go:build js && wasm

// Command client is Skirmish in the browser: an Ebiten game compiled to
// WebAssembly (GOOS=js GOARCH=wasm) and served by `skirmish serve` at /.
//
// The files read like a frame of the game:
//
//	main.go      starts Ebiten and owns the Game: which screen is up
//	title.go     the title screen: name field, Play, private rooms
//	keyboard_js.go a phone's keyboard: an HTML input over the field tapped
//	party.go     the title screen's party: create, join, members, leave
//	rooms.go     the title screen's room list, from the lobby's directory, by mode
//	matches.go   the title screen's recent matches, each with a Replay
//	session.go   one trip into a match: lobby call, socket, reconnects
//	watch.go     watching a room as a spectator: /#watch=ROOM, or a room list's Watch
//	camera.go    a spectator's camera: follow a player (Tab, [ ]) or pan free
//	lobby_js.go  the lobby through fetch: a session kept in sessionStorage, then seats with it
//	socket_js.go the WebSocket through syscall/js; callbacks only queue bytes
//	replay.go    a recorded match played back (/#replay=ID): ticklog's Reader and Replay, the sim in the page
//	replaycam.go the replay's camera: follow a player (Tab) or the whole arena
//	replay_js.go the log and the listing through fetch
//	input.go     keys, mouse and touch (stick, aim drag, fire button) into a sim.Input, once per tick
//	sound.go     the sound effects (synthesised by skirmish/client/sfx), mute and volume
//	sharp.go     sharp drawing on high-DPI screens: H, ?sharp=, and the drop to 1× for a slow renderer
//	view.go      logical pixels against the screen's: drawn at the device's pixels (high DPI)
//	draw.go      the arena, players and projectiles (one batch, skirmish/client/sprites)
//	labels.go    text rendered once and reused while it reads the same
//	dirty.go     what a frame drew over the arena, for the next to copy back
//	hud.go       timer, kill feed, scoreboard, results, network HUD
//	status_js.go window.skirmish, a read-only status object for tests
//	web/index.html the page: loads the game, or says why it cannot run here
//
// All the netcode (prediction, reconciliation, interpolation, the state
// rebuilt from deltas) is in skirmish/client/netcode, a pure Go package
// tested natively; this package is its screen, keyboard and socket.
//
// Network I/O never blocks Update: the WebSocket's JavaScript callbacks copy
// each frame into a queue, Update drains it, and WebSocket.send only
// buffers. Ebiten calls Update 60 times a second (several per displayed
// frame when drawing is slower), and each Update sends one input.
package main
