package main

import "testing"

func TestCommandLine(t *testing.T) {
	for _, c := range []struct {
		args       []string
		want, make string
	}{
		{nil, "go run ./bench/run", " (what `make bench` runs)"},
		{[]string{"-profile-n", "0", "-batched-n", ""}, "go run ./bench/run -profile-n 0 -batched-n ''", ""},
		{[]string{"-dir", "/tmp/a b", "-x", "it's"}, `go run ./bench/run -dir '/tmp/a b' -x 'it'\''s'`, ""},
	} {
		got := commandLine(c.args)
		if got != c.want {
			t.Errorf("commandLine(%q) = %s, want %s", c.args, got, c.want)
		}
		if m := makeBench(got); m != c.make {
			t.Errorf("makeBench(%s) = %q, want %q", got, m, c.make)
		}
	}
}
