// Package ui is the senderpool dashboard: a Bubble Tea v2 program that
// lists a Messaging Service's channel senders grouped by type.
package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
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

type screen int

const (
	screenServices screen = iota
	screenSenders
	screenLogin
	screenProfiles
)

// Model is the root model of the dashboard.
type Model struct {
	client   Client
	sessions Sessions
	ctx      context.Context
	quit     context.CancelFunc
	identity Identity
	loc      *time.Location
	every    time.Duration // auto-refresh interval; 0 is off
	timeout  time.Duration // bounds every request; 0 is none

	width, height int
	styles        styles
	keys          keyMap
	help          help.Model
	spinner       spinner.Model
	showHelp      bool
	screen        screen

	lastReq int // request ids are unique per model; replies with an old id are dropped

	picker        servicePicker
	pickerReq     int
	pickerBusy    bool
	pickerErr     error
	pickerStop    context.CancelFunc
	service       api.Service // the service whose senders are shown
	serviceReq    int         // FetchService for a service opened by SID
	serviceErr    error       // why that FetchService failed; r asks again
	senders       []api.ChannelSender
	incoming      []api.ChannelSender // pages of a refresh, swapped in when complete
	sendersLoaded bool                // a complete list has been shown; later loads are refreshes
	list          senderList
	sendersReq    int
	sendersBusy   bool
	sendersErr    error
	sendersStop   context.CancelFunc
	detailFocus   bool
	detailOff     int
	status        channelStatus // the account's senders' status (ONLINE, OFFLINE…)
	notOnline     int           // senders of the service known not to be ONLINE

	modal       modal
	form        attachForm
	confirm     confirmDetach
	formDraft   string              // what the add form held, kept across a failed attach
	ops         map[string]opKind   // SID → attach or detach in flight on the current service
	pending     []api.ChannelSender // rows for attaches in flight
	alert       error               // a failed operation; stays until dismissed with esc
	filtering   bool                // the filter field has the keyboard
	filterInput textinput.Model     // the filter's text; applied to list as typed
	notice      string              // the outcome of the last operation; cleared by the next key

	login          loginForm
	loginReason    string // why the login screen is shown
	noKeyring      string // why the OS keyring cannot be used here, if it cannot
	loginReturn    screen // where esc on the login screen goes
	profiles       profileSwitcher
	profilesReturn screen
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
		client:      bounded(opts.Client, opts.Timeout),
		timeout:     opts.Timeout,
		sessions:    boundedSessions(opts.Sessions, opts.Timeout),
		ctx:         ctx,
		quit:        cancel,
		identity:    opts.Identity,
		noKeyring:   opts.NoKeyring,
		loc:         loc,
		width:       80,
		height:      24,
		keys:        newKeyMap(opts.Identity.ReadOnly, opts.Sessions != nil && !opts.Identity.Demo),
		ops:         map[string]opKind{},
		filterInput: newFilterInput(),
		help:        help.New(),
		spinner:     spinner.New(spinner.WithSpinner(spinner.Dot)),
	}
	m.setDark(true) // until the terminal says otherwise
	if opts.ServiceSID != "" {
		m.screen = screenSenders
		m.service = api.Service{SID: opts.ServiceSID}
	}
	if opts.Client == nil {
		m = m.openLogin(opts.LoginReason)
	}
	return m
}

func (m *Model) setDark(isDark bool) {
	m.styles = newStyles(isDark)
	m.help.Styles = m.styles.help
	m.spinner.Style = m.styles.spinner
	m.styleInputs()
}

// styleInputs gives every text field the colours of the current background.
func (m *Model) styleInputs() {
	m.filterInput.SetStyles(m.styles.input)
	m.form.input.SetStyles(m.styles.input)
	for i := range m.login.inputs {
		m.login.inputs[i].SetStyles(m.styles.input)
	}
}

// Init asks the terminal for its background and starts the first load.
func (m Model) Init() tea.Cmd {
	// Init cannot keep state, so the first load starts on the first
	// message instead (see startMsg).
	return tea.Batch(tea.RequestBackgroundColor, func() tea.Msg { return startMsg{} }, m.scheduleRefresh())
}

// autoRefreshMsg is the auto-refresh timer firing.
type autoRefreshMsg struct{}

func (m Model) scheduleRefresh() tea.Cmd {
	if m.every <= 0 {
		return nil
	}
	return tea.Tick(m.every, func(time.Time) tea.Msg { return autoRefreshMsg{} })
}

// startMsg begins the first load inside Update, where ids can be recorded.
type startMsg struct{}

// serviceMsg is the reply to FetchService for a service opened by SID.
type serviceMsg struct {
	req     int
	service *api.Service
	err     error
}

func (m *Model) nextReq() int {
	m.lastReq++
	return m.lastReq
}

