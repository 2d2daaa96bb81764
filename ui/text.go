package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

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
