package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case startMsg:
		first := m.first
		m.first = nil
		return tea.Batch(first, m.scheduleRefresh())
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		return nil
	case spinner.TickMsg:
		if !m.busy() {
			m.ticking = false
			return nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return cmd
	case tea.BackgroundColorMsg:
		m.setDark(msg.IsDark())
		return m.broadcast(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if top := m.top(); !m.tooSmall() && !m.quitting && top.takesText() {
			return m.deliver(msg)
		}
		return nil
	case autoRefreshMsg:
		return tea.Batch(m.broadcast(msg), m.scheduleRefresh())
	case attachedMsg:
		m.changeEnded(changeKey{msg.service, msg.sid}, msg.err)
		if msg.err == nil {
			m.c.noteChange(opAttach, msg.service, msg.sender)
		}
	case detachedMsg:
		m.changeEnded(changeKey{msg.service, msg.sender.SID}, msg.err)
		if msg.err == nil {
			m.c.noteChange(opDetach, msg.service, msg.sender)
		}
	case settingSavedMsg:
		m.changeEnded(settingKey(msg.sid, msg.setting), msg.err)
	case movedOutMsg:
		m.changeEnded(changeKey{msg.from, msg.sender.SID}, msg.err)
		if msg.err == nil {
			m.c.noteMove(msg.from, msg.to, msg.moved)
		}
	case movedMsg:
		m.changeEnded(changeKey{msg.to, msg.sender.SID}, msg.err)
		if msg.err == nil {
			m.c.noteMove(msg.from, msg.to, msg.moved)
		}
	case batchMsg:
		if msg.done {
			m.c.noteBatch(msg)
		}
	case undoneBatchMsg:
		m.changeEnded(changeKey{msg.service, undoBatchKey}, msg.err)
	case moveResumedMsg:
		m.changeEnded(changeKey{msg.from, "move:" + msg.id}, msg.err)
		if msg.err == nil && msg.finish {
			m.c.noteMove(msg.from, msg.to, msg.sender) // u moves it back
		}
	}
	return m.broadcast(msg)
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		m.interrupt()
		return tea.Quit
	}
	g := m.c.keys.Global
	if m.tooSmall() {
		if key.Matches(msg, g.Quit) {
			return m.askQuit()
		}
		return nil
	}
	if m.quitting {
		return nil // only ctrl+c now: the footer says so
	}
	top := m.top()
	if !answers(&m.c, top, msg) {
		return nil // a key the top layer does not list does nothing at all
	}
	m.c.notice = ""
	switch {
	case lists(&m.c, top, g.Quit) && key.Matches(msg, g.Quit):
		return m.askQuit()
	case lists(&m.c, top, g.Help) && key.Matches(msg, g.Help):
		h := newHelpDialog(&m.c, top)
		m.dialogs = append(m.dialogs, h.setSize(m.c.width, m.bodyHeight()))
		return nil
	case lists(&m.c, top, g.Profiles) && key.Matches(msg, g.Profiles):
		p, cmd := newProfilesScreen(&m.c)
		return tea.Batch(cmd, m.apply(pushScreen{p}))
	case m.c.logOn() && lists(&m.c, top, g.Log) && key.Matches(msg, g.Log):
		var service string // from a service's senders, its changes
		if s, ok := m.screen().(sendersScreen); ok {
			service = s.service.SID
		}
		l, cmd := newLogScreen(&m.c, service)
		return tea.Batch(cmd, m.apply(pushScreen{l.setSize(m.c.width, m.bodyHeight()).(screen)}))
	}
	return m.deliver(msg)
}

// lists reports whether the layer lists b (enabled) among its keys.
func lists(c *common, l layer, b key.Binding) bool {
	for _, x := range flat(l.help(c)) {
		if x.Enabled() && slices.Equal(x.Keys(), b.Keys()) && x.Help() == b.Help() {
			return true
		}
	}
	return false
}

