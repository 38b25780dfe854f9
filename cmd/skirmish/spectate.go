// spectate.go — the spectators of every room, for the roles that host
// rooms (serve.go, node.go): --max-spectators and --spectate-delay turned
// into the game server's Options (server/spectate.go).

package main

import (
	"flag"
	"fmt"
	"time"
)

// maxSpectateDelay bounds --spectate-delay, as the game server does.
const maxSpectateDelay = time.Minute

// spectateFlags are how rooms take spectators.
type spectateFlags struct {
	max   *int
	delay *time.Duration
}

func newSpectateFlags(fs *flag.FlagSet) spectateFlags {
	return spectateFlags{
		max: fs.Int("max-spectators", 0,
			"spectators a room takes besides its players (POST /api/watch); one more is refused with 409 (default: 32; -1: none)"),
		delay: fs.Duration("spectate-delay", 0,
			"how far in the past spectators see a room, e.g. 10s for competitive rooms, up to 1m (default: 0, the present)"),
	}
}

// spectating is what the flags say: server.Options.MaxSpectators and
// SpectateDelay.
func (f spectateFlags) spectating() (limit int, delay time.Duration, err error) {
	if d := *f.delay; d < 0 || d > maxSpectateDelay {
		return 0, 0, fmt.Errorf("--spectate-delay %v: want 0 to %v", d, maxSpectateDelay)
	}
	if *f.max < -1 {
		return 0, 0, fmt.Errorf("--max-spectators %d: want -1 (none), 0 (the default, 32) or more", *f.max)
	}
	return *f.max, *f.delay, nil
}