// Update handles one message. It never does I/O: requests run in the
// returned commands.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	nm := next.(Model)
	// Errors come and go with messages and take lines from the body: keep
	// every height in step before the next key or frame.
	nm.layout()
	return nm, cmd
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case startMsg:
		if m.screen == screenLogin {
			return m, nil
		}
		if m.screen == screenSenders {
			return m, tea.Batch(m.reloadSenders(), m.fetchService())
		}
		return m, m.loadServices()
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.setDark(msg.IsDark())
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case pageMsg[api.Service]:
		return m.onServicesPage(msg)
	case pageMsg[api.ChannelSender]:
		return m.onSendersPage(msg)
	case serviceMsg:
		if msg.req != m.serviceReq {
			return m, nil
		}
		m.serviceErr = msg.err
		if msg.err == nil && msg.service != nil && msg.service.SID == m.service.SID {
			m.service = *msg.service
		}
		return m, nil
	case autoRefreshMsg:
		// Refresh only when nothing else is going on, so a refetch never
		// races an operation or surprises someone typing in a dialog.
		if m.screen == screenSenders && !m.sendersBusy && len(m.ops) == 0 && m.modal == modalNone {
			return m, tea.Batch(m.reloadSenders(), m.scheduleRefresh())
		}
		return m, m.scheduleRefresh()
	case catalogueMsg:
		return m.onCatalogue(msg)
	case loginMsg:
		if m.screen == screenProfiles && msg.err != nil && msg.req == m.login.req {
			m.profiles.switching, m.profiles.problem = "", errorText(msg.err)
			return m, nil
		}
		return m.onLogin(msg)
	case profilesMsg:
		return m.onProfiles(msg)
	case attachedMsg:
		return m.onAttached(msg)
	case detachedMsg:
		return m.onDetached(msg)
	case tea.KeyPressMsg:
		m.notice = ""
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.screen == screenLogin {
			var cmd tea.Cmd
			m.login, _, cmd = m.login.update(msg)
			return m, cmd
		}
		if m.filtering {
			return m.onFilterKey(msg)
		}
		if m.modal == modalAttach {
			var cmd tea.Cmd
			m.form, _, _, cmd = m.form.update(msg, m.keys)
			m.formDraft = m.form.input.Value()
			return m, cmd
		}
		return m, nil
	}
	return m, nil
}

func (m Model) busy() bool {
	return m.login.busy || m.profiles.loading || m.profiles.switching != "" || m.pickerBusy || m.sendersBusy || len(m.ops) > 0 || (m.modal == modalAttach && m.form.loading > 0)
}

func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if msg.String() == "ctrl+c" {
		m.quit()
		return m, tea.Quit
	}
	switch m.modal {
	case modalAttach:
		return m.onFormKey(msg)
	case modalConfirm:
		return m.onConfirmKey(msg)
	}
	switch m.screen {
	case screenLogin:
		return m.onLoginKey(msg)
	case screenProfiles:
		return m.onProfilesKey(msg)
	}
	if m.filtering {
		return m.onFilterKey(msg)
	}
	switch {
	case key.Matches(msg, k.Profiles):
		return m.openProfiles()
	case key.Matches(msg, k.Quit):
		m.quit()
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		return m, nil
	case m.showHelp && key.Matches(msg, k.Back):
		m.showHelp = false
		return m, nil
	}
	if m.screen == screenServices {
		return m.onServicesKey(msg)
	}
	return m.onSendersKey(msg)
}

func (m Model) onServicesKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.picker.move(-1)
	case key.Matches(msg, k.Down):
		m.picker.move(1)
	case key.Matches(msg, k.Top):
		m.picker.move(-len(m.picker.services))
	case key.Matches(msg, k.Bottom):
		m.picker.move(len(m.picker.services))
	case key.Matches(msg, k.PageUp):
		m.picker.move(-m.picker.height)
	case key.Matches(msg, k.PageDown):
		m.picker.move(m.picker.height)
	case key.Matches(msg, k.Refresh):
		return m, m.loadServices()
	case key.Matches(msg, k.Filter):
		return m.startFilter()
	case m.picker.filter != "" && key.Matches(msg, k.Back):
		return m.clearFilter(), nil
	case key.Matches(msg, k.Select):
		svc, ok := m.picker.selected()
		if !ok {
			return m, nil
		}
		return m.openService(svc)
	}
	return m, nil
}

func (m Model) onSendersKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if m.alert != nil && key.Matches(msg, k.Back) {
		m.alert = nil
		return m, nil
	}
	if m.list.filter != "" && key.Matches(msg, k.Back) && !m.detailFocus {
		return m.clearFilter(), nil
	}
	if m.detailFocus {
		switch {
		case key.Matches(msg, k.Up):
			m.detailOff = max(0, m.detailOff-1)
			return m, nil
		case key.Matches(msg, k.Down):
			m.detailOff++
			return m, nil
		case key.Matches(msg, k.Back, k.Focus, k.Select):
			m.detailFocus = false
			return m, nil
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		m.list.move(-1)
	case key.Matches(msg, k.Down):
		m.list.move(1)
	case key.Matches(msg, k.Top):
		m.list.top()
	case key.Matches(msg, k.Bottom):
		m.list.bottom()
	case key.Matches(msg, k.PageUp):
		m.list.move(-m.list.height)
	case key.Matches(msg, k.PageDown):
		m.list.move(m.list.height)
	case key.Matches(msg, k.Focus, k.Select):
		if _, ok := m.list.selected(); ok {
			m.detailFocus, m.detailOff = true, 0
		}
		return m, nil
	case key.Matches(msg, k.Refresh):
		if m.serviceErr != nil {
			return m, tea.Batch(m.reloadSenders(), m.fetchService())
		}
		return m, m.reloadSenders()
	case key.Matches(msg, k.Filter):
		return m.startFilter()
	case key.Matches(msg, k.Copy):
		if s, ok := m.list.selected(); ok && s.SID != "" {
			m.notice = "✓ copied " + s.SID + " to the clipboard (OSC 52)"
			return m, tea.SetClipboard(s.SID)
		}
		return m, nil
	case key.Matches(msg, k.Attach):
		return m.openAttachForm()
	case key.Matches(msg, k.Detach):
		return m.askDetach()
	case key.Matches(msg, k.Services, k.Back):
		return m.backToServices()
	default:
		return m, nil
	}
	m.detailOff = 0
	return m, nil
}

