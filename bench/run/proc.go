// proc.go — what the benchmark reads from Linux's /proc: a process's CPU
// time and resident memory, the whole machine's busy time, and a sampler
// that records them over a run for measure.go to cut the window out of.

package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// sampleEvery is how often the sampler reads /proc during a run.
const sampleEvery = 250 * time.Millisecond

// procCPU is the CPU time (user + system) process pid has used.
func procCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(fields[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad times", pid)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// procRSS is the resident memory of process pid, in bytes.
func procRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
}

// machineBusy is the CPU time every core of the machine has spent not
// idle, from /proc/stat.
func machineBusy() (time.Duration, error) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy int64
	for i, f := range fields[1:] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %w", err)
		}
		// user nice system idle iowait irq softirq steal (guest time is
		// already in user): idle and iowait are not busy.
		if i != 3 && i != 4 && i < 8 {
			busy += v
		}
	}
	return time.Duration(busy) * clockTick, nil
}

// sample is one reading of the sampler: the machine's busy time, and the
// CPU time and resident memory of each process watched, in the order the
// sampler was given their pids.
type sample struct {
	at   time.Time
	busy time.Duration
	cpu  []time.Duration
	rss  []int64
}

// sampler reads the CPU time and memory of the processes pids and the
// machine's busy time every sampleEvery until stop is closed, then sends
// what it read. A reading in which one of them fails (a process gone) is
// left out.
func sampler(pids []int, stop <-chan struct{}, out chan<- []sample) {
	var got []sample
	read := func() {
		s := sample{at: time.Now(), cpu: make([]time.Duration, len(pids)), rss: make([]int64, len(pids))}
		var err error
		for i, pid := range pids {
			if s.cpu[i], err = procCPU(pid); err != nil {
				return
			}
			if s.rss[i], err = procRSS(pid); err != nil {
				return
			}
		}
		if s.busy, err = machineBusy(); err != nil {
			return
		}
		got = append(got, s)
	}
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		read()
		select {
		case <-stop:
			out <- got
			return
		case <-t.C:
		}
	}
}

// cpuOf, rssOf and busyOf read one figure of a sample, in seconds and
// bytes: process i's CPU time and memory, the machine's busy time.
func cpuOf(i int) func(sample) float64 { return func(s sample) float64 { return s.cpu[i].Seconds() } }
func rssOf(i int) func(sample) float64 { return func(s sample) float64 { return float64(s.rss[i]) } }
func busyOf(s sample) float64          { return s.busy.Seconds() }

// perSecond is how much the samples' value f grew over [from, to], per
// second: CPU seconds per second for a CPU time.
func perSecond(ss []sample, from, to time.Time, f func(sample) float64) float64 {
	secs := to.Sub(from).Seconds()
	if secs <= 0 {
		return 0
	}
	return (at(ss, to, f) - at(ss, from, f)) / secs
}

// at interpolates the samples' value f at time t.
func at(ss []sample, t time.Time, f func(sample) float64) float64 {
	if len(ss) == 0 {
		return 0
	}
	if !t.After(ss[0].at) {
		return f(ss[0])
	}
	for i := 1; i < len(ss); i++ {
		if !t.After(ss[i].at) {
			a, b := ss[i-1], ss[i]
			w := float64(t.Sub(a.at)) / float64(b.at.Sub(a.at))
			return f(a) + w*(f(b)-f(a))
		}
	}
	return f(ss[len(ss)-1])
}

// maxIn is the largest value f takes on the samples within [from, to].
func maxIn(ss []sample, from, to time.Time, f func(sample) float64) float64 {
	m := 0.0
	for _, s := range ss {
		if !s.at.Before(from) && !s.at.After(to) {
			m = max(m, f(s))
		}
	}
	return m
}
