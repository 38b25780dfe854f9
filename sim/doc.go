// Stage: overview. The package documentation; the stages themselves are in step.go and
// the files it names.

// Package sim is the game of Skirmish: a deterministic, fixed-step world with no I/O.
//
// The same code runs on the server, which owns the authoritative World, and in the
// WebAssembly client, which predicts its own player with MovePlayer and its own shots
// with Shoot and Fly. Every quantity is an integer: positions in units (UnitsPerPixel
// per pixel), time in ticks (TickRate per second), angles in AimSteps, directions in
// DirScale fixed point from a generated sine table. There is no float, clock, global
// random source, goroutine or map iteration, so the same Config and the same calls give
// bit-identical Worlds on amd64, arm64 and wasm; World.Hash proves it, and
// testdata/replay.* hold a golden run that both native and WebAssembly test runs check.
//
// # Rules version
//
// RulesVersion (rules.go) names the rules: bump it by one in the change that alters a
// rule, anything that makes the same Config, seed and calls give another World. A tick
// log records it in its header, and a replay refuses a log of other rules rather than
// replay it wrong. TestRulesVersion pins it to the golden run's last hash, so the change
// that regenerates the golden run fails until it bumps RulesVersion too.
//
// # One Step
//
//	         inputs []PlayerInput
//	               │
//	1  Tick++, Events = events queued since the last Step (AddPlayer, New)
//	2  takeInputs       sanitize, store as each player's held Input
//	   movePlayers      live players in ID order: MovePlayer, Aim, fire    (Playing only)
//	3  moveProjectiles  in ID order: expire, sweep the tick's segment:
//	                      first wall contact cuts it ─▶ removed
//	                      player touched (where its shooter saw it, Rewind ticks ago)
//	                        ─▶ damage, EventHit, maybe EventKill, removed
//	                      outside the arena ─▶ removed
//	4  respawnPlayers   dead players whose RespawnAt has come, EventSpawn
//	5  updateMatch      Playing: time up or ScoreLimit ─▶ Intermission, EventMatchEnd,
//	                      projectiles cleared
//	                    Intermission over ─▶ next match, scores reset, all respawn,
//	                      EventMatchStart, EventSpawn each
//	6  record           where every live player ended the tick, for lag compensation
//	               │
//	         World (Tick, Match, Players, Projectiles), Events, Rewinds
//
// Details of each stage:
//
//   - Input: a player without input in a Step holds its last one, so held keys keep
//     working and held Fire fires again as soon as the cooldown (FireCooldownTicks)
//     allows. During the intermission inputs are still stored but nobody moves or fires.
//   - Firing: a projectile starts on the shooter's hit circle along its aim, moving
//     ProjectileSpeed·Dir(aim); it flies for the first time in the tick it is fired, and
//     its last flight is in tick ExpiresAt-1.
//   - Projectiles are tested as swept segments against walls and player circles, exactly,
//     in integers, so no speed or wall thickness lets one tunnel. They never hit their
//     owner. A kill scores for the owner if it is still in the World.
//   - Lag compensation (lagcomp.go): a projectile fired with Input.RenderLag R (clamped to
//     Config.LagCompTicks, 12 by default, and counted in World.Rewinds) tests the players,
//     in each tick t of its flight, where they were at the end of Step t−R: where its
//     shooter saw them. Walls are exact. Only a player alive then, in its current life,
//     can be hit; one killed since stops the shot without damage. The World keeps those
//     positions for the window's ticks.
//   - Spawning: at a spawn point with no live player within two radii, chosen by the
//     World's seeded generator; if every point is taken, at the one farthest from the
//     nearest live player.
//   - Matches: the first starts at New (Number 1, ending at tick MatchTicks). The winner
//     has the most kills, then the fewest deaths, then the lowest ID; nobody wins a match
//     without kills.
//
// The server adds and removes players between Steps with AddPlayer and RemovePlayer; a
// joining player is alive at once and its EventSpawn comes with the next Step. Between
// Steps it may also Amend (amend.go): redo a player's moves of the last one or two Steps,
// which stood in for an input that came late, with that input; the shot it fires, and a
// hit of it, are as those Steps would have made them, the hit reported by the next Step.
package sim
