package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
)

// entry is one sender of the list with its lower-cased search text.
type entry struct {
	s    api.PoolSender
	hay  string // sender, SID, type, kind, country
	more string // what the more function gives: the status
}

// section is one kind's senders: a group header and its rows.
type section struct {
	kind  string
	items []entry
	shown []int // under a filter: the indexes of items it keeps, ascending
}

// senderList is the grouped, scrollable sender list.
//
// The cursor is a SID (chosen): it stays on that sender across new pages,
// refreshes and filters. When the filter hides it the highlight goes to
// its nearest shown neighbour in the same group, and comes back when the
// filter clears; when the sender is gone for good the neighbour becomes
// the choice.
//
// A page is added in time proportional to the page: while a first load
// runs, senders join their group in the order they arrive, and the list
// is sorted once when the load ends (settle). Rows are never stored: with
// a handful of groups, the row at an index is found by walking them.
type senderList struct {
	sections []section         // in kind order
	kindAt   map[string]int    // kind → index into sections
	at       map[string]rowPos // SID → where it is
	more     func(api.PoolSender) string
	filter   string // lower-cased; "" shows everything
	chosen   string // the SID the person chose; "" before any sender
	// fixed: chosen is a choice, the person's or the first sender once a
	// load settled. Until then the highlight stays on the first row, so
	// the sources of a pool answering in any order do not decide it.
	fixed  bool
	cursor int // row index of the highlighted sender
	offset int // first visible row
	height int // rows that fit
}

// rowPos is where a sender sits: its section and its index there.
type rowPos struct{ section, item int }

// listRow is one line of the list: a group header (item < 0) or a sender.
type listRow struct{ section, item int }

func (r listRow) isHeader() bool { return r.item < 0 }

func newEntry(s api.PoolSender, more func(api.PoolSender) string) entry {
	hay := s.Address + "\x00" + s.SID + "\x00" + s.Kind + "\x00" + s.Country + "\x00" + s.DestinationCountry + "\x00" + strings.Join(s.Capabilities, " ")
	if s.TollFree {
		hay += "\x00toll-free"
	}
	e := entry{s: s, hay: strings.ToLower(hay)}
	if more != nil {
		e.more = strings.ToLower(more(s))
	}
	return e
}

// setSenders replaces the list, in display order; a SID listed twice
// counts once. The filter also searches what more (if not nil) gives for
// each sender: its status.
func (l *senderList) setSenders(senders []api.PoolSender, more func(api.PoolSender) string) {
	neighbours := l.neighbours()
	l.sections, l.kindAt, l.at, l.more = nil, map[string]int{}, make(map[string]rowPos, len(senders)), more
	l.add(senders)
	l.settle()
	if _, ok := l.at[l.chosen]; !ok && l.chosen != "" {
		// The chosen sender is gone: its neighbour in the same group is
		// the choice now (after it, else before it).
		l.chosen = ""
		for _, sid := range neighbours {
			if _, ok := l.at[sid]; ok {
				l.chosen = sid
				break
			}
		}
	}
	l.place(l.cursor)
}

// addPage appends a page as it arrives, unsorted until settle; it returns
// the senders that were new (a SID already listed counts once).
func (l *senderList) addPage(page []api.PoolSender) []api.PoolSender {
	if l.at == nil {
		l.kindAt, l.at = map[string]int{}, map[string]rowPos{}
	}
	added := l.add(page)
	l.place(l.cursor)
	return added
}

func (l *senderList) add(page []api.PoolSender) []api.PoolSender {
	added := page[:0:0]
	for _, s := range page {
		if _, dup := l.at[s.SID]; dup {
			continue
		}
		si, ok := l.kindAt[s.Kind]
		if !ok {
			si = l.insertSection(s.Kind)
		}
		sec := &l.sections[si]
		e := newEntry(s, l.more)
		l.at[s.SID] = rowPos{si, len(sec.items)}
		if l.filter != "" && e.matches(l.filter) {
			sec.shown = append(sec.shown, len(sec.items))
		}
		sec.items = append(sec.items, e)
		added = append(added, s)
	}
	return added
}

// insertSection adds an empty section for kind in kind order.
func (l *senderList) insertSection(kind string) int {
	i, _ := slices.BinarySearchFunc(l.sections, kind, func(s section, k string) int { return api.CompareKinds(s.kind, k) })
	l.sections = slices.Insert(l.sections, i, section{kind: kind})
	for j := i; j < len(l.sections); j++ {
		l.kindAt[l.sections[j].kind] = j
		for k, e := range l.sections[j].items {
			l.at[e.s.SID] = rowPos{j, k}
		}
	}
	return i
}

// settle sorts every group (sender, then SID), once a load has ended.
func (l *senderList) settle() {
	for si := range l.sections {
		sec := &l.sections[si]
		if !slices.IsSortedFunc(sec.items, compareEntries) {
			slices.SortFunc(sec.items, compareEntries)
			for k, e := range sec.items {
				l.at[e.s.SID] = rowPos{si, k}
			}
		}
		sec.shown = l.filterSection(*sec)
	}
	l.place(l.cursor)
}

func compareEntries(a, b entry) int { return api.ComparePoolSenders(a.s, b.s) }

