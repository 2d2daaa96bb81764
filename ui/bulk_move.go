package ui

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// moveOutTarget is the picker's answer: move these senders (fixed when m
// was pressed) to that service; the confirmation comes next.
type moveOutTarget struct {
	to      api.Service
	senders []api.PoolSender
}

// moveOutRequest is the move confirmation's answer.
type moveOutRequest struct {
	to      api.Service
	senders []api.PoolSender
}

// movedOutMsg is the reply to a move of one sender.
type movedOutMsg struct {
	from, to string
	sender   api.PoolSender
	moved    api.PoolSender
	err      error
}

// pickServicesMsg is a page of the account's services for the picker.
type pickServicesMsg struct {
	req      int
	services []api.Service
	done     bool
	err      error
	next     tea.Cmd
}

// openMoveOut opens the service picker for the marked senders, or the
// highlighted one when none is marked: the senders are fixed now.
func (s sendersScreen) openMoveOut(c *common) (layer, tea.Cmd, action) {
	targets := s.list.markedSenders()
	if len(targets) == 0 {
		sel, ok := s.list.selected()
		if !ok {
			return s, nil, nil
		}
		targets = []api.PoolSender{sel}
	}
	for _, x := range targets {
		if err := api.ValidatePoolSID(x.SID); err != nil {
			c.notice = "✗ cannot move: the server sent a malformed SID (" + text.OneLine(x.SID) + "); unmark it"
			return s, nil, nil
		}
		if _, busy := c.changeOn(s.service.SID, x.SID); busy {
			c.notice = "✗ " + text.Or(x.Address, text.Clean(x.SID)) + " is being changed already: wait, or unmark it"
			return s, nil, nil
		}
	}
	p, cmd := newMoveOutPicker(c, s.service.SID, targets)
	return s, cmd, openDialog{p.setSize(s.width, s.height)}
}

// moveOutPicker lists the account's other services to move senders to:
// those whose names are known at once, then the account's list as it
// arrives.
type moveOutPicker struct {
	from     string
	senders  []api.PoolSender
	services []api.Service // sorted by name, then SID; never from
	seen     map[string]bool
	req      int
	cancel   context.CancelFunc // stops the list when the picker closes
	loading  bool
	err      error
	cursor   int
	offset   int
	width    int
	height   int
}

func newMoveOutPicker(c *common, from string, senders []api.PoolSender) (moveOutPicker, tea.Cmd) {
	ctx, cancel := context.WithCancel(c.ctx)
	p := moveOutPicker{from: from, senders: senders, req: c.nextID(), loading: true, cancel: cancel}
	var known []api.Service
	for sid, name := range c.names {
		known = append(known, api.Service{SID: sid, FriendlyName: name})
	}
	p = p.with(known)
	client, req := c.client, p.req
	return p, func() tea.Msg {
		pages := make(chan pickServicesMsg)
		go func() {
			err := client.ListServicesPages(ctx, func(page []api.Service) error {
				select {
				case pages <- pickServicesMsg{req: req, services: page}:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			select {
			case pages <- pickServicesMsg{req: req, done: true, err: err}:
			case <-ctx.Done():
			}
		}()
		return readServicePages(ctx, pages)()
	}
}

// readServicePages hands the pages over one message at a time.
func readServicePages(ctx context.Context, pages chan pickServicesMsg) tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-pages:
			if !msg.done {
				msg.next = readServicePages(ctx, pages)
			}
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

// with adds services, keeping the one highlighted under the cursor.
func (p moveOutPicker) with(more []api.Service) moveOutPicker {
	var keep string
	if p.cursor < len(p.services) {
		keep = p.services[p.cursor].SID
	}
	p.seen = maps.Clone(p.seen)
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	list := slices.Clone(p.services)
	for _, s := range more {
		if strings.EqualFold(s.SID, p.from) || api.ValidateServiceSID(s.SID) != nil {
			continue // never offered: a move needs two services, and a SID we can act on
		}
		if p.seen[s.SID] {
			if i := slices.IndexFunc(list, func(x api.Service) bool { return x.SID == s.SID }); i >= 0 && s.FriendlyName != "" {
				list[i] = s
			}
			continue
		}
		p.seen[s.SID] = true
		list = append(list, s)
	}
	slices.SortFunc(list, func(a, b api.Service) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.FriendlyName), strings.ToLower(b.FriendlyName)), cmp.Compare(a.SID, b.SID))
	})
	p.services = list
	if i := slices.IndexFunc(list, func(x api.Service) bool { return x.SID == keep }); i >= 0 {
		p.cursor = i
	}
	p.cursor = min(p.cursor, max(0, len(list)-1))
	return p
}

func (p moveOutPicker) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case pickServicesMsg:
		if msg.req != p.req {
			return p, nil, nil
		}
		if msg.done {
			p.loading, p.err = false, msg.err
			return p, nil, nil
		}
		c.learnNames(msg.services)
		p = p.with(msg.services)
		return p, msg.next, nil
	case tea.KeyPressMsg:
		k, l := c.keys.Picker, c.keys.List
		switch {
		case key.Matches(msg, l.Up):
			p.cursor = max(0, p.cursor-1)
		case key.Matches(msg, l.Down):
			p.cursor = min(len(p.services)-1, p.cursor+1)
		case key.Matches(msg, l.Top):
			p.cursor = 0
		case key.Matches(msg, l.Bottom):
			p.cursor = max(0, len(p.services)-1)
		case len(p.services) > 0 && key.Matches(msg, k.Choose):
			return p, nil, closeDialog{moveOutTarget{to: p.services[p.cursor], senders: p.senders}}
		case key.Matches(msg, k.Cancel):
			return p, nil, closeDialog{}
		}
	}
	return p, nil, nil
}

