package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/text"
)

// lastChange is the last change this dashboard made, which u undoes:
// what was detached is attached again, what was attached is detached,
// what was moved moves back; a batch's senders that it changed, all of
// them together.
type lastChange struct {
	op      opKind           // opAttach, opDetach or opMove
	service string           // attach, detach: the service; move: where it went
	from    string           // move: the service it left
	sender  api.PoolSender   // as Twilio answered (attach, move) or as listed (detach)
	batch   []api.PoolSender // a batch's: the senders it detached, or moved (as they are in service)
}

// undoBatchKey names the undo of a batch among a service's changes in
// flight (no SID has a colon).
const undoBatchKey = "undo:batch"

// undoBatchRequest is the confirmation's answer: take the batch back.
type undoBatchRequest struct{ last lastChange }

// undoneBatchMsg is how taking a batch back ended.
type undoneBatchMsg struct {
	service string // the screen's, where it was asked
	done    int
	failed  []string // "+1415…: why", the first few
	err     error    // the first failure, for the quit report
}

// noteBatch remembers what a batch changed: the senders it detached, or
// moved (as attached where they went). A batch that changed none leaves
// the last change as it was.
func (c *common) noteBatch(msg batchMsg) {
	var done []api.PoolSender
	for _, r := range msg.results {
		switch {
		case r.outcome != bulk.OK:
		case msg.kind == batchDetach:
			done = append(done, r.sender)
		case msg.kind == batchMove && r.moved.SID != "":
			done = append(done, r.moved)
		}
	}
	switch {
	case len(done) == 0:
	case msg.kind == batchDetach:
		c.last = &lastChange{op: opDetach, service: msg.service, batch: done}
	case msg.kind == batchMove:
		c.last = &lastChange{op: opMove, service: msg.to, from: msg.service, batch: done}
	}
}

// noteMove remembers a move that succeeded: sender is as attached in to.
func (c *common) noteMove(from, to string, sender api.PoolSender) {
	if sender.SID != "" {
		c.last = &lastChange{op: opMove, service: to, from: from, sender: sender}
	}
}

// noteChange remembers a change that succeeded, for u.
func (c *common) noteChange(op opKind, service string, sender api.PoolSender) {
	if sender.SID == "" {
		return
	}
	c.last = &lastChange{op: op, service: service, sender: sender}
}

// undoOffered reports whether u undoes something on this screen: the
// last change was to this service, and the dashboard may change things.
func (s sendersScreen) undoOffered(c *common) bool {
	l := c.last
	if l == nil || c.readOnly() || l.service != s.service.SID && l.from != s.service.SID {
		return false
	}
	if l.batch != nil {
		_, busy := c.changeOn(s.service.SID, undoBatchKey)
		return !busy && !s.batch.running
	}
	_, busy := c.changeOn(l.service, l.sender.SID)
	return !busy
}

// askUndo confirms the undo like the change it undoes: a detach with the
// detach confirmation and its warnings, an attach by naming it.
func (s sendersScreen) askUndo(c *common) (layer, tea.Cmd, action) {
	l := *c.last
	if l.batch != nil {
		return s.askUndoBatch(c, l)
	}
	switch l.op {
	case opMove:
		// Back from where it went to where it was, from either screen.
		var d confirmDialog
		if s.service.SID == l.from {
			d = newConfirmMove(c, l.sender, l.service, s.service)
		} else {
			back := api.Service{SID: l.from, FriendlyName: c.names[l.from]}
			d = newConfirmMoveOut([]api.PoolSender{l.sender}, s.service, back, 0)
		}
		d.question = "Undo the move: " + d.question
		return s, nil, openDialog{d.setSize(s.width, s.height)}
	case opAttach:
		// The attach is undone by detaching what it attached.
		target, ok := s.list.find(l.sender.SID)
		if !ok {
			c.notice = "✗ " + text.Or(l.sender.Address, l.sender.SID) + " is no longer in this service: nothing to undo"
			c.last = nil
			return s, nil, nil
		}
		d := newConfirmDetach(target, s.service, s.detachWarnings(c, target), s.poolAfterDetach(target))
		d.question = "Undo the attach: detach this sender?"
		return s, nil, openDialog{d.setSize(s.width, s.height)}
	case opDetach:
		in, err := changes.InputOf(l.sender)
		if err != nil {
			c.notice = "✗ cannot attach " + text.Or(l.sender.Address, l.sender.SID) + " again: " + text.OneLine(err.Error())
			return s, nil, nil
		}
		sid := text.Or(l.sender.SID, "—")
		if l.sender.Kind == api.KindAlpha {
			sid += " (attached again, it gets a new SID)"
		}
		d := confirmDialog{
			question: "Undo the detach: attach this sender again?",
			facts: []detailField{
				{"Sender", text.Or(l.sender.Address, "—")},
				{"Type", text.Clean(api.KindSingular(l.sender.Kind))},
				{"SID", sid},
				{"Service", serviceTitleLong(s.service)},
			},
			caution:  "The service can send from this sender again.",
			yesLabel: "Attach",
			onYes:    attachRequest{in: in, label: text.Or(l.sender.Address, l.sender.SID), kind: l.sender.Kind},
		}
		return s, nil, openDialog{d.setSize(s.width, s.height)}
	}
	return s, nil, nil
}

