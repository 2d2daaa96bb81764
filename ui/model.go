// Package ui is the senderpool dashboard: a Bubble Tea v2 program that
// lists a Messaging Service's channel senders grouped by type. See doc.go
// for its house rules.
package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// Identity is what the header says about who is connected where.
type Identity struct {
	Profile    string // profile name; empty when none
	Source     string // where the credentials came from: env, keyring, file, demo
	AccountSID string
	Region     string // empty means the default (us1)
	Demo       bool
	ReadOnly   bool
}

// Options configure a new dashboard.
type Options struct {
	Client     Client
	Context    context.Context // parent of every request; nil means Background
	Identity   Identity
	ServiceSID string         // open this service directly, skipping the picker
	Location   *time.Location // zone for dates; nil means time.Local
	// AutoRefresh, when positive, quietly refetches the senders this often.
	AutoRefresh time.Duration
	// Sessions, when set, offers the login screen and the profile switcher.
	Sessions Sessions
	// LoginReason, when Client is nil, is shown on the login screen: why
	// there are no usable credentials (no keyring, no profile…).
	LoginReason string
	// Timeout, when positive, bounds every request (--timeout).
	Timeout time.Duration
	// NoKeyring, when set, is why the OS keyring cannot be used here: the
	// login screen then offers the encrypted file instead.
	NoKeyring string
}

// Model is the root of the dashboard. It holds only what is shared and
// routes: a navigation stack of screens, dialogs over them, and the
// "terminal too small" notice over everything. Keys go to the top layer
// only; every other message goes to every layer.
type Model struct {
	c        common
	quit     context.CancelFunc
	screens  []screen // the navigation stack; the last is shown
	dialogs  []layer  // over the screens; the last has the keyboard
	spinner  spinner.Model
	ticking  bool    // a spinner tick is on its way
	first    tea.Cmd // the first screen's loads, started by startMsg
	quitting bool    // q with changes in flight: quit when they end
	farewell []string
}

// New builds the dashboard model.
func New(opts Options) Model {
	parent := opts.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	m := Model{
		c: common{
			ctx:       ctx,
			client:    bounded(opts.Client, opts.Timeout),
			sessions:  boundedSessions(opts.Sessions, opts.Timeout),
			identity:  opts.Identity,
			loc:       loc,
			timeout:   opts.Timeout,
			every:     opts.AutoRefresh,
			keys:      newKeyMap(),
			help:      help.New(),
			width:     80,
			height:    24,
			noKeyring: opts.NoKeyring,
		},
		quit:    cancel,
		spinner: spinner.New(spinner.WithSpinner(spinner.Dot)),
	}
	m.setDark(true) // until the terminal says otherwise
	switch {
	case opts.Client == nil:
		profile := opts.Identity.Profile
		if profile == "" {
			profile = "default"
		}
		m.screens = []screen{newLoginScreen(&m.c, profile, opts.LoginReason, false)}
	case opts.ServiceSID != "":
		s, cmd := newSendersScreen(&m.c, api.Service{SID: opts.ServiceSID}, true)
		m.screens, m.first = []screen{s}, cmd
	default:
		s, cmd := newServicesScreen(&m.c)
		m.screens, m.first = []screen{s}, cmd
	}
	m.layout()
	return m
}

func (m *Model) setDark(isDark bool) {
	m.c.styles = newStyles(isDark)
	m.c.help.Styles = m.c.styles.help
	m.spinner.Style = m.c.styles.spinner
}

// startMsg starts the first screen's loads inside Update.
type startMsg struct{}

// Init asks the terminal for its background and starts the first load.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, func() tea.Msg { return startMsg{} })
}

func (m Model) scheduleRefresh() tea.Cmd {
	if m.c.every <= 0 {
		return nil
	}
	return tea.Tick(m.c.every, func(time.Time) tea.Msg { return autoRefreshMsg{} })
}

// Update handles one message. It never does I/O: requests run in the
// returned commands.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// The stacks are values like the rest of the model: an earlier copy
	// (a test's "before") must not change with this one.
	m.screens, m.dialogs = slices.Clone(m.screens), slices.Clone(m.dialogs)
	m.c.spin = m.spinner.View()
	cmd := m.route(msg)
	m.layout()
	if m.quitting && len(m.c.changes) == 0 {
		m.quit()
		return m, tea.Quit
	}
	if !m.ticking && m.busy() {
		m.ticking = true
		cmd = tea.Batch(cmd, m.spinner.Tick)
	}
	return m, cmd
}

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
	case detachedMsg:
		m.changeEnded(changeKey{msg.service, msg.sender.SID}, msg.err)
	}
	return m.broadcast(msg)
}

// changeEnded forgets a change in flight; when quitting, its outcome is
// kept for the report printed after the terminal is restored.
func (m *Model) changeEnded(k changeKey, err error) {
	ch, ok := m.c.changes[k]
	if !ok {
		return
	}
	m.c.endChange(k)
	if !m.quitting {
		return
	}
	if err != nil {
		m.farewell = append(m.farewell, "✗ "+ch.describe(&m.c)+" failed: "+oneLine(errorText(&m.c, err)))
		return
	}
	m.farewell = append(m.farewell, "✓ "+ch.describe(&m.c)+": done")
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

// interrupt ends everything at once: what was in flight is reported as
// unknown now, since its cancelled reply may still reach Update before
// the program stops.
func (m *Model) interrupt() {
	m.farewell = append(slices.Clip(m.farewell), m.unknownOutcomes()...)
	m.c.changes = nil
	m.quit()
}

// unknownOutcomes are the changes in flight, in words.
func (m Model) unknownOutcomes() []string {
	var open []string
	for _, ch := range m.c.changes {
		open = append(open, "? "+ch.describe(&m.c)+": interrupted, it may or may not have happened (check with: senderpool list --service "+cleanText(ch.key.service)+")")
	}
	slices.Sort(open)
	return open
}

// askQuit quits, or, with changes in flight, waits for them to end so the
// person learns their outcome.
func (m *Model) askQuit() tea.Cmd {
	if len(m.c.changes) == 0 {
		m.quit()
		return tea.Quit
	}
	m.quitting = true
	return nil
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
	m.c.notice = ""
	if conn.Where != "" {
		m.c.notice = "✓ logged in; the secret is stored " + conn.Where
	}
	if conn.DefaultService != "" && api.ValidateServiceSID(conn.DefaultService) == nil {
		s, cmd := newSendersScreen(&m.c, api.Service{SID: conn.DefaultService}, true)
		m.screens = []screen{s}
		return cmd
	}
	s, cmd := newServicesScreen(&m.c)
	m.screens = []screen{s}
	return cmd
}

// top is the layer with the keyboard (the too-small notice aside).
func (m Model) top() layer {
	if n := len(m.dialogs); n > 0 {
		return m.dialogs[n-1]
	}
	return m.screens[len(m.screens)-1]
}

// screen is the screen on top of the navigation stack.
func (m Model) screen() screen { return m.screens[len(m.screens)-1] }

func (m Model) busy() bool {
	for _, s := range m.screens {
		if s.busy() {
			return true
		}
	}
	for _, d := range m.dialogs {
		if d.busy() {
			return true
		}
	}
	return len(m.c.changes) > 0
}

// quitReport names the changes that ended while quitting, and those cut
// off by ctrl+c or still in flight: their outcome is unknown.
func (m Model) quitReport() string {
	return strings.Join(append(slices.Clip(m.farewell), m.unknownOutcomes()...), "\n")
}
