// playername_test.go — tests for playername.go: Allowed agrees with Check
// one character at a time, and the import list stays fit for the client.
// Which whole names Check accepts and refuses is tested through
// ticket.ValidName (ticket/names_test.go).

package playername_test

import (
	"go/build"
	"strings"
	"testing"

	"skirmish/playername"
)

func TestAllowedAgreesWithCheck(t *testing.T) {
	for _, r := range "aZé渡7 _-.!<\u0000\u200d😀\u0301" {
		_, problem := playername.Check("a" + string(r))
		if ok := playername.Allowed(r); ok != (problem == "") {
			t.Errorf("Allowed(%q) = %v, but Check(%q) says %q", r, ok, "a"+string(r), problem)
		}
	}
}

func TestCheckLimit(t *testing.T) {
	if name, problem := playername.Check(strings.Repeat("é", playername.MaxRunes)); problem != "" || name == "" {
		t.Errorf("%d runes refused: %q", playername.MaxRunes, problem)
	}
	if _, problem := playername.Check(strings.Repeat("é", playername.MaxRunes+1)); !strings.Contains(problem, "at most 16") {
		t.Errorf("%d runes: problem %q", playername.MaxRunes+1, problem)
	}
}

// TestImports keeps the package a leaf of the standard library's text
// packages: the WebAssembly client links it, and must not link more.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"fmt": true, "strings": true, "unicode": true, "unicode/utf8": true}
	for _, imp := range pkg.Imports {
		if !allowed[imp] {
			t.Errorf("playername imports %s; it may import only fmt, strings, unicode and unicode/utf8", imp)
		}
	}
}
