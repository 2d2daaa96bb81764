package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// rowStatus lets the caller decorate a sender row (e.g. "detaching…").
type rowStatus func(api.PoolSender) string

// view renders the visible rows at the given width. When the first
// visible row is inside a group, that group's header takes the top line
// (a sticky header), so the kind of every visible sender is on screen.
func (l senderList) view(width int, st styles, status rowStatus) string {
	n := l.rowCount()
	if width <= 0 || n == 0 {
		return ""
	}
	h := max(1, l.height)
	end := min(n, l.offset+h)
	lines := make([]string, 0, end-l.offset)
	r := l.rowAt(l.offset)
	for i := l.offset; i < end; i++ {
		sec := l.sections[r.section]
		sticky := i == l.offset && !r.isHeader() && h > 1 && l.cursor != i
		if r.isHeader() || sticky {
			lines = append(lines, l.header(sec, width, st))
		} else {
			x := l.item(sec, r.item).s
			lines = append(lines, senderRow(x, i == l.cursor, l.marks[x.SID], width, st, status))
		}
		r = l.nextRow(r)
	}
	return strings.Join(lines, "\n")
}

func (l senderList) header(sec section, width int, st styles) string {
	head := fmt.Sprintf("%s (%d)", text.Clean(sec.kind), len(sec.items))
	if l.filter != "" {
		head = fmt.Sprintf("%s (%d of %d)", text.Clean(sec.kind), len(sec.shown), len(sec.items))
	}
	return st.groupHeader.Render(ansi.Truncate(head, width, "…"))
}

// senderRow lays out "› sender  CC  status" in exactly width cells. The
// highlight is the marker alone, a block in the gutter: on every keypress
// only those two cells of two rows change, not the whole text of both, so
// a move costs a slow SSH link a third fewer bytes. (The shorter pickers
// keep a full bar.) A mark takes the gutter's second cell, "›✓" under the
// cursor and " ✓" elsewhere, as fzf shows its marks: the gutter stays two
// cells wide, and a glyph reads without colour and on any background.
func senderRow(s api.PoolSender, selected, marked bool, width int, st styles, status rowStatus) string {
	marker := "  "
	switch {
	case selected && marked:
		marker = "›" + markGlyph
	case selected:
		marker = "› "
	case marked:
		marker = " " + markGlyph
	}
	right := text.Clean(s.Country)
	switch {
	case s.DestinationCountry != "":
		right = "to " + text.Clean(s.DestinationCountry)
	case s.TollFree:
		right = strings.TrimSpace("toll-free " + right)
	}
	if status != nil {
		if extra := status(s); extra != "" {
			right = extra
		}
	}
	name := text.Or(s.Address, text.Clean(s.SID))
	room := width - ansi.StringWidth(marker)
	if right != "" {
		room -= ansi.StringWidth(right) + 2
	}
	if selected {
		marker = st.selected.Render(marker)
	}
	if room < 4 {
		return marker + ansi.Truncate(name, max(0, width-2), "…")
	}
	name = ansi.Truncate(name, room, "…")
	line := marker + name + strings.Repeat(" ", room-ansi.StringWidth(name))
	if right != "" {
		line += "  " + right
	}
	return line
}
