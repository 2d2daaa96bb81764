package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// sendersScreen is one service's channel senders, grouped by kind, with
// the detail pane. It owns its loads, its list (the cursor is a SID), its
// filter, the senders' status and the rows of attaches in flight.
type sendersScreen struct {
	service  api.Service
	fetch    loader                       // FetchService, for a service opened by SID
	sources  [len(poolSources)]sourceLoad // one request stream per source of the pool
	list     senderList
	filter   filterField
	status   channelStatus    // the account's senders' status (ONLINE, OFFLINE…)
	campaign campaignState    // the service's US A2P campaign, for detach warnings
	offline  int              // senders known not to be ONLINE
	formReq  int              // the open form's catalogue request: its replies are status too
	pending  []api.PoolSender // rows for attaches in flight
	alert    error            // a failed change; stays until dismissed
	draft    string           // what the add form held, kept across a failed attach
	batch    batchState       // the last batch on the marked senders (bulk.go)
	moving   map[string]bool  // SIDs of single moves to another service in flight
	detail   bool             // the detail pane has the keyboard
	scroll   int              // the detail pane's first line
	width    int
	height   int
}

// newSendersScreen opens a service and starts loading it; byID also
// fetches the service itself (opened by SID, its name is not known yet).
func newSendersScreen(c *common, svc api.Service, byID bool) (sendersScreen, tea.Cmd) {
	s := sendersScreen{service: svc, filter: newFilterField(c, "sender, SID, type, country or status")}
	cmds := []tea.Cmd{s.reload(c)}
	if byID {
		cmds = append(cmds, s.fetchService(c))
	}
	return s, tea.Batch(cmds...)
}

func (s sendersScreen) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case pageMsg[api.PoolSender]:
		return s.onPage(msg)
	case serviceMsg:
		if !s.fetch.current(msg.req) {
			return s, nil, nil
		}
		s.fetch.finish(msg.err)
		if msg.err == nil && msg.service != nil && msg.service.SID == s.service.SID {
			s.service = *msg.service
			c.learnNames([]api.Service{*msg.service})
		}
		return s, nil, nil
	case catalogueMsg:
		if msg.req == s.status.req || (msg.req == s.formReq && msg.req != 0) {
			s.status = s.status.with(msg)
			s.offline = s.status.countNotOnline(s.senders())
			s.list.searchAlso(s.status.text)
		}
		return s, nil, nil
	case campaignMsg:
		s.campaign = s.campaign.with(msg)
		return s, nil, nil
	case autoRefreshMsg:
		// Only when nothing else goes on, so a refetch never races a
		// change or surprises someone in a dialog.
		if !c.covered && !s.loading() && !s.changing(c) {
			return s, s.reload(c), nil
		}
		return s, nil, nil
	case attachRequest:
		return s.startAttach(c, msg)
	case detachRequest:
		return s.startDetach(c, msg.sender)
	case detachManyRequest:
		return s.startDetachMany(c, msg)
	case moveRequest:
		return s.startMove(c, msg)
	case movedMsg:
		return s.onMoved(c, msg)
	case batchMsg:
		return s.onBatch(c, msg)
	case undoBatchRequest:
		return s.startUndoBatch(c, msg)
	case undoneBatchMsg:
		return s.onUndoneBatch(c, msg)
	case batchTickMsg:
		return s.onBatchTick(msg)
	case quitWaitMsg:
		return s.stopBatch(c), nil, nil
	case retryRequest:
		return s.startBatch(c, msg.kind, msg.to, msg.senders)
	case moveOutTarget:
		return s.askMoveOut(c, msg)
	case moveOutRequest:
		return s.startMoveOut(c, msg)
	case movedOutMsg:
		return s.onMovedOut(c, msg)
	case attachedMsg:
		return s.onAttached(c, msg)
	case detachedMsg:
		return s.onDetached(c, msg)
	case draftMsg:
		s.draft = msg.text
		return s, nil, nil
	case tea.BackgroundColorMsg:
		s.filter.input.SetStyles(c.styles.input)
		return s, nil, nil
	case tea.KeyPressMsg:
		return s.onKey(c, msg)
	case tea.PasteMsg:
		if s.filter.editing {
			return s.onFilter(c, msg)
		}
	}
	return s, nil, nil
}

