package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/text"
)

// retryRequest is the report's answer: run a new batch of the same kind
// on exactly these senders (the failed and the never started, fixed when
// the report opened).
type retryRequest struct {
	kind    batchKind
	to      api.Service
	senders []api.PoolSender
}

// reportLine is one failed sender: who, why in words, and where it is.
type reportLine struct {
	name   string
	reason string
	where  string
	loud   bool // in no service, or nobody knows where: say it first and loudly
}

// batchReport is the dialog a batch leaves behind: how many were done,
// which failed and why, how many never started, and one key to retry.
type batchReport struct {
	kind       batchKind
	from, to   api.Service
	total      int
	done       int
	gone       int // a detach answered 404: someone had detached it already
	failed     []reportLine
	notStarted int
	stopped    bool
	throttles  int
	retry      []api.PoolSender
	scroll     int
	width      int
	height     int
}

func newBatchReport(c *common, b batchState, results []batchEnd, throttles int) batchReport {
	r := batchReport{kind: b.kind, from: b.from, to: b.to, total: len(results), throttles: throttles, stopped: b.stopping}
	var loud, quiet []reportLine
	for _, e := range results {
		switch {
		case e.outcome == bulk.OK:
			r.done++
		case e.outcome == bulk.NotStarted:
			r.notStarted++
			r.retry = append(r.retry, e.sender)
		case b.kind == batchDetach && api.IsNotFound(e.err):
			r.gone++
		default:
			line, again := r.failure(c, e)
			if line.loud {
				loud = append(loud, line)
			} else {
				quiet = append(quiet, line)
			}
			if again {
				r.retry = append(r.retry, e.sender)
			}
		}
	}
	r.failed = append(loud, quiet...)
	return r
}

// failure is a failed sender in words, and whether retrying the same
// action on it makes sense (a move that left it elsewhere does not).
func (r batchReport) failure(c *common, e batchEnd) (reportLine, bool) {
	line := reportLine{name: text.Or(e.sender.Address, text.Clean(e.sender.SID)), reason: reasonText(c, e.err)}
	from, to := serviceTitleLong(r.from), serviceTitleLong(r.to)
	place := placeStillInFrom
	if r.kind == batchMove {
		place = placeAfter(e.err)
	}
	switch place {
	case placeStillInFrom:
		line.where = "still in " + from
		return line, true
	case placeBackInFrom:
		line.where = "back in " + from
		return line, true
	case placeInTo:
		line.where = "in " + to
	case placeInNoService:
		line.where = "IN NO SERVICE: it sends for neither; the move is pending (finish or roll it back)"
		line.loud = true
	default:
		line.where = "WHERE IT IS IS NOT KNOWN: an answer was lost; the move is pending (finish or roll it back, which looks first)"
		line.loud = true
	}
	return line, false
}

// reasonText is why a change failed, in words: the failing request's
// error (for a move, the step that failed) and Twilio's hint for its code.
func reasonText(c *common, err error) string {
	var me *changes.MoveError
	if errors.As(err, &me) {
		var parts []string
		switch {
		case me.DetachErr != nil:
			parts = append(parts, "the detach failed: "+errorText(c, me.DetachErr))
		case me.AttachErr != nil:
			parts = append(parts, "the attach failed: "+errorText(c, me.AttachErr))
		}
		if me.RollbackErr != nil {
			parts = append(parts, "putting it back failed: "+errorText(c, me.RollbackErr))
		}
		if me.JournalErr != nil {
			parts = append(parts, "the journal of moves failed: "+errorText(c, me.JournalErr))
		}
		if me.AuditErr != nil {
			parts = append(parts, errorText(c, me.AuditErr))
		}
		if len(parts) > 0 {
			return text.OneLine(withHint(strings.Join(parts, "; "), err))
		}
	}
	return text.OneLine(withHint(errorText(c, err), err))
}

func withHint(s string, err error) string {
	if h := api.Hint(err); h != "" {
		return s + " — " + h
	}
	return s
}

// clean reports a batch with nothing left to tell but its count.
func (r batchReport) clean() bool { return len(r.failed) == 0 && r.notStarted == 0 }

func (r batchReport) verbPast() string {
	if r.kind == batchMove {
		return "moved"
	}
	return "detached"
}

// summary is the outcome in a line: "✓ detached 20 from Acme (MG…)".
func (r batchReport) summary() string {
	out := "✓ " + r.verbPast() + " " + fmt.Sprint(r.done)
	if r.kind == batchMove {
		out += " to " + text.Or(r.to.FriendlyName, r.to.SID)
	} else {
		out += " from " + text.Or(r.from.FriendlyName, r.from.SID)
	}
	if r.gone > 0 {
		out += fmt.Sprintf(" · %d already gone", r.gone)
	}
	if n := len(r.failed); n > 0 {
		out += fmt.Sprintf(" · ✗ %d failed", n)
	}
	if r.notStarted > 0 {
		out += fmt.Sprintf(" · %d not started", r.notStarted)
	}
	if r.throttles > 0 {
		out += " · Twilio throttled it " + plural(r.throttles, "time", "times") + ", and it waited"
	}
	return out
}

