package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// sendersScreen is one service's channel senders, grouped by kind, with
// the detail pane. It owns its loads, its list (the cursor is a SID), its
// filter, the senders' status and the rows of attaches in flight.
type sendersScreen struct {
	service api.Service
	fetch   loader                       // FetchService, for a service opened by SID
	sources [len(poolSources)]sourceLoad // one request stream per source of the pool
	list    senderList
	filter  filterField
	status  channelStatus    // the account's senders' status (ONLINE, OFFLINE…)
	offline int              // senders known not to be ONLINE
	formReq int              // the open form's catalogue request: its replies are status too
	pending []api.PoolSender // rows for attaches in flight
	alert   error            // a failed change; stays until dismissed
	draft   string           // what the add form held, kept across a failed attach
	detail  bool             // the detail pane has the keyboard
	scroll  int              // the detail pane's first line
	width   int
	height  int
}

// poolSources are the lists a service's pool is read from, in order.
var poolSources = [...]api.PoolSource{
	api.SourceChannelSenders, api.SourcePhoneNumbers, api.SourceShortCodes,
	api.SourceAlphaSenders, api.SourceDestinationAlphaSenders,
}

// sourceLoad is one source of the pool: its request and what it loaded.
type sourceLoad struct {
	load     loader
	items    []api.PoolSender // the last complete list, or a first load's pages so far
	incoming []api.PoolSender // pages of a refresh, swapped in when complete
	loaded   bool             // a complete list has been shown; later loads are refreshes
}

// senders is every member of the pool loaded, all sources together.
func (s sendersScreen) senders() []api.PoolSender {
	var all []api.PoolSender
	for _, src := range s.sources {
		all = append(all, src.items...)
	}
	return all
}

// loading reports whether any source's request runs.
func (s sendersScreen) loading() bool {
	for _, src := range s.sources {
		if src.load.running {
			return true
		}
	}
	return false
}

// anyLoaded reports whether some source has shown a complete list.
func (s sendersScreen) anyLoaded() bool {
	for _, src := range s.sources {
		if src.loaded {
			return true
		}
	}
	return false
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

// serviceMsg is the reply to FetchService for a service opened by SID.
type serviceMsg struct {
	req     int
	service *api.Service
	err     error
}

// attachRequest is the add form's answer: attach what was typed or
// picked; label and kind name it on its pending row.
type attachRequest struct {
	in    api.SenderInput
	label string
	kind  string
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
	sender  api.PoolSender
	err     error
}

// detachedMsg is the reply to a detach.
type detachedMsg struct {
	service string
	sender  api.PoolSender
	err     error
}

// autoRefreshMsg is the auto-refresh timer firing.
type autoRefreshMsg struct{}

func (s *sendersScreen) fetchService(c *common) tea.Cmd {
	ctx, req := s.fetch.start(c)
	client, sid := c.client, s.service.SID
	return func() tea.Msg {
		svc, err := client.FetchService(ctx, sid)
		return serviceMsg{req: req, service: svc, err: err}
	}
}

// loadSenders (re)loads every source of the pool at once, one request
// stream each. A first load paints page by page; a refresh keeps the old
// list until the new one is complete, so the screen never flashes empty.
func (s *sendersScreen) loadSenders(c *common) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(s.sources))
	relist := false
	for i := range s.sources {
		src := &s.sources[i]
		ctx, req := src.load.start(c)
		src.incoming = nil
		if !src.loaded && src.items != nil {
			src.items, relist = nil, true // a first load that failed half-way starts again
		}
		client, sid, which := c.client, s.service.SID, poolSources[i]
		list := func(ctx context.Context, fn func([]api.PoolSender) error) error {
			return client.ListSourcePages(ctx, sid, which, fn)
		}
		cmds = append(cmds, streamPages(ctx, req, list))
	}
	if relist {
		s.relist()
	}
	return tea.Batch(cmds...)
}

// reload loads the senders and, beside them, their status.
func (s *sendersScreen) reload(c *common) tea.Cmd {
	return tea.Batch(s.loadSenders(c), s.loadStatuses(c))
}