func (s sendersScreen) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	if s.filter.editing {
		return s.onFilter(c, msg)
	}
	k := c.keys.Senders
	if s.detail {
		d := c.keys.Detail
		switch {
		case key.Matches(msg, d.Up):
			s.scroll = max(0, s.scroll-1)
		case key.Matches(msg, d.Down):
			s.scroll++
		case key.Matches(msg, d.Back):
			s.detail = false
		}
		return s, nil, nil
	}
	if s.moveCursor(c, msg) {
		s.scroll = 0
		return s, nil, nil
	}
	if s.onMarkKey(c, msg) {
		return s, nil, nil
	}
	// esc does the first of: dismiss the error, clear the filter, clear
	// the marks, go back. The least lost first: a filter cleared shows
	// the marks it hid, and marks are not lost to an esc meant for it.
	// While a batch runs, esc stops it before anything else: it is the
	// one thing that cannot wait.
	switch {
	case s.stoppable() && key.Matches(msg, k.StopBatch):
		s = s.stopBatch(c)
	case s.alert != nil && key.Matches(msg, k.Dismiss):
		s.alert = nil
	case s.filter.active() && key.Matches(msg, k.ClearFilter):
		s.filter = s.filter.clear()
		s.list.setFilter("")
	case s.list.markCount() > 0 && key.Matches(msg, k.ClearMarks):
		s.list.clearMarks()
	case key.Matches(msg, k.Details, k.Select):
		if _, ok := s.list.selected(); ok {
			s.detail, s.scroll = true, 0
		}
	case key.Matches(msg, k.Refresh):
		if s.fetch.err != nil {
			return s, tea.Batch(s.reload(c), s.fetchService(c)), nil
		}
		return s, s.reload(c), nil
	case key.Matches(msg, k.Filter):
		var cmd tea.Cmd
		s.filter, cmd = s.filter.edit()
		return s, cmd, nil
	case key.Matches(msg, k.Copy) && s.list.markCount() > 0:
		return s.copyMarked(c)
	case key.Matches(msg, k.Copy):
		return s.copySID(c)
	case !c.readOnly() && key.Matches(msg, k.Attach):
		return s.openAttach(c)
	case !c.readOnly() && !s.batch.running && key.Matches(msg, k.Detach) && s.list.markCount() > 0:
		return s.askDetachMany(c)
	case !c.readOnly() && !s.batch.running && key.Matches(msg, k.Detach):
		return s.askDetach(c)
	case s.canMove(c) && key.Matches(msg, k.Move):
		return s.openMoveOut(c)
	case key.Matches(msg, k.Info):
		return s.openPanel(c)
	case s.undoOffered(c) && key.Matches(msg, k.Undo):
		return s.askUndo(c)
	case !s.batch.running && key.Matches(msg, k.Services, k.Back):
		// Not while a batch runs: its progress and outcome are this
		// screen's, and its changes end here.
		return s, nil, popScreen{}
	}
	return s, nil, nil
}

