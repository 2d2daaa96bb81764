package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// attachRequest is the add form's answer: attach what was typed or
// picked; label and kind name it on its pending row.
type attachRequest struct {
	in    api.SenderInput
	label string
	kind  string
	typed string // what the field held; the form gets it back if the attach fails
}

// key names an attach in flight: its SID, else what was typed.
func (r attachRequest) key() string {
	if r.in.SID != "" {
		return r.in.SID
	}
	return r.in.String()
}

// detachRequest is the confirmation's answer: detach exactly this sender.
type detachRequest struct{ sender api.PoolSender }

// attachedMsg is the reply to an attach.
type attachedMsg struct {
	service string
	sid     string // attachRequest.key
	typed   string // attachRequest.typed, else the key
	sender  api.PoolSender
	err     error
}

// detachedMsg is the reply to a detach.
type detachedMsg struct {
	service string
	sender  api.PoolSender
	err     error
}

func (s sendersScreen) copySID(c *common) (layer, tea.Cmd, action) {
	sel, ok := s.list.selected()
	if !ok {
		return s, nil, nil
	}
	if err := api.ValidatePoolSID(sel.SID); err != nil {
		c.notice = "✗ not copied: the server sent a malformed SID (" + text.OneLine(sel.SID) + ")"
		return s, nil, nil
	}
	c.notice = "✓ copied " + sel.SID + " to the clipboard (OSC 52)"
	return s, tea.SetClipboard(sel.SID), nil
}

// openAttach opens the add form over the list.
func (s sendersScreen) openAttach(c *common) (layer, tea.Cmd, action) {
	senders := s.senders()
	exclude := make(map[string]bool, len(senders)+len(s.pending))
	for _, x := range senders {
		exclude[x.SID] = true
	}
	for _, x := range s.pending {
		exclude[x.SID] = true
	}
	form, cmd := newAttachForm(c, s.service, s.draft, exclude)
	s.formReq = form.req
	return s, cmd, openDialog{form.setSize(s.width, s.height)}
}

// askDetach opens the confirmation for the highlighted sender: the target
// is fixed now and named in the dialog.
func (s sendersScreen) askDetach(c *common) (layer, tea.Cmd, action) {
	sel, ok := s.list.selected()
	if !ok {
		return s, nil, nil
	}
	if err := api.ValidatePoolSID(sel.SID); err != nil {
		c.notice = "✗ cannot detach: the server sent a malformed SID (" + text.OneLine(sel.SID) + ")"
		return s, nil, nil
	}
	if op, busy := c.changeOn(s.service.SID, sel.SID); busy {
		if op == opAttach {
			c.notice = "wait for the attach to finish before detaching"
		} else {
			c.notice = "already being detached"
		}
		return s, nil, nil
	}
	d := newConfirmDetach(sel, s.service, s.detachWarnings(c, sel), s.poolAfterDetach(sel))
	return s, nil, openDialog{d.setSize(s.width, s.height)}
}

// poolAfterDetach is the pool's size against its limit, and what it
// becomes when sel goes: "312/400 numbers and short codes (311 after)".
func (s sendersScreen) poolAfterDetach(sel api.PoolSender) string {
	totals := s.list.kindTotals()
	size := poolSize(totals)
	if sel.CountsAgainstLimit() {
		size += fmt.Sprintf(" (%d after)", limitedCount(totals)-1)
	}
	return size
}

// startAttach shows a pending row while POST runs.
func (s sendersScreen) startAttach(c *common, req attachRequest) (layer, tea.Cmd, action) {
	key := req.key()
	if _, busy := c.changeOn(s.service.SID, key); busy {
		c.notice = "✗ " + text.Clean(key) + " is already being attached or detached"
		return s, nil, nil
	}
	row := api.PoolSender{Kind: text.Or(req.kind, req.in.Kind), SID: key, Address: text.Or(req.label, key), ServiceSID: s.service.SID}
	s.pending = append(s.pending, row)
	s.relist()
	client, ctx, svc, in, typed := c.client, c.ctx, s.service.SID, req.in, req.typed
	ch := change{key: changeKey{svc, key}, op: opAttach, name: row.Address}
	return s, func() tea.Msg {
		created, err := client.AttachPoolSender(ctx, svc, in)
		return attachedMsg{service: svc, sid: key, typed: typed, sender: created, err: err}
	}, startChange{ch}
}

func (s sendersScreen) onAttached(c *common, msg attachedMsg) (layer, tea.Cmd, action) {
	if msg.service != s.service.SID {
		return s, nil, nil
	}
	i := slices.IndexFunc(s.pending, func(p api.PoolSender) bool { return p.SID == msg.sid })
	if i < 0 {
		return s, nil, nil
	}
	name := s.pending[i].Address
	s.pending = slices.Delete(slices.Clone(s.pending), i, i+1)
	if msg.err != nil {
		s.relist()
		s.alert = fmt.Errorf("attach %s: %w", name, msg.err)
		s.draft = msg.typed
		if s.draft == "" {
			s.draft = msg.sid // picked, not typed
		}
		if !c.covered && !c.readOnly() {
			// The form comes back holding what was typed, so nothing is lost.
			return s.openAttach(c)
		}
		return s, nil, nil
	}
	s.draft = ""
	added := msg.sender
	if added.SID == "" {
		added = api.PoolSender{SID: msg.sid, Address: name, ServiceSID: msg.service}
	}
	src := &s.sources[sourceIndex(added.Source)]
	src.items = append(removeSID(src.items, added.SID), added)
	s.relist()
	c.notice = "✓ attached " + text.Or(added.Address, added.SID)
	return s, s.loadSenders(c), nil
}

// sourceIndex is where a source's state is kept.
func sourceIndex(src api.PoolSource) int {
	return max(0, slices.Index(poolSources[:], src))
}

// startDetach sends the DELETE for the sender the confirmation named.
func (s sendersScreen) startDetach(c *common, target api.PoolSender) (layer, tea.Cmd, action) {
	if _, busy := c.changeOn(s.service.SID, target.SID); busy {
		return s, nil, nil
	}
	client, ctx, svc := c.client, c.ctx, s.service.SID
	ch := change{key: changeKey{svc, target.SID}, op: opDetach, name: text.Or(target.Address, target.SID)}
	return s, func() tea.Msg {
		err := client.DetachPoolSender(ctx, svc, target)
		return detachedMsg{service: svc, sender: target, err: err}
	}, startChange{ch}
}

func (s sendersScreen) onDetached(c *common, msg detachedMsg) (layer, tea.Cmd, action) {
	if msg.service != s.service.SID {
		return s, nil, nil
	}
	sid := msg.sender.SID
	name := text.Or(msg.sender.Address, sid)
	switch {
	case msg.err == nil:
		c.notice = "✓ detached " + name
	case api.IsNotFound(msg.err):
		c.notice = name + " was already detached (by someone else): removed from the list"
	default:
		s.relist() // the row stays, its "detaching…" goes
		s.alert = fmt.Errorf("detach %s: %w", name, msg.err)
		return s, nil, nil
	}
	for i := range s.sources {
		s.sources[i].items = removeSID(s.sources[i].items, sid)
	}
	s.relist()
	return s, s.loadSenders(c), nil
}

// changing reports a change in flight on this service.
func (s sendersScreen) changing(c *common) bool {
	for k := range c.changes {
		if k.service == s.service.SID {
			return true
		}
	}
	return false
}

func removeSID(list []api.PoolSender, sid string) []api.PoolSender {
	out := list[:0:0]
	for _, s := range list {
		if !strings.EqualFold(s.SID, sid) {
			out = append(out, s)
		}
	}
	return out
}
