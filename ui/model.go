// Package ui is the senderpool dashboard: a Bubble Tea v2 program that
// lists a Messaging Service's channel senders grouped by type. See doc.go
// for its house rules.
package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/text"
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
	// Audit is the record of changes L shows; nil hides L.
	Audit AuditLog
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
			audit:     opts.Audit,
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
	// A move cut off half-way last time is offered first.
	m.first = tea.Batch(m.first, checkPendingMoves(m.c.ctx, m.c.client))
	m.layout()
	return m
}

func (m *Model) setDark(isDark bool) {
	m.c.styles = newStyles(isDark)
	m.c.help.Styles = m.c.styles.help
	m.spinner.Style = m.c.styles.spinner
}

// offerPendingMoves opens the dialog of the moves cut off, over what is
// open; a journal that cannot be read says so rather than staying silent.
func (m *Model) offerPendingMoves(pm pendingMovesMsg) {
	switch {
	case errors.Is(pm.err, changes.ErrNoJournal):
		// This client keeps no journal: it has no moves to offer.
	case pm.err != nil:
		m.c.notice = "✗ the journal of moves could not be read: " + text.OneLine(errorText(&m.c, pm.err))
	case len(pm.moves) > 0:
		m.dialogs = append(m.dialogs, newPendingMovesDialog(pm))
	}
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
	if pm, ok := msg.(pendingMovesMsg); ok {
		m.offerPendingMoves(pm)
	}
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
