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

// rowPos is where a sender sits in senderList.all.
type rowPos struct{ group, sender int }

// senderList is the grouped, scrollable sender list. The cursor is a SID
// (chosen): it stays on that sender across new pages, refreshes and
// filters. When the filter hides it the highlight goes to its nearest
// shown neighbour in the same group, and comes back when the filter
// clears; when the sender is gone for good the neighbour becomes the
// choice. Rows are rebuilt only when the data or the filter changes; View
// renders only the visible window.
type senderList struct {
	all    []group // every sender, grouped and sorted
	pos    map[string]rowPos
	hay    [][]string // lower-cased search text, parallel to all[g].Senders
	more   [][]string // lower-cased extra search text (the status), likewise; may be empty
	filter string     // lower-cased; "" shows everything
	groups []group    // what is shown: all, or the filter's matches
	totals []int      // size of each shown group before filtering
	rows   []listRow
	rowOf  map[string]int // SID → index into rows, for the shown senders
	chosen string         // the SID the person chose; "" before any sender
	cursor int            // index into rows of the highlighted sender
	offset int            // first visible row
	height int            // rows that fit
}

// setSenders regroups the list. The filter also searches what more (if
// not nil) gives for each sender: its status.
func (l *senderList) setSenders(senders []api.ChannelSender, more func(api.ChannelSender) string) {
	neighbours := l.neighbours()
	l.all = groupSenders(senders)
	l.pos = make(map[string]rowPos, len(senders))
	l.hay = make([][]string, len(l.all))
	for gi, g := range l.all {
		l.hay[gi] = make([]string, len(g.Senders))
		for si, s := range g.Senders {
			l.pos[s.SID] = rowPos{gi, si}
			l.hay[gi][si] = strings.ToLower(s.Sender + "\x00" + s.SID + "\x00" + s.SenderType + "\x00" + g.Kind + "\x00" + s.CountryCode)
		}
	}
	if _, ok := l.pos[l.chosen]; !ok && l.chosen != "" {
		// The chosen sender is gone: its neighbour in the same group is
		// the choice now (after it, else before it).
		l.chosen = ""
		for _, sid := range neighbours {
			if _, ok := l.pos[sid]; ok {
				l.chosen = sid
				break
			}
		}
	}
	l.indexMore(more)
	l.rebuild()
}

// neighbours are the SIDs of the chosen sender's group, nearest first:
// those after it in order, then those before it, backwards.
func (l senderList) neighbours() []string {
	p, ok := l.pos[l.chosen]
	if !ok {
		return nil
	}
	ss := l.all[p.group].Senders
	out := make([]string, 0, len(ss))
	for i := p.sender + 1; i < len(ss); i++ {
		out = append(out, ss[i].SID)
	}
	for i := p.sender - 1; i >= 0; i-- {
		out = append(out, ss[i].SID)
	}
	return out
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

// setFilter shows only senders whose sender string, SID, type, country or
// status contains q (case-insensitive), keeping groups and their order.
func (l *senderList) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == l.filter {
		return
	}
	l.filter = q
	l.rebuild()
}

func (l senderList) matches(gi, si int) bool {
	return l.filter == "" || strings.Contains(l.hay[gi][si], l.filter) || (l.more[gi] != nil && strings.Contains(l.more[gi][si], l.filter))
}

