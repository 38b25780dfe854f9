// imports_test.go keeps the package pure: its non-test files import only
// an allowlist, the standard library's time and formatting pieces plus the
// sim, the wire and their mapping (simwire), so that it builds for
// WebAssembly and for bots alike, with no Ebiten, no syscall/js, no
// sockets.

package netcode_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// allowedImports is everything the package may import.
var allowedImports = map[string]bool{
	"fmt":              true,
	"math":             true,
	"time":             true,
	"skirmish/proto":   true,
	"skirmish/sim":     true,
	"skirmish/simwire": true,
}

func TestImports(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		files++
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !allowedImports[path] {
				t.Errorf("%s imports %q; netcode may only import %v", name, path, allowedImports)
			}
		}
	}
	if files < 5 {
		t.Fatalf("found only %d source files; is the test running in the package directory?", files)
	}
}
