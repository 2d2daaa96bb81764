package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// onMarkKey handles space, V, * and U; false when msg is none of them or
// would do nothing now (help does not list it then).
func (s *sendersScreen) onMarkKey(c *common, msg tea.KeyPressMsg) bool {
	k := c.keys.Senders
	switch {
	case key.Matches(msg, k.Mark):
		sel, ok := s.list.selected()
		if !ok || s.isPending(sel.SID) {
			return false
		}
		s.list.setMarked(sel.SID, !s.list.marked(sel.SID))
		s.list.move(1) // like most lists: space, space, space marks a run
	case key.Matches(msg, k.MarkRange):
		sids := s.rangeToMark()
		if len(sids) == 0 {
			return false
		}
		s.list.markAll(sids, true)
		if sel, ok := s.list.selected(); ok {
			s.list.anchor = sel.SID // the next V goes on from here
		}
	case key.Matches(msg, k.MarkAll):
		sids := s.markable(s.list.shownSIDs())
		if len(sids) == 0 {
			return false
		}
		s.list.markAll(sids, !s.allMarked(sids))
	case key.Matches(msg, k.Unmark):
		if s.list.markCount() == 0 {
			return false
		}
		s.list.clearMarks()
	default:
		return false
	}
	return true
}

// markKeys are the marks' bindings as they work now: each is on exactly
// when pressing it changes the marks, and says what it will do.
func (s sendersScreen) markKeys(c *common) []key.Binding {
	k := c.keys.Senders
	mark, rng, all, unmark := k.Mark, k.MarkRange, k.MarkAll, k.Unmark
	sel, ok := s.list.selected()
	mark.SetEnabled(ok && !s.isPending(sel.SID))
	if ok && s.list.marked(sel.SID) {
		mark.SetHelp(mark.Help().Key, "unmark")
	}
	rng.SetEnabled(len(s.rangeToMark()) > 0)
	shown := s.markable(s.list.shownSIDs())
	all.SetEnabled(len(shown) > 0)
	desc := "mark all"
	if s.filter.active() {
		desc = "mark all shown"
	}
	if s.allMarked(shown) {
		desc = "un" + desc
	}
	all.SetHelp(all.Help().Key, desc)
	unmark.SetEnabled(s.list.markCount() > 0)
	return []key.Binding{mark, rng, all, unmark}
}

// rangeToMark is what V marks: the markable senders from the last mark
// to the cursor, when one of them is not marked yet.
func (s sendersScreen) rangeToMark() []string {
	sids := s.markable(s.list.rangeSIDs())
	if s.allMarked(sids) {
		return nil
	}
	return sids
}

// markable drops the rows of attaches in flight: they are not members of
// the pool yet, and their SID may be what was typed.
func (s sendersScreen) markable(sids []string) []string {
	if len(s.pending) == 0 {
		return sids
	}
	out := sids[:0:0]
	for _, sid := range sids {
		if !s.isPending(sid) {
			out = append(out, sid)
		}
	}
	return out
}

func (s sendersScreen) isPending(sid string) bool {
	for _, p := range s.pending {
		if p.SID == sid {
			return true
		}
	}
	return false
}

func (s sendersScreen) allMarked(sids []string) bool {
	for _, sid := range sids {
		if !s.list.marked(sid) {
			return false
		}
	}
	return true
}

// marksLine is the marks in the status line, by kind, and how many the
// filter hides: "3 marked: 2 numbers · 1 alpha · 1 hidden"; "" when none.
func (s sendersScreen) marksLine() string {
	n := s.list.markCount()
	if n == 0 {
		return ""
	}
	line := fmt.Sprintf("%d marked: %s", n, kindCounts(s.list.markTotals()))
	if h := s.list.hiddenMarks(); h > 0 {
		line += fmt.Sprintf(" · %d hidden", h)
	}
	return line
}

// copyMarked puts the marked SIDs on the clipboard, one a line, in list
// order, hidden ones included; none when one of them is malformed.
func (s sendersScreen) copyMarked(c *common) (layer, tea.Cmd, action) {
	marked := s.list.markedSenders()
	sids := make([]string, len(marked))
	var bad []string
	for i, x := range marked {
		if err := api.ValidatePoolSID(x.SID); err != nil {
			bad = append(bad, text.OneLine(x.SID))
		}
		sids[i] = x.SID
	}
	if len(bad) > 0 {
		c.notice = fmt.Sprintf("✗ not copied: the server sent %s (%s); unmark it to copy the rest", malformedCount(len(bad)), bad[0])
		return s, nil, nil
	}
	c.notice = fmt.Sprintf("✓ copied %s to the clipboard (OSC 52)", plural(len(sids), "marked SID", "marked SIDs"))
	if h := s.list.hiddenMarks(); h > 0 {
		c.notice += fmt.Sprintf(", %d of them hidden by the filter", h)
	}
	return s, tea.SetClipboard(strings.Join(sids, "\n")), nil
}

func malformedCount(n int) string {
	if n == 1 {
		return "a malformed SID"
	}
	return fmt.Sprintf("%d malformed SIDs", n)
}

// plural is n things in words: "1 sender", "3 senders".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
