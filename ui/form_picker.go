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
