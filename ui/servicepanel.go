package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
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

// settingChoice is the confirmation's answer: set exactly this setting of
// exactly this service to this value.
type settingChoice struct {
	service string
	setting string
	to      bool
}

// settingSavedMsg is the reply to UpdateService.
type settingSavedMsg struct {
	req     int
	sid     string // the service's
	setting string
	to      bool
	service *api.Service
	err     error
}

// boolSetting is a boolean of the service the panel can change.
type boolSetting struct {
	id     string
	label  string // on its row
	name   string // in a sentence
	hint   string // the status line's words for it
	get    func(api.Service) *bool
	update func(v bool) api.ServiceUpdate
	// on and off say what changes for the messages sent when the setting
	// is turned on or off.
	on, off string
}

// boolSettings are the booleans, in the order they are shown; a function,
// so no table is shared.
func boolSettings() []boolSetting {
	return []boolSetting{
		{
			id: "sticky", label: "Sticky sender", name: "sticky sender",
			hint: "keeps each recipient on the sender that last wrote to them",
			get:  func(s api.Service) *bool { return s.StickySender },
			update: func(v bool) api.ServiceUpdate {
				return api.ServiceUpdate{StickySender: &v}
			},
			on:  "each recipient is kept on the sender that last wrote to them, so a conversation stays on one number.",
			off: "each message may go out from any sender of the pool; recipients are no longer kept on the sender that last wrote to them.",
		},
		{
			id: "geomatch", label: "Area-code geomatch", name: "area-code geomatch",
			hint: "prefers a number with the recipient's area code (US and Canada)",
			get:  func(s api.Service) *bool { return s.AreaCodeGeomatch },
			update: func(v bool) api.ServiceUpdate {
				return api.ServiceUpdate{AreaCodeGeomatch: &v}
			},
			on:  "a US or Canadian recipient is written to from a number of their own area code when the pool has one.",
			off: "the recipient's area code no longer counts: any number of the pool may write to them.",
		},
		{
			id: "encoding", label: "Smart encoding", name: "smart encoding",
			hint: "replaces look-alike Unicode characters so messages stay in GSM-7",
			get:  func(s api.Service) *bool { return s.SmartEncoding },
			update: func(v bool) api.ServiceUpdate {
				return api.ServiceUpdate{SmartEncoding: &v}
			},
			on:  "look-alike Unicode characters (curly quotes, long dashes) are replaced by GSM-7 ones: fewer segments, slightly different text.",
			off: "messages go out as written; one Unicode character makes the whole message UCS-2, with more segments to pay for.",
		},
		{
			id: "mms", label: "MMS converter", name: "the MMS converter",
			hint: "sends an MMS as an SMS with a link where MMS cannot go",
			get:  func(s api.Service) *bool { return s.MMSConverter },
			update: func(v bool) api.ServiceUpdate {
				return api.ServiceUpdate{MMSConverter: &v}
			},
			on:  "an MMS to a recipient who cannot get MMS goes out as an SMS with a link to the media.",
			off: "an MMS to a recipient who cannot get MMS is no longer turned into an SMS with a link, and may fail.",
		},
		{
			id: "fallback", label: "Fallback to long code", name: "fallback to long code",
			hint: "retries from a long code when a short code cannot deliver (obsolete in the API)",
			get:  func(s api.Service) *bool { return s.FallbackToLongCode },
			update: func(v bool) api.ServiceUpdate {
				return api.ServiceUpdate{FallbackToLongCode: &v}
			},
			on:  "a message a short code cannot deliver is sent again from a long code of the pool.",
			off: "a message a short code cannot deliver is no longer sent again from a long code.",
		},
		{
			id: "webhook", label: "Use inbound webhook on number", name: "the number's own inbound webhook",
			hint: "replies go to the receiving number's own webhook instead of the service's",
			get:  func(s api.Service) *bool { return s.UseInboundWebhookOnNumber },
			update: func(v bool) api.ServiceUpdate {
				return api.ServiceUpdate{UseInboundWebhookOnNumber: &v}
			},
			on:  "replies to the pool's numbers go to each number's own webhook, not the service's.",
			off: "replies to the pool's numbers go to the service's inbound webhook, whatever a number's own says.",
		},
	}
}

func settingByID(id string) (boolSetting, bool) {
	all := boolSettings()
	i := slices.IndexFunc(all, func(s boolSetting) bool { return s.id == id })
	if i < 0 {
		return boolSetting{}, false
	}
	return all[i], true
}

// poolCount is the pool as the senders screen had loaded it when the
// panel opened.
type poolCount struct {
	byKind  map[string]int
	limited int      // phone numbers and short codes: what the limit counts
	loading bool     // a source had not answered yet
	failed  []string // the sources that could not be loaded
}

