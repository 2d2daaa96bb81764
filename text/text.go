// Package text is the trust boundary for text from outside the process
// (API fields, error texts, config, environment): what it returns is safe
// to print to a terminal. The CLI and the dashboard both use it.
package text

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Clean makes outside text safe to print: escape sequences and control
// characters (which could move the cursor or retitle the terminal) are
// dropped.
func Clean(s string) string {
	s = ansi.Strip(s)
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// OneLine is Clean for text that must stay on one line: line breaks
// become spaces.
func OneLine(s string) string { return Clean(strings.ReplaceAll(s, "\n", " ")) }

// Lines is Clean for text shown over several lines: its own line breaks
// are kept.
func Lines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.Join(lines, "\n")
}

// Or returns s cleaned, or fallback when s is blank (a null field).
func Or(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return Clean(s)
}
