// names_test.go — tests for names.go: which display names ValidName accepts,
// how it normalizes them, and what it says about the rest.

package ticket_test

import (
	"errors"
	"strings"
	"testing"

	"skirmish/ticket"
)

func TestValidNameAccepts(t *testing.T) {
	for in, want := range map[string]string{
		"Ada":                  "Ada",
		"  Ada Lovelace \t":    "Ada Lovelace",
		"x":                    "x",
		"  Sixteen chars ok  ": "Sixteen chars ok",
		"7":                    "7",
		"a_b-c.d":              "a_b-c.d",
		"ExactlySixteen16":     "ExactlySixteen16",
		"Zoë":                  "Zoë",
		"Zoe\u0308":            "Zoe\u0308", // decomposed ë: a combining mark after a letter
		"渡辺":                   "渡辺",
		"Ἀθηνᾶ":                "Ἀθηνᾶ",
		"हिन्दी":               "हिन्दी",
		"...a...":              "...a...",
		"\u00a0nbsp trimmed ":  "nbsp trimmed",
		"sixteen runes éé":     "sixteen runes éé",
	} {
		got, err := ticket.ValidName(in)
		if err != nil || got != want {
			t.Errorf("ValidName(%q) = %q, %v; want %q, nil", in, got, err, want)
		}
	}
}

func TestValidNameRejects(t *testing.T) {
	for in, reason := range map[string]string{
		"":                        "empty",
		"   \t ":                  "empty",
		"ABCDEFGHIJKLMNOPQ":       "17 characters long; at most 16",
		strings.Repeat("é", 17):   "17 characters long; at most 16",
		"a\x00b":                  "control character (U+0000)",
		"a\nb":                    "control character (U+000A)",
		"a\u200db":                `contains '\u200d' (U+200D)`, // zero-width joiner: formatting
		"a\u202eb":                `contains '\u202e' (U+202E)`, // right-to-left override
		"Ada!":                    `contains '!'`,
		"<script>":                `contains '<'`,
		"a😀":                      `contains '😀'`,
		"---":                     "at least one letter or digit",
		"\u0301a":                 "starts with a combining mark",
		"bad\xffutf8":             "not valid UTF-8",
		strings.Repeat("a", 1000): "1000 characters long",
	} {
		got, err := ticket.ValidName(in)
		if err == nil {
			t.Errorf("ValidName(%q) = %q, nil; want an error about %q", in, got, reason)
			continue
		}
		if !errors.Is(err, ticket.ErrInvalidName) {
			t.Errorf("ValidName(%q) error %v does not wrap ErrInvalidName", in, err)
		}
		if !strings.Contains(err.Error(), reason) || !strings.HasPrefix(err.Error(), "ticket: invalid name: ") {
			t.Errorf("ValidName(%q) error = %q; want it to start with %q and mention %q", in, err, "ticket: invalid name: ", reason)
		}
	}
}