func countPool(s sendersScreen) poolCount {
	senders := s.senders()
	p := poolCount{byKind: map[string]int{}, limited: api.PoolUsage(senders)}
	for _, x := range senders {
		p.byKind[x.Kind]++
	}
	for i, src := range s.sources {
		switch {
		case src.load.err != nil:
			p.failed = append(p.failed, poolSources[i].String())
		case src.load.running && !src.loaded:
			p.loading = true
		}
	}
	return p
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

// changeable is the setting under the cursor when it can be changed now:
// not read-only, its value fresh and known, no other change running.
func (p servicePanel) changeable(c *common) (boolSetting, bool) {
	s, ok := settingByID(p.cursor)
	if !ok || c.readOnly() || !p.fresh || p.saving != "" || s.get(p.service) == nil {
		return boolSetting{}, false
	}
	return s, true
}

// askChange opens the confirmation; what it changes is fixed now.
func (p servicePanel) askChange(s boolSetting) action {
	from := *s.get(p.service)
	to := !from
	effect := s.off
	if to {
		effect = s.on
	}
	d := confirmDialog{
		question: "Turn " + s.name + " " + onOff(to) + "?",
		facts: []detailField{
			{"Setting", s.label + ": " + onOff(from) + " → " + onOff(to)},
			{"Service", serviceTitleLong(p.named())},
		},
		caution:  "What changes: " + effect,
		yesLabel: "Turn " + onOff(to),
		onYes:    settingChoice{service: p.service.SID, setting: s.id, to: to},
	}
	return openDialog{d.setSize(p.width, p.height)}
}

func (p *servicePanel) startSave(c *common, ch settingChoice) tea.Cmd {
	s, ok := settingByID(ch.setting)
	if !ok || ch.service != p.service.SID || c.readOnly() || p.saving != "" {
		return nil
	}
	p.saveReq, p.saving, p.savingTo, p.problem = c.nextID(), s.id, ch.to, nil
	client, ctx, sid, req, u := c.client, c.ctx, p.service.SID, p.saveReq, s.update(ch.to)
	below := p.handDown // decided now, run with the answer
	return func() tea.Msg {
		svc, err := client.UpdateService(ctx, sid, u)
		saved := settingSavedMsg{req: req, sid: sid, setting: s.id, to: ch.to, service: svc, err: err}
		if err != nil || svc == nil {
			return saved
		}
		// The senders screen learns the answer too, even when the panel
		// has closed meanwhile.
		return tea.BatchMsg{func() tea.Msg { return saved }, below(*svc)}
	}
}

func (p *servicePanel) onSaved(c *common, msg settingSavedMsg) {
	if msg.req == 0 || msg.req != p.saveReq {
		return
	}
	s, _ := settingByID(msg.setting)
	p.saving = ""
	if msg.err != nil {
		p.problem, p.retry = fmt.Errorf("turn %s %s: %w", s.name, onOff(msg.to), msg.err), false
		return
	}
	if msg.service == nil || msg.service.SID != p.service.SID {
		return
	}
	// The answer is the newest state: a refresh sent before it may
	// predate the change.
	p.fetch.abandon()
	p.service, p.fresh = *msg.service, true
	c.learnNames([]api.Service{*msg.service})
	c.notice = "✓ " + s.name + " is " + boolText(s.get(p.service))
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

// Outside text is cut to this many bytes before it is cleaned: no line
// shows more, and a huge value would cost every frame.
const panelMaxText = 1024

// clip cuts outside text to panelMaxText bytes, marking the cut; it is
// cleaned when shown.
func clip(s string) string {
	if len(s) <= panelMaxText {
		return s
	}
	return s[:panelMaxText] + "…"
}

// named is the service with the fields the panel shows clipped.
func (p servicePanel) named() api.Service {
	s := p.service
	s.FriendlyName, s.Usecase = clip(s.FriendlyName), clip(s.Usecase)
	return s
}

func (p servicePanel) banner(c *common) string {
	if p.problem == nil {
		return ""
	}
	hint := ""
	if p.retry {
		hint = retryHint(p.problem)
	}
	return "✗ " + text.OneLine(errorText(c, p.problem)) + hint
}

func (p servicePanel) statusLine(c *common) string {
	st := c.styles
	switch {
	case c.notice != "":
		return st.notice.Render(c.notice)
	case p.saving != "":
		s, _ := settingByID(p.saving)
		return c.spin + " turning " + s.name + " " + onOff(p.savingTo) + "…"
	case p.opening || p.fetch.running:
		return c.spin + " refreshing the settings…"
	}
	for _, r := range p.rows("") {
		if r.id == p.cursor {
			return st.dim.Render(r.hint)
		}
	}
	return ""
}

// panelRow is one line of the panel (an error may take three).
type panelRow struct {
	id      string
	section string // a heading shown above the row when it opens a section
	label   string
	value   string // cleaned
	tone    int
	hint    string
	wraps   bool // the value may take several lines
}

// Tones of a row's value.
const (
	toneNormal = iota
	toneDim
	toneWarn
	toneError
)

// rows are the panel's rows, values as the API sent them (cleaned);
// spin is the spinner's frame.
func (p servicePanel) rows(spin string) []panelRow {
	svc := p.named()
	rows := []panelRow{
		{id: "name", label: "Service", value: text.Or(svc.FriendlyName, "—"), hint: "the service's friendly name"},
		{id: "sid", label: "SID", value: text.Or(svc.SID, "—"), hint: "the Messaging Service's SID"},
		{id: "usecase", label: "Use case", value: text.Or(svc.Usecase, "unknown"), hint: "the use case declared for the service"},
	}
	if strings.TrimSpace(svc.Usecase) == "" {
		rows[2].tone = toneDim
	}
	for i, s := range boolSettings() {
		r := panelRow{id: s.id, label: s.label, value: boolText(s.get(svc)), hint: s.hint}
		if i == 0 {
			r.section = "How Twilio picks a sender"
		}
		if s.get(svc) == nil {
			r.tone = toneDim
		}
		if p.saving == s.id {
			r.value += "  " + spin + " → " + onOff(p.savingTo)
		}
		rows = append(rows, r)
	}
	validity := panelRow{id: "validity", label: "Validity period", value: "unknown", tone: toneDim,
		hint: "how long a message may wait in Twilio's queue before it fails"}
	if v := svc.ValidityPeriod; v != nil {
		validity.value, validity.tone = seconds(*v), toneNormal
	}
	rows = append(rows, validity)
	rows = append(rows, p.campaignRows(spin)...)
	return append(rows, p.poolRows()...)
}

func (p servicePanel) campaignRows(spin string) []panelRow {
	const section = "US A2P campaign"
	switch {
	case p.a2p.running:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: spin + " loading…", hint: "the US A2P 10DLC campaign is being read"}}
	case p.a2p.err != nil:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: "✗ " + text.OneLine(errorText(nil, p.a2p.err)), tone: toneError, wraps: true,
			hint: "the campaign could not be read · r tries again"}}
	case !p.a2pDone:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: "unknown", tone: toneDim, hint: "the campaign has not been read"}}
	case p.campaign == nil:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: "none", hint: "no US A2P 10DLC campaign is registered on this service"}}
	}
	camp := p.campaign
	status := panelRow{id: "a2p-status", section: section, label: "Status", value: text.Or(clip(camp.CampaignStatus), "unknown"),
		hint: "US carriers pass 10DLC traffic of a verified campaign only"}
	switch strings.ToUpper(strings.TrimSpace(camp.CampaignStatus)) {
	case "VERIFIED":
	case "FAILED", "SUSPENDED":
		status.tone = toneError
	case "":
		status.tone = toneDim
	default:
		status.tone = toneWarn
	}
	return []panelRow{
		status,
		{id: "a2p-id", label: "Campaign ID", value: text.Or(clip(camp.CampaignID), "—"), hint: "The Campaign Registry's id of the campaign"},
		{id: "a2p-brand", label: "Brand", value: text.Or(clip(camp.BrandRegistrationSID), "—"), hint: "the brand registration the campaign belongs to"},
	}
}

