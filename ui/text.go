package ui

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// cleanText makes API-supplied text safe to print: escape sequences and
// control characters (which could move the cursor or retitle the terminal)
// are dropped.
func cleanText(s string) string {
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

// CleanText is cleanText for the subcommands, which print the same API
// text in tables and messages.
func CleanText(s string) string { return cleanText(s) }

// oneLine is cleanText for text that must fit on one line.
func oneLine(s string) string { return cleanText(strings.ReplaceAll(s, "\n", " ")) }

// cleanLines is cleanText for text shown wrapped over several lines: its
// own line breaks are kept.
func cleanLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = cleanText(l)
	}
	return strings.Join(lines, "\n")
}

// displayOr returns s cleaned, or fallback when s is empty (a null field).
func displayOr(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return cleanText(s)
}

// fit truncates s to width display cells with an ellipsis and pads it with
// spaces to exactly width, so columns line up with wide characters too.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = ansi.Truncate(s, width, "…")
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// truncateLines cuts every line of s to width cells and keeps at most
// height lines, padding with empty lines up to height.
func truncateLines(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
