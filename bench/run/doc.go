// Command run is Skirmish's load benchmark, what `make bench` runs: for
// each number of bots N, `skirmish serve` in one process and `skirmish
// bots` (rooms of 16 fighting bots) in another on loopback, then the same
// swarm against the floor (bench/floor), a bare gws server that moves the
// same bytes with no game; it writes results.md and results.html.
//
//	go run ./bench/run [-quick] [-n 250,500,1000,1500,2000] [-duration 20s] [-dir bench]
//
//	main.go     flags, build, the runs in order
//	measure.go  one run: start, sample, cut the measurement window
//	proc.go     /proc: CPU time, resident memory, machine load
//	results.go  results.md (tables, targets) and results.html (plots)
//
// Each run measures the server's CPU (from /proc/<pid>/stat) and memory
// over the swarm's measurement window, and takes delivery, lateness and
// bandwidth from the swarm's JSON report. With perf installed, one more
// pair of runs at -profile-n records where the servers' CPU goes.
package main
