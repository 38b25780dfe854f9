// ratelimit_test.go — a bucket's burst, refill and wait on made-up time;
// refusals told of once a TellEvery; memory bounded however many keys
// knock, a sweep dropping the quiet keys, not the busy ones.

package ratelimit

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

var t0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func TestBurstRefillAndWait(t *testing.T) {
	l := New(Options{Rate: 2, Burst: 3})
	for i := range 3 {
		if ok, _, _ := l.Take("a", t0); !ok {
			t.Fatalf("take %d of the burst of 3 refused", i+1)
		}
	}
	if ok, wait, _ := l.Take("a", t0); ok || wait != 500*time.Millisecond {
		t.Errorf("past the burst: %v, wait %v; want refused for 500ms (2 a second)", ok, wait)
	}
	if empty, wait, _ := l.Empty("a", t0.Add(250*time.Millisecond)); !empty || wait != 250*time.Millisecond {
		t.Errorf("Empty a quarter second on: %v, %v; want empty for 250ms more", empty, wait)
	}
	if empty, _, _ := l.Empty("a", t0.Add(500*time.Millisecond)); empty {
		t.Error("Empty half a second on: still empty; want a token")
	}
	if ok, _, _ := l.Take("a", t0.Add(500*time.Millisecond)); !ok {
		t.Error("the refilled token refused")
	}
	if ok, _, _ := l.Take("b", t0); !ok {
		t.Error("another key's bucket is not its own")
	}
	// A long quiet refills to the burst, no more.
	later := t0.Add(time.Hour)
	for i := range 4 {
		ok, _, _ := l.Take("a", later)
		if want := i < 3; ok != want {
			t.Errorf("after an hour, take %d: %v; want %v", i+1, ok, want)
		}
	}
}

func TestRefusalsToldOnceATellEvery(t *testing.T) {
	l := New(Options{Rate: 1, Burst: 1, TellEvery: 10 * time.Second})
	var told []bool
	for _, at := range []time.Duration{0, time.Second, 9 * time.Second, 10*time.Second + 500*time.Millisecond} {
		if ok, _, _ := l.Take("a", t0.Add(at)); !ok { // the token that refilled by then
			t.Fatalf("at %v: the refilled token refused", at)
		}
		_, _, tell := l.Take("a", t0.Add(at))
		told = append(told, tell)
	}
	if want := []bool{true, false, false, true}; !slices.Equal(told, want) {
		t.Errorf("refusals told of: %v; want %v", told, want)
	}
	if _, _, tell := New(Options{Rate: 1, Burst: 1}).Empty("a", t0); tell {
		t.Error("a full bucket's Empty says to tell")
	}
}

func TestMemoryIsBounded(t *testing.T) {
	const most = 1000
	l := New(Options{Rate: 1, Burst: 2, MaxKeys: most}) // a bucket refills in 2 s
	for i := range most - 1 {
		if ok, _, _ := l.Take("quiet"+strconv.Itoa(i), t0); !ok {
			t.Fatalf("key %d refused its first take", i)
		}
	}
	later := t0.Add(3 * time.Second)
	for range 2 {
		l.Take("busy", later) // the limit is reached: busy's bucket is empty
	}
	l.Take("new", later) // a sweep: the quiet keys have refilled, so they go
	if n := len(l.buckets); n != 2 {
		t.Errorf("%d buckets after the sweep; want busy and new", n)
	}
	if ok, wait, _ := l.Take("busy", later); ok || wait != time.Second {
		t.Errorf("busy key: %v, %v; want refused for 1 s (its bucket kept)", ok, wait)
	}
	// All busy at the limit: everything is dropped rather than grow.
	for i := range most + 10 {
		l.Take("flood"+strconv.Itoa(i), later)
	}
	if n := len(l.buckets); n > most {
		t.Errorf("%d buckets kept; want at most %d", n, most)
	}
	if New(Options{Rate: 1, Burst: 1}).maxKeys != defaultMaxKeys {
		t.Error("MaxKeys 0 is not the default")
	}
}
