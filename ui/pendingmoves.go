package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/journal"
	"github.com/senderpool/senderpool/text"
)

// pendingMovesMsg is what the journal holds at start: the moves a kill,
// a hang-up or a lost network cut off half-way.
type pendingMovesMsg struct {
	moves []journal.Move
	notes []string
	err   error
}

// checkPendingMoves asks the journal for the moves cut off half-way.
func checkPendingMoves(ctx context.Context, client Client) tea.Cmd {
	if client == nil {
		return nil
	}
	return func() tea.Msg {
		moves, notes, err := client.PendingMoves(ctx)
		return pendingMovesMsg{moves: moves, notes: notes, err: err}
	}
}

// moveResumedMsg is the answer to finishing or rolling back a move.
type moveResumedMsg struct {
	id       string
	from, to string
	finish   bool
	sender   api.PoolSender
	err      error
}

// pendingMovesDialog offers, at start, to finish or roll back each move
// that was cut off, so nothing stays in no service unnoticed. It opens
// over whatever the dashboard opened on; "later" leaves the journal as
// it is, to be offered again next time.
type pendingMovesDialog struct {
	moves   []journal.Move
	notes   []string
	cursor  int
	running string   // the move being finished or rolled back
	done    []string // what was resolved, in words
	problem string   // the last failure, in words
	width   int
	height  int
}

func newPendingMovesDialog(msg pendingMovesMsg) pendingMovesDialog {
	return pendingMovesDialog{moves: msg.moves, notes: msg.notes}
}

func (d pendingMovesDialog) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case moveResumedMsg:
		if msg.id != d.running {
			return d, nil, nil
		}
		d.running = ""
		i := slices.IndexFunc(d.moves, func(m journal.Move) bool { return m.ID == msg.id })
		if i < 0 {
			return d, nil, nil
		}
		m := d.moves[i]
		if msg.err != nil {
			d.problem = "✗ " + moveVerb(msg.finish) + " " + moveName(m) + ": " + text.OneLine(errorText(c, msg.err))
			return d, nil, nil
		}
		d.problem = ""
		where := m.ToName
		if !msg.finish {
			where = m.FromName
		}
		d.done = append(d.done, "✓ "+text.Clean(m.Sender.Text)+" is in "+text.Or(where, "the service"))
		d.moves = slices.Delete(slices.Clone(d.moves), i, i+1)
		d.cursor = min(d.cursor, max(0, len(d.moves)-1))
		return d, nil, nil
	case tea.KeyPressMsg:
		return d.onKey(c, msg)
	}
	return d, nil, nil
}

func (d pendingMovesDialog) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	k := c.keys.Pending
	switch {
	case key.Matches(msg, k.Later):
		if d.running != "" {
			return d, nil, nil // its answer is on its way; q still quits
		}
		return d, nil, closeDialog{}
	case key.Matches(msg, k.Up):
		d.cursor = max(0, d.cursor-1)
	case key.Matches(msg, k.Down):
		d.cursor = min(len(d.moves)-1, d.cursor+1)
	case d.canAct(c) && key.Matches(msg, k.Finish):
		return d.resume(c, true)
	case d.canAct(c) && key.Matches(msg, k.RollBack):
		return d.resume(c, false)
	}
	return d, nil, nil
}

// canAct reports whether f and b do something now.
func (d pendingMovesDialog) canAct(c *common) bool {
	return !c.readOnly() && d.running == "" && len(d.moves) > 0
}

// resume finishes (or rolls back) the highlighted move: the change
// client looks at both services first and sends only what is missing.
func (d pendingMovesDialog) resume(c *common, finish bool) (layer, tea.Cmd, action) {
	m := d.moves[d.cursor]
	d.running, d.problem = m.ID, ""
	client, ctx, id, from, to := c.client, c.ctx, m.ID, m.From, m.To
	ch := change{key: changeKey{m.From, "move:" + m.ID}, op: opResume, name: moveVerb(finish) + " " + moveName(m)}
	return d, func() tea.Msg {
		var p api.PoolSender
		var err error
		if finish {
			p, err = client.FinishMove(ctx, id)
		} else {
			p, err = client.RollBackMove(ctx, id)
		}
		return moveResumedMsg{id: id, from: from, to: to, finish: finish, sender: p, err: err}
	}, startChange{ch}
}