func (e entry) matches(q string) bool {
	return strings.Contains(e.hay, q) || strings.Contains(e.more, q)
}

func (l senderList) filterSection(sec section) []int {
	if l.filter == "" {
		return nil
	}
	shown := []int{}
	for k, e := range sec.items {
		if e.matches(l.filter) {
			shown = append(shown, k)
		}
	}
	return shown
}

// fix makes the highlighted sender the choice: once every source of a
// first load has answered, before the person chose.
func (l *senderList) fix() {
	if s, ok := l.selected(); ok && !l.fixed {
		l.chosen, l.fixed = s.SID, true
	}
}

// neighbours are the SIDs of the chosen sender's group, nearest first:
// those after it in order, then those before it, backwards.
func (l senderList) neighbours() []string {
	p, ok := l.at[l.chosen]
	if !ok {
		return nil
	}
	items := l.sections[p.section].items
	out := make([]string, 0, len(items))
	for i := p.item + 1; i < len(items); i++ {
		out = append(out, items[i].s.SID)
	}
	for i := p.item - 1; i >= 0; i-- {
		out = append(out, items[i].s.SID)
	}
	return out
}

// searchAlso makes the filter search what more gives too, without
// regrouping; the rows change only when a filter is in force.
func (l *senderList) searchAlso(more func(api.PoolSender) string) {
	l.more = more
	cache := map[string]string{}
	for si := range l.sections {
		for k := range l.sections[si].items {
			e := &l.sections[si].items[k]
			v := more(e.s)
			lv, ok := cache[v]
			if !ok {
				lv = strings.ToLower(v)
				cache[v] = lv
			}
			e.more = lv
		}
	}
	if l.filter != "" {
		l.refilter()
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
	l.refilter()
}

func (l *senderList) refilter() {
	for si := range l.sections {
		l.sections[si].shown = l.filterSection(l.sections[si])
	}
	l.place(l.cursor)
}

// count is how many of a section's senders are shown.
func (l senderList) count(sec section) int {
	if l.filter == "" {
		return len(sec.items)
	}
	return len(sec.shown)
}

// item is a section's k-th shown sender.
func (l senderList) item(sec section, k int) entry {
	if l.filter == "" {
		return sec.items[k]
	}
	return sec.items[sec.shown[k]]
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

// choose puts the cursor on the sender with this SID, if shown.
func (l *senderList) choose(sid string) {
	if i, ok := l.rowOf(sid); ok {
		l.cursor, l.chosen, l.fixed = i, sid, true
		l.scrollToCursor()
	}
}

// senderCount is the number of senders shown.
func (l senderList) senderCount() int {
	n := 0
	for _, sec := range l.sections {
		n += l.count(sec)
	}
	return n
}

// totalCount is the number of senders, filtered or not.
func (l senderList) totalCount() int { return len(l.at) }

// groupCount is the number of groups shown.
func (l senderList) groupCount() int {
	n := 0
	for _, sec := range l.sections {
		if l.count(sec) > 0 {
			n++
		}
	}
	return n
}

// has reports whether a sender with this SID is in the data.
func (l senderList) has(sid string) bool {
	_, ok := l.at[sid]
	return ok
}

// shownGroups is what the list shows, group by group.
func (l senderList) shownGroups() []group {
	var out []group
	for _, sec := range l.sections {
		c := l.count(sec)
		if c == 0 {
			continue
		}
		g := group{Kind: sec.kind, Senders: make([]api.PoolSender, c)}
		for k := range c {
			g.Senders[k] = l.item(sec, k).s
		}
		out = append(out, g)
	}
	return out
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

func (l *senderList) top()    { l.cursor = 0; l.clampCursor(); l.chooseCursor() }
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
			lines = append(lines, senderRow(l.item(sec, r.item).s, i == l.cursor, width, st, status))
		}
		r = l.nextRow(r)
	}
	return strings.Join(lines, "\n")
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

func (l senderList) header(sec section, width int, st styles) string {
	text := fmt.Sprintf("%s (%d)", cleanText(sec.kind), len(sec.items))
	if l.filter != "" {
		text = fmt.Sprintf("%s (%d of %d)", cleanText(sec.kind), len(sec.shown), len(sec.items))
	}
	return st.groupHeader.Render(ansi.Truncate(text, width, "…"))
}

// senderRow lays out "› sender  CC  status" in exactly width cells. The
// highlight is the marker alone, a block in the gutter: on every keypress
// only those two cells of two rows change, not the whole text of both, so
// a move costs a slow SSH link a third fewer bytes. (The shorter pickers
// keep a full bar.)
func senderRow(s api.PoolSender, selected bool, width int, st styles, status rowStatus) string {
	marker := "  "
	if selected {
		marker = "› "
	}
	right := cleanText(s.Country)
	switch {
	case s.DestinationCountry != "":
		right = "to " + cleanText(s.DestinationCountry)
	case s.TollFree:
		right = strings.TrimSpace("toll-free " + right)
	}
	if status != nil {
		if extra := status(s); extra != "" {
			right = extra
		}
	}
	name := displayOr(s.Address, cleanText(s.SID))
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
