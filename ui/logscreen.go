package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/text"
)

// AuditLog is the record of changes the log screen reads (*audit.Log).
type AuditLog interface {
	Read(ctx context.Context, f audit.Filter) (audit.Result, error)
}

// logScreen is the record of every change (L): newest first, one row a
// change with how it ended, and under the list the highlighted change's
// details and its twilio-cli equivalent. Everything in it came from a
// file that holds text from the network: it is shown through text.
type logScreen struct {
	service string // MG…: only its changes; "" every service
	load    loader
	changes []audit.Change // newest first
	cut     int            // of them, those whose end is not known
	notes   []string       // lines the log could not read, a torn last line
	cursor  int
	offset  int
	width   int
	height  int
}

// logMsg is the reply to AuditLog.Read.
type logMsg struct {
	req    int
	result audit.Result
	err    error
}

func newLogScreen(c *common, service string) (logScreen, tea.Cmd) {
	l := logScreen{service: service}
	return l, l.reload(c)
}

func (l *logScreen) reload(c *common) tea.Cmd {
	ctx, req := l.load.start(c)
	log, f := c.audit, audit.Filter{Service: l.service}
	return func() tea.Msg {
		res, err := log.Read(ctx, f)
		return logMsg{req: req, result: res, err: err}
	}
}

func (l logScreen) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case logMsg:
		if !l.load.current(msg.req) {
			return l, nil, nil
		}
		l.load.finish(msg.err)
		if msg.err == nil {
			l.changes = audit.Changes(msg.result.Entries)
			slices.Reverse(l.changes)
			l.cut = 0 // counted once a load, not on every frame
			for _, ch := range l.changes {
				if ch.Interrupted() {
					l.cut++
				}
			}
			l.notes = logNotes(msg.result)
			l.cursor = min(l.cursor, max(0, len(l.changes)-1))
		}
	case tea.KeyPressMsg:
		return l.onKey(c, msg)
	}
	return l, nil, nil
}

// logNotes says what the log could not read.
func logNotes(r audit.Result) []string {
	var notes []string
	if n := max(r.Skipped, len(r.Problems)); n > 0 {
		notes = append(notes, fmt.Sprintf("%d lines of the log could not be read (senderpool log lists them)", n))
	}
	if r.Torn {
		notes = append(notes, "the last line is cut short: a change is being written, or one was cut off")
	}
	return notes
}

func (l logScreen) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	k, lk := c.keys.Log, c.keys.List
	switch {
	case key.Matches(msg, lk.Up):
		l.cursor = max(0, l.cursor-1)
	case key.Matches(msg, lk.Down):
		l.cursor = min(len(l.changes)-1, l.cursor+1)
	case key.Matches(msg, lk.Top):
		l.cursor = 0
	case key.Matches(msg, lk.Bottom):
		l.cursor = max(0, len(l.changes)-1)
	case key.Matches(msg, lk.PageUp):
		l.cursor = max(0, l.cursor-l.rows())
	case key.Matches(msg, lk.PageDown):
		l.cursor = max(0, min(len(l.changes)-1, l.cursor+l.rows()))
	case key.Matches(msg, k.Refresh):
		return l, l.reload(c), nil
	case key.Matches(msg, k.Scope) && l.scopeOffered(c):
		l.service = ""
		return l, l.reload(c), nil
	case key.Matches(msg, k.Back):
		return l, nil, popScreen{}
	}
	l.scroll()
	return l, nil, nil
}

// scopeOffered: a log of one service can widen to every service.
func (l logScreen) scopeOffered(c *common) bool { return l.service != "" }

// detailLines is how many lines the highlighted change's details take:
// the twilio-cli command may take two.
const detailLines = 5

func (l logScreen) rows() int { return max(1, l.height-detailLines-1-len(l.notes)) }

func (l *logScreen) scroll() {
	h := l.rows()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(0, min(l.offset, len(l.changes)-h))
}

func (l logScreen) help(c *common) [][]key.Binding {
	k, g := c.keys.Log, c.keys.Global
	scope := k.Scope
	scope.SetEnabled(l.scopeOffered(c))
	return [][]key.Binding{{k.Refresh, scope, k.Back, g.Help, g.Quit}, c.keys.List.moves()}
}

func (l logScreen) footer(c *common) []key.Binding { return withMove(c, l.help(c)) }

func (l logScreen) setSize(w, h int) layer {
	l.width, l.height = w, h
	l.scroll()
	return l
}

func (l logScreen) takesText() bool { return false }
func (l logScreen) busy() bool      { return l.load.running }
func (l logScreen) stop()           { l.load.stop() }

func (l logScreen) title(c *common) string {
	if l.service != "" {
		return "Changes to " + c.serviceName(l.service)
	}
	return "Changes"
}

