package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// The picker is the add form's list of the account's senders that are not
// in the service: channel senders (GET /v2/Channels/Senders), phone
// numbers and short codes (the 2010 API), grouped by kind and narrowed by
// the field's text. Each source fills it as its pages arrive and fails on
// its own. It is a value: an update builds new slices and never changes an
// earlier copy's, so a frame drawn from it stays true.
type picker struct {
	groups  []pickGroup // by kind, in the pool's order (api.CompareKinds)
	sources [pickSourceCount]pickSource
	total   int       // entries in every group
	query   string    // the typed text, lower-cased
	digits  string    // its digits, when it reads as a number (415 555 → 415555)
	matches []pickRef // the entries shown, in order
	spans   []pickSpan
	cursor  int    // index into matches; -1: the field has the keyboard
	picked  string // the SID under the cursor: pages that arrive never move it
	offset  int    // first visible row
}

// pickEntry is one sender the picker offers. Shown text is cleaned once,
// when it arrives, so drawing a row costs no more than its width.
type pickEntry struct {
	SID      string // as sent; validated before it is attached
	kind     string // api.KindWhatsApp, …, api.KindPhoneNumber, api.KindShortCode
	label    string // the address, number or short code, cleaned
	name     string // profile or friendly name, cleaned; "" when it only repeats the label
	info     string // status (channel senders) or capabilities (numbers), cleaned
	tollFree bool
	hay      string // what the typed text is looked for in, lower-cased
	digits   string // the label's digits, for numbers typed with spaces or dashes
}

// prefix is the SID prefix the entry's source gives its senders.
func (e pickEntry) prefix() string {
	switch e.kind {
	case api.KindPhoneNumber:
		return api.PrefixPhoneNumber
	case api.KindShortCode:
		return api.PrefixShortCode
	}
	return api.PrefixChannelSender
}

// pickGroup is one kind's entries, sorted by label, then SID.
type pickGroup struct {
	kind    string
	entries []pickEntry
	labelW  int // the widest label, so the names line up in a column
}

// pickRef names an entry: its group and index there.
type pickRef struct{ group, entry int32 }

// pickSpan is a group with matches as the rows show it: a heading, then
// its matches from start.
type pickSpan struct{ group, start, n int }

// The picker's sources, in the order their failures are listed.
const (
	srcWhatsApp = iota
	srcRCS
	srcNumbers
	srcShortCodes
	pickSourceCount
)

// pickSource is how one source's load goes.
type pickSource struct {
	loading bool
	got     int    // entries it sent, those in the service included
	failure string // one line: why it failed, "" when it did not
}

// sourceName is how a failure line names a source.
func sourceName(src int) string {
	switch src {
	case srcWhatsApp:
		return "WhatsApp senders"
	case srcRCS:
		return "RCS senders"
	case srcNumbers:
		return "Phone numbers"
	}
	return "Short codes"
}

// channelSource is the source of a channel of GET /v2/Channels/Senders.
func channelSource(channel string) int {
	if channel == api.ChannelRCS {
		return srcRCS
	}
	return srcWhatsApp
}

func newPicker() picker {
	p := picker{cursor: -1}
	for i := range p.sources {
		p.sources[i].loading = true
	}
	return p
}

// loading reports whether any source is still loading.
func (p picker) loading() bool {
	for _, s := range p.sources {
		if s.loading {
			return true
		}
	}
	return false
}

// failures are the sources' failure lines, in order.
func (p picker) failures() []string {
	var out []string
	for _, s := range p.sources {
		if s.failure != "" {
			out = append(out, s.failure)
		}
	}
	return out
}

// received records a page of a source (entries not yet excluded).
func (p *picker) received(src int, n int) { p.sources[src].got += n }

// ended records how a source's load ended; err is nil when it completed.
func (p *picker) ended(src int, err error) {
	s := &p.sources[src]
	s.loading = false
	if err == nil {
		s.failure = ""
		return
	}
	what := sourceName(src) + " could not be loaded"
	if s.got > 0 {
		what = fmt.Sprintf("%s could not all be loaded (stopped after %d)", sourceName(src), s.got)
	}
	s.failure = what + ": " + text.OneLine(errorText(nil, err))
}

