package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// servicesScreen is the picker of the account's Messaging Services.
type servicesScreen struct {
	load   loader
	index  loader // the account-wide index's build (common's index)
	picker servicePicker
	filter filterField
	width  int
	height int
}

func newServicesScreen(c *common) (servicesScreen, tea.Cmd) {
	s := servicesScreen{filter: newFilterField(c, "name or SID")}
	cmd := s.reload(c)
	return s, cmd
}

// reload lists the services, then reads their pools anew (startIndex):
// until then every row waits for its counts.
func (s *servicesScreen) reload(c *common) tea.Cmd {
	ctx, req := s.load.start(c)
	s.picker.reset()
	s.index.abandon()
	c.beginIndex(c.nextID())
	client := c.client
	return streamPages(ctx, req, client.ListServicesPages)
}

// startIndex reads the pools of the services listed, with the account's
// senders; the services are not listed a second time.
func (s *servicesScreen) startIndex(c *common, listErr error) tea.Cmd {
	ctx, req := s.index.start(c)
	c.beginIndex(req)
	if len(s.picker.all) == 0 {
		s.index.finish(listErr)
		c.indexStep(indexMsg{req: req, done: true, err: listErr})
		return nil
	}
	return buildIndex(ctx, req, listedServices{c.client, slices.Clone(s.picker.all)})
}

func (s servicesScreen) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case pageMsg[api.Service]:
		if !s.load.current(msg.req) {
			return s, nil, nil
		}
		if msg.done {
			s.load.finish(msg.err)
			return s, s.startIndex(c, msg.err), nil
		}
		c.learnNames(msg.items)
		s.picker.add(msg.items)
		return s, msg.next, nil
	case indexMsg:
		if !s.index.current(msg.req) || !c.indexStep(msg) {
			return s, nil, nil
		}
		if msg.done {
			s.index.finish(msg.err)
			return s, nil, nil
		}
		return s, msg.next, nil
	case attachedMsg, detachedMsg, batchMsg, movedOutMsg, movedMsg:
		// The dashboard's own changes, as Twilio confirmed them: the
		// index stays true without reading every pool again.
		chs, unsure := indexChanges(msg)
		if unsure {
			// Only a new read can tell where the sender is.
			return s, s.startIndex(c, nil), nil
		}
		c.applyIndex(chs...)
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

func (s servicesScreen) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	if s.filter.editing {
		return s.onFilter(c, msg)
	}
	k := c.keys.Services
	if s.picker.move(c.keys.List, msg) {
		return s, nil, nil
	}
	switch {
	case key.Matches(msg, k.Refresh):
		return s, s.reload(c), nil
	case key.Matches(msg, k.Filter):
		var cmd tea.Cmd
		s.filter, cmd = s.filter.edit()
		return s, cmd, nil
	case s.filter.active() && key.Matches(msg, k.ClearFilter):
		s.filter = s.filter.clear()
		s.picker.setFilter("")
	case key.Matches(msg, k.Open):
		svc, ok := s.picker.selected()
		if !ok {
			return s, nil, nil
		}
		s.picker.chosen = svc.SID
		if err := api.ValidateServiceSID(svc.SID); err != nil {
			c.notice = "✗ cannot open it: the server sent a malformed service SID (" + text.Clean(svc.SID) + ")"
			return s, nil, nil
		}
		next, cmd := newSendersScreen(c, svc, false)
		return s, cmd, pushScreen{next.setSize(s.width, s.height).(screen)}
	}
	return s, nil, nil
}

func (s servicesScreen) onFilter(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	f, cmd, out := s.filter.update(c, msg)
	s.filter = f
	s.picker.setFilter(f.value())
	switch out {
	case filterKept:
		if svc, ok := s.picker.selected(); ok {
			s.picker.chosen = svc.SID // what the filter left highlighted is the choice now
		}
	case filterLeft:
		s.picker.move(c.keys.List, msg.(tea.KeyPressMsg))
	}
	return s, cmd, nil
}

func (s servicesScreen) help(c *common) [][]key.Binding {
	if s.filter.editing {
		return s.filter.help(c)
	}
	k, g := c.keys.Services, c.keys.Global
	clear := k.ClearFilter
	clear.SetEnabled(s.filter.active())
	profiles, logKey := g.Profiles, g.Log
	profiles.SetEnabled(c.profilesOn())
	logKey.SetEnabled(c.logOn())
	return [][]key.Binding{
		{k.Open, k.Filter, k.Refresh, g.Help, g.Quit, clear},
		c.keys.List.moves(),
		{profiles, logKey},
	}
}

func (s servicesScreen) footer(c *common) []key.Binding { return withMove(c, s.help(c)) }

// withMove is a list screen's footer: "↑/↓ move" first, then its main keys.
func withMove(c *common, groups [][]key.Binding) []key.Binding {
	if len(groups) < 2 { // a field has the keyboard
		return groups[0]
	}
	return append([]key.Binding{c.keys.List.Move}, groups[0]...)
}

func (s servicesScreen) setSize(w, h int) layer {
	s.width, s.height = w, h
	s.picker.setHeight(h)
	return s
}

func (s servicesScreen) takesText() bool        { return s.filter.editing }
func (s servicesScreen) busy() bool             { return s.load.running || s.index.running }
func (s servicesScreen) title(c *common) string { return "" }

func (s servicesScreen) stop() {
	s.load.stop()
	s.index.stop()
}
