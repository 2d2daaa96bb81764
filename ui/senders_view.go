package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
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

// listHeight is the number of list rows that fit: the list column less
// the lines of the sources that could not be loaded.
func (s sendersScreen) listHeight() int {
	h := s.mainHeight()
	if !s.wide() {
		h -= s.narrowDetailHeight() + 1
	}
	return max(1, h-s.failedLines())
}

func (s sendersScreen) narrowDetailHeight() int { return min(narrowDetailMax, s.mainHeight()/2) }

// mainHeight is the body less the progress bar's line while a batch runs.
func (s sendersScreen) mainHeight() int {
	if s.batch.running {
		return max(1, s.height-1)
	}
	return s.height
}

// listWidth is the width of the list column.
func (s sendersScreen) listWidth() int {
	if s.wide() {
		// The detail pane keeps room for a label and a whole 34-character SID.
		return min(s.width*55/100, s.width-3-detailMinWidth)
	}
	return s.width
}

func (s sendersScreen) view(c *common) string {
	body := s.mainView(c)
	if s.batch.running {
		// The bar sits right above the status line, under the list.
		body = truncateLines(body, s.width, s.mainHeight()) + "\n" + s.batch.progressLine(c, s.width)
	}
	return body
}

func (s sendersScreen) mainView(c *common) string {
	list := s.listView(c)
	title, fields := s.detailPane(c)
	if s.wide() {
		lw := s.listWidth()
		dw := s.width - lw - 3
		left := strings.Split(truncateLines(list, lw, s.mainHeight()), "\n")
		right := strings.Split(detailView(title, fields, dw, s.mainHeight(), s.scroll, c.styles), "\n")
		sep := c.styles.separator.Render(" │ ")
		lines := make([]string, len(left))
		for i := range left {
			lines[i] = fit(left[i], lw) + sep + right[i]
		}
		return strings.Join(lines, "\n")
	}
	return truncateLines(list, s.width, s.listHeight()+s.failedLines()) + "\n" +
		c.styles.separator.Render(strings.Repeat("─", s.width)) + "\n" +
		detailView(title, fields, s.width, s.narrowDetailHeight(), s.scroll, c.styles)
}

func (s sendersScreen) listView(c *common) string {
	var body string
	switch {
	case s.list.rowCount() > 0:
		body = s.list.view(s.listWidth(), c.styles, s.rowStatus(c))
	case s.loading():
		body = c.spin + " loading senders…"
	case s.filter.active() && s.list.totalCount() > 0:
		body = fmt.Sprintf("No sender matches %q (esc clears the filter).", text.OneLine(s.filter.value()))
	case s.failedSources() == len(s.sources):
		body = "Could not load the senders."
	case s.failedSources() > 0:
		body = "No senders in the lists that loaded."
	default:
		body = "No senders in this service's pool."
	}
	if lines := s.sourceErrors(c); len(lines) > 0 {
		// Under the rows that fit, so a failure is on screen however far
		// the list scrolls, and never hides the kinds that loaded.
		h := min(s.listHeight(), strings.Count(body, "\n")+1)
		body = truncateLines(body, s.listWidth(), h) + "\n" + strings.Join(lines, "\n")
	}
	return body
}

// sourceErrors is two lines for each source of the pool that could not
// be loaded: "✗ Short codes: couldn't load · r retry", then why. What to
// do comes first, as a narrow column cuts the end.
func (s sendersScreen) sourceErrors(c *common) []string {
	var lines []string
	w := s.listWidth()
	for i, src := range s.sources {
		if src.load.err == nil {
			continue
		}
		name := poolSources[i].String()
		name = strings.ToUpper(name[:1]) + name[1:]
		head := "✗ " + name + ": couldn't load" + retryHint(src.load.err)
		why := "  " + text.OneLine(errorText(c, src.load.err))
		lines = append(lines, c.styles.warning.Render(ansi.Truncate(head, w, "…")), ansi.Truncate(why, w, "…"))
	}
	return lines
}

// failedLines is how many lines sourceErrors takes.
func (s sendersScreen) failedLines() int { return 2 * s.failedSources() }

// failedSources is how many sources of the pool could not be loaded.
func (s sendersScreen) failedSources() int {
	n := 0
	for _, src := range s.sources {
		if src.load.err != nil {
			n++
		}
	}
	return n
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
		if s.moving[x.SID] || s.batch.kind == batchMove && s.batch.has(x.SID) {
			return c.spin + " moving…"
		}
		switch op, _ := c.changeOn(s.service.SID, x.SID); op {
		case opAttach:
			return c.spin + " attaching…"
		case opDetach:
			return c.spin + " detaching…"
		case opMove:
			return c.spin + " moving here…"
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
	// A source that could not be loaded also says so in the list column,
	// in a line; the banner has the whole error.
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
	// The marks next: what a bulk action would act on.
	if marks := s.marksLine(); marks != "" {
		line += st.title.Render(marks) + st.dim.Render(" · ")
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
		// The pool's size in two words: the line is the first to be cut.
		line += st.dim.Render(kindCounts(totals) + fmt.Sprintf(" · pool %d/%d", limitedCount(totals), api.DefaultPoolLimit))
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

// totalsOf counts senders by kind, in the pool's order.
func totalsOf(senders []api.PoolSender) []kindTotal {
	var out []kindTotal
	for _, p := range senders {
		i := slices.IndexFunc(out, func(t kindTotal) bool { return t.kind == p.Kind })
		if i < 0 {
			i, out = len(out), append(out, kindTotal{kind: p.Kind})
		}
		out[i].n++
	}
	slices.SortFunc(out, func(a, b kindTotal) int { return api.CompareKinds(a.kind, b.kind) })
	return out
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
	return fmt.Sprintf("%d/%d numbers and short codes", limitedCount(totals), api.DefaultPoolLimit)
}

// limitedCount is how many senders take places of the pool's limit.
func limitedCount(totals []kindTotal) int {
	n := 0
	for _, t := range totals {
		if api.KindCountsAgainstLimit(t.kind) {
			n += t.n
		}
	}
	return n
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