// openService switches to a service's senders and starts loading them.
func (m Model) openService(svc api.Service) (tea.Model, tea.Cmd) {
	m.screen = screenSenders
	m.service, m.serviceErr = svc, nil
	m.senders, m.incoming, m.sendersLoaded, m.notOnline = nil, nil, false, 0
	m.ops, m.pending, m.alert = map[string]opKind{}, nil, nil
	m = m.clearFilter()
	m.list = senderList{height: m.list.height}
	m.detailFocus = false
	m.layout()
	return m, m.reloadSenders()
}

// backToServices leaves the sender screen; its pending replies become stale.
func (m Model) backToServices() (tea.Model, tea.Cmd) {
	m.stopSenders()
	m.sendersReq = m.nextReq() // anything still in flight for the old service is now stale
	m.serviceReq, m.serviceErr = 0, nil
	m.screen = screenServices
	m.detailFocus = false
	m.alert = nil
	m.layout()
	if len(m.picker.all) == 0 && !m.pickerBusy {
		return m, m.loadServices()
	}
	return m, nil
}

func (m *Model) stopSenders() {
	if m.sendersStop != nil {
		m.sendersStop()
		m.sendersStop = nil
	}
	m.sendersBusy = false
}

func (m *Model) loadServices() tea.Cmd {
	if m.pickerStop != nil {
		m.pickerStop()
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.pickerStop = cancel
	m.pickerReq = m.nextReq()
	m.pickerBusy, m.pickerErr = true, nil
	m.picker.reset()
	client := m.client
	return tea.Batch(m.spinner.Tick, streamPages(ctx, m.pickerReq, client.ListServicesPages))
}

func (m Model) onServicesPage(msg pageMsg[api.Service]) (tea.Model, tea.Cmd) {
	if msg.req != m.pickerReq {
		return m, nil
	}
	if msg.done {
		m.pickerBusy, m.pickerErr = false, msg.err
		m.pickerStop()
		m.pickerStop = nil
		return m, nil
	}
	m.picker.add(msg.items)
	return m, msg.next
}

// loadSenders (re)loads the current service's senders. The first load
// paints page by page; a refresh keeps the old list until the new one is
// complete, so the screen never flashes empty.
func (m *Model) loadSenders() tea.Cmd {
	m.stopSenders()
	ctx, cancel := context.WithCancel(m.ctx)
	m.sendersStop = cancel
	m.sendersReq = m.nextReq()
	m.sendersBusy, m.sendersErr = true, nil
	m.incoming = nil
	if !m.sendersLoaded {
		// A first load that failed half-way starts again from nothing.
		m.senders = nil
		m.relist()
	}
	client, sid := m.client, m.service.SID
	list := func(ctx context.Context, fn func([]api.ChannelSender) error) error {
		return client.ListChannelSendersPages(ctx, sid, fn)
	}
	return tea.Batch(m.spinner.Tick, streamPages(ctx, m.sendersReq, list))
}

// reloadSenders loads the service's senders and, beside them, their status.
func (m *Model) reloadSenders() tea.Cmd {
	return tea.Batch(m.loadSenders(), m.loadStatuses())
}

func (m *Model) fetchService() tea.Cmd {
	m.serviceReq = m.nextReq()
	req, client, sid, ctx := m.serviceReq, m.client, m.service.SID, m.ctx
	return func() tea.Msg {
		svc, err := client.FetchService(ctx, sid)
		return serviceMsg{req: req, service: svc, err: err}
	}
}

func (m Model) onSendersPage(msg pageMsg[api.ChannelSender]) (tea.Model, tea.Cmd) {
	if msg.req != m.sendersReq {
		return m, nil
	}
	if !msg.done {
		if m.sendersLoaded {
			m.incoming = append(m.incoming, msg.items...)
		} else {
			m.senders = append(m.senders, msg.items...)
			m.relist()
		}
		return m, msg.next
	}
	m.stopSenders()
	m.sendersErr = msg.err
	if msg.err == nil {
		if m.sendersLoaded {
			m.senders = m.incoming
			m.relist()
		}
		m.sendersLoaded = true
	}
	m.incoming = nil
	return m, nil
}