// add merges entries into their groups and refilters. The cursor stays on
// the sender it was on.
func (p *picker) add(entries []pickEntry) {
	if len(entries) == 0 {
		return
	}
	entries = slices.Clone(entries)
	slices.SortFunc(entries, comparePick)
	groups := slices.Clone(p.groups)
	for len(entries) > 0 {
		kind := entries[0].kind
		var same []pickEntry
		same, entries = splitKind(entries, kind)
		i, found := slices.BinarySearchFunc(groups, kind, func(g pickGroup, k string) int { return api.CompareKinds(g.kind, k) })
		if !found {
			groups = slices.Insert(groups, i, pickGroup{kind: kind})
		}
		merged := mergePicks(groups[i].entries, same)
		p.total += len(merged) - len(groups[i].entries)
		w := groups[i].labelW
		for _, e := range same {
			w = max(w, ansi.StringWidth(e.label))
		}
		groups[i] = pickGroup{kind: kind, entries: merged, labelW: w}
	}
	p.groups = groups
	p.refilter()
}

// splitKind takes the entries of kind out of entries (any order of kinds).
func splitKind(entries []pickEntry, kind string) (same, rest []pickEntry) {
	for _, e := range entries {
		if e.kind == kind {
			same = append(same, e)
		} else {
			rest = append(rest, e)
		}
	}
	return same, rest
}

// comparePick orders a kind's entries: kind, label, then SID.
func comparePick(a, b pickEntry) int {
	if a.kind != b.kind {
		return api.CompareKinds(a.kind, b.kind) // rarely: a page is mostly of one kind
	}
	if c := cmp.Compare(a.label, b.label); c != 0 {
		return c
	}
	return cmp.Compare(a.SID, b.SID)
}

// mergePicks merges two sorted lists into a new one, in time linear in
// both; an entry sent twice (a page repeated while the account changed)
// is kept once.
func mergePicks(old, add []pickEntry) []pickEntry {
	out := make([]pickEntry, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) || j < len(add) {
		var next pickEntry
		switch {
		case j == len(add) || i < len(old) && comparePick(old[i], add[j]) <= 0:
			next, i = old[i], i+1
		default:
			next, j = add[j], j+1
		}
		if n := len(out); n > 0 && out[n-1].SID == next.SID && out[n-1].label == next.label {
			continue
		}
		out = append(out, next)
	}
	return out
}

// setQuery filters by the typed text; the cursor goes back to the field.
func (p *picker) setQuery(typed string) {
	p.query = strings.ToLower(strings.TrimSpace(typed))
	p.digits = ""
	if d := digitsOf(p.query); len(d) >= 3 && strings.Trim(p.query, "0123456789 +-().") == "" {
		p.digits = d
	}
	p.cursor, p.picked, p.offset = -1, "", 0
	p.refilter()
}

// refilter rebuilds the matches from the groups, in time linear in the
// entries, and finds the cursor's sender again.
func (p *picker) refilter() {
	p.matches = make([]pickRef, 0, len(p.matches))
	p.spans = p.spans[:0:0]
	for gi, g := range p.groups {
		start := len(p.matches)
		for ei := range g.entries {
			if p.match(&g.entries[ei]) {
				p.matches = append(p.matches, pickRef{int32(gi), int32(ei)})
			}
		}
		if n := len(p.matches) - start; n > 0 {
			p.spans = append(p.spans, pickSpan{group: gi, start: start, n: n})
		}
	}
	if p.cursor >= 0 {
		p.cursor = slices.IndexFunc(p.matches, func(r pickRef) bool { return p.entry(r).SID == p.picked })
		if p.cursor < 0 {
			p.picked = ""
		}
	}
}

func (p picker) match(e *pickEntry) bool {
	return p.query == "" || strings.Contains(e.hay, p.query) || p.digits != "" && strings.Contains(e.digits, p.digits)
}

func (p picker) entry(r pickRef) *pickEntry { return &p.groups[r.group].entries[r.entry] }

