package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/senderpool/senderpool/api"
)

// listRow is one line of the grouped list: a group header or a sender.
type listRow struct {
	group  int // index into senderList.groups
	sender int // index into the group's senders; -1 for the header
}

func (r listRow) isHeader() bool { return r.sender < 0 }

// senderList is the grouped, scrollable sender list. Rows are rebuilt only
// when the data or the filter changes; View renders only the visible
// window, so 10,000 senders cost the same per frame as 10.
type senderList struct {
	all    []group    // every sender, grouped and sorted
	hay    [][]string // lower-cased search text, parallel to all[g].Senders
	more   [][]string // lower-cased extra search text (the status), likewise; may be empty
	filter string     // lower-cased; "" shows everything
	groups []group    // what is shown: all, or the filter's matches
	totals []int      // size of each shown group before filtering
	rows   []listRow
	cursor int // index into rows; always a sender row when any exist
	offset int // first visible row
	height int // rows that fit
}

// setSenders regroups the list and keeps the cursor on the sender it was
// on (by SID) or, if that sender is gone, on the row at the same position.
// The filter also searches what more (if not nil) gives for each sender:
// its status.
func (l *senderList) setSenders(senders []api.ChannelSender, more func(api.ChannelSender) string) {
	l.all = groupSenders(senders)
	l.hay = make([][]string, len(l.all))
	for gi, g := range l.all {
		l.hay[gi] = make([]string, len(g.Senders))
		for si, s := range g.Senders {
			l.hay[gi][si] = strings.ToLower(s.Sender + "\x00" + s.SID + "\x00" + s.SenderType + "\x00" + g.Kind + "\x00" + s.CountryCode)
		}
	}
	l.indexMore(more)
	l.rebuild()
}

// searchAlso makes the filter search what more gives too, without
// regrouping; the rows change only when a filter is in force.
func (l *senderList) searchAlso(more func(api.ChannelSender) string) {
	l.indexMore(more)
	if l.filter != "" {
		l.rebuild()
	}
}

// indexMore lower-cases what more gives for every sender. Its values are
// few (statuses), so each is lower-cased once.
func (l *senderList) indexMore(more func(api.ChannelSender) string) {
	l.more = make([][]string, len(l.all))
	if more == nil {
		return
	}
	lower := map[string]string{}
	for gi, g := range l.all {
		l.more[gi] = make([]string, len(g.Senders))
		for si, s := range g.Senders {
			v := more(s)
			lv, ok := lower[v]
			if !ok {
				lv = strings.ToLower(v)
				lower[v] = lv
			}
			l.more[gi][si] = lv
		}
	}
}

// setFilter shows only senders whose sender string, SID, type or country
// contains q (case-insensitive), keeping groups and their order.
func (l *senderList) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == l.filter {
		return
	}
	l.filter = q
	l.rebuild()
}

// rebuild derives the shown groups and rows from all and filter.
func (l *senderList) rebuild() {
	keep, hadSelection := l.selected()
	oldCursor := l.cursor
	l.groups, l.totals = l.groups[:0], l.totals[:0]
	for gi, g := range l.all {
		shown := g
		if l.filter != "" {
			shown = group{Kind: g.Kind}
			for si, s := range g.Senders {
				if strings.Contains(l.hay[gi][si], l.filter) || (l.more[gi] != nil && strings.Contains(l.more[gi][si], l.filter)) {
					shown.Senders = append(shown.Senders, s)
				}
			}
			if len(shown.Senders) == 0 {
				continue
			}
		}
		l.groups = append(l.groups, shown)
		l.totals = append(l.totals, len(g.Senders))
	}
	l.rows = l.rows[:0]
	for gi, g := range l.groups {
		l.rows = append(l.rows, listRow{group: gi, sender: -1})
		for si := range g.Senders {
			l.rows = append(l.rows, listRow{group: gi, sender: si})
		}
	}
	l.cursor = oldCursor
	if hadSelection {
		l.selectSID(keep.SID)
	}
	l.clampCursor()
}

// selectSID puts the cursor on the sender with this SID, if listed.
func (l *senderList) selectSID(sid string) {
	for i, r := range l.rows {
		if !r.isHeader() && l.groups[r.group].Senders[r.sender].SID == sid {
			l.cursor = i
			l.scrollToCursor()
			return
		}
	}
}

// senderCount is the number of sender rows shown.
func (l senderList) senderCount() int { return len(l.rows) - len(l.groups) }

// totalCount is the number of senders, filtered or not.
func (l senderList) totalCount() int {
	n := 0
	for _, g := range l.all {
		n += len(g.Senders)
	}
	return n
}

func (l senderList) selected() (api.ChannelSender, bool) {
	if l.cursor < 0 || l.cursor >= len(l.rows) || l.rows[l.cursor].isHeader() {
		return api.ChannelSender{}, false
	}
	r := l.rows[l.cursor]
	return l.groups[r.group].Senders[r.sender], true
}

