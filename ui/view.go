package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
)

// Layout limits.
const (
	minWidth        = 40
	minHeight       = 10
	wideWidth       = 100 // from here the detail pane sits beside the list
	chromeHeight    = 3   // header, status line, footer
	narrowDetailMax = 11  // detail pane height when stacked under the list
	detailMinWidth  = 45  // label (9) + SID (34) + a margin
)

func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m Model) wide() bool { return m.width >= wideWidth }

// bodyHeight is what is left for the screen between header and footer.
func (m Model) bodyHeight() int { return max(1, m.height-chromeHeight-len(m.banner())) }

// maxBannerLines bounds the error banner so the list keeps most of the screen.
const maxBannerLines = 3

// banner is the error in force, whole (message, code, link, what to do),
// wrapped over at most three lines above the body.
func (m Model) banner() []string {
	if m.tooSmall() || m.screen == screenLogin || m.screen == screenProfiles {
		return nil
	}
	var text string
	switch err := m.currentErr(); {
	case m.alert != nil && m.screen == screenSenders:
		text = "✗ " + oneLine(errorText(m.alert)) + " · esc dismiss"
	case err != nil:
		text = "✗ " + oneLine(errorText(err)) + " · r retry"
	default:
		return nil
	}
	lines := wrap(text, m.width)
	if len(lines) > maxBannerLines {
		lines = lines[:maxBannerLines]
		lines[maxBannerLines-1] = fit(strings.TrimRight(lines[maxBannerLines-1], " ")+"…", m.width)
	}
	return lines
}

// listHeight is the number of list rows that fit in the current layout.
func (m Model) listHeight() int {
	if m.screen == screenServices || m.wide() {
		return m.bodyHeight()
	}
	return max(1, m.bodyHeight()-m.narrowDetailHeight()-1)
}

func (m Model) narrowDetailHeight() int {
	return min(narrowDetailMax, m.bodyHeight()/2)
}

// listWidth is the width of the sender list column.
func (m Model) listWidth() int {
	if m.wide() {
		// The detail pane keeps room for a label and a whole 34-character SID.
		return min(m.width*55/100, m.width-3-detailMinWidth)
	}
	return m.width
}

// layout recomputes the sizes that depend on the window.
func (m *Model) layout() {
	m.picker.setHeight(m.bodyHeight())
	m.form.height = m.bodyHeight()
	m.list.setHeight(m.listHeight())
	m.help.SetWidth(m.width)
}

// View renders the whole screen. Every line is at most m.width cells.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeNone // leave text selection to the terminal
	v.WindowTitle = "senderpool"
	return v
}

func (m Model) render() string {
	if m.tooSmall() {
		return ansi.Truncate(fmt.Sprintf("terminal too small (needs %d×%d)", minWidth, minHeight), max(1, m.width), "…")
	}
	parts := []string{m.header()}
	for _, l := range m.banner() {
		parts = append(parts, m.styles.errorText.Render(l))
	}
	parts = append(parts, truncateLines(m.body(), m.width, m.bodyHeight()), m.statusLine(), m.footer())
	return strings.Join(parts, "\n")
}

func (m Model) body() string {
	if m.showHelp {
		return m.fullHelp()
	}
	switch m.screen {
	case screenServices:
		return m.servicesBody()
	case screenLogin:
		return m.login.view(m.loginReason, m.width, m.styles, m.spinner.View())
	case screenProfiles:
		return m.profiles.view(m.identity.Profile, m.width, m.styles, m.spinner.View())
	}
	switch m.modal {
	case modalAttach:
		return m.form.view(serviceTitle(m.service), m.width, m.styles, m.spinner.View())
	case modalConfirm:
		return m.confirm.view(m.width, m.styles)
	}
	return m.sendersBody()
}

func (m Model) header() string {
	st := m.styles
	parts := []string{st.app.Render("senderpool")}
	if m.identity.Demo {
		parts = append(parts, st.badge.Render(" DEMO "))
	}
	if m.identity.ReadOnly {
		parts = append(parts, st.badge.Render(" READ-ONLY "))
	}
	var facts []string
	if m.identity.Profile != "" {
		p := m.identity.Profile
		if m.identity.Source != "" {
			p += " (" + m.identity.Source + ")"
		}
		facts = append(facts, p)
	}
	if m.identity.AccountSID != "" {
		facts = append(facts, shortSID(m.identity.AccountSID))
	}
	facts = append(facts, displayOr(m.identity.Region, "us1"))
	if m.screen == screenSenders {
		facts = append(facts, serviceTitle(m.service))
	}
	parts = append(parts, st.dim.Render(strings.Join(facts, " · ")))
	return ansi.Truncate(strings.Join(parts, " "), m.width, "…")
}

