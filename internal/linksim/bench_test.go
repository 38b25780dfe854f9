//go:build linux

// bench_test.go — what shaping costs, over real loopback sockets, each
// shaped figure beside the plain socket's from the same run: bytes a
// second and allocations a write; how late a byte is at 100 ms one way;
// and 1,000 connections, as a swarm of bots holds them, idle and with 60
// writes a second each way: CPU (getrusage, so Linux only), memory and
// lateness.
//
//	go test -run '^$' -bench Write ./internal/linksim/
//	go test -run '^$' -bench 'Delivery|Conns' -benchtime 300x ./internal/linksim/ [-conns 1000]

package linksim_test

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"skirmish/internal/linksim"
)

// benchPair is pair without a *testing.T's checks: a dialed connection,
// shaped or plain, and its accepted end.
func benchPair(b *testing.B, ln net.Listener, d *linksim.Dialer) (net.Conn, net.Conn) {
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	var c net.Conn
	var err error
	if d == nil {
		c, err = net.Dial("tcp", ln.Addr().String())
	} else {
		c, err = d.Dial("tcp", ln.Addr().String())
	}
	if err != nil {
		b.Fatal(err)
	}
	srv := <-accepted
	if srv == nil {
		b.Fatal("accept failed")
	}
	return c, srv
}

func listen(b *testing.B) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	return ln
}

// BenchmarkWrite: one connection written as fast as it takes, read at the
// far end; an op is one write, timed until the far end has it all.
func BenchmarkWrite(b *testing.B) {
	shaped := &linksim.Dialer{Link: linksim.Link{
		Up:   linksim.Shape{Delay: 10 * time.Millisecond, Jitter: time.Millisecond},
		Down: linksim.Shape{Delay: 10 * time.Millisecond},
	}}
	for _, size := range []int{60, 1 << 10, 16 << 10} {
		for _, d := range []*linksim.Dialer{nil, shaped} {
			name := map[bool]string{true: "plain", false: "shaped"}[d == nil]
			b.Run(fmt.Sprintf("%s/%dB", name, size), func(b *testing.B) {
				c, srv := benchPair(b, listen(b), d)
				defer c.Close()
				defer srv.Close()
				total := int64(b.N) * int64(size)
				got := make(chan int64, 1)
				go func() {
					n, _ := io.CopyN(io.Discard, srv, total)
					got <- n
				}()
				p := make([]byte, size)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if _, err := c.Write(p); err != nil {
						b.Fatal(err)
					}
				}
				if n := <-got; n != total {
					b.Fatalf("%d of %d bytes arrived", n, total)
				}
			})
		}
	}
}

// BenchmarkDelivery100ms: a 16-byte record every 2 ms through 100 ms one
// way; how late each arrives past its due time.
func BenchmarkDelivery100ms(b *testing.B) {
	const delay = 100 * time.Millisecond
	c, srv := benchPair(b, listen(b), &linksim.Dialer{Link: linksim.Link{Up: linksim.Shape{Delay: delay}}})
	defer c.Close()
	defer srv.Close()
	late := make([]time.Duration, 0, b.N)
	done := make(chan struct{})
	go func() {
		defer close(done)
		rec := make([]byte, recordSize)
		for range b.N {
			if _, err := io.ReadFull(srv, rec); err != nil {
				return
			}
			late = append(late, time.Since(base)-time.Duration(binary.LittleEndian.Uint64(rec[8:]))-delay)
		}
	}()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	rec := make([]byte, 0, recordSize)
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		if _, err := c.Write(putRecord(rec[:0], uint64(i))); err != nil {
			b.Fatal(err)
		}
	}
	<-done
	b.StopTimer()
	reportLateness(b, late)
}

func reportLateness(b *testing.B, late []time.Duration) {
	if len(late) == 0 {
		b.Fatal("nothing arrived")
	}
	slices.Sort(late)
	q := func(f float64) float64 { return float64(late[int(f*float64(len(late)-1))]) / 1e3 }
	b.ReportMetric(q(0.5), "late-p50-µs")
	b.ReportMetric(q(0.99), "late-p99-µs")
	b.ReportMetric(q(1), "late-max-µs")
	if late[0] < 0 {
		b.Errorf("a record arrived %v early", -late[0])
	}
}

