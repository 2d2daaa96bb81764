package ui

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// Layout limits.
const (
	minWidth     = 40
	minHeight    = 10
	chromeHeight = 3 // header, status line, footer
	// maxBannerLines bounds the error banner so the list keeps most of the screen.
	maxBannerLines = 3
)

func (m Model) tooSmall() bool { return m.c.width < minWidth || m.c.height < minHeight }

// bodyHeight is what is left for the layers between header and footer.
func (m Model) bodyHeight() int { return max(1, m.c.height-chromeHeight-len(m.banner())) }

// banner is the top screen's error in force, whole (message, code, link,
// what to do), wrapped over at most three lines above the body.
func (m Model) banner() []string {
	if m.tooSmall() {
		return nil
	}
	c := m.c
	text := m.screen().banner(&c)
	if text == "" {
		return nil
	}
	lines := wrap(text, m.c.width)
	if len(lines) > maxBannerLines {
		lines = lines[:maxBannerLines]
		lines[maxBannerLines-1] = fit(strings.TrimRight(lines[maxBannerLines-1], " ")+"…", m.c.width)
	}
	return lines
}

// layout gives every layer the body's size.
func (m *Model) layout() {
	w, h := m.c.width, m.bodyHeight()
	for i, s := range m.screens {
		m.screens[i] = s.setSize(w, h).(screen)
	}
	for i, d := range m.dialogs {
		m.dialogs[i] = d.setSize(w, h)
	}
	m.c.help.SetWidth(w)
}

// View renders the whole screen. Every line is at most the width.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeNone // leave text selection to the terminal
	v.WindowTitle = "senderpool"
	return v
}

func (m Model) render() string {
	c := m.c
	c.spin = m.spinner.View()
	if m.tooSmall() {
		return tooSmallNotice(c.width, c.height)
	}
	parts := []string{m.header(&c)}
	for _, l := range m.banner() {
		parts = append(parts, c.styles.errorText.Render(l))
	}
	parts = append(parts, truncateLines(m.top().view(&c), c.width, m.bodyHeight()), m.statusLine(&c), m.footer(&c))
	return strings.Join(parts, "\n")
}

// tooSmallNotice replaces the screen below the minimum size; it fits in
// 30×8 and says how to get out.
func tooSmallNotice(width, height int) string {
	lines := []string{"terminal too small:", fmt.Sprintf("needs %d×%d, has %d×%d", minWidth, minHeight, width, height), "q quits"}
	if height < len(lines) {
		lines = []string{fmt.Sprintf("too small (%d×%d) · q quits", minWidth, minHeight)}
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, max(1, width), "…")
	}
	return strings.Join(lines[:min(len(lines), max(1, height))], "\n")
}

func (m Model) header(c *common) string {
	st := c.styles
	parts := []string{st.app.Render("senderpool")}
	if c.identity.Demo {
		parts = append(parts, st.badge.Render(" DEMO "))
	}
	if c.identity.ReadOnly {
		parts = append(parts, st.badge.Render(" READ-ONLY "))
	}
	var facts []string
	switch id := c.identity; {
	case id.Profile != "" && id.Source != "":
		facts = append(facts, text.Clean(id.Profile)+" ("+text.Clean(id.Source)+")")
	case id.Profile != "":
		facts = append(facts, text.Clean(id.Profile))
	case id.Source != "" && !id.Demo:
		facts = append(facts, text.Clean(id.Source))
	}
	if c.identity.AccountSID != "" {
		facts = append(facts, shortSID(c.identity.AccountSID))
	}
	facts = append(facts, text.Or(c.identity.Region, "us1"))
	if t := m.screen().title(c); t != "" {
		facts = append(facts, t)
	}
	parts = append(parts, st.dim.Render(strings.Join(facts, " · ")))
	return ansi.Truncate(strings.Join(parts, " "), c.width, "…")
}

// statusLine is the top screen's, unless the dashboard is quitting.
func (m Model) statusLine(c *common) string {
	var line string
	if m.quitting {
		var open []string
		for _, ch := range c.changes {
			open = append(open, ch.describe(c))
		}
		slices.Sort(open)
		what := "this ends: " + strings.Join(open, "; ")
		if n := len(open); n > 2 {
			// A batch's requests in flight: the count first, so a narrow
			// line still says how many.
			what = fmt.Sprintf("%d changes end: %s; %s and %d more", n, open[0], open[1], n-2)
		}
		line = c.styles.warning.Render(c.spin + " quitting once " + what)
	} else {
		line = m.screen().statusLine(c)
	}
	return ansi.Truncate(line, c.width, "…")
}

