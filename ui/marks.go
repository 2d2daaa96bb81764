package ui

import (
	"maps"

	"github.com/senderpool/senderpool/api"
)

// Marks on the sender list: the senders picked for a bulk action, kept by
// SID like the cursor. A mark survives new pages, refreshes and filters
// (a mark the filter hides stays, and is counted as hidden); a sender
// gone from the pool loses its mark when the list is rebuilt without it
// (setSenders). The set is copied on write: the list is a value, and an
// earlier copy of the model must not change with a later one.

// markGlyph is a marked row's sign, in the gutter's second cell: a glyph,
// so it reads without colour and on any background.
const markGlyph = "✓"

// marked reports whether the sender with this SID is marked.
func (l senderList) marked(sid string) bool { return l.marks[sid] }

// markCount is how many senders are marked, shown or hidden.
func (l senderList) markCount() int { return len(l.marks) }

// setMarked marks or unmarks one sender of the list; a SID the list does
// not hold is never marked.
func (l *senderList) setMarked(sid string, on bool) {
	if on == l.marks[sid] || on && !l.has(sid) {
		return
	}
	l.marks = maps.Clone(l.marks)
	if on {
		if l.marks == nil {
			l.marks = map[string]bool{}
		}
		l.marks[sid] = true
		l.anchor = sid
		return
	}
	delete(l.marks, sid)
	if l.anchor == sid {
		l.anchor = ""
	}
}

// markAll marks (on) or unmarks every sender of sids at once.
func (l *senderList) markAll(sids []string, on bool) {
	l.marks = maps.Clone(l.marks)
	if l.marks == nil {
		l.marks = map[string]bool{}
	}
	for _, sid := range sids {
		switch {
		case on && l.has(sid):
			l.marks[sid] = true
		case !on:
			delete(l.marks, sid)
		}
	}
	if !l.marks[l.anchor] {
		l.anchor = ""
	}
}

// clearMarks unmarks everything, hidden marks included.
func (l *senderList) clearMarks() { l.marks, l.anchor = nil, "" }

// pruneMarks drops the marks of senders the list no longer holds.
func (l *senderList) pruneMarks() {
	for sid := range l.marks {
		if !l.has(sid) {
			l.marks = maps.Clone(l.marks)
			maps.DeleteFunc(l.marks, func(sid string, _ bool) bool { return !l.has(sid) })
			break
		}
	}
	if !l.marks[l.anchor] {
		l.anchor = ""
	}
}

// anchorRow is the row of the last sender marked, when it is shown and
// still marked: where a range mark starts.
func (l senderList) anchorRow() (int, bool) {
	if l.anchor == "" || !l.marks[l.anchor] {
		return 0, false
	}
	return l.rowOf(l.anchor)
}

// rangeSIDs are the shown senders from the anchor to the cursor, both
// included, in list order.
func (l senderList) rangeSIDs() []string {
	from, ok := l.anchorRow()
	if _, sel := l.selected(); !ok || !sel {
		return nil
	}
	to := l.cursor
	if from > to {
		from, to = to, from
	}
	var out []string
	for i := from; i <= to; i++ {
		if r := l.rowAt(i); !r.isHeader() {
			out = append(out, l.item(l.sections[r.section], r.item).s.SID)
		}
	}
	return out
}

// shownSIDs are the SIDs of every sender the filter shows, in list order.
func (l senderList) shownSIDs() []string {
	out := make([]string, 0, l.senderCount())
	for _, sec := range l.sections {
		for k := range l.count(sec) {
			out = append(out, l.item(sec, k).s.SID)
		}
	}
	return out
}

// markedSenders are the marked senders, shown or hidden, in list order.
func (l senderList) markedSenders() []api.PoolSender {
	if len(l.marks) == 0 {
		return nil
	}
	out := make([]api.PoolSender, 0, len(l.marks))
	for _, sec := range l.sections {
		for _, e := range sec.items {
			if l.marks[e.s.SID] {
				out = append(out, e.s)
			}
		}
	}
	return out
}

// hiddenMarks is how many marked senders the filter hides.
func (l senderList) hiddenMarks() int {
	if l.filter == "" {
		return 0
	}
	n := 0
	for sid := range l.marks {
		if _, shown := l.rowOf(sid); !shown {
			n++
		}
	}
	return n
}

// markTotals counts the marked senders by kind, in the pool's order, in
// time proportional to the marks: the status line asks on every frame.
func (l senderList) markTotals() []kindTotal {
	if len(l.marks) == 0 {
		return nil
	}
	counts := make([]int, len(l.sections))
	for sid := range l.marks {
		if p, ok := l.at[sid]; ok {
			counts[p.section]++
		}
	}
	var out []kindTotal
	for si, n := range counts {
		if n > 0 {
			out = append(out, kindTotal{l.sections[si].kind, n})
		}
	}
	return out
}
