package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/text"
)

// lastChange is the last attach, detach or move of one sender this
// dashboard made, which u undoes: what was detached is attached again,
// what was attached is detached, what was moved moves back. (A batch is
// many changes: u does not take it back whole.)
type lastChange struct {
	op      opKind         // opAttach, opDetach or opMove
	service string         // attach, detach: the service; move: where it went
	from    string         // move: the service it left
	sender  api.PoolSender // as Twilio answered (attach, move) or as listed (detach)
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
	_, busy := c.changeOn(l.service, l.sender.SID)
	return !busy
}

// askUndo confirms the undo like the change it undoes: a detach with the
// detach confirmation and its warnings, an attach by naming it.
func (s sendersScreen) askUndo(c *common) (layer, tea.Cmd, action) {
	l := *c.last
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
