// A log that is truncated, corrupt, of another version or does not
// replay is an error that says which, never a panic; FuzzVerify throws
// whatever it likes at the reader and the replay.

package ticklog_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/bits"
	"os"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"skirmish/proto/ticklogpb"
	"skirmish/sim"
	"skirmish/ticklog"
)

// testdataLog returns testdata/bots.tlog, and its records decompressed.
func testdataLog(t testing.TB) (file []byte, records []*ticklogpb.Record) {
	t.Helper()
	file, err := os.ReadFile(botsLog)
	if err != nil {
		t.Fatal(err)
	}
	return file, recordsOf(t, gunzipped(t, file))
}

// recordsOf returns the records of raw, a log's stream decompressed.
func recordsOf(t testing.TB, raw []byte) (records []*ticklogpb.Record) {
	t.Helper()
	for len(raw) > 0 {
		n, k := protowire.ConsumeVarint(raw)
		rec := &ticklogpb.Record{}
		if err := proto.Unmarshal(raw[k:k+int(n)], rec); err != nil {
			t.Fatal(err)
		}
		records = append(records, rec)
		raw = raw[k+int(n):]
	}
	return records
}

// encodeLog frames and gzips records as a log file.
func encodeLog(t testing.TB, records []*ticklogpb.Record) []byte {
	t.Helper()
	var raw []byte
	for _, r := range records {
		b, err := proto.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		raw = protowire.AppendVarint(raw, uint64(len(b)))
		raw = append(raw, b...)
	}
	return gzipped(raw)
}