// shortSID keeps a SID recognisable in little space: "AC1234…cdef".
func shortSID(sid string) string {
	if len(sid) < 14 {
		return displayOr(sid, "—")
	}
	return sid[:6] + "…" + sid[len(sid)-4:]
}

func serviceTitle(s api.Service) string {
	if s.FriendlyName == "" {
		return s.SID
	}
	return cleanText(s.FriendlyName) + " " + shortSID(s.SID)
}

func (m Model) servicesBody() string {
	switch {
	case len(m.picker.services) > 0:
		return m.picker.view(m.width, m.styles, m.loc)
	case len(m.picker.all) > 0:
		return "No Messaging Service matches the filter (esc clears it)."
	case m.pickerBusy:
		return m.spinner.View() + " loading Messaging Services…"
	case m.pickerErr != nil:
		return "Could not load the Messaging Services."
	}
	return "This account has no Messaging Services."
}

func (m Model) sendersBody() string {
	list := m.sendersListView()
	detail := m.detailPane()
	if m.wide() {
		lw := m.listWidth()
		dw := m.width - lw - 3
		left := strings.Split(truncateLines(list, lw, m.bodyHeight()), "\n")
		right := strings.Split(detailView(detail.title, detail.fields, dw, m.bodyHeight(), m.detailOff, m.styles), "\n")
		sep := m.styles.separator.Render(" │ ")
		lines := make([]string, len(left))
		for i := range left {
			lines[i] = fit(left[i], lw) + sep + right[i]
		}
		return strings.Join(lines, "\n")
	}
	dh := m.narrowDetailHeight()
	return truncateLines(list, m.width, m.listHeight()) + "\n" +
		m.styles.separator.Render(strings.Repeat("─", m.width)) + "\n" +
		detailView(detail.title, detail.fields, m.width, dh, m.detailOff, m.styles)
}

func (m Model) sendersListView() string {
	switch {
	case len(m.list.rows) > 0:
		return m.list.view(m.listWidth(), m.styles, m.rowStatus)
	case m.sendersBusy:
		return m.spinner.View() + " loading senders…"
	case m.sendersErr != nil:
		return "Could not load the senders."
	}
	return "No channel senders in this service."
}

type pane struct {
	title  string
	fields []detailField
}

func (m Model) detailPane() pane {
	s, ok := m.list.selected()
	if !ok {
		return pane{title: "Details"}
	}
	title := "Details"
	if m.detailFocus {
		title = "Details (↑/↓ scroll, esc back)"
	}
	fields := senderFields(s, m.loc)
	// Status and profile go right after the type: what an operator looks for first.
	fields = slices.Insert(fields, 2, m.status.fields(s)...)
	return pane{title: title, fields: fields}
}

// statusLine shows the error in force, else progress, else a summary.
func (m Model) statusLine() string {
	if m.screen == screenLogin || m.screen == screenProfiles {
		return "" // those screens show their own state
	}
	st := m.styles
	var line string
	switch {
	case m.filtering && m.screen == screenServices:
		m.filterInput.SetWidth(max(10, m.width-30))
		line = m.filterInput.View() + st.dim.Render(fmt.Sprintf("  %d of %d · enter keep · esc clear", len(m.picker.services), len(m.picker.all)))
	case m.filtering && m.screen == screenSenders:
		m.filterInput.SetWidth(max(10, m.width-30))
		line = m.filterInput.View() + st.dim.Render(fmt.Sprintf("  %d of %d · enter keep · esc clear", m.list.senderCount(), m.list.totalCount()))
	case m.notice != "":
		line = st.notice.Render(m.notice)
	case m.pickerBusy || m.sendersBusy:
		line = m.spinner.View() + " " + m.progressText()
	case m.screen == screenServices && m.picker.filter != "":
		line = st.dim.Render(fmt.Sprintf("filter %q: %d of %d Messaging Services · / edit · esc clear", m.picker.filter, len(m.picker.services), len(m.picker.all)))
	case m.screen == screenServices:
		line = st.dim.Render(fmt.Sprintf("%d Messaging Services", len(m.picker.services)))
	case m.list.filter != "":
		line = st.dim.Render(fmt.Sprintf("filter %q: %d of %d senders · / edit · esc clear", m.list.filter, m.list.senderCount(), m.list.totalCount()))
	default:
		line = st.dim.Render(fmt.Sprintf("%d senders in %d groups", m.list.senderCount(), len(m.list.groups)))
		if m.notOnline > 0 {
			line += st.warning.Render(fmt.Sprintf(" · %d not ONLINE", m.notOnline))
		}
	}
	return ansi.Truncate(line, m.width, "…")
}