func (s sendersScreen) help(c *common) [][]key.Binding {
	if s.filter.editing {
		return s.filter.help(c)
	}
	g := c.keys.Global
	profiles := g.Profiles
	profiles.SetEnabled(c.profilesOn() && !s.batch.running)
	if s.detail {
		d := c.keys.Detail
		return [][]key.Binding{{d.Up, d.Down, d.Back, g.Help, g.Quit, profiles}}
	}
	k := c.keys.Senders
	undo, logKey := k.Undo, g.Log
	undo.SetEnabled(s.undoOffered(c))
	logKey.SetEnabled(c.logOn())
	marks := s.list.markCount() > 0
	attach, detach, copySID, move := k.Attach, k.Detach, k.Copy, k.Move
	attach.SetEnabled(!c.readOnly())
	detach.SetEnabled(!c.readOnly() && !s.batch.running)
	move.SetEnabled(s.canMove(c))
	if marks {
		detach.SetHelp(detach.Help().Key, "detach marked")
		copySID.SetHelp(copySID.Help().Key, "copy marked SIDs")
		move.SetHelp(move.Help().Key, "move marked")
	}
	// One esc at a time, in onKey's order.
	stop, dismiss, clear, clearMarks := k.StopBatch, k.Dismiss, k.ClearFilter, k.ClearMarks
	stop.SetEnabled(s.stoppable())
	dismiss.SetEnabled(!stop.Enabled() && s.alert != nil)
	clear.SetEnabled(!stop.Enabled() && s.alert == nil && s.filter.active())
	clearMarks.SetEnabled(!stop.Enabled() && s.alert == nil && !s.filter.active() && marks)
	back, services := k.Back, k.Services
	back.SetEnabled(!stop.Enabled() && !dismiss.Enabled() && !clear.Enabled() && !clearMarks.Enabled() && !s.batch.running)
	services.SetEnabled(!s.batch.running)
	// m goes in the footer when there are marks to move; else in help,
	// beside the marks, as the footer is full enough at 120 columns.
	first := []key.Binding{stop, attach, detach}
	last := []key.Binding{k.Select}
	if marks {
		first = append(first, move)
	} else {
		last = append(last, move)
	}
	first = append(first, k.Filter, services, g.Help, g.Quit, k.Info, k.Refresh, copySID, k.Details, dismiss, clear, clearMarks)
	return [][]key.Binding{first, c.keys.List.moves(), append(last, append(s.markKeys(c), back, profiles, undo, logKey)...)}
}

func (s sendersScreen) footer(c *common) []key.Binding { return withMove(c, s.help(c)) }

// moveCursor handles the list keys; false when msg is not one.
func (s *sendersScreen) moveCursor(c *common, msg tea.KeyPressMsg) bool {
	k := c.keys.List
	switch {
	case key.Matches(msg, k.Up):
		s.list.move(-1)
	case key.Matches(msg, k.Down):
		s.list.move(1)
	case key.Matches(msg, k.Top):
		s.list.top()
	case key.Matches(msg, k.Bottom):
		s.list.bottom()
	case key.Matches(msg, k.PageUp):
		s.list.move(-s.list.height)
	case key.Matches(msg, k.PageDown):
		s.list.move(s.list.height)
	default:
		return false
	}
	return true
}

func (s sendersScreen) onFilter(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	f, cmd, out := s.filter.update(c, msg)
	s.filter = f
	s.list.setFilter(f.value())
	switch out {
	case filterKept:
		s.list.chooseCursor() // what the filter left highlighted is the choice now
	case filterLeft:
		s.moveCursor(c, msg.(tea.KeyPressMsg))
	}
	return s, cmd, nil
}

func (s sendersScreen) setSize(w, h int) layer {
	s.width, s.height = w, h
	s.list.setHeight(s.listHeight())
	return s
}

func (s sendersScreen) takesText() bool { return s.filter.editing }

func (s sendersScreen) busy() bool {
	return s.loading() || s.fetch.running || len(s.pending) > 0 || len(s.moving) > 0
}

// stoppable reports a batch that esc would stop.
func (s sendersScreen) stoppable() bool { return s.batch.running && !s.batch.stopping }

// canMove reports whether m moves something now: the marked senders, or
// the highlighted one, and not while a batch runs.
func (s sendersScreen) canMove(c *common) bool {
	if c.readOnly() || s.batch.running {
		return false
	}
	if s.list.markCount() > 0 {
		return true
	}
	sel, ok := s.list.selected()
	return ok && !s.isPending(sel.SID)
}

func (s sendersScreen) title(c *common) string { return serviceTitle(s.service) }

func (s sendersScreen) stop() {
	for _, src := range s.sources {
		src.load.stop()
	}
	s.fetch.stop()
	s.campaign.load.stop()
	s.batch.stop()
}