// clampCursor puts the cursor on a real sender row: the nearest one at or
// after it, else the nearest before it.
func (l *senderList) clampCursor() {
	if len(l.rows) == 0 {
		l.cursor, l.offset = 0, 0
		return
	}
	l.cursor = max(0, min(l.cursor, len(l.rows)-1))
	if l.rows[l.cursor].isHeader() {
		if next := l.findSender(l.cursor, 1); next >= 0 {
			l.cursor = next
		} else if prev := l.findSender(l.cursor, -1); prev >= 0 {
			l.cursor = prev
		}
	}
	l.scrollToCursor()
}

// findSender returns the first sender row from i going in dir, or -1.
func (l senderList) findSender(i, dir int) int {
	for ; i >= 0 && i < len(l.rows); i += dir {
		if !l.rows[i].isHeader() {
			return i
		}
	}
	return -1
}

// move moves the cursor by delta rows, skipping headers; it stops at the
// ends instead of wrapping.
func (l *senderList) move(delta int) {
	if len(l.rows) == 0 || delta == 0 {
		return
	}
	dir := 1
	if delta < 0 {
		dir = -1
	}
	target := max(0, min(l.cursor+delta, len(l.rows)-1))
	if i := l.findSender(target, dir); i >= 0 {
		l.cursor = i
	} else if i := l.findSender(target, -dir); i >= 0 {
		l.cursor = i
	}
	l.scrollToCursor()
}

func (l *senderList) top()    { l.cursor = 0; l.clampCursor() }
func (l *senderList) bottom() { l.cursor = len(l.rows) - 1; l.clampCursor() }

func (l *senderList) setHeight(h int) {
	l.height = max(1, h)
	l.scrollToCursor()
}

// scrollToCursor keeps the cursor visible, and its group header too when
// the cursor is on the group's first sender. When the cursor leaves the
// window it jumps by a third of a page rather than one row (like vim's
// scrolljump): every one-row scroll would repaint the whole list column,
// which costs a slow SSH link ~3× the bytes of a plain cursor move.
func (l *senderList) scrollToCursor() {
	h := max(1, l.height)
	jump := max(0, h/3)
	want := l.cursor
	if want > 0 && l.rows[want-1].isHeader() {
		want--
	}
	if want < l.offset {
		l.offset = want - jump
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1 + jump
	}
	l.offset = max(0, min(l.offset, len(l.rows)-h))
	if want < l.offset { // a jump must not hide the cursor's own header
		l.offset = want
	}
	if l.cursor >= l.offset+h { // …unless only the cursor fits
		l.offset = l.cursor - h + 1
	}
}

// rowStatus lets the caller decorate a sender row (e.g. "detaching…").
type rowStatus func(api.ChannelSender) string

// view renders the visible rows at the given width.
func (l senderList) view(width int, st styles, status rowStatus) string {
	if width <= 0 {
		return ""
	}
	end := min(len(l.rows), l.offset+max(1, l.height))
	lines := make([]string, 0, end-l.offset)
	for i := l.offset; i < end; i++ {
		r := l.rows[i]
		g := l.groups[r.group]
		if r.isHeader() {
			text := fmt.Sprintf("%s (%d)", g.Kind, len(g.Senders))
			if l.filter != "" {
				text = fmt.Sprintf("%s (%d of %d)", g.Kind, len(g.Senders), l.totals[r.group])
			}
			lines = append(lines, st.groupHeader.Render(ansi.Truncate(text, width, "…")))
			continue
		}
		lines = append(lines, senderRow(g.Senders[r.sender], i == l.cursor, width, st, status))
	}
	return strings.Join(lines, "\n")
}

// senderRow lays out "› sender  CC  status" in exactly width cells.
func senderRow(s api.ChannelSender, selected bool, width int, st styles, status rowStatus) string {
	marker := "  "
	if selected {
		marker = "› "
	}
	right := s.CountryCode
	if status != nil {
		if extra := status(s); extra != "" {
			right = extra
		}
	}
	name := displayOr(s.Sender, s.SID)
	room := width - ansi.StringWidth(marker)
	if right != "" {
		room -= ansi.StringWidth(right) + 2
	}
	var line string
	if room < 4 {
		line = ansi.Truncate(marker+name, width, "…")
	} else {
		name = ansi.Truncate(name, room, "…")
		pad := room - ansi.StringWidth(name)
		line = marker + name + strings.Repeat(" ", pad)
		if right != "" {
			line += "  " + right
		}
	}
	line = ansi.Truncate(line, width, "…")
	if selected {
		line += strings.Repeat(" ", max(0, width-ansi.StringWidth(line)))
		return st.selected.Render(line)
	}
	return line
}
