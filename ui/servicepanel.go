package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// servicePanel (i on the senders screen) shows what decides how Twilio
// picks a sender of the pool: the service's settings, its US A2P campaign
// and the pool's size against its limit. The sender-selection booleans
// can be changed, each after a confirmation that says what changes for
// the messages sent.
//
// It is a screen, not a dialog: it needs the whole body (some twenty rows
// that scroll at 40×12), a title in the header, a banner for its errors
// and a status line for the row under the cursor, which every screen has
// and no dialog does; its confirmations open over it as over any screen,
// and esc goes back as from the profiles.
//
// The senders screen's copy of the service learns every value the panel
// gets through serviceMsg, the reply that screen already takes: the panel
// opens with that screen's own FetchService (one request refreshes both)
// and keeps its id, below, to hand later values down under it.
type servicePanel struct {
	service api.Service // as last fetched or changed
	fresh   bool        // service is an answer of the API since the panel opened
	below   int         // the senders screen's FetchService id
	opening bool        // that fetch has not answered yet
	fetch   loader      // r: FetchService
	a2p     loader      // ServiceA2PCampaign
	// campaign is the US A2P campaign, nil for none; a2pDone tells that
	// from not known yet.
	campaign *api.A2PCampaign
	a2pDone  bool
	// A change runs on the root's context, not the panel's: closing the
	// panel must not cut a POST off half-way, leaving its outcome unknown.
	saveReq  int
	saving   string // the setting being changed; its row spins
	savingTo bool
	problem  error // the last failed fetch or change, in the banner
	retry    bool  // problem is a failed fetch, which r retries
	pool     poolCount
	cursor   string // the row's id: rows are chosen by identity, not index
	offset   int    // the first body line on screen, below the title
	width    int
	height   int
}

// panelFetchMsg is the reply to the panel's own FetchService (r).
type panelFetchMsg struct {
	req     int
	service *api.Service
	err     error
}

// openPanel opens the service panel. It refetches the service through
// this screen's own loader, so the one reply refreshes both copies.
func (s sendersScreen) openPanel(c *common) (layer, tea.Cmd, action) {
	fetch := s.fetchService(c)
	p, load := newServicePanel(c, s.service, s.fetch.req, countPool(s))
	return s, tea.Batch(fetch, load), pushScreen{p.setSize(s.width, s.height).(screen)}
}

// newServicePanel shows svc as the senders screen knows it until the
// fetch with id below answers, and starts loading the campaign.
func newServicePanel(c *common, svc api.Service, below int, pool poolCount) (servicePanel, tea.Cmd) {
	p := servicePanel{service: svc, below: below, opening: below != 0, pool: pool, cursor: "sticky"}
	return p, p.loadCampaign(c)
}

func (p *servicePanel) loadCampaign(c *common) tea.Cmd {
	ctx, req := p.a2p.start(c)
	client, sid := c.client, p.service.SID
	return func() tea.Msg {
		campaign, err := client.ServiceA2PCampaign(ctx, sid)
		return campaignMsg{req: req, campaign: campaign, err: err}
	}
}

func (p *servicePanel) refresh(c *common) tea.Cmd {
	ctx, req := p.fetch.start(c)
	client, sid := c.client, p.service.SID
	fetch := func() tea.Msg {
		svc, err := client.FetchService(ctx, sid)
		return panelFetchMsg{req: req, service: svc, err: err}
	}
	return tea.Batch(fetch, p.loadCampaign(c))
}

// handDown gives the senders screen below the service as the panel now
// knows it. Only once its own fetch has answered: under the same id, a
// value handed down earlier would cut that fetch off.
func (p servicePanel) handDown(svc api.Service) tea.Cmd {
	if p.opening || p.below == 0 {
		return nil
	}
	below := p.below
	return func() tea.Msg { return serviceMsg{req: below, service: &svc} }
}

