// doc.go — the package overview: what a tick log is, who writes and
// who reads it, and the files that hold each part.

// Package ticklog records every match a room plays as its tick log, keeps
// the logs in a directory, serves them, and replays them through the sim.
//
// Skirmish's sim is deterministic, so a match is its inputs: a log holds
// the sim's Config and seed, then per tick the players that joined and
// left, the moves it redid with inputs that came one or two ticks late
// (amendments, sim.World.Amend, in the order it made them), the inputs the
// server applied (after its input slots, with the render lag lag
// compensation used) and the World's hash after the Step, with a keyframe
// (the World's whole state, sim.Saved) every Options.KeyframeEvery ticks
// for seeking. The format is proto/ticklog.proto, version 3; another tool
// reads it from that file alone. The header names the sim rules the match
// was played under (sim.RulesVersion): Replay and Verify refuse a log of
// other rules (ErrRules), which would replay wrong.
//
//	room goroutine (server/record.go)          writer goroutine (one per Dir)
//	AddPlayer ─▶ Recorder.Joined                 part file: a gzip member a chunk
//	RemovePlayer ─▶ Recorder.Leaving             header ─▶ ID.tlog: header member,
//	Amend ─▶ Recorder.Amended                             then the chunks member
//	Step ─▶ Recorder.Stepped ─▶ chunk buffer
//	         every 10 s, or at the match's end ─▶ queue (bounded; full: drop the log)
//	                                                    │
//	GET /api/replays, /api/replays/{id} ◀── Dir index ◀─┘ ─▶ retention (keep N, max age)
//	skirmish replay verify ─▶ Reader ─▶ Replay: restore a keyframe, step, compare hashes
//
// Recording costs the tick no allocation once its buffers have grown and
// never waits: the Recorder appends into a reused chunk buffer and hands
// it to the writer through a bounded queue; a full queue drops that
// match's log (Stats.Dropped) and the room plays on.
//
// Files, one idea each:
//
//	encode.go    the format's writing half, by hand with protowire (no allocation)
//	recorder.go  Recorder: what a room's World did, into chunks; where a log begins and ends
//	writer.go    the writer goroutine: part files, the finished file, the queue and the buffers
//	dir.go       Dir: the directory, its options, index and retention
//	replayhttp/  the listing and the files over HTTP (a package of its own:
//	             the WebAssembly client reads logs without net/http)
//	decode.go    Reader: the format's reading half, with the generated code; errors for bad files
//	replay.go    Replay and Verify: a log back through the sim, hash by hash
package ticklog
