//go:build !unix

// cputime_other_test.go — processCPU where there is no getrusage
// (cputime_unix_test.go).

package bots

import "time"

// processCPU cannot be read here.
func processCPU() (time.Duration, bool) { return 0, false }
