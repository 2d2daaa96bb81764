package ui

import (
	"slices"
	"strings"

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
	filter   string   // as set, lower-cased; "" shows everything
	query    string   // the filter's text without its kind: words
	kinds    []string // the filter's kind: words; none keeps every kind
	chosen   string   // the SID the person chose; "" before any sender
	// fixed: chosen is a choice, the person's or the first sender once a
	// load settled. Until then the highlight stays on the first row, so
	// the sources of a pool answering in any order do not decide it.
	fixed  bool
	cursor int // row index of the highlighted sender
	offset int // first visible row
	height int // rows that fit
	// marks are the marked senders' SIDs (marks.go); anchor is the last
	// one marked, where a range mark starts.
	marks  map[string]bool
	anchor string
}

// group is one section of the list as shown: what tests and callers that
// want the rows whole read (shownGroups).
type group struct {
	Kind    string
	Senders []api.PoolSender
}

// rowPos is where a sender sits: its section and its index there.
type rowPos struct{ section, item int }

// listRow is one line of the list: a group header (item < 0) or a sender.
type listRow struct{ section, item int }

func (r listRow) isHeader() bool { return r.item < 0 }

func newEntry(s api.PoolSender, more func(api.PoolSender) string) entry {
	// The kind by its one-word name ("phone-number", "alpha"): the group's
	// name would make "de" (Germany) match every "Alpha senders".
	kind := api.KindName(s.Kind)
	if api.IsChannelKind(s.Kind) {
		kind += " " + s.Kind
	}
	hay := s.Address + "\x00" + s.SID + "\x00" + kind + "\x00" + s.Country + "\x00" + s.DestinationCountry + "\x00" + strings.Join(s.Capabilities, " ")
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
	l.pruneMarks() // a sender gone from the pool loses its mark
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
		if l.filter != "" && l.keepsKind(s.Kind) && e.matches(l.query) {
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
	if !l.keepsKind(sec.kind) {
		return shown
	}
	for k, e := range sec.items {
		if e.matches(l.query) {
			shown = append(shown, k)
		}
	}
	return shown
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

// kindWord starts a filter word that narrows by kind: "kind:phone".
const kindWord = "kind:"

// setFilter shows only senders whose sender string, SID, type, country or
// status contains q (case-insensitive), keeping groups and their order.
// Words of q that start with kind: keep only the kinds they name (any
// of them), by the one-word names of the command line or the group's
// name: "kind:phone" keeps the phone numbers, "kind:wh kind:rcs" two kinds.
func (l *senderList) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == l.filter {
		return
	}
	l.filter, l.kinds = q, nil
	var words []string
	for _, w := range strings.Fields(q) {
		if name, ok := strings.CutPrefix(w, kindWord); ok {
			l.kinds = append(l.kinds, name)
		} else {
			words = append(words, w)
		}
	}
	l.query = strings.Join(words, " ")
	l.refilter()
}

// keepsKind reports whether the filter's kind: words keep kind.
func (l senderList) keepsKind(kind string) bool {
	if len(l.kinds) == 0 {
		return true
	}
	name, group := api.KindName(kind), strings.ToLower(kind)
	for _, k := range l.kinds {
		if strings.HasPrefix(name, k) || strings.Contains(group, k) {
			return true
		}
	}
	return false
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

// kindTotal is how many senders of a kind the list holds, filter or not.
type kindTotal struct {
	kind string
	n    int
}

// kindTotals counts the senders by kind, in the pool's order.
func (l senderList) kindTotals() []kindTotal {
	out := make([]kindTotal, 0, len(l.sections))
	for _, sec := range l.sections {
		if len(sec.items) > 0 {
			out = append(out, kindTotal{sec.kind, len(sec.items)})
		}
	}
	return out
}

// find is the sender with this SID, shown or hidden by the filter.
func (l senderList) find(sid string) (api.PoolSender, bool) {
	p, ok := l.at[sid]
	if !ok {
		return api.PoolSender{}, false
	}
	return l.sections[p.section].items[p.item].s, true
}
