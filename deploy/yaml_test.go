// yaml_test.go — a reader for the small part of YAML the manifests use,
// so deploy_test.go can check them with the standard library alone: block
// mappings and sequences (indented or not under their key), "- key: value"
// items, plain, quoted and [flow] scalars, {} and comments. Every scalar
// stays a string. Anything else (anchors, tags, block scalars, tabs) is an
// error that names the line: keep the manifests simple, or extend this.

package deploy

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// document is one YAML document of a file.
type document struct {
	file string
	line int // its first line, from 1
	root map[string]any
}

// parseDocuments splits src at its "---" lines and reads each document
// that holds anything but comments.
func parseDocuments(file, src string) ([]document, error) {
	var (
		docs  []document
		lines []yamlLine
		start = 1
	)
	flush := func() error {
		if len(lines) == 0 {
			return nil
		}
		p := &yamlParser{lines: lines}
		v, err := p.node()
		if err != nil {
			return fmt.Errorf("%s:%w", file, err)
		}
		if p.i < len(p.lines) {
			return fmt.Errorf("%s:%d: unexpected indentation", file, p.lines[p.i].no)
		}
		root, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s:%d: the document is not a mapping", file, start)
		}
		docs = append(docs, document{file: file, line: start, root: root})
		lines = nil
		return nil
	}
	for i, raw := range strings.Split(src, "\n") {
		no := i + 1
		if strings.TrimRight(raw, " \r") == "---" {
			if err := flush(); err != nil {
				return nil, err
			}
			start = no + 1
			continue
		}
		text := stripComment(strings.TrimRight(raw, " \r"))
		trimmed := strings.TrimLeft(text, " ")
		if trimmed == "" {
			continue
		}
		if strings.HasPrefix(trimmed, "\t") {
			return nil, fmt.Errorf("%s:%d: a tab in the indentation", file, no)
		}
		lines = append(lines, yamlLine{no: no, indent: len(text) - len(trimmed), text: trimmed})
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return docs, nil
}

// yamlLine is a line without its comment, indentation and trailing spaces.
type yamlLine struct {
	no     int // line number, from 1
	indent int
	text   string
}

// stripComment cuts a "#" comment off a line: at its start, or after a
// space, outside quotes.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return strings.TrimRight(s[:i], " ")
		}
	}
	return s
}

type yamlParser struct {
	lines []yamlLine
	i     int // the next line
}

// node reads the block that starts at the current line.
func (p *yamlParser) node() (any, error) {
	if p.i >= len(p.lines) {
		return nil, nil
	}
	l := p.lines[p.i]
	if isItem(l.text) {
		return p.sequence(l.indent)
	}
	return p.mapping(l.indent)
}

func isItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

// sequence reads the "- " items at indent.
func (p *yamlParser) sequence(indent int) ([]any, error) {
	var out []any
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent || (l.indent == indent && !isItem(l.text)) {
			break
		}
		if l.indent > indent {
			return nil, fmt.Errorf("%d: unexpected indentation", l.no)
		}
		rest := strings.TrimLeft(l.text[1:], " ")
		switch {
		case rest == "":
			p.i++
			var v any
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				var err error
				if v, err = p.node(); err != nil {
					return nil, err
				}
			}
			out = append(out, v)
		case isKeyLine(rest) || isItem(rest):
			// "- key: value" or "- - item": a mapping or a sequence that
			// lines up with what follows the dash.
			col := indent + len(l.text) - len(rest)
			p.lines[p.i] = yamlLine{no: l.no, indent: col, text: rest}
			v, err := p.node()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		default:
			v, err := scalar(rest, l.no)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			p.i++
		}
	}
	return out, nil
}

// mapping reads the "key: value" lines at indent.
func (p *yamlParser) mapping(indent int) (map[string]any, error) {
	m := map[string]any{}
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, fmt.Errorf("%d: unexpected indentation", l.no)
		}
		key, val, ok := splitKey(l.text)
		if !ok {
			return nil, fmt.Errorf("%d: %q is not key: value", l.no, l.text)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("%d: key %q twice", l.no, key)
		}
		p.i++
		if val != "" {
			v, err := scalar(val, l.no)
			if err != nil {
				return nil, err
			}
			m[key] = v
			continue
		}
		m[key] = nil
		if p.i < len(p.lines) {
			next := p.lines[p.i]
			var (
				v   any
				err error
			)
			switch {
			case next.indent > indent:
				v, err = p.node()
			case next.indent == indent && isItem(next.text):
				v, err = p.sequence(indent)
			default:
				continue
			}
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
	}
	return m, nil
}

