package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// servicesScreen is the picker of the account's Messaging Services.
type servicesScreen struct {
	load   loader
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

func (s *servicesScreen) reload(c *common) tea.Cmd {
	ctx, req := s.load.start(c)
	s.picker.reset()
	client := c.client
	return streamPages(ctx, req, client.ListServicesPages)
}

func (s servicesScreen) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case pageMsg[api.Service]:
		if !s.load.current(msg.req) {
			return s, nil, nil
		}
		if msg.done {
			s.load.finish(msg.err)
			return s, nil, nil
		}
		c.learnNames(msg.items)
		s.picker.add(msg.items)
		return s, msg.next, nil
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
	profiles := g.Profiles
	profiles.SetEnabled(c.profilesOn())
	return [][]key.Binding{
		{k.Open, k.Filter, k.Refresh, g.Help, g.Quit, clear},
		c.keys.List.moves(),
		{profiles},
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
func (s servicesScreen) busy() bool             { return s.load.running }
func (s servicesScreen) title(c *common) string { return "" }

func (s servicesScreen) banner(c *common) string {
	if s.load.err == nil {
		return ""
	}
	return "✗ " + text.OneLine(errorText(c, s.load.err)) + retryHint(s.load.err)
}

func (s servicesScreen) statusLine(c *common) string {
	p := s.picker
	switch {
	case s.filter.editing:
		return s.filter.line(c, len(p.services), len(p.all))
	case c.notice != "":
		return c.styles.notice.Render(c.notice)
	case s.load.running:
		return c.spin + " " + fmt.Sprintf("loading services… %d so far", len(p.all))
	case s.filter.active():
		return c.styles.dim.Render(fmt.Sprintf("filter %q: %d of %d Messaging Services · / edit · esc clear", p.filter, len(p.services), len(p.all)))
	}
	return c.styles.dim.Render(fmt.Sprintf("%d Messaging Services", len(p.services)))
}

func (s servicesScreen) view(c *common) string {
	switch {
	case len(s.picker.services) > 0:
		return s.picker.view(s.width, c.styles, c.loc)
	case len(s.picker.all) > 0:
		return fmt.Sprintf("No Messaging Service matches %q (esc clears the filter).", text.OneLine(s.filter.value()))
	case s.load.running:
		return c.spin + " loading Messaging Services…"
	case s.load.err != nil:
		return "Could not load the Messaging Services."
	}
	return "This account has no Messaging Services."
}

// servicePicker lists the account's Messaging Services. Its cursor is the
// SID of the chosen service.
type servicePicker struct {
	all      []api.Service // every service loaded
	filter   string        // lower-cased; "" shows everything
	services []api.Service // what is shown: all, or the filter's matches
	chosen   string        // SID of the service the person chose
	cursor   int           // index into services
	offset   int
	height   int
}

func (p *servicePicker) add(page []api.Service) {
	p.all = append(p.all, page...)
	for _, s := range page {
		if p.matches(s) {
			p.services = append(p.services, s)
		}
	}
	p.place()
}

// reset forgets the services, keeping the filter and the choice for the
// next load.
func (p *servicePicker) reset() { p.all, p.services = nil, nil }

// setFilter shows only the services whose name or SID contains q
// (case-insensitive).
func (p *servicePicker) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == p.filter {
		return
	}
	p.filter = q
	p.services = nil
	for _, s := range p.all {
		if p.matches(s) {
			p.services = append(p.services, s)
		}
	}
	p.place()
}

func (p servicePicker) matches(s api.Service) bool {
	return p.filter == "" || strings.Contains(strings.ToLower(s.FriendlyName+"\x00"+s.SID), p.filter)
}

// place puts the cursor on the chosen service when shown; else it stays
// at its index, and the first service shown is chosen if none was.
func (p *servicePicker) place() {
	if i := slices.IndexFunc(p.services, func(s api.Service) bool { return s.SID == p.chosen }); i >= 0 {
		p.cursor = i
	}
	p.clamp()
	if p.chosen == "" || !slices.ContainsFunc(p.all, func(s api.Service) bool { return s.SID == p.chosen }) {
		if s, ok := p.selected(); ok {
			p.chosen = s.SID
		}
	}
}

func (p servicePicker) selected() (api.Service, bool) {
	if p.cursor < 0 || p.cursor >= len(p.services) {
		return api.Service{}, false
	}
	return p.services[p.cursor], true
}

// move handles a list key; false when msg is not one.
func (p *servicePicker) move(k listKeys, msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		p.cursor--
	case key.Matches(msg, k.Down):
		p.cursor++
	case key.Matches(msg, k.Top):
		p.cursor = 0
	case key.Matches(msg, k.Bottom):
		p.cursor = len(p.services) - 1
	case key.Matches(msg, k.PageUp):
		p.cursor -= p.height
	case key.Matches(msg, k.PageDown):
		p.cursor += p.height
	default:
		return false
	}
	p.clamp()
	if s, ok := p.selected(); ok {
		p.chosen = s.SID
	}
	return true
}

func (p *servicePicker) setHeight(h int) {
	p.height = max(1, h)
	p.clamp()
}

func (p *servicePicker) clamp() {
	p.cursor = max(0, min(p.cursor, len(p.services)-1))
	h := max(1, p.height)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+h {
		p.offset = p.cursor - h + 1
	}
	p.offset = max(0, min(p.offset, len(p.services)-h))
}

// view renders "› Friendly name   MG…   created" rows in width cells.
func (p servicePicker) view(width int, st styles, loc *time.Location) string {
	end := min(len(p.services), p.offset+max(1, p.height))
	lines := make([]string, 0, end-p.offset)
	for i := p.offset; i < end; i++ {
		s := p.services[i]
		marker := "  "
		if i == p.cursor {
			marker = "› "
		}
		name := text.Or(s.FriendlyName, "(no name)")
		right := text.Clean(s.SID)
		if width >= 90 {
			right += "  " + formatDate(s.DateCreated, loc)
		}
		nameWidth := width - ansi.StringWidth(marker) - ansi.StringWidth(right) - 2
		var line string
		if nameWidth >= 8 {
			line = marker + fit(name, nameWidth) + "  " + right
		} else {
			line = fit(marker+name, width)
		}
		if i == p.cursor {
			line = st.selected.Render(fit(line, width))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func formatDate(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02")
}

func (s servicesScreen) stop() { s.load.stop() }
