package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// Layout of the sender screen.
const (
	wideWidth       = 100 // from here the detail pane sits beside the list
	narrowDetailMax = 11  // detail pane height when stacked under the list
	detailMinWidth  = 45  // label (9) + SID (34) + a margin
)

func (s sendersScreen) wide() bool { return s.width >= wideWidth }

// listHeight is the number of list rows that fit.
func (s sendersScreen) listHeight() int {
	if s.wide() {
		return max(1, s.height)
	}
	return max(1, s.height-s.narrowDetailHeight()-1)
}

func (s sendersScreen) narrowDetailHeight() int { return min(narrowDetailMax, s.height/2) }

// listWidth is the width of the list column.
func (s sendersScreen) listWidth() int {
	if s.wide() {
		// The detail pane keeps room for a label and a whole 34-character SID.
		return min(s.width*55/100, s.width-3-detailMinWidth)
	}
	return s.width
}

func (s sendersScreen) view(c *common) string {
	list := s.listView(c)
	title, fields := s.detailPane(c)
	if s.wide() {
		lw := s.listWidth()
		dw := s.width - lw - 3
		left := strings.Split(truncateLines(list, lw, s.height), "\n")
		right := strings.Split(detailView(title, fields, dw, s.height, s.scroll, c.styles), "\n")
		sep := c.styles.separator.Render(" │ ")
		lines := make([]string, len(left))
		for i := range left {
			lines[i] = fit(left[i], lw) + sep + right[i]
		}
		return strings.Join(lines, "\n")
	}
	return truncateLines(list, s.width, s.listHeight()) + "\n" +
		c.styles.separator.Render(strings.Repeat("─", s.width)) + "\n" +
		detailView(title, fields, s.width, s.narrowDetailHeight(), s.scroll, c.styles)
}

func (s sendersScreen) listView(c *common) string {
	switch {
	case s.list.rowCount() > 0:
		return s.list.view(s.listWidth(), c.styles, s.rowStatus(c))
	case s.loading():
		return c.spin + " loading senders…"
	case s.loadFailed():
		return "Could not load the senders."
	case s.filter.active() && s.list.totalCount() > 0:
		return fmt.Sprintf("No sender matches %q (esc clears the filter).", text.OneLine(s.filter.value()))
	}
	return "No senders in this service's pool."
}

func (s sendersScreen) detailPane(c *common) (string, []detailField) {
	sel, ok := s.list.selected()
	if !ok {
		return "Details", nil
	}
	title := "Details"
	if s.detail {
		title = "Details (↑/↓ scroll, esc back)"
	}
	fields := senderFields(sel, c.loc)
	// Status and profile go right after the type: what an operator looks for first.
	return title, slices.Insert(fields, 2, s.status.fields(sel)...)
}

// rowStatus is the right-hand text of a row, in words: a change in flight,
// else a status other than ONLINE before the country.
func (s sendersScreen) rowStatus(c *common) rowStatus {
	return func(x api.PoolSender) string {
		switch op, _ := c.changeOn(s.service.SID, x.SID); op {
		case opAttach:
			return c.spin + " attaching…"
		case opDetach:
			return c.spin + " detaching…"
		}
		if status, ok := s.status.notOnline(x); ok {
			return strings.TrimSpace(status + "  " + text.Clean(x.Country))
		}
		return ""
	}
}

func (s sendersScreen) banner(c *common) string {
	switch {
	case s.alert != nil:
		return "✗ " + text.OneLine(errorText(c, s.alert)) + " · esc dismiss"
	case s.fetch.err != nil && api.IsNotFound(s.fetch.err):
		return "✗ " + text.OneLine(errorText(c, s.fetch.err)) + retryHint(s.fetch.err)
	}
	var failed []string
	var last error
	for i, src := range s.sources {
		if src.load.err != nil {
			failed = append(failed, poolSources[i].String()+": couldn't load — "+text.OneLine(errorText(c, src.load.err)))
			last = src.load.err
		}
	}
	switch {
	case len(failed) > 0:
		return "✗ " + strings.Join(failed, " · ") + retryHint(last)
	case s.fetch.err != nil:
		return "✗ " + text.OneLine(errorText(c, s.fetch.err)) + retryHint(s.fetch.err)
	}
	return ""
}

func (s sendersScreen) statusLine(c *common) string {
	st := c.styles
	l := s.list
	switch {
	case s.filter.editing:
		return s.filter.line(c, l.senderCount(), l.totalCount())
	case c.notice != "":
		return st.notice.Render(c.notice)
	case s.loading() && s.anyLoaded():
		return c.spin + " refreshing…"
	case s.loading():
		return c.spin + " " + fmt.Sprintf("loading senders… %d so far", l.totalCount())
	}
	var line string
	// The position changes on every move: unstyled, it costs the wire only
	// its digits.
	if pos, total := l.position(); pos > 0 {
		line = fmt.Sprintf("%d/%d", pos, total) + st.dim.Render(" · ")
	}
	// The warnings come before the counts: a narrow line cuts the counts.
	if n := s.offline; n > 0 {
		line += st.warning.Render(fmt.Sprintf("%d not ONLINE", n)) + st.dim.Render(" · ")
	}
	if why := s.status.unknown(); why != "" {
		line += st.warning.Render("status unknown: "+why) + st.dim.Render(" · ")
	}
	if s.filter.active() {
		line += st.dim.Render(fmt.Sprintf("filter %q: %d of %d senders · / edit · esc clear", text.OneLine(s.filter.value()), l.senderCount(), l.totalCount()))
	} else {
		totals := l.kindTotals()
		line += st.dim.Render(kindCounts(totals) + " · " + poolSize(totals))
	}
	return line
}

// kindCounts counts senders by kind, in the pool's order:
// "2 WhatsApp · 1 RCS · 290 numbers · 1 short code · 2 alpha".
func kindCounts(totals []kindTotal) string {
	if len(totals) == 0 {
		return "no senders"
	}
	parts := make([]string, len(totals))
	for i, t := range totals {
		parts[i] = kindCount(t.kind, t.n)
	}
	return strings.Join(parts, " · ")
}

// kindCount is n senders of a kind in a few words: "3 numbers", "1 short code".
func kindCount(kind string, n int) string {
	one, many := kind, kind
	switch kind {
	case api.KindPhoneNumber:
		one, many = "number", "numbers"
	case api.KindShortCode:
		one, many = "short code", "short codes"
	case api.KindAlpha:
		one, many = "alpha", "alpha"
	default:
		one, many = text.Clean(kind), text.Clean(kind)
	}
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// poolSize is the pool against its limit: "312/400 numbers and short codes".
func poolSize(totals []kindTotal) string {
	n := 0
	for _, t := range totals {
		if api.KindCountsAgainstLimit(t.kind) {
			n += t.n
		}
	}
	return fmt.Sprintf("%d/%d numbers and short codes", n, api.DefaultPoolLimit)
}

// retryHint says r retries, where retrying can help: not when the thing
// asked for does not exist.
func retryHint(err error) string {
	if api.IsNotFound(err) {
		return " · check the SID (senderpool services lists them)"
	}
	if errors.Is(err, api.ErrInvalidSID) {
		return ""
	}
	return " · r retry"
}

// loadFailed reports whether a source of the pool could not be read.
func (s sendersScreen) loadFailed() bool {
	for _, src := range s.sources {
		if src.load.err != nil {
			return true
		}
	}
	return false
}
