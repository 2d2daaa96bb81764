package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// The picker's columns: what a sender can do or its status, then its SID
// where the terminal is wide enough for both.
const (
	infoWidth   = 13 // "MMS SMS Voice"
	sidMinWidth = 72 // narrower, the SID column goes: the label matters more
	nameColumn  = 28 // the names' column starts no further; a longer label pushes its own name
)

// layout shares the form's height out: the title, the field, its hint and
// the picker's heading always; then the failures (one line for all of
// them when they would crowd out the rows), the blank lines when there is
// room, and the picker's rows.
func (f attachForm) layout() (blanks bool, failures []string, rows int) {
	avail := f.height - 4
	failures = f.failures()
	if len(failures) > 1 && avail-len(failures) < 2 {
		var names []string
		for src, s := range f.sources {
			if s.failure != "" {
				names = append(names, sourceName(src))
			}
		}
		failures = []string{strings.Join(names, ", ") + " could not be loaded"}
	}
	avail -= len(failures)
	blanks = avail >= 2+3
	if blanks {
		avail -= 2
	}
	return blanks, failures, max(1, avail)
}

// pickerRows is how many picker rows fit under the field and hints.
func (f attachForm) pickerRows() int {
	_, _, rows := f.layout()
	return rows
}

func (f attachForm) view(c *common) string {
	st, width := c.styles, f.width
	blanks, failures, rows := f.layout()
	f.input.SetWidth(max(10, width-len(f.input.Prompt)-2))
	lines := []string{st.title.Render(fit("Attach a sender to "+serviceTitle(f.service), width))}
	if blanks {
		lines = append(lines, "")
	}
	lines = append(lines, f.input.View())
	_, hint := f.check()
	if e, ok := f.selected(); ok {
		if hs := c.holdersOf(e.SID, f.service.SID); len(hs) == 1 {
			hint = heldText(c, hs) + ": enter offers to move it here"
		} else if len(hs) > 1 {
			hint = "✗ " + heldText(c, hs) + ": detach it there first"
		}
	}
	if f.refusal != "" {
		hint = f.refusal
	}
	if strings.HasPrefix(hint, "✗") {
		lines = append(lines, st.errorText.Render(fit(text.OneLine(hint), width)))
	} else {
		lines = append(lines, st.dim.Render(fit(hint, width)))
	}
	if blanks {
		lines = append(lines, "")
	}
	lines = append(lines, st.groupHeader.Render(fit(f.heading(c), width)))
	for _, e := range failures {
		lines = append(lines, st.errorText.Render(fit("✗ "+e+" (typing a SID still works)", width)))
	}
	if f.total > 0 && len(f.matches) == 0 {
		return strings.Join(append(lines, st.dim.Render(fit("  no sender matches the text", width))), "\n")
	}
	end := min(f.rowCount(), f.offset+rows)
	for r := f.offset; r < end; r++ {
		span, m := f.rowAt(r)
		// The first row names the kind of the rows under it, unless the
		// cursor is there.
		if m < 0 || r == f.offset && rows > 1 && m != f.cursor {
			lines = append(lines, st.groupHeader.Render(fit(f.groupHeading(f.spans[span]), width)))
			continue
		}
		ref := f.matches[m]
		e := f.entry(ref)
		lines = append(lines, pickRow(*e, heldBy(c, e.SID, f.service.SID), f.groups[ref.group].labelW, m == f.cursor, width, st))
	}
	return strings.Join(lines, "\n")
}

// heading sums the picker up: loading, how many, how many match.
func (f attachForm) heading(c *common) string {
	n := fmt.Sprint(f.total)
	if f.query != "" {
		n = fmt.Sprintf("%d of %d match", len(f.matches), f.total)
	}
	switch {
	case f.loading() && f.total == 0:
		return c.spin + " loading this account's senders…"
	case f.loading():
		return c.spin + " loading this account's senders… " + n + " so far"
	case f.total == 0 && len(f.failures()) == 0:
		return "No other senders on this account"
	}
	return "This account's senders not in this service: " + n
}

// groupHeading is a kind's heading: its name, how many, whether more come.
func (f attachForm) groupHeading(s pickSpan) string {
	g := f.groups[s.group]
	head := fmt.Sprintf("%s (%d)", text.Clean(g.kind), len(g.entries))
	if f.query != "" {
		head = fmt.Sprintf("%s (%d of %d)", text.Clean(g.kind), s.n, len(g.entries))
	}
	if src, ok := kindSource(g.kind); ok && f.sources[src].loading {
		head += " · loading…"
	}
	return head
}

// kindSource is the source that lists a kind, if one alone does.
func kindSource(kind string) (int, bool) {
	switch kind {
	case api.KindPhoneNumber:
		return srcNumbers, true
	case api.KindShortCode:
		return srcShortCodes, true
	case api.KindWhatsApp:
		return srcWhatsApp, true
	case api.KindRCS:
		return srcRCS, true
	}
	return 0, false
}

// heldBy is where another service holds the sender, "" when no
// service the index has read holds it.
func heldBy(c *common, sid, except string) string {
	hs := c.holdersOf(sid, except)
	if len(hs) == 0 {
		return ""
	}
	return heldText(c, hs)
}

// pickRow lays out "› label  name  info  SID" in exactly width cells, the
// names in a column after labelW cells (the kind's widest label) when
// there is room, led by where another service holds it (held); the
// highlighted row is a full bar.
func pickRow(e pickEntry, held string, labelW int, selected bool, width int, st styles) string {
	marker := "  "
	if selected {
		marker = "› "
	}
	right := "  " + fit(e.info, infoWidth)
	if width >= sidMinWidth {
		right += "  " + text.Clean(e.SID)
	}
	room := width - ansi.StringWidth(marker) - ansi.StringWidth(right)
	if room < 8 {
		right, room = "", width-ansi.StringWidth(marker)
	}
	name := e.name
	if e.tollFree {
		name = strings.TrimSpace("toll-free " + name)
	}
	if held != "" {
		name = strings.TrimSpace(held + " · " + name)
	}
	left := ansi.Truncate(e.label, room, "…")
	col := min(labelW, nameColumn, room*2/3) + 2
	if w := ansi.StringWidth(left); w+2 > col {
		col = w + 2 // a label longer than most pushes its own name along
	}
	if rest := room - col; name != "" && rest >= 8 {
		name = ansi.Truncate(name, rest, "…")
		if !selected {
			name = st.dim.Render(name)
		}
		left += strings.Repeat(" ", col-ansi.StringWidth(left)) + name
	}
	line := marker + left + strings.Repeat(" ", max(0, room-ansi.StringWidth(left))) + right
	if selected {
		return st.selected.Render(line)
	}
	return line
}
