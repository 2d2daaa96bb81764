package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// confirmDetach is the dialog that guards a detach. Cancel is the default
// choice, so an absent-minded enter does nothing harmful.
type confirmDetach struct {
	sender  api.ChannelSender
	service api.Service
	detach  bool // the "Detach" button has focus
}

// update handles a key: confirmed or cancelled end the dialog.
func (c confirmDetach) update(msg tea.KeyPressMsg) (next confirmDetach, confirmed, done bool) {
	switch msg.String() {
	case "y", "Y":
		return c, true, true
	case "n", "N", "esc", "q":
		return c, false, true
	case "left", "right", "tab", "shift+tab", "h", "l":
		c.detach = !c.detach
		return c, false, false
	case "enter", "space":
		return c, c.detach, true
	}
	return c, false, false
}

func (c confirmDetach) view(width int, st styles) string {
	s := c.sender
	lines := []string{
		st.title.Render(fit("Detach this sender?", width)),
		"",
		fit("  Sender   "+displayOr(s.Sender, "—"), width),
		fit("  Type     "+api.SenderKind(s), width),
		fit("  SID      "+displayOr(s.SID, "—"), width),
		fit("  Service  "+serviceTitleLong(c.service), width),
		"",
	}
	for _, w := range wrap("Caution: routing may change (sticky sender). This service stops sending from this sender, and recipients who were stuck to it move to another sender of the pool.", width) {
		lines = append(lines, st.warning.Render(w))
	}
	cancel, detach := "[ Cancel ]", "[ Detach ]"
	if c.detach {
		detach = st.selected.Render("› Detach ‹")
	} else {
		cancel = st.selected.Render("› Cancel ‹")
	}
	lines = append(lines, "", "  "+cancel+"   "+detach, "", st.dim.Render(fit("y detach · n/esc cancel · ←/→ choose · enter confirms the choice", width)))
	return strings.Join(lines, "\n")
}

func serviceTitleLong(s api.Service) string {
	if s.FriendlyName == "" {
		return s.SID
	}
	return cleanText(s.FriendlyName) + " (" + s.SID + ")"
}

// wrap breaks text into lines of at most width cells at spaces, keeping
// the text's own line breaks.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrapLine(para, width)...)
	}
	return lines
}

func wrapLine(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, fit(line, width))
	}
	for i := range lines {
		lines[i] = fit(lines[i], width)
	}
	return lines
}