// rebuild derives the shown groups and rows from all and filter, and puts
// the highlight on the chosen sender or its nearest shown neighbour.
func (l *senderList) rebuild() {
	oldCursor := l.cursor
	// Fresh slices, not the old ones reused: an earlier copy of the model
	// keeps its own rows.
	l.groups, l.totals = make([]group, 0, len(l.all)), make([]int, 0, len(l.all))
	for gi, g := range l.all {
		shown := g
		if l.filter != "" {
			shown = group{Kind: g.Kind}
			for si, s := range g.Senders {
				if l.matches(gi, si) {
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
	l.rows = make([]listRow, 0, len(l.pos)+len(l.groups))
	l.rowOf = make(map[string]int, len(l.pos))
	for gi, g := range l.groups {
		l.rows = append(l.rows, listRow{group: gi, sender: -1})
		for si, s := range g.Senders {
			if _, dup := l.rowOf[s.SID]; !dup {
				l.rowOf[s.SID] = len(l.rows)
			}
			l.rows = append(l.rows, listRow{group: gi, sender: si})
		}
	}
	switch i, ok := l.highlightFor(); {
	case ok:
		l.cursor = i
	case l.chosen == "":
		l.cursor = 0 // nothing chosen yet: the first sender
	default:
		l.cursor = oldCursor // the group is empty: the nearest row
	}
	l.clampCursor()
	if l.chosen == "" {
		if s, ok := l.selected(); ok {
			l.chosen = s.SID
		}
	}
}

// highlightFor is the row of the chosen sender, else of its nearest shown
// neighbour in its group.
func (l senderList) highlightFor() (int, bool) {
	if i, ok := l.rowOf[l.chosen]; ok {
		return i, true
	}
	p, ok := l.pos[l.chosen]
	if !ok {
		return 0, false
	}
	ss := l.all[p.group].Senders
	for d := 1; d < len(ss); d++ {
		for _, i := range []int{p.sender + d, p.sender - d} {
			if i >= 0 && i < len(ss) {
				if r, ok := l.rowOf[ss[i].SID]; ok {
					return r, true
				}
			}
		}
	}
	return 0, false
}

// choose puts the cursor on the sender with this SID, if listed.
func (l *senderList) choose(sid string) {
	if i, ok := l.rowOf[sid]; ok {
		l.cursor, l.chosen = i, sid
		l.scrollToCursor()
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

// has reports whether a sender with this SID is in the data.
func (l senderList) has(sid string) bool {
	_, ok := l.pos[sid]
	return ok
}

// selected is the highlighted sender.
func (l senderList) selected() (api.ChannelSender, bool) {
	if l.cursor < 0 || l.cursor >= len(l.rows) || l.rows[l.cursor].isHeader() {
		return api.ChannelSender{}, false
	}
	r := l.rows[l.cursor]
	return l.groups[r.group].Senders[r.sender], true
}

// position is the highlighted sender's place among those shown: 12/10000.
func (l senderList) position() (int, int) {
	if _, ok := l.selected(); !ok {
		return 0, l.senderCount()
	}
	return l.cursor - l.rows[l.cursor].group, l.senderCount()
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
// ends instead of wrapping. The sender it lands on is the new choice.
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
	l.chooseCursor()
}

func (l *senderList) top()    { l.cursor = 0; l.clampCursor(); l.chooseCursor() }
func (l *senderList) bottom() { l.cursor = len(l.rows) - 1; l.clampCursor(); l.chooseCursor() }

func (l *senderList) chooseCursor() {
	if s, ok := l.selected(); ok {
		l.chosen = s.SID
	}
	l.scrollToCursor()
}

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
	if len(l.rows) == 0 {
		l.offset = 0
		return
	}
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

// view renders the visible rows at the given width. When the first
// visible row is inside a group, that group's header takes the top line
// (a sticky header), so the kind of every visible sender is on screen.
func (l senderList) view(width int, st styles, status rowStatus) string {
	if width <= 0 || len(l.rows) == 0 {
		return ""
	}
	h := max(1, l.height)
	end := min(len(l.rows), l.offset+h)
	lines := make([]string, 0, end-l.offset)
	start := l.offset
	if first := l.rows[start]; !first.isHeader() && h > 1 && l.cursor != start {
		lines = append(lines, l.header(first.group, width, st))
		start++
	}
	for i := start; i < end; i++ {
		r := l.rows[i]
		if r.isHeader() {
			lines = append(lines, l.header(r.group, width, st))
			continue
		}
		lines = append(lines, senderRow(l.groups[r.group].Senders[r.sender], i == l.cursor, width, st, status))
	}
	return strings.Join(lines, "\n")
}

func (l senderList) header(gi, width int, st styles) string {
	g := l.groups[gi]
	text := fmt.Sprintf("%s (%d)", cleanText(g.Kind), len(g.Senders))
	if l.filter != "" {
		text = fmt.Sprintf("%s (%d of %d)", cleanText(g.Kind), len(g.Senders), l.totals[gi])
	}
	return st.groupHeader.Render(ansi.Truncate(text, width, "…"))
}

// senderRow lays out "› sender  CC  status" in exactly width cells. The
// highlight is the marker alone, a block in the gutter: on every keypress
// only those two cells of two rows change, not the whole text of both, so
// a move costs a slow SSH link a third fewer bytes. (The shorter pickers
// keep a full bar.)
func senderRow(s api.ChannelSender, selected bool, width int, st styles, status rowStatus) string {
	marker := "  "
	if selected {
		marker = "› "
	}
	right := cleanText(s.CountryCode)
	if status != nil {
		if extra := status(s); extra != "" {
			right = extra
		}
	}
	name := displayOr(s.Sender, cleanText(s.SID))
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
