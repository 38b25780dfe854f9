// soak_test.go — the soak with faults (issue 15): a lobby, three nodes and
// a persistent Redis as real processes (cluster_test.go), players that
// join and leave all the time (bots.PlaySession: random session lengths,
// private rooms, queueing again when their node goes away), and a fault
// schedule (soakfaults_test.go). A sampler checks the store and the nodes
// every second and reads every process's metrics; the checks at the end
// are in soakcheck_test.go, the report in soakreport_test.go. It runs only
// when SOAK is set to its length: `make soak` (10 minutes), and `make test`
// with SOAK=60s.

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"skirmish/bots"
)

// soakPlayers is how many players churn at once; each plays sessions of
// soakMinSession to soakMaxSession, one after another, with a pause of up
// to soakMaxPause between them. One in soakPartyEvery sessions opens a
// party, one in soakPrivateEvery a private room, for the next free player
// to join.
const (
	soakPlayers      = 18
	soakMinSession   = 6 * time.Second
	soakMaxSession   = 20 * time.Second
	soakMaxPause     = 2 * time.Second
	soakPartyEvery   = 5
	soakPrivateEvery = 4
	soakSettle       = 30 * time.Second // after the churn: for the processes to come back to idle
)

// soakRun is what the soak gathered.
type soakRun struct {
	length time.Duration
	start  time.Time

	mu       sync.Mutex
	sessions []soakSession
	errs     []string
	faults   []soakFault
	dead     map[string]bool   // ws URLs of the nodes killed or drained
	gone     map[string]string // the nodes killed or drained: how and when
	samples  []soakSample
	breaches []string          // what the sampler saw that must never be
	slow     []net.Conn        // the slow readers' sockets, closed at the end
	nodesMu  sync.RWMutex      // the cluster's nodes: the faults start new ones
	debug    map[string]string // each process's profiler address
	gc       bool              // collect garbage in every process before each sample: idle
}

type soakSession struct {
	player  int
	length  time.Duration
	party   string // the party's code, for its leader and members
	private bool   // it opened or joined a private room
	led     bool   // a party member, queued by its leader
	s       bots.Session
}

func (r *soakRun) fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestSoak(t *testing.T) {
	spec := os.Getenv("SOAK")
	if spec == "" {
		t.Skip("the soak runs when SOAK is set to its length: make soak, or SOAK=60s go test -run TestSoak ./cmd/skirmish")
	}
	length, err := time.ParseDuration(spec)
	if err != nil || length < 30*time.Second {
		t.Fatalf("SOAK=%q: want a duration of at least 30s", spec)
	}
	// Every process serves its profiler, so that the idle samples at the
	// start and the end are taken after a collection (debugFlags).
	run := &soakRun{length: length, dead: map[string]bool{}, gone: map[string]string{}, debug: map[string]string{}}
	nodeFlags := func(name string) []string {
		// A dropped seat is held 5 s, not 30: the settling at the end
		// waits for the last one.
		return append(run.debugFlags(t, name), "--trust-proxy", "127.0.0.1/32", "--drain-timeout", "5s", "--capacity", "64", "--resume-hold", "5s")
	}
	c := newCluster(t, 0, true, append(run.debugFlags(t, "lobby"), "--trust-proxy", "127.0.0.1/32"))
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("n%d", i)
		c.startNode(name, nodeFlags(name)...)
	}
	c.waitNodes(3)
	run.start = time.Now()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		run.sample(ctx, c)
	}()
	run.idle(true)
	run.waitSamples(t, 2) // the idle baseline, before anyone plays
	run.idle(false)

	churn, stopChurn := context.WithTimeout(ctx, length)
	defer stopChurn()
	var players sync.WaitGroup
	codes := make(chan string, soakPlayers)
	parties := make(chan partyOffer, soakPlayers)
	for i := range soakPlayers {
		players.Add(1)
		go func() {
			defer players.Done()
			run.churn(churn, c, i, codes, parties)
		}()
	}
	faults := make(chan struct{})
	go func() {
		defer close(faults)
		run.inject(churn, t, c, nodeFlags)
	}()
	players.Wait()
	<-faults
	t.Logf("soak: churn over after %v; settling", time.Since(run.start).Round(time.Second))
	settled := run.settle(t, c)
	run.idle(true)
	run.waitSamples(t, 2) // idle at the end
	cancel()
	<-sampled
	run.check(t, c, settled)
	if dir := os.Getenv("SOAK_REPORT"); dir != "" {
		if err := run.writeReport(dir, c); err != nil {
			t.Error(err)
		}
	}
}