func isKeyLine(text string) bool {
	_, _, ok := splitKey(text)
	return ok
}

// splitKey splits "key: value" or "key:"; keys are plain words.
func splitKey(text string) (key, val string, ok bool) {
	if strings.HasPrefix(text, "\"") || strings.HasPrefix(text, "'") {
		return "", "", false
	}
	if i := strings.Index(text, ": "); i > 0 {
		return text[:i], strings.TrimSpace(text[i+2:]), true
	}
	if strings.HasSuffix(text, ":") && len(text) > 1 {
		return text[:len(text)-1], "", true
	}
	return "", "", false
}

// scalar reads a value: "double" or 'single' quoted, [a, b], {}, or plain.
func scalar(s string, no int) (any, error) {
	switch {
	case strings.HasPrefix(s, "\""):
		v, err := strconv.Unquote(s)
		if err != nil {
			return nil, fmt.Errorf("%d: %s: %v", no, s, err)
		}
		return v, nil
	case strings.HasPrefix(s, "'"):
		if len(s) < 2 || !strings.HasSuffix(s, "'") {
			return nil, fmt.Errorf("%d: unterminated %s", no, s)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	case strings.HasPrefix(s, "["):
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("%d: a flow sequence on more than one line: %s", no, s)
		}
		out := []any{}
		for _, item := range splitFlow(s[1 : len(s)-1]) {
			v, err := scalar(item, no)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case s == "{}":
		return map[string]any{}, nil
	case strings.ContainsAny(s[:1], "{&*!|>%@`"):
		return nil, fmt.Errorf("%d: %q: this reader does not take that YAML", no, s)
	}
	return s, nil
}

// splitFlow splits a flow sequence's inside at the commas outside quotes.
func splitFlow(s string) []string {
	var (
		out   []string
		quote byte
		start int
	)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ',':
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if last := strings.TrimSpace(s[start:]); last != "" || len(out) > 0 {
		out = append(out, last)
	}
	return out
}

// lookup follows path (map keys and list indexes) into v; nil when a step
// is missing.
func lookup(v any, path ...any) any {
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[s]
		case int:
			l, ok := v.([]any)
			if !ok || s >= len(l) {
				return nil
			}
			v = l[s]
		}
	}
	return v
}

// str is lookup for a string; "" when missing or not a string.
func str(v any, path ...any) string {
	s, _ := lookup(v, path...).(string)
	return s
}

// findAll returns every value of key anywhere under v, in document order.
func findAll(v any, key string) []any {
	var out []any
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			// Map order is random; sort for a stable answer.
			for _, k := range slices.Sorted(maps.Keys(x)) {
				if k == key {
					out = append(out, x[k])
				}
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

func TestYAMLReader(t *testing.T) {
	const src = `# a comment
a: 1 # trailing
b:
  c: "x # not a comment"
  d: 'it''s'
list:
- one
- k: v
  k2: [p, "q r"]
nested:
  - - deep
  - {}
---
empty:
after: yes
`
	docs, err := parseDocuments("t.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[1].line != 14 {
		t.Fatalf("%d documents, the second from line %d; want 2, 14", len(docs), docs[len(docs)-1].line)
	}
	r := docs[0].root
	checks := []struct{ got, want string }{
		{str(r, "a"), "1"},
		{str(r, "b", "c"), "x # not a comment"},
		{str(r, "b", "d"), "it's"},
		{str(r, "list", 0), "one"},
		{str(r, "list", 1, "k"), "v"},
		{str(r, "list", 1, "k2", 1), "q r"},
		{str(r, "nested", 0, 0), "deep"},
		{str(docs[1].root, "after"), "yes"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: %q, want %q", i, c.got, c.want)
		}
	}
	if v, ok := docs[1].root["empty"]; !ok || v != nil {
		t.Errorf("empty: %v, %v; want a nil value", v, ok)
	}
	for _, bad := range []string{"a:\n\tb: 1\n", "a: &x 1\n", "a: |\n  text\n", "a: 1\na: 2\n", "a:\n  b: 1\n c: 2\n", "just text\n"} {
		if _, err := parseDocuments("bad.yaml", bad); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}