func (p moveOutPicker) help(c *common) [][]key.Binding {
	k, l := c.keys.Picker, c.keys.List
	choose, up, down, top, bottom := k.Choose, l.Up, l.Down, l.Top, l.Bottom
	choose.SetEnabled(len(p.services) > 0)
	up.SetEnabled(p.cursor > 0)
	top.SetEnabled(p.cursor > 0)
	down.SetEnabled(p.cursor < len(p.services)-1)
	bottom.SetEnabled(p.cursor < len(p.services)-1)
	return [][]key.Binding{{choose, k.Cancel, c.keys.Global.Quit}, {up, down, top, bottom}}
}

func (p moveOutPicker) footer(c *common) []key.Binding { return withMove(c, p.help(c)) }

func (p moveOutPicker) setSize(w, h int) layer {
	p.width, p.height = w, h
	return p
}

func (p moveOutPicker) takesText() bool { return false }
func (p moveOutPicker) busy() bool      { return p.loading }
func (p moveOutPicker) stop()           { p.cancel() }

func (p moveOutPicker) view(c *common) string {
	st := c.styles
	what := plural(len(p.senders), "sender", "senders")
	if len(p.senders) == 1 {
		what = text.Or(p.senders[0].Address, text.Clean(p.senders[0].SID))
	}
	lines := []string{st.title.Render(fit("Move "+what+" to which service?", p.width))}
	switch {
	case p.err != nil:
		lines = append(lines, st.errorText.Render(fit("✗ could not list the services: "+text.OneLine(errorText(c, p.err)), p.width)))
	case p.loading:
		lines = append(lines, st.dim.Render(fit(c.spin+" listing the account's services…", p.width)))
	case len(p.services) == 0:
		lines = append(lines, fit("The account has no other service.", p.width))
	default:
		lines = append(lines, "")
	}
	rows := max(1, p.height-len(lines))
	offset := min(max(0, p.cursor-rows+1), max(0, len(p.services)-rows))
	offset = min(offset, p.cursor)
	for i := offset; i < min(len(p.services), offset+rows); i++ {
		s := p.services[i]
		row := "  " + text.Or(text.Clean(s.FriendlyName), "(no name)") + "  " + st.dim.Render(text.Clean(s.SID))
		if i == p.cursor {
			row = st.selected.Render("› " + text.Or(text.Clean(s.FriendlyName), "(no name)") + "  " + text.Clean(s.SID))
		}
		lines = append(lines, fit(row, p.width))
	}
	return strings.Join(lines, "\n")
}

// askMoveOut opens the confirmation for a move the picker chose.
func (s sendersScreen) askMoveOut(c *common, t moveOutTarget) (layer, tea.Cmd, action) {
	if c.readOnly() || s.batch.running && len(t.senders) > 1 {
		return s, nil, nil
	}
	d := newConfirmMoveOut(t.senders, s.service, t.to, s.list.hiddenMarks())
	return s, nil, openDialog{d.setSize(s.width, s.height)}
}

// startMoveOut moves what the confirmation named: one sender on its own
// (MovePoolSender), more as a batch.
func (s sendersScreen) startMoveOut(c *common, req moveOutRequest) (layer, tea.Cmd, action) {
	if c.readOnly() || len(req.senders) == 0 {
		return s, nil, nil
	}
	if len(req.senders) > 1 {
		return s.startBatch(c, batchMove, req.to, req.senders)
	}
	p := req.senders[0]
	from := s.service.SID
	if _, busy := c.changeOn(from, p.SID); busy || api.ValidatePoolSID(p.SID) != nil || !s.list.has(p.SID) {
		return s, nil, nil
	}
	s.moving = maps.Clone(s.moving)
	if s.moving == nil {
		s.moving = map[string]bool{}
	}
	s.moving[p.SID] = true
	client, ctx, to := c.client, c.ctx, req.to.SID
	ch := change{key: changeKey{from, p.SID}, op: opDetach, name: changeName(batchMove, p, req.to)}
	return s, func() tea.Msg {
		moved, err := client.MovePoolSender(ctx, from, to, p)
		return movedOutMsg{from: from, to: to, sender: p, moved: moved, err: err}
	}, startChange{ch}
}

func (s sendersScreen) onMovedOut(c *common, msg movedOutMsg) (layer, tea.Cmd, action) {
	if msg.from != s.service.SID || !s.moving[msg.sender.SID] {
		return s, nil, nil
	}
	s.moving = maps.Clone(s.moving)
	delete(s.moving, msg.sender.SID)
	name := text.Or(msg.sender.Address, text.Clean(msg.sender.SID))
	to := c.serviceName(msg.to)
	left := msg.err == nil
	if msg.err != nil {
		var where string
		switch placeAfter(msg.err) {
		case placeStillInFrom:
			where = "it is still in " + c.serviceName(msg.from)
		case placeBackInFrom:
			where = "it is back in " + c.serviceName(msg.from)
		case placeInTo:
			where, left = "it is in "+to, true
		case placeInNoService:
			where, left = "⚠ IT IS IN NO SERVICE: the move is pending (finish or roll it back)", true
		default:
			where = "⚠ WHERE IT IS IS NOT KNOWN: the move is pending (finish or roll it back, which looks first)"
		}
		s.alert = fmt.Errorf("move %s to %s failed; %s: %s", name, to, where, reasonText(c, msg.err))
	} else {
		c.notice = "✓ moved " + name + " to " + to
	}
	if left {
		for i := range s.sources {
			s.sources[i].items = removeSID(s.sources[i].items, msg.sender.SID)
		}
	}
	s.relist()
	return s, s.loadSenders(c), nil
}