// partyOffer is a party a leader opened, for another slot to join.
type partyOffer struct {
	code   string
	length time.Duration
	joined chan struct{} // capacity 1: a member joined
}

// churn is one player slot: session after session until ctx ends, each a
// new guest with a random length. Every soakPartyEvery-th opens a party
// that the next free slot joins (both play the same length; the leader
// queues them, and they must land in one room); every
// soakPrivateEvery-th opens a private room whose code the next free slot
// takes; the rest queue alone.
func (r *soakRun) churn(ctx context.Context, c *cluster, slot int, codes chan string, parties chan partyOffer) {
	rng := rand.New(rand.NewPCG(uint64(slot), 0x50a4))
	hc := http.DefaultClient
	for n := 0; ctx.Err() == nil; n++ {
		length := soakMinSession + time.Duration(rng.Int64N(int64(soakMaxSession-soakMinSession)))
		if left := time.Until(r.start.Add(r.length)); length > left {
			if left < soakMinSession/2 {
				return
			}
			length = left
		}
		name := fmt.Sprintf("p%d-%d", slot, n)
		lctx, cancel := context.WithTimeout(ctx, time.Minute) // bounds this session's lobby calls but its play
		token, err := bots.Login(lctx, hc, c.lobby.url, name)
		if err != nil {
			cancel()
			if ctx.Err() == nil {
				r.fail("%s: login: %v", name, err)
			}
			return
		}
		opts := bots.SessionOptions{
			Options: bots.Options{BaseURL: c.lobby.url, Name: name, Token: token, Behavior: bots.Wander(), Seed: rng.Uint64(), DropEvents: true},
			Length:  length,
		}
		party := ""
		select {
		case offer := <-parties:
			if err := bots.JoinParty(lctx, hc, c.lobby.url, token, offer.code); err == nil {
				offer.joined <- struct{}{}
				party, opts.Led, opts.Length = offer.code, true, offer.length
			}
		case code := <-codes:
			opts.Room = code
		default:
			switch {
			case (n+slot)%soakPartyEvery == 0:
				code, err := bots.CreateParty(lctx, hc, c.lobby.url, token)
				if err != nil {
					cancel()
					r.fail("%s: %v", name, err)
					return
				}
				offer := partyOffer{code: code, length: length, joined: make(chan struct{}, 1)}
				parties <- offer
				select {
				case <-offer.joined:
					party, opts.Leads = code, true
				case <-time.After(3 * time.Second): // nobody free: disbanded, queue alone
					_ = bots.LeaveParty(lctx, hc, c.lobby.url, token)
				}
			case (n+slot)%soakPrivateEvery == 1:
				opts.Room = bots.NewRoom
				opts.Joined = func(b *bots.Bot) {
					if code := b.Assignment().Code; code != "" {
						select {
						case codes <- code:
						default:
						}
					}
				}
			}
		}
		s, err := bots.PlaySession(ctx, opts)
		if err != nil && ctx.Err() == nil {
			r.fail("%s: %v", name, err)
		}
		cancel()
		if party != "" {
			lctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = bots.LeaveParty(lctx, hc, c.lobby.url, token) // the leader's disbands it; a member may find it gone
			cancel()
		}
		r.mu.Lock()
		r.sessions = append(r.sessions, soakSession{player: slot, length: opts.Length, party: party, private: opts.Room != "", led: opts.Led, s: s})
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(rng.Int64N(int64(soakMaxPause)))):
		}
	}
}

// nodeOfURL names the node whose WebSocket URL is url.
func (c *cluster) nodeOfURL(url string) string {
	for name, p := range c.nodes {
		if p.url == url {
			return name
		}
	}
	return strings.TrimPrefix(url, "ws://")
}