func (p servicePanel) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	var cmd tea.Cmd
	var act action
	switch msg := msg.(type) {
	case serviceMsg:
		if p.opening && msg.req == p.below {
			p.opening = false
			p.took(c, msg.service, msg.err)
		}
	case panelFetchMsg:
		if p.fetch.current(msg.req) {
			p.fetch.finish(msg.err)
			if p.took(c, msg.service, msg.err) {
				cmd = p.handDown(p.service)
			}
		}
	case campaignMsg:
		if p.a2p.current(msg.req) {
			p.a2p.finish(msg.err)
			p.campaign, p.a2pDone = msg.campaign, msg.err == nil
		}
	case settingChoice:
		if cmd = p.startSave(c, msg); cmd != nil {
			s, _ := settingByID(msg.setting)
			// Quitting waits for it and says how it ended.
			act = startChange{change{key: settingKey(msg.service, msg.setting), op: opSetting, name: "turn " + s.name + " " + onOff(msg.to)}}
		}
	case settingSavedMsg:
		p.onSaved(c, msg)
	case tea.KeyPressMsg:
		cmd, act = p.onKey(c, msg)
	}
	p.follow()
	return p, cmd, act
}

// took shows a fetched service; false when there is none to show.
func (p *servicePanel) took(c *common, svc *api.Service, err error) bool {
	switch {
	case err != nil:
		if !isCanceled(err) {
			p.problem, p.retry = err, true
		}
		return false
	case svc == nil || svc.SID != p.service.SID:
		return false
	}
	p.service, p.fresh, p.problem = *svc, true, nil
	c.learnNames([]api.Service{*svc})
	return true
}

func (p *servicePanel) onKey(c *common, msg tea.KeyPressMsg) (tea.Cmd, action) {
	k, l := c.keys.Panel, c.keys.List
	switch {
	case key.Matches(msg, k.Back):
		return nil, popScreen{}
	case key.Matches(msg, k.Refresh):
		if !p.opening {
			return p.refresh(c), nil
		}
	case key.Matches(msg, k.Toggle):
		if s, ok := p.changeable(c); ok {
			return nil, p.askChange(s)
		}
	case key.Matches(msg, l.Up):
		p.move(-1)
	case key.Matches(msg, l.Down):
		p.move(1)
	case key.Matches(msg, l.Top):
		p.move(-len(p.rows("")))
	case key.Matches(msg, l.Bottom):
		p.move(len(p.rows("")))
	}
	return nil, nil
}

// move puts the cursor n rows on, within the rows.
func (p *servicePanel) move(n int) {
	rows := p.rows("")
	i := slices.IndexFunc(rows, func(r panelRow) bool { return r.id == p.cursor })
	i = max(0, min(len(rows)-1, i+n))
	p.cursor = rows[i].id
}

func (p servicePanel) help(c *common) [][]key.Binding {
	k, g, l := c.keys.Panel, c.keys.Global, c.keys.List
	toggle := k.Toggle
	if s, ok := p.changeable(c); ok {
		toggle = key.NewBinding(key.WithKeys(k.Toggle.Keys()...), key.WithHelp(k.Toggle.Help().Key, "turn "+onOff(!*s.get(p.service))))
	} else {
		toggle.SetEnabled(false)
	}
	refresh := k.Refresh
	refresh.SetEnabled(!p.opening)
	return [][]key.Binding{
		{toggle, refresh, k.Back, g.Help, g.Quit},
		{l.Up, l.Down, l.Top, l.Bottom},
	}
}

func (p servicePanel) footer(c *common) []key.Binding { return withMove(c, p.help(c)) }

func (p servicePanel) setSize(w, h int) layer {
	p.width, p.height = w, h
	p.follow()
	return p
}

func (p servicePanel) takesText() bool { return false }

func (p servicePanel) busy() bool {
	return p.opening || p.fetch.running || p.a2p.running || p.saving != ""
}

func (p servicePanel) stop() {
	p.fetch.stop()
	p.a2p.stop()
}

func (p servicePanel) title(c *common) string { return serviceTitle(p.named()) }