// alertText is the banner a batch with failures leaves on the screen.
func (r batchReport) alertText(c *common) string {
	f := r.failed[0]
	verb, key := "detach", "d"
	if r.kind == batchMove {
		verb, key = "move", "m"
	}
	return fmt.Sprintf("%s %s (%d of %d failed; they stay marked, %s retries them): %s", verb, f.name, len(r.failed), r.total, key, f.reason)
}

// farewell is the batch in the report printed after the dashboard ends.
func (r batchReport) farewell(c *common) []string {
	head := r.summary()
	if r.stopped && r.notStarted > 0 {
		head += " (stopped)"
	}
	lines := []string{head}
	for _, f := range r.failed {
		lines = append(lines, "  ✗ "+f.name+": "+f.reason+" · now "+f.where)
	}
	return lines
}

// lines is the report's body, wrapped to the width, each line styled
// after wrapping so that no escape is split.
func (r batchReport) lines(c *common) []string {
	st := c.styles
	var out []string
	add := func(style func(...string) string, indent, s string) {
		for _, l := range wrap(s, max(1, r.width-len(indent))) {
			out = append(out, indent+style(strings.TrimRight(l, " ")))
		}
	}
	plain := func(s ...string) string { return strings.Join(s, " ") }
	add(st.notice.Render, "", r.summary())
	if r.notStarted > 0 {
		why := "the batch was stopped"
		if !r.stopped {
			why = "the batch ended before them"
		}
		add(plain, "", fmt.Sprintf("%s not started: %s.", plural(r.notStarted, "sender", "senders"), why))
	}
	if len(r.failed) > 0 {
		out = append(out, "")
		add(st.title.Render, "", fmt.Sprintf("Failed (%d):", len(r.failed)))
	}
	for _, f := range r.failed {
		add(plain, "", "✗ "+f.name)
		add(plain, "  ", f.reason)
		if f.loud {
			add(st.errorText.Render, "  ", "⚠ now "+f.where)
		} else {
			add(st.dim.Render, "  ", "now "+f.where)
		}
	}
	return out
}

func (r batchReport) title() string {
	what := "Detach"
	if r.kind == batchMove {
		what = "Move"
	}
	return fmt.Sprintf("%s of %s: the report", what, plural(r.total, "sender", "senders"))
}

func (r batchReport) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return r, nil, nil
	}
	k := c.keys.Report
	switch {
	case len(r.retry) > 0 && !c.readOnly() && key.Matches(kp, k.Retry):
		return r, nil, closeDialog{retryRequest{kind: r.kind, to: r.to, senders: r.retry}}
	case r.scroll > 0 && key.Matches(kp, k.Up):
		r.scroll--
	case r.scroll < r.maxScroll(c) && key.Matches(kp, k.Down):
		r.scroll++
	case key.Matches(kp, k.Close):
		return r, nil, closeDialog{}
	}
	return r, nil, nil
}

// body is how many lines the report's text may take: the dialog less
// its title, a blank line and the keys' line.
func (r batchReport) body() int { return max(1, r.height-3) }

func (r batchReport) maxScroll(c *common) int { return max(0, len(r.wrapped(c))-r.body()) }

// wrapped is the body as drawn.
func (r batchReport) wrapped(c *common) []string { return r.lines(c) }

func (r batchReport) view(c *common) string {
	lines := r.wrapped(c)
	from := min(r.scroll, max(0, len(lines)-r.body()))
	shown := lines[from:min(len(lines), from+r.body())]
	retry := "esc close"
	if len(r.retry) > 0 && !c.readOnly() {
		retry = fmt.Sprintf("r retries the %d failed and not started (still marked) · esc close", len(r.retry))
	}
	out := append([]string{c.styles.title.Render(fit(r.title(), r.width))}, shown...)
	out = append(out, "", c.styles.dim.Render(fit(retry, r.width)))
	return strings.Join(out, "\n")
}

func (r batchReport) help(c *common) [][]key.Binding {
	k := c.keys.Report
	retry := k.Retry
	retry.SetEnabled(len(r.retry) > 0 && !c.readOnly())
	retry.SetHelp(retry.Help().Key, fmt.Sprintf("retry %d", len(r.retry)))
	up, down := k.Up, k.Down
	up.SetEnabled(r.scroll > 0)
	down.SetEnabled(r.scroll < r.maxScroll(c))
	return [][]key.Binding{{retry, k.Close, up, down, c.keys.Global.Quit}}
}

func (r batchReport) footer(c *common) []key.Binding { return r.help(c)[0] }

func (r batchReport) setSize(w, h int) layer {
	r.width, r.height = w, h
	return r
}

func (r batchReport) takesText() bool { return false }
func (r batchReport) busy() bool      { return false }
func (r batchReport) stop()           {}