func (m Model) currentErr() error {
	if m.screen == screenServices {
		return m.pickerErr
	}
	if m.sendersErr != nil {
		return m.sendersErr
	}
	return m.serviceErr
}

func (m Model) progressText() string {
	if m.screen == screenServices {
		return fmt.Sprintf("loading services… %d so far", len(m.picker.all))
	}
	if m.sendersLoaded {
		return fmt.Sprintf("refreshing… %d so far", len(m.incoming))
	}
	return fmt.Sprintf("loading senders… %d so far", len(m.senders))
}

// errorText renders an error for the status line: Twilio's message, its
// code and the link to its documentation.
func errorText(err error) string {
	if apiErr, ok := api.AsError(err); ok {
		parts := []string{cleanText(displayOr(apiErr.Message, fmt.Sprintf("HTTP %d", apiErr.Status)))}
		if apiErr.Code != 0 {
			parts = append(parts, fmt.Sprintf("error %d", apiErr.Code))
		} else {
			parts = append(parts, fmt.Sprintf("HTTP %d", apiErr.Status))
		}
		if apiErr.MoreInfo != "" {
			parts = append(parts, cleanText(apiErr.MoreInfo))
		}
		return strings.Join(parts, " · ")
	}
	// The request's method and path (two SIDs long) would push what
	// matters, the cause and what to do, out of a three-line banner.
	var reqErr *api.RequestError
	if errors.As(err, &reqErr) {
		return strings.Replace(err.Error(), reqErr.Method+" "+reqErr.Path+": ", "", 1)
	}
	return err.Error()
}

func (m Model) footer() string {
	switch {
	case m.modal == modalAttach:
		return m.styles.dim.Render(ansi.Truncate("enter attach · ↑/↓ pick a sender · type to search · esc cancel", m.width, "…"))
	case m.modal == modalConfirm:
		return ""
	case m.screen == screenLogin:
		hint := "tab/↑/↓ move · enter log in · ctrl+c quit"
		if m.client != nil {
			hint = "tab/↑/↓ move · enter log in · esc back"
		}
		return m.styles.dim.Render(ansi.Truncate(hint, m.width, "…"))
	case m.screen == screenProfiles:
		return m.styles.dim.Render(ansi.Truncate("↑/↓ move · enter switch · n new profile · esc back", m.width, "…"))
	case m.screen == screenServices:
		return m.shortHelp(m.keys.servicesShort())
	}
	return m.shortHelp(m.keys.sendersShort())
}

func (m Model) fullHelp() string {
	title := m.styles.title.Render("Keys") + m.styles.dim.Render("  (? or esc closes)")
	if m.screen == screenServices {
		return title + "\n\n" + m.help.FullHelpView(m.keys.servicesFull())
	}
	return title + "\n\n" + m.help.FullHelpView(m.keys.sendersFull())
}

// shortHelp renders as many whole "key desc" items as fit in the width.
// When some do not fit, an ellipsis says so and "? help", which shows them
// all, is kept at the end. (bubbles' ShortHelpView overflows when even its
// ellipsis does not fit.)
func (m Model) shortHelp(bindings []key.Binding) string {
	st := m.help.Styles
	sep := st.ShortSeparator.Render(" • ")
	render := func(kb key.Binding) string {
		return st.ShortKey.Render(kb.Help().Key) + " " + st.ShortDesc.Render(kb.Help().Desc)
	}
	var items []string
	for _, kb := range bindings {
		if kb.Enabled() {
			items = append(items, render(kb))
		}
	}
	if all := strings.Join(items, sep); ansi.StringWidth(all) <= m.width {
		return all
	}
	help := render(m.keys.Help)
	tail := st.Ellipsis.Render("…")
	if m.keys.Help.Enabled() && slices.Contains(items, help) {
		items = slices.DeleteFunc(items, func(s string) bool { return s == help })
		tail += sep + help
	}
	var b strings.Builder
	used := 0
	for _, item := range items {
		if used > 0 {
			item = sep + item
		}
		w := ansi.StringWidth(item)
		if used+w+ansi.StringWidth(sep+tail) > m.width {
			break
		}
		b.WriteString(item)
		used += w
	}
	if used > 0 {
		b.WriteString(sep)
	}
	b.WriteString(tail)
	return ansi.Truncate(b.String(), m.width, "")
}