// BenchmarkConns: 1,000 connections (-conns), each with a reader at both
// ends (as a bot's read loop and a server's), driven by two goroutines
// (as a swarm's shards): idle, or a 16-byte record on every 60 Hz tick
// from the client (up: a bot's inputs) or from both ends (both: inputs
// and snapshots). An op is a tick; lateness is each record's, from being
// written to being read, past its delay. Plain and shaped (50 ms each way, the
// bots' 100 ms round trip; no jitter, so that lateness is against a known
// due time: a jitter draw costs nothing to speak of) in the same run.
func BenchmarkConns(b *testing.B) {
	const delay = 50 * time.Millisecond
	conns := *benchConns
	shaped := &linksim.Dialer{Link: linksim.Link{Up: linksim.Shape{Delay: delay}, Down: linksim.Shape{Delay: delay}}}
	for _, d := range []*linksim.Dialer{nil, shaped} {
		for _, ways := range []int{0, 1, 2} {
			name := map[bool]string{true: "plain", false: "shaped"}[d == nil] + []string{"/idle", "/60Hz-up", "/60Hz-both"}[ways]
			b.Run(name, func(b *testing.B) { runConns(b, conns, d, ways) })
		}
	}
}

// runConns runs conns connections for b.N ticks, writing a record on
// each tick from the client (ways 1), from both ends (ways 2), or not at
// all (0).
func runConns(b *testing.B, conns int, d *linksim.Dialer, ways int) {
	writing := ways > 0
	var delay time.Duration
	if d != nil {
		delay = d.Link.Up.Delay
	}
	ln := listen(b)
	goroutines := runtime.NumGoroutine()
	runtime.GC()
	before := heapAndStacks()
	clients, servers := make([]net.Conn, conns), make([]net.Conn, conns)
	var dials sync.WaitGroup
	jobs := make(chan int)
	for range 50 {
		dials.Add(1)
		go func() {
			defer dials.Done()
			for i := range jobs {
				clients[i], servers[i] = benchPair(b, ln, d)
			}
		}()
	}
	for i := range conns {
		jobs <- i
	}
	close(jobs)
	dials.Wait()
	runtime.GC()
	perConn := float64(heapAndStacks()-before) / float64(conns) / 1024 // both ends, and the shaping

	// A reader at each end, recording how late each record is.
	ticks := b.N
	if !writing {
		ticks = 0
	}
	readers := servers // the records the clients write
	if ways == 2 {
		readers = append(slices.Clone(servers), clients...)
	}
	late := make([][]time.Duration, len(readers))
	var reading sync.WaitGroup
	for i, c := range readers {
		late[i] = make([]time.Duration, 0, ticks)
		reading.Add(1)
		go func() {
			defer reading.Done()
			rec := make([]byte, recordSize)
			for range ticks {
				if _, err := io.ReadFull(c, rec); err != nil {
					return
				}
				late[i] = append(late[i], time.Since(base)-time.Duration(binary.LittleEndian.Uint64(rec[8:]))-delay)
			}
		}()
	}

	b.ReportAllocs()
	b.ResetTimer()
	cpu0, wall0 := cpuTime(), time.Now()
	var driving sync.WaitGroup
	for shard := range 2 {
		driving.Add(1)
		go func() {
			defer driving.Done()
			tick := time.NewTicker(time.Second / 60)
			defer tick.Stop()
			rec := make([]byte, 0, recordSize)
			for t := range b.N {
				<-tick.C
				if !writing {
					continue
				}
				for i := shard; i < conns; i += 2 {
					if _, err := clients[i].Write(putRecord(rec[:0], uint64(t))); err != nil {
						b.Error(err)
						return
					}
					if ways < 2 {
						continue
					}
					if _, err := servers[i].Write(putRecord(rec[:0], uint64(t))); err != nil {
						b.Error(err)
						return
					}
				}
			}
		}()
	}
	driving.Wait()
	reading.Wait()
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	b.StopTimer()

	b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu-%")
	b.ReportMetric(perConn, "KiB/conn")
	if writing {
		records := len(readers) * b.N
		b.ReportMetric(float64(cpu.Microseconds())/float64(records), "cpu-µs/write")
		var all []time.Duration
		for _, l := range late {
			all = append(all, l...)
		}
		if len(all) != records {
			b.Errorf("%d of %d records arrived", len(all), records)
		}
		reportLateness(b, all)
	}
	for i := range conns {
		clients[i].Close()
		servers[i].Close()
	}
	// The next run measures its memory from a clean start.
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > goroutines && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapAndStacks() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

var benchConns = flag.Int("conns", 1000, "connections in BenchmarkConns")
