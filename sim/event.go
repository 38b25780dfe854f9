// Stage: events. What a Step reports besides the new state: hits, kills, spawns and match
// boundaries, appended to World.Events by projectile.go, spawn.go and match.go.

package sim

// EventKind says what an Event reports and how its fields read.
type EventKind uint8

const (
	// EventHit: A hit B with a projectile for Value damage; 0 when B was already dead (a
	// rewound shot struck B where A saw it alive, lagcomp.go).
	EventHit EventKind = iota + 1
	// EventKill: A killed B. A may have left the World since firing.
	EventKill
	// EventSpawn: A appeared alive at its position in World.Players.
	EventSpawn
	// EventMatchEnd: the match ended, won by A (0 if nobody scored a kill).
	EventMatchEnd
	// EventMatchStart: match number Value started.
	EventMatchStart
)

// Event is one thing that happened during a Step. Fields a kind does not use are zero.
type Event struct {
	Kind  EventKind
	A, B  PlayerID
	Value int32
}
