//go:build unix

// cputime_unix_test.go — the process's CPU time, for benchmarks that
// report it beside the wall clock (bench_test.go): on a machine shared
// with other work, the wall clock also counts the time others ran.

package bots

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process has used; ok
// is false where it cannot be read.
func processCPU() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
