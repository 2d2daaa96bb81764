package ui

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/senderpool/senderpool/api"
)

// servicePicker lists the account's Messaging Services.
type servicePicker struct {
	all      []api.Service // every service loaded
	filter   string        // lower-cased; "" shows everything
	services []api.Service // what is shown: all, or the filter's matches
	cursor   int
	offset   int
	height   int
	lastSID  string // the service last under the cursor, found again when a filter shows it
}

func (p *servicePicker) add(page []api.Service) {
	p.all = append(p.all, page...)
	for _, s := range page {
		if p.matches(s) {
			p.services = append(p.services, s)
		}
	}
	p.clamp()
}

// reset forgets the services, keeping the filter for the next load.
func (p *servicePicker) reset() { p.all, p.services, p.cursor, p.offset = nil, nil, 0, 0 }

// setFilter shows only the services whose name or SID contains q
// (case-insensitive), keeping the cursor on the same service if shown.
func (p *servicePicker) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == p.filter {
		return
	}
	if keep, ok := p.selected(); ok {
		p.lastSID = keep.SID
	}
	p.filter = q
	p.services = nil
	for _, s := range p.all {
		if p.matches(s) {
			p.services = append(p.services, s)
		}
	}
	p.cursor = max(0, slices.IndexFunc(p.services, func(s api.Service) bool { return s.SID == p.lastSID }))
	p.clamp()
}

func (p servicePicker) matches(s api.Service) bool {
	return p.filter == "" || strings.Contains(strings.ToLower(s.FriendlyName+"\x00"+s.SID), p.filter)
}

func (p servicePicker) selected() (api.Service, bool) {
	if p.cursor < 0 || p.cursor >= len(p.services) {
		return api.Service{}, false
	}
	return p.services[p.cursor], true
}

func (p *servicePicker) move(delta int) {
	p.cursor += delta
	p.clamp()
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
		name := displayOr(s.FriendlyName, "(no name)")
		right := s.SID
		if width >= 90 {
			right += "  " + formatDate(s.DateCreated, loc)
		}
		nameWidth := width - ansi.StringWidth(marker) - len(right) - 2
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
