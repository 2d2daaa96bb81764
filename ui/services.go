package ui

import (
	"fmt"
	"maps"
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
		return c.styles.dim.Render(fmt.Sprintf("filter %q: %d of %d Messaging Services · / edit · esc clear", p.filter, len(p.services), len(p.all))) + s.indexLine(c)
	}
	return c.styles.dim.Render(fmt.Sprintf("%d Messaging Services", len(p.services))) + s.indexLine(c)
}

// indexLine says how far the pools are read: " · reading pools 2/5…",
// " · pools read 2 min ago".
func (s servicesScreen) indexLine(c *common) string {
	st := c.index
	switch {
	case !c.indexOK() || len(s.picker.all) == 0:
		return ""
	case st.running:
		return c.styles.dim.Render(fmt.Sprintf(" · %s reading pools %d/%d…", c.spin, len(st.entries), len(s.picker.all)))
	case st.err != nil && !isCanceled(st.err):
		return " · " + c.styles.errorText.Render("pools not all read — r retries")
	}
	return c.styles.dim.Render(" · pools read " + indexAge(st.readAt, c.clock()))
}

func (s servicesScreen) view(c *common) string {
	switch {
	case len(s.picker.services) > 0:
		return s.picker.view(c, s.width)
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
		p.cursor -= p.visible()
	case key.Matches(msg, k.PageDown):
		p.cursor += p.visible()
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
	h := p.visible()
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+h {
		p.offset = p.cursor - h + 1
	}
	p.offset = max(0, min(p.offset, len(p.services)-h))
}

// perService is how many lines a service takes: its row, and the line of
// its pool's counts when there is room for two.
func (p servicePicker) perService() int {
	if p.height >= 4 {
		return 2
	}
	return 1
}

// visible is how many services fit.
func (p servicePicker) visible() int { return max(1, p.height/p.perService()) }

// view renders "› Friendly name   MG…   created" rows in width cells,
// each with its pool's counts under it.
func (p servicePicker) view(c *common, width int) string {
	st, loc := c.styles, c.loc
	end := min(len(p.services), p.offset+p.visible())
	lines := make([]string, 0, (end-p.offset)*p.perService())
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
		if p.perService() > 1 {
			lines = append(lines, poolLine(c, s.SID, width))
		}
	}
	return strings.Join(lines, "\n")
}

// poolLine is a service's pool as the index read it: its counts by kind
// and how many are not ONLINE; a spinner until its pool is read; nothing
// is guessed.
func poolLine(c *common, sid string, width int) string {
	const indent = "    "
	st := c.styles
	w := width - len(indent)
	e, ok := c.indexEntry(sid)
	switch {
	case !c.indexOK():
		return ""
	case !ok && c.index.running:
		return indent + st.dim.Render(cut(c.spin+" …", w))
	case !ok:
		return indent + st.errorText.Render(cut("couldn't read — r retries", w))
	case e.Err != nil && !e.Complete():
		what := "couldn't read — r retries"
		if e.Counts.Total > 0 {
			what = "couldn't read all of it (" + plural(e.Counts.Total, "sender", "senders") + " read) — r retries"
		}
		return indent + st.errorText.Render(cut(what, w))
	}
	counts := kindCounts(countsByKind(e.Counts.ByKind))
	if e.Counts.StatusKnown && e.Counts.NotOnline > 0 {
		off := fmt.Sprintf("%d not online", e.Counts.NotOnline)
		if ansi.StringWidth(counts)+len(" · ")+len(off) <= w {
			return indent + st.dim.Render(counts+" · ") + st.warning.Render(cut(off, w-ansi.StringWidth(counts)-len(" · ")))
		}
		counts = off + " · " + counts // the one an operator needs first
	}
	return indent + st.dim.Render(cut(counts, w))
}

// cut truncates s to width cells, with an ellipsis when it is cut.
func cut(s string, width int) string { return ansi.Truncate(s, max(0, width), "…") }

// countsByKind puts the index's counts in the pool's order of kinds.
func countsByKind(by map[string]int) []kindTotal {
	kinds := slices.Collect(maps.Keys(by))
	slices.SortFunc(kinds, api.CompareKinds)
	out := make([]kindTotal, 0, len(kinds))
	for _, k := range kinds {
		if by[k] > 0 {
			out = append(out, kindTotal{k, by[k]})
		}
	}
	return out
}

func formatDate(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02")
}

func (s servicesScreen) stop() {
	s.load.stop()
	s.index.stop()
}
