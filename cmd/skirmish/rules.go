// rules.go — the rules of every room, for the roles that host rooms
// (serve.go, node.go): --match-length and --lag-comp-window turned into
// the sim's Config, --resume-hold into the server's hold of a dropped
// player; the server's defaults when none is given.

package main

import (
	"flag"
	"fmt"
	"time"

	"skirmish/server"
	"skirmish/sim"
)

const (
	// minMatch and maxMatch bound --match-length.
	minMatch, maxMatch = 10 * time.Second, time.Hour
	// defaultLagCompWindow is --lag-comp-window's default: the sim's
	// (12 ticks), Overwatch's order of magnitude; maxLagCompWindow bounds
	// it, as the sim does (sim.MaxLagCompTicks).
	defaultLagCompWindow = 200 * time.Millisecond
	maxLagCompWindow     = time.Second
)

// gameFlags are the rules of the rooms, for the roles that host them
// (serve, node).
type gameFlags struct {
	matchLength, lagCompWindow, resumeHold *time.Duration
}

func newGameFlags(fs *flag.FlagSet) gameFlags {
	return gameFlags{
		matchLength: fs.Duration("match-length", 0, "length of a match, e.g. 90s (default: the game's, 3 minutes)"),
		lagCompWindow: fs.Duration("lag-comp-window", defaultLagCompWindow,
			"lag compensation: how far in the past a shot may be judged, against the targets where its shooter saw them, up to 1s; 0: off (every shot judged against the present)"),
		resumeHold: fs.Duration("resume-hold", defaultResumeHold,
			"how long a player whose connection dropped is held in their room (standing, seat kept) for them to come back as themself, up to 10m; 0: off (they leave at once)"),
	}
}

// defaultResumeHold is --resume-hold's default, the server's own
// (server.Options.ResumeHold); maxResumeHold bounds it, as the lobby
// bounds a ticket's life (a held seat's ticket lasts as long as the hold).
const (
	defaultResumeHold = 30 * time.Second
	maxResumeHold     = 10 * time.Minute
)

// hold is server.Options.ResumeHold for --resume-hold: negative (no
// holds) for 0.
func (g gameFlags) hold() (time.Duration, error) {
	switch h := *g.resumeHold; {
	case h < 0 || h > maxResumeHold:
		return 0, fmt.Errorf("--resume-hold %v: want 0 (off) to %v", h, maxResumeHold)
	case h == 0:
		return -1, nil
	default:
		return h, nil
	}
}

// games is the game of every room for these flags.
func (g gameFlags) games() (func(room string) server.Game, error) {
	cfg := sim.DefaultConfig()
	if m := *g.matchLength; m != 0 {
		if m < minMatch || m > maxMatch {
			return nil, fmt.Errorf("--match-length %v: want %v to %v", m, minMatch, maxMatch)
		}
		cfg.MatchTicks = int32(m * sim.TickRate / time.Second)
	}
	ticks, err := lagCompTicks(*g.lagCompWindow)
	if err != nil {
		return nil, err
	}
	cfg.LagCompTicks = ticks
	return server.SimGames(cfg), nil
}

// lagCompTicks is sim.Config.LagCompTicks for --lag-comp-window w: w in
// ticks, to the nearest and at least one; -1 (off) for 0.
func lagCompTicks(w time.Duration) (int32, error) {
	switch {
	case w < 0 || w > maxLagCompWindow:
		return 0, fmt.Errorf("--lag-comp-window %v: want 0 (off) to %v", w, maxLagCompWindow)
	case w == 0:
		return -1, nil
	}
	return int32(max((w*sim.TickRate+time.Second/2)/time.Second, 1)), nil
}
