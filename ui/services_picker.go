package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

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
