// bench_test.go measures the per-tick codecs: encoding and applying a 16-player delta, wrapping it per client, decoding an input.

package pb_test

import (
	"math/rand/v2"
	"testing"

	pb "skirmish/proto"
)

// bench16 is 16 players who all moved one step and a few shots, one new.
func bench16() (base, cur *pb.State) {
	base, cur = move16(rand.New(rand.NewPCG(8, 9)))
	cur.Shots = append(cur.Shots, pb.ShotState{ID: 200, Owner: 3, X: 4000, Y: 4000, VX: 0, VY: 96})
	return base, cur
}

func BenchmarkEncodeDelta16(b *testing.B) {
	base, cur := bench16()
	var enc pb.Encoder
	buf := enc.AppendSnapshot(nil, base, cur, nil, false)
	b.ReportAllocs()
	for b.Loop() {
		buf = enc.AppendSnapshot(buf[:0], base, cur, nil, false)
	}
	b.ReportMetric(float64(len(buf)), "B/msg")
}

func BenchmarkAppendSnapshotMessage(b *testing.B) {
	base, cur := bench16()
	var enc pb.Encoder
	body := enc.AppendSnapshot(nil, base, cur, nil, false)
	msg := pb.AppendSnapshotMessage(nil, 18_000, 1, body)
	b.ReportAllocs()
	for b.Loop() {
		msg = pb.AppendSnapshotMessage(msg[:0], 18_000, 1, body)
	}
	b.ReportMetric(float64(len(msg)), "B/msg")
}

func BenchmarkApplyDelta16(b *testing.B) {
	base, cur := bench16()
	var enc pb.Encoder
	msg := pb.AppendSnapshotMessage(nil, 18_000, 1, enc.AppendSnapshot(nil, base, cur, nil, true))
	client := clientOf(base)
	held := clientOf(base)
	b.ReportAllocs()
	for b.Loop() {
		client.CopyFrom(held)
		_, body, err := pb.SplitServerMessage(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := client.Apply(body, nil); err != nil {
			b.Fatal(err)
		}
	}
	if client.Hash() != cur.Hash() {
		b.Fatal("Apply result differs")
	}
	b.ReportMetric(float64(len(msg)), "B/msg")
}

func BenchmarkDecodeClientMessage(b *testing.B) {
	msg := pb.AppendInput(nil, pb.InputMsg{Seq: 123_456, Move: 9, Aim: 700, Buttons: 1})
	var m pb.ClientMsg
	b.ReportAllocs()
	for b.Loop() {
		if err := pb.DecodeClientMessage(msg, &m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(msg)), "B/msg")
}
