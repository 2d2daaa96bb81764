package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// helpDialog lists every key of the layer under it, as that layer
// answers them when help opened.
type helpDialog struct {
	groups [][]key.Binding
	width  int
	height int
}

func newHelpDialog(c *common, under layer) helpDialog {
	var groups [][]key.Binding
	for _, g := range under.help(c) {
		if g = enabled(g); len(g) > 0 {
			groups = append(groups, g)
		}
	}
	return helpDialog{groups: groups}
}

func (h helpDialog) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	if kp, ok := msg.(tea.KeyPressMsg); ok && key.Matches(kp, c.keys.Help.Close) {
		return h, nil, closeDialog{}
	}
	return h, nil, nil
}

func (h helpDialog) help(c *common) [][]key.Binding {
	return [][]key.Binding{{c.keys.Help.Close, c.keys.Global.Quit}}
}

func (h helpDialog) footer(c *common) []key.Binding { return h.help(c)[0] }

func (h helpDialog) setSize(w, hh int) layer {
	h.width, h.height = w, hh
	return h
}

func (h helpDialog) takesText() bool { return false }
func (h helpDialog) busy() bool      { return false }

func (h helpDialog) view(c *common) string {
	title := c.styles.title.Render("Keys") + c.styles.dim.Render("  (? or esc closes)")
	hm := c.help
	hm.SetWidth(h.width)
	return title + "\n\n" + hm.FullHelpView(h.groups)
}

func (h helpDialog) stop() {}
