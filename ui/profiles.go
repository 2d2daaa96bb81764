package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/senderpool/senderpool/text"
)

// profilesScreen lists the stored profiles (p) so a person can switch
// accounts without leaving the dashboard.
type profilesScreen struct {
	entries   []ProfileEntry
	cursor    int
	list      loader
	open      loader
	switching string // the profile being opened
	problem   string
	width     int
	height    int
}

// profilesMsg is the reply to Sessions.Profiles.
type profilesMsg struct {
	req     int
	entries []ProfileEntry
	err     error
}

// switchedMsg is the reply to Sessions.Switch.
type switchedMsg struct {
	req     int
	profile string
	tried   bool // a passphrase was given
	conn    Connection
	err     error
}

// passphraseMsg is the passphrase dialog's answer.
type passphraseMsg struct{ profile, passphrase string }

func newProfilesScreen(c *common) (profilesScreen, tea.Cmd) {
	var p profilesScreen
	ctx, req := p.list.start(c)
	sessions := c.sessions
	return p, func() tea.Msg {
		entries, err := sessions.Profiles(ctx)
		return profilesMsg{req: req, entries: entries, err: err}
	}
}

func (p profilesScreen) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case profilesMsg:
		if !p.list.current(msg.req) {
			return p, nil, nil
		}
		p.list.finish(msg.err)
		if msg.err != nil {
			p.problem = errorText(c, msg.err)
			return p, nil, nil
		}
		p.entries = msg.entries
		for i, e := range msg.entries {
			if e.Name == c.identity.Profile {
				p.cursor = i
			}
		}
		return p, nil, nil
	case switchedMsg:
		if !p.open.current(msg.req) {
			return p, nil, nil
		}
		p.open.finish(msg.err)
		p.switching = ""
		switch {
		case errors.Is(msg.err, ErrNeedPassphrase):
			d := newPassphraseDialog(c, msg.profile, msg.tried)
			return p, nil, openDialog{d.setSize(p.width, p.height)}
		case msg.err != nil:
			p.problem = errorText(c, msg.err)
			return p, nil, nil
		}
		return p, nil, connect{msg.conn}
	case passphraseMsg:
		return p.startSwitch(c, SwitchRequest{Profile: msg.profile, Passphrase: msg.passphrase})
	case tea.KeyPressMsg:
		return p.onKey(c, msg)
	}
	return p, nil, nil
}

func (p profilesScreen) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	k, lk := c.keys.Profiles, c.keys.List
	if p.switching != "" {
		return p, nil, nil
	}
	switch {
	case key.Matches(msg, lk.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, lk.Down):
		p.cursor = max(0, min(len(p.entries)-1, p.cursor+1))
	case key.Matches(msg, k.Back, c.keys.Global.Profiles):
		p.list.abandon()
		return p, nil, popScreen{}
	case key.Matches(msg, k.New):
		l := newLoginScreen(c, "", "Add a profile: its secret is checked, then stored in the OS keyring or an encrypted file.", true)
		return p, nil, pushScreen{l.setSize(p.width, p.height).(screen)}
	case key.Matches(msg, k.Switch):
		if p.cursor < 0 || p.cursor >= len(p.entries) {
			return p, nil, nil
		}
		return p.startSwitch(c, SwitchRequest{Profile: p.entries[p.cursor].Name})
	}
	return p, nil, nil
}

func (p profilesScreen) startSwitch(c *common, r SwitchRequest) (layer, tea.Cmd, action) {
	p.switching, p.problem = r.Profile, ""
	ctx, req := p.open.start(c)
	return p, switchCmd(ctx, c.sessions, req, r), nil
}

func (p profilesScreen) help(c *common) [][]key.Binding {
	k, g := c.keys.Profiles, c.keys.Global
	if p.switching != "" {
		return [][]key.Binding{{g.Quit}}
	}
	back := key.NewBinding(key.WithKeys("esc", "p"), key.WithHelp("esc/p", "back"))
	return [][]key.Binding{{c.keys.List.Up, c.keys.List.Down, k.Switch, k.New, back, g.Help, g.Quit}}
}

func (p profilesScreen) footer(c *common) []key.Binding { return p.help(c)[0] }

func (p profilesScreen) setSize(w, h int) layer {
	p.width, p.height = w, h
	return p
}

func (p profilesScreen) takesText() bool             { return false }
func (p profilesScreen) busy() bool                  { return p.list.running || p.open.running }
func (p profilesScreen) title(c *common) string      { return "" }
func (p profilesScreen) banner(c *common) string     { return "" }
func (p profilesScreen) statusLine(c *common) string { return "" }

func (p profilesScreen) view(c *common) string {
	st, width := c.styles, p.width
	lines := []string{st.title.Render(fit("Profiles", width)), ""}
	switch {
	case p.list.running:
		lines = append(lines, c.spin+" reading profiles…")
	case len(p.entries) == 0 && p.problem == "":
		lines = append(lines, "No stored profiles yet: n adds one.")
	}
	for i, e := range p.entries {
		marker := "  "
		if i == p.cursor {
			marker = "› "
		}
		var tags []string
		if e.Name == c.identity.Profile {
			tags = append(tags, "in use")
		}
		if e.Default {
			tags = append(tags, "default")
		}
		state := "reachable"
		if e.Problem != "" {
			state = "✗ " + text.OneLine(firstLineOf(e.Problem))
		}
		tag := ""
		if len(tags) > 0 {
			tag = "[" + strings.Join(tags, ", ") + "]"
		}
		line := fmt.Sprintf("%s%-16s %-17s %s  %s · %s · %s", marker, text.Clean(e.Name), tag, shortSID(e.AccountSID), text.Clean(e.Auth), text.Clean(e.Storage), state)
		if i == p.cursor {
			line = st.selected.Render(fit(line, width))
		}
		lines = append(lines, fit(line, width))
	}
	lines = append(lines, "")
	switch {
	case p.switching != "":
		lines = append(lines, c.spin+" opening "+text.Clean(p.switching)+"…")
	case p.problem != "":
		for _, w := range wrap("✗ "+text.Lines(p.problem), width) {
			lines = append(lines, st.errorText.Render(w))
		}
	}
	return strings.Join(lines, "\n")
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func (p profilesScreen) stop() {
	p.list.stop()
	p.open.stop()
}