// footer lists the keys the top layer answers now.
func (m Model) footer(c *common) string {
	if m.quitting {
		return shortHelp(c, []key.Binding{key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit now, outcome unknown"))})
	}
	top := m.top()
	bindings := top.footer(c)
	if top.takesText() || len(m.screens) == 1 && !lists(c, top, c.keys.Global.Quit) {
		// Text fields take q: say how to quit anyway.
		bindings = append(slices.Clone(bindings), key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")))
	}
	return shortHelp(c, bindings)
}

// shortSID keeps a SID recognisable in little space: "AC1234…cdef".
func shortSID(sid string) string {
	sid = text.Clean(sid)
	if len(sid) < 14 {
		return text.Or(sid, "—")
	}
	return sid[:6] + "…" + sid[len(sid)-4:]
}

func serviceTitle(s api.Service) string {
	if s.FriendlyName == "" {
		return text.Clean(s.SID)
	}
	return text.Clean(s.FriendlyName) + " " + shortSID(s.SID)
}

// serviceSID finds Messaging Service SIDs quoted in error messages.
var serviceSID = regexp.MustCompile(`\bMG[0-9a-fA-F]{32}\b`)

// errorText renders an error for a banner or a message: what was being
// done, then Twilio's message (service SIDs named where known), its code
// and the link to its documentation. c may be nil.
func errorText(c *common, err error) string {
	if apiErr, ok := api.AsError(err); ok {
		msg := text.Clean(text.Or(apiErr.Message, fmt.Sprintf("HTTP %d", apiErr.Status)))
		if c != nil {
			msg = serviceSID.ReplaceAllStringFunc(msg, func(sid string) string {
				if n := c.names[sid]; n != "" {
					return text.Clean(n)
				}
				return sid
			})
		}
		parts := []string{msg}
		if apiErr.Code != 0 {
			parts = append(parts, fmt.Sprintf("error %d", apiErr.Code))
		} else {
			parts = append(parts, fmt.Sprintf("HTTP %d", apiErr.Status))
		}
		if apiErr.MoreInfo != "" {
			parts = append(parts, text.Clean(apiErr.MoreInfo))
		}
		out := strings.Join(parts, " · ")
		// Keep the words around the API error ("attach X to Y: …").
		if outer := err.Error(); strings.HasSuffix(outer, apiErr.Error()) && len(outer) > len(apiErr.Error()) {
			out = text.Clean(strings.TrimSuffix(outer, apiErr.Error())) + out
		}
		return trimRequest(err, out)
	}
	return trimRequest(err, text.Clean(err.Error()))
}

// trimRequest drops the request's method and path (two SIDs long) from an
// error's text: they would push what matters, the cause and what to do,
// out of a three-line banner.
func trimRequest(err error, text string) string {
	var reqErr *api.RequestError
	if errors.As(err, &reqErr) {
		return strings.Replace(text, reqErr.Method+" "+reqErr.Path+": ", "", 1)
	}
	return text
}

// shortHelp renders as many whole "key desc" items as fit in the width.
// When some do not fit, an ellipsis says so and "? help", which shows them
// all, is kept at the end. (bubbles' ShortHelpView overflows when even its
// ellipsis does not fit.)
func shortHelp(c *common, bindings []key.Binding) string {
	st := c.help.Styles
	sep := st.ShortSeparator.Render(" • ")
	render := func(kb key.Binding) string {
		return st.ShortKey.Render(kb.Help().Key) + " " + st.ShortDesc.Render(kb.Help().Desc)
	}
	var items []string
	helpItem := ""
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		if kb.Help() == c.keys.Global.Help.Help() {
			helpItem = render(kb)
		}
		items = append(items, render(kb))
	}
	if all := strings.Join(items, sep); ansi.StringWidth(all) <= c.width {
		return all
	}
	tail := st.Ellipsis.Render("…")
	if helpItem != "" {
		items = slices.DeleteFunc(items, func(s string) bool { return s == helpItem })
		tail += sep + helpItem
	}
	var b strings.Builder
	used := 0
	for _, item := range items {
		if used > 0 {
			item = sep + item
		}
		w := ansi.StringWidth(item)
		if used+w+ansi.StringWidth(sep+tail) > c.width {
			break
		}
		b.WriteString(item)
		used += w
	}
	if used > 0 {
		b.WriteString(sep)
	}
	b.WriteString(tail)
	return ansi.Truncate(b.String(), c.width, "")
}
