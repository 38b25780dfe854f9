// bots.go — `skirmish bots`: a swarm of headless bots (bots.Swarm) against
// a running Skirmish, with a progress line a second, a summary at the end,
// and the figures as JSON and as an HTML page with plots.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"skirmish/bots"
	"skirmish/internal/linksim"
	pb "skirmish/proto"
)

func runBots(args []string) error {
	fs := flag.NewFlagSet("bots", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080", "the lobby's base URL")
	count := fs.Int("count", 16, "how many bots join")
	duration := fs.Duration("duration", 30*time.Second, "how long the swarm plays once every bot has joined")
	ramp := fs.Float64("ramp", 200, "bots joining per second")
	behavior := fs.String("behavior", "fight", "fight, wander or idle")
	seed := fs.Uint64("seed", 1, "seeds the bots' randomness")
	jsonFile := fs.String("json", "", "write the figures to this file as JSON")
	htmlFile := fs.String("html", "", "write the figures and plots to this file as a web page")
	quiet := fs.Bool("quiet", false, "no progress lines")
	perMessage := fs.Int("inputs-per-message", 1, "ticks' inputs each bot sends in one frame: 2 sends 30 frames a second, for about a tick more input delay (1 to 8)")
	cpuProfile := fs.String("cpuprofile", "", "write the swarm's CPU profile (runtime/pprof) to this file, for go tool pprof")
	fps := fs.Int("fps", 60, "frames a second each bot plays, as a browser: each frame one socket drain, 60/fps updates back to back (each giving the netcode's input clock its wish), one draw (1 to 240)")
	var lf linkFlags
	lf.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: skirmish bots --url URL --count N --duration D [--ramp R] [--behavior fight|wander|idle] [--inputs-per-message 1] [--fps 60]\n"+
			"                     [--latency RTT | --latency-up D --latency-down D] [--jitter D] [--stall-every D [--stall D]] [--json FILE] [--html FILE] [--cpuprofile FILE]\n\n"+
			"Bots join through the lobby at --ramp a second, play for --duration once all have\n"+
			"joined, then close their connections. A progress line goes to stderr every second,\n"+
			"the summary to stdout. Exit status 1 when no bot could join or a bot's state\n"+
			"disagreed with the server's checksum (a desync).\n\n"+
			"The link flags put a simulated network (internal/linksim) between every bot and\n"+
			"the game server, on the WebSocket (the lobby calls are not shaped): --latency is\n"+
			"the round trip, half of it each way; --jitter, --stall-every and --stall apply to\n"+
			"each direction on its own.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bots: unexpected argument %q", fs.Arg(0))
	}
	if *perMessage < 1 || *perMessage > pb.MaxInputs {
		return fmt.Errorf("bots: --inputs-per-message %d: from 1 to %d", *perMessage, pb.MaxInputs)
	}
	if *fps < 1 || *fps > 240 {
		return fmt.Errorf("bots: --fps %d: from 1 to 240", *fps)
	}
	link, err := lf.link()
	if err != nil {
		return err
	}
	opts := bots.SwarmOptions{
		BaseURL:  *url,
		Count:    *count,
		Duration: *duration,
		Ramp:     *ramp,
		Behavior: *behavior,
		Seed:     *seed,

		InputsPerMessage: *perMessage,
		Link:             link,
		FPS:              *fps,
	}
	if !*quiet {
		opts.Progress = func(s bots.Second) { fmt.Fprintln(os.Stderr, s) }
	}
	swarm, err := bots.NewSwarm(opts)
	if err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	report, runErr := swarm.Run(ctx)
	if err := stopProfile(); err != nil {
		return err
	}
	if err := report.WriteSummary(os.Stdout); err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	if err := writeReport(*jsonFile, report.WriteJSON); err != nil {
		return err
	}
	if err := writeReport(*htmlFile, report.WriteHTML); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if report.Desyncs > 0 {
		return fmt.Errorf("bots: %d desyncs: a bot's state disagreed with the server's checksum", report.Desyncs)
	}
	return nil
}

// linkFlags are the flags of the simulated link.
type linkFlags struct {
	latency, up, down, jitter, stallEvery, stall time.Duration
}

func (f *linkFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&f.latency, "latency", 0, "simulated round trip of every bot's connection, half of it each way (0: none)")
	fs.DurationVar(&f.up, "latency-up", 0, "simulated one-way delay from bot to server, instead of --latency")
	fs.DurationVar(&f.down, "latency-down", 0, "simulated one-way delay from server to bot, instead of --latency")
	fs.DurationVar(&f.jitter, "jitter", 0, "each way: every write's delay is drawn from delay ± jitter (bytes never overtake, as on TCP)")
	fs.DurationVar(&f.stallEvery, "stall-every", 0, "each way: mean time between stalls, the retransmit after a lost segment: bytes held, none lost (0: none)")
	fs.DurationVar(&f.stall, "stall", 0, "how long a stall holds a direction (default 200ms with --stall-every)")
}

// link is the linksim.Link the flags ask for, checked.
func (f *linkFlags) link() (linksim.Link, error) {
	up, down := f.latency/2, f.latency-f.latency/2
	if f.up != 0 || f.down != 0 {
		if f.latency != 0 {
			return linksim.Link{}, errors.New("bots: --latency is the round trip: give it or --latency-up and --latency-down, not both")
		}
		up, down = f.up, f.down
	}
	if f.stall != 0 && f.stallEvery == 0 {
		return linksim.Link{}, errors.New("bots: --stall needs --stall-every")
	}
	shape := func(delay time.Duration) linksim.Shape {
		return linksim.Shape{Delay: delay, Jitter: f.jitter, StallEvery: f.stallEvery, Stall: f.stall}
	}
	l := linksim.Link{Up: shape(up), Down: shape(down)}
	if err := l.Check(); err != nil {
		return linksim.Link{}, fmt.Errorf("bots: link flags: %w", err)
	}
	return l, nil
}

// startCPUProfile starts writing the process's CPU profile to path ("":
// no profile); the func it returns stops it and closes the file.
func startCPUProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bots: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bots: cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("bots: cpu profile: %w", err)
		}
		return nil
	}, nil
}

// writeReport writes one form of the report to path ("": nowhere).
func writeReport(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errors.Join(fmt.Errorf("bots: writing %s", path), err)
	}
	return nil
}
