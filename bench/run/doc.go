// Command run is Skirmish's load benchmark, what `make bench` runs: for
// each number of bots N, `skirmish serve` in one process and `skirmish
// bots` (rooms of 16 fighting bots) in another on loopback, then the same
// swarm against the floor (bench/floor), a bare gws server that moves the
// same bytes with no game; then Skirmish again at -lagged-n with every bot
// over a simulated link (-rtt 100ms ± -jitter 10ms, internal/linksim); it
// writes results.md and results.html. The bots play through the browser's
// netcode at 60 fps, so beside the server's figures each run reports what
// the players saw: own-shot latency, hit fairness, corrections, the HUD's
// round trip.
//
//	go run ./bench/run [-quick] [-n 250,500,750,1000,1500,2000] [-duration 20s] [-lagged-n 250,500,750,1000] [-dir bench]
//
// With -cluster it measures scale-out instead: for each number of game
// nodes K and each N, a fresh redis-server, K `skirmish node`s, one
// `skirmish lobby` placing rooms on them and the swarm, each its own
// process on loopback; it writes cluster.md (players, CPU and CPU per
// client-tick of each node, the lobby's, Redis's and the swarm's CPU).
//
//	go run ./bench/run -cluster [-quick] [-nodes 1,2,3] [-n 250,500,750] [-duration 15s]
//
//	main.go        flags, build, the runs in order
//	measure.go     one run: start, sample, cut the measurement window
//	proc.go        /proc: CPU time, resident memory, machine load
//	results.go     results.md (tables, targets) and results.html (plots)
//	cluster.go     -cluster: one run of Redis, a lobby, K nodes and a swarm
//	clusterdoc.go  -cluster: cluster.md
//
// Each run measures the server's CPU (from /proc/<pid>/stat) and memory
// over the swarm's measurement window, and takes delivery, lateness and
// bandwidth from the swarm's JSON report. With perf installed, one more
// pair of runs at -profile-n records where the servers' CPU goes.
package main