func (p servicePanel) poolRows() []panelRow {
	pc := p.pool
	size := panelRow{id: "pool", section: "Pool", label: "Size",
		value: fmt.Sprintf("%d/%d numbers and short codes", pc.limited, api.DefaultPoolLimit),
		hint:  fmt.Sprintf("phone numbers and short codes count against the limit; %d is Twilio's default, raised on request", api.DefaultPoolLimit)}
	switch {
	case len(pc.failed) > 0:
		size.value += " at least"
		size.tone = toneWarn
		size.hint = "not counted, could not be loaded: " + strings.Join(pc.failed, ", ")
	case pc.loading:
		size.value += " so far"
		size.hint = "counted from what the senders screen had loaded when the panel opened"
	case pc.limited >= api.DefaultPoolLimit:
		size.tone = toneWarn
	}
	rows := []panelRow{size}
	kinds := api.Kinds()
	for k := range pc.byKind {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k) // a channel type of its own
		}
	}
	slices.Sort(kinds[len(api.Kinds()):])
	for _, k := range kinds {
		if n := pc.byKind[k]; n > 0 {
			rows = append(rows, panelRow{id: "kind:" + k, label: text.Or(clip(k), "Other"), value: strconv.Itoa(n),
				hint: "senders of this kind in the pool, as loaded on the senders screen"})
		}
	}
	return rows
}