// gunzipped is file's records, decompressed.
func gunzipped(t testing.TB, file []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func gzipped(raw []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	return buf.Bytes()
}

func verifyBytes(b []byte) error {
	_, _, err := ticklog.Verify(bytes.NewReader(b))
	return err
}

func TestTruncatedLogs(t *testing.T) {
	file, _ := testdataLog(t)
	if err := verifyBytes(file); err != nil {
		t.Fatalf("the whole log: %v", err)
	}
	for _, n := range []int{0, 5, 30, len(file) / 4, len(file) / 2, len(file) - 9, len(file) - 1} {
		err := verifyBytes(file[:n])
		if !errors.Is(err, ticklog.ErrTruncated) {
			t.Errorf("cut to %d of %d bytes: %v; want ErrTruncated", n, len(file), err)
		}
	}
	for n := 0; n < len(file); n += 97 { // every cut is an error
		if err := verifyBytes(file[:n]); err == nil {
			t.Fatalf("cut to %d bytes: no error", n)
		}
	}
}

func TestCorruptLogs(t *testing.T) {
	file, records := testdataLog(t)
	flipped := bytes.Clone(file)
	flipped[len(flipped)/2] ^= 0x40
	clone := func() []*ticklogpb.Record {
		out := make([]*ticklogpb.Record, len(records))
		for i, r := range records {
			out[i] = proto.Clone(r).(*ticklogpb.Record)
		}
		return out
	}
	mismatch := clone()
	mismatch[2].GetChunk().GetTicks()[7].Hash ^= 1
	input := clone()
	for _, tk := range input[1].GetChunk().GetTicks() {
		if len(tk.GetChanges()) > 0 {
			tk.Changes = append(tk.Changes[:1:1], 3000) // fields of the first change, then a value out of range
			tk.Changes[0] = tk.Changes[0]&^0xf | 2
			break
		}
	}
	version := clone()
	version[0].GetHeader().Version = ticklog.Version + 1
	newer := clone()
	newer[0].GetHeader().SimRules = sim.RulesVersion + 1
	unversioned := clone()
	unversioned[0].GetHeader().SimRules = 0 // recorded before rules were versioned
	keyframe := clone()
	keyframe[3].GetChunk().GetKeyframe().GetPlayers()[0].X += 16
	gap := clone()
	gap = append(gap[:2], gap[3:]...)
	roster := clone()
	roster[1].GetChunk().GetTicks()[3].Roster = []int32{-40}

	for _, c := range []struct {
		name string
		file []byte
		want error
	}{
		{"not gzip", []byte("this is not a tick log"), ticklog.ErrCorrupt},
		{"a flipped bit", flipped, nil}, // whatever the bit breaks first: the stream, a record, the replay
		{"garbage inside", gzipped([]byte{0x05, 0xff, 0xff, 0xff, 0xff, 0xff}), ticklog.ErrCorrupt},
		{"a huge record", gzipped(protowire.AppendVarint(nil, 1<<40)), ticklog.ErrCorrupt},
		{"no header", encodeLog(t, records[1:]), ticklog.ErrCorrupt},
		{"another version", encodeLog(t, version), ticklog.ErrVersion},
		{"other sim rules", encodeLog(t, newer), ticklog.ErrRules},
		{"sim rules from before their version", encodeLog(t, unversioned), ticklog.ErrRules},
		{"a wrong hash", encodeLog(t, mismatch), ticklog.ErrMismatch},
		{"an input out of range", encodeLog(t, input), ticklog.ErrCorrupt},
		{"a keyframe off the replay", encodeLog(t, keyframe), ticklog.ErrMismatch},
		{"a chunk missing", encodeLog(t, gap), ticklog.ErrCorrupt},
		{"a leave of nobody", encodeLog(t, roster), ticklog.ErrCorrupt},
	} {
		err := verifyBytes(c.file)
		if c.want == nil && err != nil {
			t.Logf("%s: %v", c.name, err)
			continue
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v; want %v", c.name, err, c.want)
		} else {
			t.Logf("%s: %v", c.name, err)
		}
	}
	if err := verifyBytes(encodeLog(t, clone())); err != nil {
		t.Fatalf("the records re-encoded: %v", err)
	}
}

// TestOlderVersionsVerify: a version 2 log (amendments one Step back
// only) still verifies, as testdata/bots.tlog, of version 1, does
// (TestVerifyTestdata); an amendment two Steps back in a version 2 log is
// corrupt.
func TestOlderVersionsVerify(t *testing.T) {
	raw, r := amendedLog(t, -1)
	if r.amended[1] == 0 || r.amended[2] != 0 {
		t.Fatalf("amendments by back %v; want some one Step back, none two", r.amended)
	}
	v2 := recordsOf(t, raw)
	v2[0].GetHeader().Version = 2
	if err := verifyBytes(encodeLog(t, v2)); err != nil {
		t.Fatalf("a version 2 log: %v", err)
	}
	raw, r = amendedLog(t, 2)
	if r.amended[2] == 0 {
		t.Fatal("no amendment two Steps back")
	}
	v2 = recordsOf(t, raw)
	v2[0].GetHeader().Version = 2
	if err := verifyBytes(encodeLog(t, v2)); !errors.Is(err, ticklog.ErrCorrupt) || !strings.Contains(err.Error(), "two Steps back in a version 2 log") {
		t.Fatalf("a version 2 log with amendments two Steps back: %v; want ErrCorrupt saying so", err)
	}
}

// runs splits a Tick's amends into their runs: a leading number, then a
// value for each bit of its fields.
func runs(c []uint32) [][]uint32 {
	var out [][]uint32
	for len(c) > 0 {
		n := 1 + bits.OnesCount32(c[0]&0xf)
		out = append(out, c[:n:n])
		c = c[n:]
	}
	return out
}

// TestMalformedAmendments: a Tick's amendments are, for each player, at
// most one two Steps back and then at most one one Step back, each at most
// sim.MaxAmendBack back; any other sequence is corrupt.
func TestMalformedAmendments(t *testing.T) {
	raw, r := amendedLog(t, 2)
	if r.both == 0 {
		t.Fatal("no player amended back 2 then back 1 in one tick")
	}
	// edit returns the log with the amends of the first tick that pick finds
	// replaced by what it returns.
	edit := func(name string, pick func(rs [][]uint32) [][]uint32) []byte {
		records := recordsOf(t, raw)
		for _, rec := range records[1:] {
			for _, tk := range rec.GetChunk().GetTicks() {
				if rs := pick(runs(tk.GetAmends())); rs != nil {
					tk.Amends = slices.Concat(rs...)
					return encodeLog(t, records)
				}
			}
		}
		t.Fatalf("%s: no tick to edit", name)
		return nil
	}
	back := func(run []uint32) uint32 { return run[0]>>10 + 1 }
	player := func(run []uint32) uint32 { return run[0] >> 4 & 0x3f }
	for _, c := range []struct {
		name, want string
		pick       func(rs [][]uint32) [][]uint32
	}{
		{"back 1 twice", "back 1 after back 1", func(rs [][]uint32) [][]uint32 {
			if len(rs) == 1 && back(rs[0]) == 1 {
				return [][]uint32{rs[0], rs[0]}
			}
			return nil
		}},
		{"back 2 twice", "back 2 after back 2", func(rs [][]uint32) [][]uint32 {
			if len(rs) == 1 && back(rs[0]) == 2 {
				return [][]uint32{rs[0], rs[0]}
			}
			return nil
		}},
		{"back 1, then back 2", "back 2 after back 1", func(rs [][]uint32) [][]uint32 {
			for i := 1; i < len(rs); i++ {
				if back(rs[i-1]) == 2 && back(rs[i]) == 1 && player(rs[i-1]) == player(rs[i]) {
					return append(rs[:i-1:i-1], append([][]uint32{rs[i], rs[i-1]}, rs[i+1:]...)...)
				}
			}
			return nil
		}},
		{"back 3", "an amendment 3 Steps back", func(rs [][]uint32) [][]uint32 {
			if len(rs) > 0 {
				rs[0] = append([]uint32{rs[0][0]&0x3ff | 2<<10}, rs[0][1:]...)
				return rs
			}
			return nil
		}},
	} {
		err := verifyBytes(edit(c.name, c.pick))
		if !errors.Is(err, ticklog.ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrCorrupt saying %q", c.name, err, c.want)
		} else {
			t.Logf("%s: %v", c.name, err)
		}
	}
}

// FuzzVerify feeds the reader and the replay any stream of records (the
// fuzzer's bytes, gzipped), from seeds of a real log and its parts, and
// of a log with amendments one and two Steps back.
func FuzzVerify(f *testing.F) {
	file, _ := testdataLog(f)
	raw := gunzipped(f, file)
	f.Add(raw)
	f.Add(raw[:len(raw)/3])
	f.Add(raw[:200])
	amended, r := amendedLog(f, 2)
	if r.amended[1] == 0 || r.amended[2] == 0 {
		f.Fatalf("the amended log holds amendments by back %v; want both", r.amended)
	}
	f.Add(amended) // version 3, with amendments two Steps back
	f.Add([]byte{})
	f.Add([]byte{0x02, 0x0a, 0x00})
	f.Fuzz(func(t *testing.T, raw []byte) {
		err := verifyBytes(gzipped(raw))
		if err != nil && !errors.Is(err, ticklog.ErrCorrupt) && !errors.Is(err, ticklog.ErrTruncated) &&
			!errors.Is(err, ticklog.ErrVersion) && !errors.Is(err, ticklog.ErrMismatch) {
			t.Fatalf("an error of no kind: %v", err)
		}
	})
}