func moveVerb(finish bool) string {
	if finish {
		return "finish moving"
	}
	return "roll back moving"
}

// moveName is a move in words: "+14155550100 from Acme Marketing to Acme
// Notifications". The journal's names came from the network.
func moveName(m journal.Move) string {
	return text.Or(m.Sender.Text, text.Clean(m.Sender.SID)) + " from " + text.Or(m.FromName, text.Clean(m.From)) + " to " + text.Or(m.ToName, text.Clean(m.To))
}

func (d pendingMovesDialog) help(c *common) [][]key.Binding {
	k := c.keys.Pending
	finish, back := k.Finish, k.RollBack
	finish.SetEnabled(d.canAct(c))
	back.SetEnabled(d.canAct(c))
	later := k.Later
	later.SetEnabled(d.running == "")
	up, down := k.Up, k.Down
	up.SetEnabled(len(d.moves) > 1)
	down.SetEnabled(len(d.moves) > 1)
	return [][]key.Binding{{finish, back, later, up, down, c.keys.Global.Quit}}
}

func (d pendingMovesDialog) footer(c *common) []key.Binding { return enabled(d.help(c)[0]) }

func (d pendingMovesDialog) setSize(w, h int) layer {
	d.width, d.height = w, h
	return d
}

func (d pendingMovesDialog) takesText() bool { return false }
func (d pendingMovesDialog) busy() bool      { return d.running != "" }
func (d pendingMovesDialog) stop()           {}

func (d pendingMovesDialog) view(c *common) string {
	st, w := c.styles, d.width
	var lines []string
	switch n := len(d.moves); n {
	case 0:
		lines = append(lines, st.title.Render(fit("Every cut-off move is resolved", w)))
	case 1:
		lines = append(lines, st.title.Render(fit("A move was cut off half-way", w)))
	default:
		lines = append(lines, st.title.Render(fit(fmt.Sprintf("%d moves were cut off half-way", n), w)))
	}
	lines = append(lines, "")
	for i, m := range d.moves {
		marker := "  "
		if i == d.cursor {
			marker = st.selected.Render("› ")
		}
		head := moveName(m) + " · " + m.Updated.UTC().Format("2006-01-02 15:04 UTC")
		if m.ID == d.running {
			head = c.spin + " " + head
		}
		lines = append(lines, marker+ansi.Truncate(head, max(1, w-2), "…"))
		why := text.OneLine(m.Step.Meaning())
		if m.Failure != nil && m.Failure.Message != "" {
			why += "; last failure: " + text.OneLine(m.Failure.Message)
		}
		for _, l := range wrap(why, max(10, w-4)) {
			lines = append(lines, "    "+st.dim.Render(l))
		}
	}
	for _, n := range d.notes {
		lines = append(lines, st.dim.Render(ansi.Truncate(text.OneLine(n), w, "…")))
	}
	for _, done := range d.done {
		lines = append(lines, ansi.Truncate(done, w, "…"))
	}
	if d.problem != "" {
		lines = append(lines, st.warning.Render(ansi.Truncate(d.problem, w, "…")))
	}
	lines = append(lines, "")
	switch {
	case c.readOnly() && len(d.moves) > 0:
		lines = append(lines, wrap("Read-only: resolve them with senderpool move --resume, without --read-only. l or esc: later.", w)...)
	case len(d.moves) > 0:
		lines = append(lines, wrap("f finishes the move (the sender goes to the second service), b rolls it back (back to the first); senderpool looks at both services first. l or esc: later, offered again next time.", w)...)
	default:
		lines = append(lines, "esc closes")
	}
	if len(lines) > d.height {
		lines = lines[:max(1, d.height)]
	}
	return strings.Join(lines, "\n")
}