func onOff(v bool) string {
	if v {
		return "on"
	}
	return "off"
}

// boolText is a setting as the API sent it: null is unknown, never a guess.
func boolText(v *bool) string {
	if v == nil {
		return "unknown"
	}
	return onOff(*v)
}

// seconds is a validity period: "14400 s (4 h)".
func seconds(n int) string {
	out := strconv.Itoa(n) + " s"
	switch {
	case n > 0 && n%3600 == 0:
		out += " (" + strconv.Itoa(n/3600) + " h)"
	case n > 0 && n%60 == 0:
		out += " (" + strconv.Itoa(n/60) + " min)"
	}
	return out
}

// Layout of the panel.
const (
	panelMarker   = 2  // "› "
	panelLabelMax = 31 // the longest label and a margin
	panelValueMin = 18 // what the label column leaves at least
	panelErrLines = 3  // an error row's most lines
)

// body is every line below the title, and the line each row starts on.
func (p servicePanel) body(spin string, st *styles) ([]string, map[string]int) {
	width := p.width
	lw := min(panelLabelMax, max(10, width-panelMarker-panelValueMin))
	var lines []string
	at := map[string]int{}
	for _, r := range p.rows(spin) {
		if r.section != "" {
			h := fit(r.section, width)
			if st != nil {
				h = st.groupHeader.Render(h)
			}
			lines = append(lines, h)
		}
		at[r.id] = len(lines)
		lines = append(lines, p.rowLines(r, lw, st)...)
	}
	return lines, at
}

func (p servicePanel) rowLines(r panelRow, lw int, st *styles) []string {
	width := p.width
	if w := ansi.StringWidth(r.value); panelMarker+lw+w > width && len(r.label)+1 < lw && !r.wraps {
		lw = len(r.label) + 1 // keep a SID whole at 40 columns
	}
	values := []string{r.value}
	if r.wraps {
		values = wrap(r.value, max(1, width-panelMarker-lw))
		if len(values) > panelErrLines {
			values = values[:panelErrLines]
			values[panelErrLines-1] = strings.TrimRight(values[panelErrLines-1], " ") + "…"
		}
	}
	selected := r.id == p.cursor
	out := make([]string, len(values))
	for i, v := range values {
		marker, label := "  ", strings.Repeat(" ", lw)
		if i == 0 {
			label = fit(r.label, lw)
			if selected {
				marker = "› "
			}
		}
		line := fit(marker+label+v, width)
		switch {
		case st == nil:
		case selected:
			line = st.selected.Render(line)
		default:
			line = marker + st.label.Render(label) + toneStyle(st, r.tone).Render(fit(v, max(0, width-panelMarker-lw)))
		}
		out[i] = line
	}
	return out
}

func toneStyle(st *styles, tone int) lipgloss.Style {
	switch tone {
	case toneDim:
		return st.dim
	case toneWarn:
		return st.warning
	case toneError:
		return st.errorText
	}
	return st.value
}

// follow scrolls so the cursor's row is on screen, with its section's
// heading when it opens one.
func (p *servicePanel) follow() {
	lines, at := p.body("", nil)
	avail := max(1, p.height-1)
	line, ok := at[p.cursor]
	if !ok {
		p.cursor, line = "sticky", at["sticky"]
	}
	top := line
	if r := p.rows(""); slices.ContainsFunc(r, func(r panelRow) bool { return r.id == p.cursor && r.section != "" }) {
		top = line - 1
	}
	if top < p.offset {
		p.offset = top
	}
	if line >= p.offset+avail {
		p.offset = line - avail + 1
	}
	p.offset = max(0, min(p.offset, len(lines)-avail))
}

func (p servicePanel) view(c *common) string {
	st, width := c.styles, p.width
	lines, _ := p.body(c.spin, &st)
	avail := max(1, p.height-1)
	title := "Service settings"
	if c.readOnly() {
		title += " (read-only)"
	}
	more := ""
	if len(lines) > avail {
		more = fmt.Sprintf("  %d–%d of %d ↑/↓", p.offset+1, min(len(lines), p.offset+avail), len(lines))
	}
	out := []string{ansi.Truncate(st.title.Render(title)+st.dim.Render(more), width, "…")}
	offset := max(0, min(p.offset, len(lines)-avail))
	return strings.Join(append(out, lines[offset:min(len(lines), offset+avail)]...), "\n")
}
