package ui

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

func (s servicesScreen) banner(c *common) string {
	if s.load.err == nil {
		return ""
	}
	return "✗ " + text.OneLine(errorText(c, s.load.err)) + retryHint(s.load.err)
}

func (s servicesScreen) statusLine(c *common) string {
	p := s.picker
	switch {
	case s.filter.editing:
		return s.filter.line(c, len(p.services), len(p.all))
	case c.notice != "":
		return c.styles.notice.Render(c.notice)
	case s.load.running:
		return c.spin + " " + fmt.Sprintf("loading services… %d so far", len(p.all))
	case s.filter.active():
		return c.styles.dim.Render(fmt.Sprintf("filter %q: %d of %d Messaging Services · / edit · esc clear", p.filter, len(p.services), len(p.all))) + s.indexLine(c)
	}
	return c.styles.dim.Render(fmt.Sprintf("%d Messaging Services", len(p.services))) + s.indexLine(c)
}

// indexLine says how far the pools are read: " · reading pools 2/5…",
// " · pools read 2 min ago".
func (s servicesScreen) indexLine(c *common) string {
	st := c.index
	switch {
	case !c.indexOK() || len(s.picker.all) == 0:
		return ""
	case st.running:
		return c.styles.dim.Render(fmt.Sprintf(" · %s reading pools %d/%d…", c.spin, len(st.entries), len(s.picker.all)))
	case st.err != nil && !isCanceled(st.err):
		return " · " + c.styles.errorText.Render("pools not all read — r retries")
	}
	return c.styles.dim.Render(" · pools read " + indexAge(st.readAt, c.clock()))
}

func (s servicesScreen) view(c *common) string {
	switch {
	case len(s.picker.services) > 0:
		return s.picker.view(c, s.width)
	case len(s.picker.all) > 0:
		return fmt.Sprintf("No Messaging Service matches %q (esc clears the filter).", text.OneLine(s.filter.value()))
	case s.load.running:
		return c.spin + " loading Messaging Services…"
	case s.load.err != nil:
		return "Could not load the Messaging Services."
	}
	return "This account has no Messaging Services."
}

// poolLine is a service's pool as the index read it: its counts by kind
// and how many are not ONLINE; a spinner until its pool is read; nothing
// is guessed.
func poolLine(c *common, sid string, width int) string {
	const indent = "    "
	st := c.styles
	w := width - len(indent)
	e, ok := c.indexEntry(sid)
	switch {
	case !c.indexOK():
		return ""
	case !ok && c.index.running:
		return indent + st.dim.Render(cut(c.spin+" …", w))
	case !ok:
		return indent + st.errorText.Render(cut("couldn't read — r retries", w))
	case e.Err != nil && !e.Complete():
		what := "couldn't read — r retries"
		if e.Counts.Total > 0 {
			what = "couldn't read all of it (" + plural(e.Counts.Total, "sender", "senders") + " read) — r retries"
		}
		return indent + st.errorText.Render(cut(what, w))
	}
	counts := kindCounts(countsByKind(e.Counts.ByKind))
	if e.Counts.StatusKnown && e.Counts.NotOnline > 0 {
		off := fmt.Sprintf("%d not online", e.Counts.NotOnline)
		if ansi.StringWidth(counts)+len(" · ")+len(off) <= w {
			return indent + st.dim.Render(counts+" · ") + st.warning.Render(cut(off, w-ansi.StringWidth(counts)-len(" · ")))
		}
		counts = off + " · " + counts // the one an operator needs first
	}
	return indent + st.dim.Render(cut(counts, w))
}

// cut truncates s to width cells, with an ellipsis when it is cut.
func cut(s string, width int) string { return ansi.Truncate(s, max(0, width), "…") }

// countsByKind puts the index's counts in the pool's order of kinds.
func countsByKind(by map[string]int) []kindTotal {
	kinds := slices.Collect(maps.Keys(by))
	slices.SortFunc(kinds, api.CompareKinds)
	out := make([]kindTotal, 0, len(kinds))
	for _, k := range kinds {
		if by[k] > 0 {
			out = append(out, kindTotal{k, by[k]})
		}
	}
	return out
}

func formatDate(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02")
}
