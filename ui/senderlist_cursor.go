package ui

import (
	"sort"

	"github.com/senderpool/senderpool/api"
)

// fix makes the highlighted sender the choice: once every source of a
// first load has answered, before the person chose.
func (l *senderList) fix() {
	if s, ok := l.selected(); ok && !l.fixed {
		l.chosen, l.fixed = s.SID, true
	}
}

// rowCount is every row shown, headers included.
func (l senderList) rowCount() int {
	n := 0
	for _, sec := range l.sections {
		if c := l.count(sec); c > 0 {
			n += 1 + c
		}
	}
	return n
}

// rowAt is the row at index i (0 ≤ i < rowCount).
func (l senderList) rowAt(i int) listRow {
	for si, sec := range l.sections {
		c := l.count(sec)
		if c == 0 {
			continue
		}
		if i <= c {
			return listRow{section: si, item: i - 1}
		}
		i -= 1 + c
	}
	return listRow{section: -1, item: -1}
}

// rowOf is the row of the sender with this SID, if shown.
func (l senderList) rowOf(sid string) (int, bool) {
	p, ok := l.at[sid]
	if !ok {
		return 0, false
	}
	k := p.item
	if l.filter != "" {
		shown := l.sections[p.section].shown
		k = sort.SearchInts(shown, p.item)
		if k >= len(shown) || shown[k] != p.item {
			return 0, false
		}
	}
	row := 0
	for si := 0; si < p.section; si++ {
		if c := l.count(l.sections[si]); c > 0 {
			row += 1 + c
		}
	}
	return row + 1 + k, true
}

// place puts the highlight on the chosen sender, else on its nearest
// shown neighbour in its group, else near the row it was on.
func (l *senderList) place(fallback int) {
	if !l.fixed {
		l.chosen, l.cursor = "", 0
	}
	switch i, ok := l.highlightFor(); {
	case ok:
		l.cursor = i
	case l.chosen == "":
		l.cursor = 0 // nothing chosen yet: the first sender
	default:
		l.cursor = fallback // the group is gone: the nearest row
	}
	l.clampCursor()
	if l.chosen == "" {
		if s, ok := l.selected(); ok {
			l.chosen = s.SID
		}
	}
}

func (l senderList) highlightFor() (int, bool) {
	if i, ok := l.rowOf(l.chosen); ok {
		return i, true
	}
	p, ok := l.at[l.chosen]
	if !ok {
		return 0, false
	}
	items := l.sections[p.section].items
	for d := 1; d < len(items); d++ {
		for _, k := range []int{p.item + d, p.item - d} {
			if k >= 0 && k < len(items) {
				if r, ok := l.rowOf(items[k].s.SID); ok {
					return r, true
				}
			}
		}
	}
	return 0, false
}

// selected is the highlighted sender.
func (l senderList) selected() (api.PoolSender, bool) {
	if l.cursor < 0 || l.cursor >= l.rowCount() {
		return api.PoolSender{}, false
	}
	r := l.rowAt(l.cursor)
	if r.isHeader() {
		return api.PoolSender{}, false
	}
	return l.item(l.sections[r.section], r.item).s, true
}

// position is the highlighted sender's place among those shown: 12/10000.
func (l senderList) position() (int, int) {
	total := l.senderCount()
	if _, ok := l.selected(); !ok {
		return 0, total
	}
	headers := 0
	for si := 0; si <= l.rowAt(l.cursor).section; si++ {
		if l.count(l.sections[si]) > 0 {
			headers++
		}
	}
	return l.cursor + 1 - headers, total
}

// clampCursor puts the cursor on a real sender row: the nearest one at or
// after it, else the nearest before it.
func (l *senderList) clampCursor() {
	n := l.rowCount()
	if n == 0 {
		l.cursor, l.offset = 0, 0
		return
	}
	l.cursor = max(0, min(l.cursor, n-1))
	if l.rowAt(l.cursor).isHeader() {
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
	n := l.rowCount()
	for ; i >= 0 && i < n; i += dir {
		if !l.rowAt(i).isHeader() {
			return i
		}
	}
	return -1
}

// move moves the cursor by delta rows, skipping headers; it stops at the
// ends instead of wrapping. The sender it lands on is the new choice.
func (l *senderList) move(delta int) {
	n := l.rowCount()
	if n == 0 || delta == 0 {
		return
	}
	dir := 1
	if delta < 0 {
		dir = -1
	}
	target := max(0, min(l.cursor+delta, n-1))
	if i := l.findSender(target, dir); i >= 0 {
		l.cursor = i
	} else if i := l.findSender(target, -dir); i >= 0 {
		l.cursor = i
	}
	l.chooseCursor()
}

func (l *senderList) top() { l.cursor = 0; l.clampCursor(); l.chooseCursor() }

func (l *senderList) bottom() { l.cursor = l.rowCount() - 1; l.clampCursor(); l.chooseCursor() }

func (l *senderList) chooseCursor() {
	if s, ok := l.selected(); ok {
		l.chosen, l.fixed = s.SID, true
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
	n := l.rowCount()
	if n == 0 {
		l.offset = 0
		return
	}
	h := max(1, l.height)
	jump := max(0, h/3)
	want := l.cursor
	if want > 0 && l.rowAt(want-1).isHeader() {
		want--
	}
	if want < l.offset {
		l.offset = want - jump
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1 + jump
	}
	l.offset = max(0, min(l.offset, n-h))
	if want < l.offset { // a jump must not hide the cursor's own header
		l.offset = want
	}
	if l.cursor >= l.offset+h { // …unless only the cursor fits
		l.offset = l.cursor - h + 1
	}
}

// nextRow is the row after r.
func (l senderList) nextRow(r listRow) listRow {
	if r.item+1 < l.count(l.sections[r.section]) {
		return listRow{r.section, r.item + 1}
	}
	for si := r.section + 1; si < len(l.sections); si++ {
		if l.count(l.sections[si]) > 0 {
			return listRow{si, -1}
		}
	}
	return r
}
