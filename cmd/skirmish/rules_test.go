// rules_test.go — the rules flags of the roles that host rooms
// (rules.go's gameFlags): --lag-comp-window in ticks, --resume-hold, and
// refusals.

package main

import (
	"flag"
	"strings"
	"testing"
	"time"
)

func TestLagCompWindowInTicks(t *testing.T) {
	for _, tc := range []struct {
		window time.Duration
		ticks  int32
	}{
		{defaultLagCompWindow, 12},
		{0, -1}, // off
		{time.Millisecond, 1},
		{100 * time.Millisecond, 6},
		{250 * time.Millisecond, 15},
		{time.Second, 60},
	} {
		got, err := lagCompTicks(tc.window)
		if err != nil || got != tc.ticks {
			t.Errorf("--lag-comp-window %v: %d ticks, %v; want %d", tc.window, got, err, tc.ticks)
		}
	}
}

func TestGameFlagsRefuseOutOfRange(t *testing.T) {
	for _, args := range [][]string{
		{"--lag-comp-window", "-1ms"},
		{"--lag-comp-window", "1001ms"},
		{"--match-length", "5s"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		g := newGameFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if _, err := g.games(); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v; want a refusal naming the flag", args, err)
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	g := newGameFlags(fs)
	if err := fs.Parse([]string{"--lag-comp-window", "0", "--match-length", "90s"}); err != nil {
		t.Fatal(err)
	}
	if games, err := g.games(); err != nil || games == nil {
		t.Fatalf("valid flags: %v", err)
	}
}

func TestResumeHoldFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want time.Duration // 0: refused
	}{
		{nil, 30 * time.Second},
		{[]string{"--resume-hold", "5s"}, 5 * time.Second},
		{[]string{"--resume-hold", "0"}, -1},
		{[]string{"--resume-hold", "-1s"}, 0},
		{[]string{"--resume-hold", "11m"}, 0},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		g := newGameFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		got, err := g.hold()
		switch {
		case c.want == 0 && (err == nil || !strings.Contains(err.Error(), "--resume-hold")):
			t.Errorf("%v: %v, %v; want a refusal naming the flag", c.args, got, err)
		case c.want != 0 && (err != nil || got != c.want):
			t.Errorf("%v: %v, %v; want %v", c.args, got, err, c.want)
		}
	}
}
