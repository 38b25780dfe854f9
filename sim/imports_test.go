// Purity check: the sim's non-test files import only an allowlist.

package sim_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// allowedImports is everything the sim may import. The sim must stay pure: no time, no
// global randomness, no I/O, no floats-heavy math, no logging.
var allowedImports = map[string]bool{
	"errors":    true,
	"math/bits": true,
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
				t.Errorf("%s imports %q; sim may only import %v", name, path, allowedImports)
			}
		}
	}
	if files < 5 {
		t.Fatalf("found only %d source files; is the test running in the package directory?", files)
	}
}
