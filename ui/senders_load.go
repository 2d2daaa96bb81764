package ui

import (
	"context"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

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

// serviceMsg is the reply to FetchService for a service opened by SID.
type serviceMsg struct {
	req     int
	service *api.Service
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
	s.list.setHeight(s.listHeight()) // the failures' lines went
	return tea.Batch(cmds...)
}

// reload loads the senders and, beside them, their status and the
// service's US A2P campaign (what a detach warns of).
func (s *sendersScreen) reload(c *common) tea.Cmd {
	return tea.Batch(s.loadSenders(c), s.loadStatuses(c), s.loadCampaign(c))
}

func (s *sendersScreen) loadStatuses(c *common) tea.Cmd {
	s.status.req = c.nextID()
	s.status.loading = map[string]bool{}
	for _, ch := range api.SenderChannels() {
		s.status.loading[ch] = true
	}
	return tea.Batch(catalogueCmds(c.ctx, c.client, s.status.req)...)
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
	s.list.setHeight(s.listHeight()) // a failure takes a line of the list column
	if !s.loading() {
		s.list.fix() // every source has answered: the first row is the choice now
	}
	return s, nil, nil
}

// relist rebuilds the rows: the senders plus the pending attaches.
func (s *sendersScreen) relist() {
	senders := s.senders()
	s.list.setSenders(append(senders, s.pending...), s.status.text)
	s.offline = s.status.countNotOnline(senders)
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