// selected is the highlighted entry, if the picker has the cursor.
func (p picker) selected() (pickEntry, bool) {
	if p.cursor < 0 || p.cursor >= len(p.matches) {
		return pickEntry{}, false
	}
	return *p.entry(p.matches[p.cursor]), true
}

// lookup finds an entry by SID (to name what was typed on its pending row).
func (p picker) lookup(sid string) (pickEntry, bool) {
	for _, g := range p.groups {
		for _, e := range g.entries {
			if strings.EqualFold(e.SID, sid) {
				return e, true
			}
		}
	}
	return pickEntry{}, false
}

// move puts the cursor on match i (-1: the field).
func (p *picker) move(i int) {
	p.cursor = max(-1, min(i, len(p.matches)-1))
	p.picked = ""
	if e, ok := p.selected(); ok {
		p.picked = e.SID
	}
}

// rowCount is how many rows the picker has: a heading for each kind with
// matches, and the matches.
func (p picker) rowCount() int { return len(p.matches) + len(p.spans) }

// rowOf is the row of match i.
func (p picker) rowOf(i int) int {
	for si, s := range p.spans {
		if i < s.start+s.n {
			return i + si + 1
		}
	}
	return 0
}

// rowAt is what row r shows: the heading of span s (match -1) or match m.
func (p picker) rowAt(r int) (span, match int) {
	for si, s := range p.spans {
		if r == 0 {
			return si, -1
		}
		if r <= s.n {
			return si, s.start + r - 1
		}
		r -= s.n + 1
	}
	return -1, -1
}

// scroll keeps the cursor's row within rows visible rows, with its kind's
// heading when it is the kind's first.
func (p *picker) scroll(rows int) {
	rows = max(1, rows)
	if p.cursor < 0 {
		p.offset = 0
		return
	}
	r := p.rowOf(p.cursor)
	if r < p.offset {
		p.offset = r
		if _, m := p.rowAt(r - 1); rows > 1 && m < 0 {
			p.offset = r - 1
		}
	}
	if r >= p.offset+rows {
		p.offset = r - rows + 1
	}
	p.offset = max(0, min(p.offset, p.rowCount()-1))
}

// Entries from each source.

func channelEntry(s api.AccountSender) pickEntry {
	return newPickEntry(s.SID, channelKind(s), s.SenderID, profileName(s), s.Status, false)
}

func numberEntry(n api.IncomingPhoneNumber) pickEntry {
	name := n.FriendlyName
	if repeats(name, n.PhoneNumber) {
		name = "" // Twilio's default friendly name is the number written out
	}
	return newPickEntry(n.SID, api.KindPhoneNumber, n.PhoneNumber, name,
		strings.Join(n.Capabilities.List(), " "), api.IsTollFree(n.PhoneNumber))
}

func shortCodeEntry(s api.AccountShortCode) pickEntry {
	name := s.FriendlyName
	if repeats(name, s.ShortCode) {
		name = ""
	}
	// The 2010 API tells no short code's capabilities.
	return newPickEntry(s.SID, api.KindShortCode, s.ShortCode, name, "", false)
}

func newPickEntry(sid, kind, label, name, info string, tollFree bool) pickEntry {
	e := pickEntry{
		SID: sid, kind: kind, label: text.Or(label, text.Clean(sid)),
		name: text.Clean(strings.TrimSpace(name)), info: text.Clean(info), tollFree: tollFree,
	}
	e.digits = digitsOf(e.label)
	hay := []string{e.label, text.Clean(sid), e.info, e.name, kind}
	if tollFree {
		hay = append(hay, "toll-free")
	}
	e.hay = strings.ToLower(strings.Join(hay, " "))
	return e
}

// repeats reports a name that is only the address written another way,
// such as "(415) 555-0177" for +14155550177.
func repeats(name, address string) bool {
	n, a := digitsOf(name), digitsOf(address)
	return strings.TrimSpace(name) == "" || n != "" && len(n) >= len(a)-3 && strings.HasSuffix(a, n) &&
		strings.Trim(name, "0123456789 +-().") == ""
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}
