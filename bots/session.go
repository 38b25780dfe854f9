// session.go — a player's session in re-queue mode: logged in once (the
// Token), the bot plays for the session's length; when its game server
// goes away mid-session (a node killed or drained) it queues again with
// the same token and plays on for what is left, counting how long it was
// out. join.go seats it, frame.go plays it; the soak
// (cmd/skirmish/soak_test.go) churns players through sessions.

package bots

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	pb "skirmish/proto"
)

// defaultSessionJoinTimeout bounds each seat-and-dial of a session.
const defaultSessionJoinTimeout = 30 * time.Second

// SessionOptions configures PlaySession.
//
// A party member (Options.Led) whose game ends early leaves its party and
// queues on its own, unless its leader queued the party again first.
type SessionOptions struct {
	// Options is the bot's; its Token (from Login) is required. A Room
	// seats the session's first game only: after its server went away
	// the player queues.
	Options
	// Length is how long the session plays, in all. Required.
	Length time.Duration
	// JoinTimeout bounds the seating and dialling of each game, refusals
	// retried. Default 30 s.
	JoinTimeout time.Duration
	// Joined, if set, is told each game the session joins, on
	// PlaySession's goroutine.
	Joined func(*Bot)
}

// Session is what a session played.
type Session struct {
	Played   time.Duration   // time in games, Welcome to goodbye
	Games    []Assignment    // every game it joined, in order
	Ends     []string        // why each game but the last ended early: the kick, or the connection's error
	Regained []time.Duration // for each re-queue, from losing the game to the next Welcome
	Refused  []string        // the first few joins that failed and were tried again, and why
	Stats    Stats           // Snapshots, Checksums and Desyncs summed over its games
}

// Requeues is how often the player had to queue again.
func (s Session) Requeues() int { return len(s.Regained) }

// PlaySession plays one session. It returns early, with what was played,
// when ctx ends; an error means a game could not be joined.
func PlaySession(ctx context.Context, opts SessionOptions) (Session, error) {
	var s Session
	if opts.Token == "" || opts.Length <= 0 {
		return s, errors.New("bots: SessionOptions needs a Token and a Length")
	}
	if opts.JoinTimeout <= 0 {
		opts.JoinTimeout = defaultSessionJoinTimeout
	}
	end := time.Now().Add(opts.Length)
	var lost time.Time
	for {
		b, err := joinRetrying(ctx, opts.Options, opts.JoinTimeout, &s)
		if err != nil {
			if ctx.Err() != nil {
				return s, nil
			}
			return s, fmt.Errorf("bots: session: game %d: %w", len(s.Games)+1, err)
		}
		start := time.Now()
		if !lost.IsZero() {
			s.Regained = append(s.Regained, start.Sub(lost))
		}
		s.Games = append(s.Games, b.Assignment())
		if opts.Joined != nil {
			opts.Joined(b)
		}
		rctx, cancel := context.WithDeadline(ctx, end)
		err = b.Run(rctx)
		over := rctx.Err() != nil // the session's end, or the caller's
		cancel()
		if over {
			b.Close()
			<-b.Done()
		}
		lost = time.Now()
		s.Played += lost.Sub(start)
		b.View(func(_ *pb.State, st *Stats) {
			s.Stats.Snapshots += st.Snapshots
			s.Stats.Checksums += st.Checksums
			s.Stats.Desyncs += st.Desyncs
		})
		if over || !lost.Before(end) {
			return s, nil
		}
		why := fmt.Sprint(err)
		if k := b.Kick(); k != nil {
			why = "kicked: " + k.GetMessage()
		} else if e := b.Err(); e != nil {
			why = e.Error()
		}
		s.Ends = append(s.Ends, why)
		opts.Room = ""
		if opts.Led && !refusedWith(leaveParty(ctx, opts.Options), http.StatusConflict) {
			opts.Led = false // on its own now (or the party is gone): it queues itself
		}
	}
}

// leaveParty takes a party member whose game ended early out of its
// party, unless its leader has queued the party again already (409): then
// it waits for that seat.
func leaveParty(ctx context.Context, opts Options) error {
	hc := opts.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	lctx, cancel := context.WithTimeout(ctx, defaultSessionJoinTimeout)
	defer cancel()
	return LeaveParty(lctx, hc, opts.BaseURL, opts.Token)
}

// sessionRetryPause paces a session's joins while the lobby refuses them
// (503 while no node can take a room, 409 while a dead node's seat is not
// yet freed) or the seat it gave cannot be dialled (a node that died).
const sessionRetryPause = 250 * time.Millisecond

// ledGrace is how long a party member waits for its leader to queue the
// party before it takes itself out and queues alone: the leader may have
// disbanded the party, or be playing without it.
const ledGrace = 5 * time.Second

// maxRefused bounds Session.Refused.
const maxRefused = 8

// joinRetrying joins, trying again until within has passed; the failures
// it tried again after go to s.Refused.
func joinRetrying(ctx context.Context, opts Options, within time.Duration, s *Session) (*Bot, error) {
	jctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	var unqueued time.Time // since when a party member has found itself not queued
	for {
		b, err := Join(jctx, opts)
		if err == nil || jctx.Err() != nil {
			return b, err
		}
		if len(s.Refused) < maxRefused {
			s.Refused = append(s.Refused, fmt.Sprintf("game %d: %v", len(s.Games)+1, err))
		}
		opts.Room = "" // a private room that cannot be had: the queue
		if opts.Led && refusedWith(err, http.StatusNotFound) {
			if unqueued.IsZero() {
				unqueued = time.Now()
			} else if time.Since(unqueued) > ledGrace && !refusedWith(leaveParty(ctx, opts), http.StatusConflict) {
				opts.Led = false
			}
		}
		select {
		case <-jctx.Done():
			return nil, err
		case <-time.After(sessionRetryPause):
		}
	}
}
