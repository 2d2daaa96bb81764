package ui

import (
	"errors"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/text"
)

// moveRequest is the move confirmation's answer, given to the senders
// screen of the service the sender is to join: move exactly this sender
// (as the index read it in from) here.
type moveRequest struct {
	from   string // MG…
	sender api.PoolSender
}

// movedMsg is the reply to a move: sender is what was asked to move (its
// SID names the pending row), moved the sender as attached to to (an
// alpha sender gets a new SID there; zero when it did not get there).
type movedMsg struct {
	from, to string
	sender   api.PoolSender
	moved    api.PoolSender
	err      error
}

// newConfirmMove asks before moving p from the service that holds it to
// svc: a detach there, then an attach here.
func newConfirmMove(c *common, p api.PoolSender, from string, svc api.Service) confirmDialog {
	name := text.Or(p.Address, text.Clean(p.SID))
	fromName := text.Or(c.names[from], text.Clean(from))
	toName := text.Or(svc.FriendlyName, text.Clean(svc.SID))
	return confirmDialog{
		question: "Move " + name + " from " + fromName + " to " + toName + "?",
		facts: []detailField{
			{"Sender", name},
			{"Type", text.Clean(api.KindSingular(p.Kind))},
			{"SID", text.Or(p.SID, "—")},
			{"From", c.serviceName(from)},
			{"To", serviceTitleLong(svc)},
		},
		caution:  "A detach there, then an attach here; if the attach fails it goes back. " + fromName + " stops sending from it.",
		yesLabel: "Move",
		onYes:    moveRequest{from: from, sender: p},
	}
}

// startMove shows a "moving…" row while the detach and the attach run.
func (s sendersScreen) startMove(c *common, req moveRequest) (layer, tea.Cmd, action) {
	p, from, to := req.sender, req.from, s.service.SID
	if err := api.ValidatePoolSID(p.SID); err != nil {
		c.notice = "✗ cannot move: the server sent a malformed SID (" + text.OneLine(p.SID) + ")"
		return s, nil, nil
	}
	if api.ValidateServiceSID(from) != nil || from == to {
		c.notice = "✗ cannot move " + text.Or(p.Address, p.SID) + ": it is not in another service"
		return s, nil, nil
	}
	if _, busy := c.changeOn(to, p.SID); busy {
		c.notice = "✗ " + text.Or(p.Address, p.SID) + " is already being attached, detached or moved"
		return s, nil, nil
	}
	row := api.PoolSender{Kind: p.Kind, SID: p.SID, Address: text.Or(p.Address, p.SID), ServiceSID: to}
	s.pending = append(slices.Clip(s.pending), row)
	s.relist()
	client, ctx := c.client, c.ctx
	ch := change{key: changeKey{to, p.SID}, op: opMove, name: row.Address + " from " + text.Or(c.names[from], text.Clean(from))}
	return s, func() tea.Msg {
		moved, err := client.MovePoolSender(ctx, from, to, p)
		return movedMsg{from: from, to: to, sender: p, moved: moved, err: err}
	}, startChange{ch}
}

// onMoved takes a move's reply: the row joins the list, or the alert says
// what failed and, loudly when it is so, where the sender is now.
func (s sendersScreen) onMoved(c *common, msg movedMsg) (layer, tea.Cmd, action) {
	if msg.to != s.service.SID {
		return s, nil, nil
	}
	i := slices.IndexFunc(s.pending, func(p api.PoolSender) bool { return p.SID == msg.sender.SID })
	if i < 0 {
		return s, nil, nil
	}
	name := s.pending[i].Address
	s.pending = slices.Delete(slices.Clone(s.pending), i, i+1)
	c.endChange(changeKey{msg.to, msg.sender.SID})
	fromName := text.Or(c.names[msg.from], text.Clean(msg.from))
	if msg.err != nil {
		s.relist()
		s.alert = moveFailed(c, name, fromName, msg.err)
		return s, s.loadSenders(c), nil // where it is now, from Twilio
	}
	added := msg.moved
	if added.SID == "" {
		added = msg.sender
	}
	added.ServiceSID = msg.to
	src := &s.sources[sourceIndex(added.Source)]
	src.items = append(removeSID(src.items, added.SID), added)
	s.relist()
	s.draft = ""
	c.notice = "✓ moved " + text.Or(added.Address, added.SID) + " here from " + fromName
	return s, s.loadSenders(c), nil
}

// moveFailure is a failed move in words (what failed, where the sender
// is now) with its cause: errorText keeps the words before Twilio's
// message, and errors.As still finds the *changes.MoveError.
type moveFailure struct {
	words string
	cause error // the Twilio error of the step that failed, else the move's
	move  error
}

func (e *moveFailure) Error() string   { return e.words + ": " + e.cause.Error() }
func (e *moveFailure) Unwrap() []error { return []error{e.cause, e.move} }

// movePlace is where a sender is after a move that did not end well.
type movePlace int

const (
	placeUnknown     movePlace = iota // an answer was lost: the move is pending
	placeStillInFrom                  // nothing changed, or the detach failed
	placeBackInFrom                   // detached, then put back
	placeInTo                         // it got there (a step was not recorded)
	placeInNoService                  // detached, and neither attach worked
)

// placeAfter reads where a failed move left its sender: the one reading
// of change.MoveError the move's alert, the batch report, the row and the
// index share.
func placeAfter(err error) movePlace {
	var me *changes.MoveError
	if !errors.As(err, &me) {
		return placeStillInFrom // refused before anything was sent
	}
	switch me.Where {
	case changes.InFrom:
		if me.DetachErr != nil {
			return placeStillInFrom
		}
		return placeBackInFrom
	case changes.InTo:
		return placeInTo
	case changes.InNoService:
		return placeInNoService
	}
	return placeUnknown
}

func moveFailed(c *common, name, fromName string, err error) error {
	var me *changes.MoveError
	if !errors.As(err, &me) {
		return &moveFailure{words: "move " + name + " (nothing was changed)", cause: err, move: err}
	}
	toName := text.Or(c.names[me.To], text.Clean(me.To))
	var words string
	switch placeAfter(err) {
	case placeStillInFrom:
		words = "move " + name + ": still in " + fromName + "; the detach there failed"
	case placeBackInFrom:
		words = "move " + name + ": back in " + fromName
		if me.AttachErr != nil {
			words += "; the attach here failed"
		}
	case placeInTo:
		words = "move " + name + ": it is in " + toName + " now, but a step could not be recorded"
	case placeInNoService:
		words = "move " + name + ": IT IS IN NO SERVICE NOW (the attach here and putting it back in " + fromName +
			" both failed): finish or roll back move " + text.Clean(me.Move)
	default:
		words = "move " + name + ": where it is now is not known: finish or roll back move " + text.Clean(me.Move) + ", which looks first"
	}
	// The failed step's own error: the attach's when it failed (the
	// rollback's failure is in the words), else the first that did.
	cause := err
	for _, step := range []error{me.AttachErr, me.DetachErr, me.RollbackErr, me.JournalErr, me.AuditErr} {
		if step != nil {
			cause = step
			break
		}
	}
	return &moveFailure{words: words, cause: cause, move: err}
}