func (l logScreen) banner(c *common) string {
	if l.load.err != nil {
		return "✗ the log could not be read: " + text.OneLine(errorText(c, l.load.err)) + " · r retry"
	}
	return ""
}

func (l logScreen) statusLine(c *common) string {
	if l.load.running {
		return c.spin + " reading the log…"
	}
	n := len(l.changes)
	line := fmt.Sprintf("%d changes", n)
	if n == 1 {
		line = "1 change"
	}
	if n > 0 {
		line = fmt.Sprintf("%d/%d · ", l.cursor+1, n) + line
	}
	if cut := l.cut; cut > 0 {
		return line + c.styles.warning.Render(fmt.Sprintf(" · %d interrupted: they may or may not have happened", cut))
	}
	return line
}

func (l logScreen) view(c *common) string {
	st, w := c.styles, l.width
	var lines []string
	for _, n := range l.notes {
		lines = append(lines, st.warning.Render(ansi.Truncate("✗ "+n, w, "…")))
	}
	switch {
	case len(l.changes) == 0 && l.load.running:
		lines = append(lines, c.spin+" reading the log…")
	case len(l.changes) == 0:
		lines = append(lines, "No change recorded yet. Every attach, detach, move and setting is written here, before and after its request.")
	}
	end := min(len(l.changes), l.offset+l.rows())
	for i := l.offset; i < end; i++ {
		marker := "  "
		if i == l.cursor {
			marker = st.selected.Render("› ")
		}
		lines = append(lines, marker+ansi.Truncate(changeRow(c, l.changes[i]), max(1, w-2), "…"))
	}
	body := strings.Join(lines, "\n")
	if len(l.changes) == 0 {
		return body
	}
	body = truncateLines(body, w, l.height-detailLines-1)
	return body + "\n" + st.separator.Render(strings.Repeat("─", max(1, w))) + "\n" + truncateLines(strings.Join(l.details(c), "\n"), w, detailLines)
}

// changeRow is a change in one line: when, what, on what, how it ended.
func changeRow(c *common, ch audit.Change) string {
	e := ch.Last()
	if ch.Intent != nil {
		e = *ch.Intent
	}
	when := e.Time.In(c.loc).Format("2006-01-02 15:04:05")
	return when + "  " + changeWords(c, ch) + "  " + outcomeWords(ch)
}

// changeWords is what a change did: "detach +14155550100 from Acme
// Notifications", "move … from … to …", "sticky sender off in …".
func changeWords(c *common, ch audit.Change) string {
	e := ch.Last()
	svc := text.Or(e.Service.Name, text.Clean(e.Service.SID))
	sender := ""
	if e.Sender != nil {
		sender = text.Or(e.Sender.Text, text.Clean(e.Sender.SID))
	}
	switch e.Action {
	case audit.ActionAttach:
		return "attach " + sender + " to " + svc
	case audit.ActionDetach:
		return "detach " + sender + " from " + svc
	case audit.ActionMove:
		to := "?"
		if e.To != nil {
			to = text.Or(e.To.Name, text.Clean(e.To.SID))
		}
		return "move " + sender + " from " + svc + " to " + to
	case audit.ActionSetting:
		if e.Setting != nil {
			return "set " + text.Clean(e.Setting.Name) + " " + text.Clean(e.Setting.Value) + " in " + svc
		}
		return "a setting of " + svc
	}
	return text.Clean(string(e.Action)) + " " + sender + " " + svc
}

// outcomeWords is how a change ended, in words.
func outcomeWords(ch audit.Change) string {
	if ch.Outcome == nil {
		return "⚠ no outcome: cut off, or under way"
	}
	switch o := ch.Outcome; o.Outcome {
	case audit.OutcomeOK:
		return "✓ done"
	case audit.OutcomeInterrupted:
		return "⚠ interrupted: it may or may not have happened"
	default:
		why := "✗ failed"
		if o.ErrorCode != 0 {
			why += fmt.Sprintf(" (error %d)", o.ErrorCode)
		}
		if o.Error != "" {
			why += ": " + text.OneLine(o.Error)
		}
		return why
	}
}

// details are the highlighted change's who, request id and the
// twilio-cli command that does the same.
func (l logScreen) details(c *common) []string {
	if l.cursor >= len(l.changes) {
		return nil
	}
	ch := l.changes[l.cursor]
	e := ch.Last()
	who := "Profile " + text.Or(e.Profile, "(environment)") + " · account " + text.Clean(e.Account)
	req := "Request " + text.Or(e.RequestID, "—")
	if ch.Outcome != nil && ch.Outcome.Status != 0 {
		req += fmt.Sprintf(" · HTTP %d", ch.Outcome.Status)
	}
	lines := []string{changeWords(c, ch), who, req}
	cmd := strings.Split(ansi.Hardwrap("twilio-cli: "+text.OneLine(e.Command), max(10, l.width), false), "\n")
	return append(lines, cmd[:min(2, len(cmd))]...)
}