// deliver gives msg to the top layer.
func (m *Model) deliver(msg tea.Msg) tea.Cmd {
	if n := len(m.dialogs); n > 0 {
		m.c.covered = false
		next, cmd, act := m.dialogs[n-1].update(&m.c, msg)
		m.dialogs[n-1] = next
		return tea.Batch(cmd, m.apply(act))
	}
	n := len(m.screens)
	m.c.covered = false
	next, cmd, act := m.screens[n-1].update(&m.c, msg)
	m.screens[n-1] = next.(screen)
	return tea.Batch(cmd, m.apply(act))
}

// broadcast gives a message that is not a key to every layer, bottom up;
// their actions run once all have seen it.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	var acts []action
	for i := range m.screens {
		m.c.covered = i < len(m.screens)-1 || len(m.dialogs) > 0
		next, cmd, act := m.screens[i].update(&m.c, msg)
		m.screens[i] = next.(screen)
		cmds, acts = append(cmds, cmd), append(acts, act)
	}
	for i := range m.dialogs {
		m.c.covered = i < len(m.dialogs)-1
		next, cmd, act := m.dialogs[i].update(&m.c, msg)
		m.dialogs[i] = next
		cmds, acts = append(cmds, cmd), append(acts, act)
	}
	for _, a := range acts {
		cmds = append(cmds, m.apply(a))
	}
	return tea.Batch(cmds...)
}

// apply does what a layer asked for.
func (m *Model) apply(a action) tea.Cmd {
	switch a := a.(type) {
	case nil:
		return nil
	case actions:
		var cmds []tea.Cmd
		for _, x := range a {
			cmds = append(cmds, m.apply(x))
		}
		return tea.Batch(cmds...)
	case pushScreen:
		m.screens = append(m.screens, a.s)
	case popScreen:
		n := len(m.screens)
		m.screens[n-1].stop()
		m.screens = m.screens[:n-1]
		if len(m.screens) == 0 {
			// Opened on a service by SID: going back shows the services.
			s, cmd := newServicesScreen(&m.c)
			m.screens = []screen{s}
			return cmd
		}
	case openDialog:
		m.dialogs = append(m.dialogs, a.d)
	case closeDialog:
		n := len(m.dialogs)
		if n == 0 {
			return nil
		}
		m.dialogs[n-1].stop()
		m.dialogs = m.dialogs[:n-1]
		if a.result != nil {
			return m.deliver(a.result)
		}
	case quitNow:
		m.quit()
		return tea.Quit
	case startChange:
		m.c.beginChange(a.c)
	case batchEnded:
		// A batch's senders end their changes themselves, quietly: its
		// outcome is told here once, in a few lines, not per sender.
		if m.quitting {
			m.farewell = append(slices.Clip(m.farewell), a.lines...)
		}
	case openReport:
		m.dialogs = append([]layer{a.d}, m.dialogs...)
	case connect:
		return m.connect(a.conn)
	}
	return nil
}

// connect switches the whole dashboard to a new connection: every screen
// and dialog of the old one is closed, its requests cancelled.
func (m *Model) connect(conn Connection) tea.Cmd {
	for _, s := range m.screens {
		s.stop()
	}
	for _, d := range m.dialogs {
		d.stop()
	}
	m.dialogs = nil
	m.c.client, m.c.identity = bounded(conn.Client, m.c.timeout), conn.Identity
	m.c.names = nil
	m.c.last = nil // u undoes only what was done on this connection
	m.c.notice = ""
	if conn.Where != "" {
		m.c.notice = "✓ logged in; the secret is stored " + conn.Where
	}
	// The account's moves cut off half-way are offered, as at start.
	pending := checkPendingMoves(m.c.ctx, m.c.client)
	if conn.DefaultService != "" && api.ValidateServiceSID(conn.DefaultService) == nil {
		s, cmd := newSendersScreen(&m.c, api.Service{SID: conn.DefaultService}, true)
		m.screens = []screen{s}
		return tea.Batch(cmd, pending)
	}
	s, cmd := newServicesScreen(&m.c)
	m.screens = []screen{s}
	return tea.Batch(cmd, pending)
}