func (s *sendersScreen) loadStatuses(c *common) tea.Cmd {
	s.status.req = c.nextID()
	s.status.loading = map[string]bool{}
	for _, ch := range api.SenderChannels() {
		s.status.loading[ch] = true
	}
	return tea.Batch(catalogueCmds(c.ctx, c.client, s.status.req)...)
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

func (s sendersScreen) onPage(msg pageMsg[api.PoolSender]) (layer, tea.Cmd, action) {
	i := slices.IndexFunc(s.sources[:], func(src sourceLoad) bool { return src.load.current(msg.req) })
	if i < 0 {
		return s, nil, nil
	}
	src := &s.sources[i]
	if !msg.done {
		if src.loaded {
			src.incoming = append(src.incoming, msg.items...)
		} else {
			// In time proportional to the page: the list is sorted once,
			// when the load ends.
			added := s.list.addPage(msg.items)
			src.items = append(src.items, added...)
			s.offline += s.status.countNotOnline(added)
		}
		return s, msg.next, nil
	}
	src.load.finish(msg.err)
	switch {
	case msg.err == nil && src.loaded:
		src.items = dedupe(src.incoming)
		s.relist()
	case msg.err == nil:
		src.loaded = true
		s.list.settle()
	default:
		s.list.settle() // what came before the error, in order
	}
	src.incoming = nil
	if !s.loading() {
		s.list.fix() // every source has answered: the first row is the choice now
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
	switch {
	case s.alert != nil && key.Matches(msg, k.Dismiss):
		s.alert = nil
	case s.filter.active() && key.Matches(msg, k.ClearFilter):
		s.filter = s.filter.clear()
		s.list.setFilter("")
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
	case key.Matches(msg, k.Copy):
		return s.copySID(c)
	case !c.readOnly() && key.Matches(msg, k.Attach):
		return s.openAttach(c)
	case !c.readOnly() && key.Matches(msg, k.Detach):
		return s.askDetach(c)
	case key.Matches(msg, k.Services, k.Back):
		return s, nil, popScreen{}
	}
	return s, nil, nil
}

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

func (s sendersScreen) copySID(c *common) (layer, tea.Cmd, action) {
	sel, ok := s.list.selected()
	if !ok {
		return s, nil, nil
	}
	if err := api.ValidatePoolSID(sel.SID); err != nil {
		c.notice = "✗ not copied: the server sent a malformed SID (" + oneLine(sel.SID) + ")"
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
		c.notice = "✗ cannot detach: the server sent a malformed SID (" + oneLine(sel.SID) + ")"
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
	d := newConfirmDetach(sel, s.service)
	return s, nil, openDialog{d.setSize(s.width, s.height)}
}

// startAttach shows a pending row while POST runs.
func (s sendersScreen) startAttach(c *common, req attachRequest) (layer, tea.Cmd, action) {
	key := req.key()
	if _, busy := c.changeOn(s.service.SID, key); busy {
		c.notice = "✗ " + cleanText(key) + " is already being attached or detached"
		return s, nil, nil
	}
	row := api.PoolSender{Kind: displayOr(req.kind, req.in.Kind), SID: key, Address: displayOr(req.label, key), ServiceSID: s.service.SID}
	s.pending = append(s.pending, row)
	s.relist()
	client, ctx, svc, in := c.client, c.ctx, s.service.SID, req.in
	ch := change{key: changeKey{svc, key}, op: opAttach, name: row.Address}
	return s, func() tea.Msg {
		created, err := client.AttachPoolSender(ctx, svc, in)
		return attachedMsg{service: svc, sid: key, sender: created, err: err}
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
		s.draft = msg.sid
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
	c.notice = "✓ attached " + displayOr(added.Address, added.SID)
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
	ch := change{key: changeKey{svc, target.SID}, op: opDetach, name: displayOr(target.Address, target.SID)}
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
	name := displayOr(msg.sender.Address, sid)
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

// relist rebuilds the rows: the senders plus the pending attaches.
func (s *sendersScreen) relist() {
	senders := s.senders()
	s.list.setSenders(append(senders, s.pending...), s.status.text)
	s.offline = s.status.countNotOnline(senders)
}

// rowStatus is the right-hand text of a row, in words: a change in flight,
// else a status other than ONLINE before the country.
func (s sendersScreen) rowStatus(c *common) rowStatus {
	return func(x api.PoolSender) string {
		switch op, _ := c.changeOn(s.service.SID, x.SID); op {
		case opAttach:
			return c.spin + " attaching…"
		case opDetach:
			return c.spin + " detaching…"
		}
		if status, ok := s.status.notOnline(x); ok {
			return strings.TrimSpace(status + "  " + cleanText(x.Country))
		}
		return ""
	}
}

func (s sendersScreen) help(c *common) [][]key.Binding {
	if s.filter.editing {
		return s.filter.help(c)
	}
	g := c.keys.Global
	profiles := g.Profiles
	profiles.SetEnabled(c.profilesOn())
	if s.detail {
		d := c.keys.Detail
		return [][]key.Binding{{d.Up, d.Down, d.Back, g.Help, g.Quit, profiles}}
	}
	k := c.keys.Senders
	attach, detach := k.Attach, k.Detach
	attach.SetEnabled(!c.readOnly())
	detach.SetEnabled(!c.readOnly())
	dismiss, clear := k.Dismiss, k.ClearFilter
	dismiss.SetEnabled(s.alert != nil)
	clear.SetEnabled(s.alert == nil && s.filter.active())
	back := k.Back
	back.SetEnabled(!dismiss.Enabled() && !clear.Enabled())
	return [][]key.Binding{
		{attach, detach, k.Filter, k.Services, g.Help, g.Quit, k.Refresh, k.Copy, k.Details, dismiss, clear},
		c.keys.List.moves(),
		{k.Select, back, profiles},
	}
}

func (s sendersScreen) footer(c *common) []key.Binding { return withMove(c, s.help(c)) }

func (s sendersScreen) setSize(w, h int) layer {
	s.width, s.height = w, h
	s.list.setHeight(s.listHeight())
	return s
}

func (s sendersScreen) takesText() bool { return s.filter.editing }

func (s sendersScreen) busy() bool {
	return s.loading() || s.fetch.running || len(s.pending) > 0
}

func (s sendersScreen) title(c *common) string { return serviceTitle(s.service) }

func (s sendersScreen) banner(c *common) string {
	switch {
	case s.alert != nil:
		return "✗ " + oneLine(errorText(c, s.alert)) + " · esc dismiss"
	case s.fetch.err != nil && api.IsNotFound(s.fetch.err):
		return "✗ " + oneLine(errorText(c, s.fetch.err)) + retryHint(s.fetch.err)
	}
	var failed []string
	var last error
	for i, src := range s.sources {
		if src.load.err != nil {
			failed = append(failed, poolSources[i].String()+": couldn't load — "+oneLine(errorText(c, src.load.err)))
			last = src.load.err
		}
	}
	switch {
	case len(failed) > 0:
		return "✗ " + strings.Join(failed, " · ") + retryHint(last)
	case s.fetch.err != nil:
		return "✗ " + oneLine(errorText(c, s.fetch.err)) + retryHint(s.fetch.err)
	}
	return ""
}

func (s sendersScreen) statusLine(c *common) string {
	st := c.styles
	l := s.list
	switch {
	case s.filter.editing:
		return s.filter.line(c, l.senderCount(), l.totalCount())
	case c.notice != "":
		return st.notice.Render(c.notice)
	case s.loading() && s.anyLoaded():
		return c.spin + " refreshing…"
	case s.loading():
		return c.spin + " " + fmt.Sprintf("loading senders… %d so far", l.totalCount())
	}
	var line string
	// The position changes on every move: unstyled, it costs the wire only
	// its digits.
	if pos, total := l.position(); pos > 0 {
		line = fmt.Sprintf("%d/%d", pos, total) + st.dim.Render(" · ")
	}
	if s.filter.active() {
		line += st.dim.Render(fmt.Sprintf("filter %q: %d of %d senders · / edit · esc clear", l.filter, l.senderCount(), l.totalCount()))
	} else {
		line += st.dim.Render(fmt.Sprintf("%d senders in %d groups", l.senderCount(), l.groupCount()))
	}
	if n := s.offline; n > 0 {
		line += st.warning.Render(fmt.Sprintf(" · %d not ONLINE", n))
	}
	if why := s.status.unknown(); why != "" {
		line += st.warning.Render(" · status unknown: " + why)
	}
	return line
}

// dedupe keeps the first sender of each SID: a server that lists one
// twice across pages shows it once.
func dedupe(list []api.PoolSender) []api.PoolSender {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, s := range list {
		if !seen[s.SID] {
			seen[s.SID] = true
			out = append(out, s)
		}
	}
	return out
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

// retryHint says r retries, where retrying can help: not when the thing
// asked for does not exist.
func retryHint(err error) string {
	if api.IsNotFound(err) {
		return " · check the SID (senderpool services lists them)"
	}
	if errors.Is(err, api.ErrInvalidSID) {
		return ""
	}
	return " · r retry"
}

func (s sendersScreen) stop() {
	for _, src := range s.sources {
		src.load.stop()
	}
	s.fetch.stop()
}