// askUndoBatch confirms taking a batch back, naming how many of each
// kind and where they go.
func (s sendersScreen) askUndoBatch(c *common, l lastChange) (layer, tea.Cmd, action) {
	verb, back, where := "attach", "again to", l.service
	if l.op == opMove {
		verb, back, where = "move", "back to", l.from
	}
	d := confirmDialog{
		question: fmt.Sprintf("Undo the batch: %s %s %s %s?", verb, plural(len(l.batch), "sender", "senders"), back, text.Or(c.names[where], text.Clean(where))),
		facts: []detailField{
			{"Senders", fmt.Sprintf("%d: %s", len(l.batch), kindCounts(totalsOf(l.batch)))},
			{"To", c.serviceName(where)},
		},
		caution:  "Each one is a change of its own, recorded; those that fail are listed.",
		yesLabel: "Undo",
		onYes:    undoBatchRequest{last: l},
	}
	return s, nil, openDialog{d.setSize(s.width, s.height)}
}

// startUndoBatch takes the batch back: attach again what it detached,
// move back what it moved, with the client's batches.
func (s sendersScreen) startUndoBatch(c *common, req undoBatchRequest) (layer, tea.Cmd, action) {
	l := req.last
	if c.readOnly() || c.last == nil || l.batch == nil {
		return s, nil, nil
	}
	c.last = nil // offered once: its outcome is told, not undone again
	client, ctx, svc := c.client, c.ctx, s.service.SID
	name := "undo the batch of " + plural(len(l.batch), "sender", "senders")
	ch := change{key: changeKey{svc, undoBatchKey}, op: opResume, name: name}
	return s, func() tea.Msg {
		msg := undoneBatchMsg{service: svc}
		fail := func(p api.PoolSender, err error) {
			if msg.err == nil {
				msg.err = err
			}
			if len(msg.failed) < 5 {
				msg.failed = append(msg.failed, text.Or(p.Address, p.SID)+": "+text.OneLine(errorText(nil, err)))
			}
		}
		if l.op == opMove {
			r := client.MoveMany(ctx, l.service, l.from, l.batch, nil)
			msg.done = r.OK
			for _, res := range r.Results {
				if res.Outcome != bulk.OK {
					fail(res.Item.Sender, res.Err)
				}
			}
			return msg
		}
		inputs := make([]api.SenderInput, 0, len(l.batch))
		for _, p := range l.batch {
			in, err := changes.InputOf(p)
			if err != nil {
				fail(p, err)
				continue
			}
			inputs = append(inputs, in)
		}
		r := client.AttachMany(ctx, l.service, inputs, nil)
		msg.done = r.OK
		for _, res := range r.Results {
			if res.Outcome != bulk.OK {
				fail(api.PoolSender{Address: res.Item.Input.String()}, res.Err)
			}
		}
		return msg
	}, startChange{ch}
}

func (s sendersScreen) onUndoneBatch(c *common, msg undoneBatchMsg) (layer, tea.Cmd, action) {
	if msg.service != s.service.SID {
		return s, nil, nil
	}
	c.notice = fmt.Sprintf("✓ undone: %d back as they were", msg.done)
	if len(msg.failed) > 0 {
		s.alert = fmt.Errorf("undo the batch: %d not taken back: %s", len(msg.failed), strings.Join(msg.failed, "; "))
	}
	return s, s.loadSenders(c), nil
}
