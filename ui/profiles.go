package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// profileSwitcher lists the stored profiles (p) so a person can switch
// accounts without leaving the dashboard.
type profileSwitcher struct {
	entries   []ProfileEntry
	cursor    int
	loading   bool
	switching string // the profile being opened
	problem   string
	req       int
}

// profilesMsg is the reply to Sessions.Profiles.
type profilesMsg struct {
	req     int
	entries []ProfileEntry
	err     error
}

func (m Model) openProfiles() (tea.Model, tea.Cmd) {
	if m.sessions == nil {
		m.notice = "profiles are not available here"
		return m, nil
	}
	m.profilesReturn = m.screen
	m.screen = screenProfiles
	m.profiles = profileSwitcher{loading: true, req: m.nextReq()}
	req, sessions, ctx := m.profiles.req, m.sessions, m.ctx
	return m, tea.Batch(m.spinner.Tick, func() tea.Msg {
		entries, err := sessions.Profiles(ctx)
		return profilesMsg{req: req, entries: entries, err: err}
	})
}

func (m Model) onProfiles(msg profilesMsg) (tea.Model, tea.Cmd) {
	if msg.req != m.profiles.req {
		return m, nil
	}
	m.profiles.loading = false
	if msg.err != nil {
		m.profiles.problem = errorText(msg.err)
		return m, nil
	}
	m.profiles.entries = msg.entries
	for i, e := range msg.entries {
		if e.Name == m.identity.Profile {
			m.profiles.cursor = i
		}
	}
	return m, nil
}

func (m Model) onProfilesKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	p := &m.profiles
	if p.switching != "" {
		return m, nil
	}
	switch msg.String() {
	case "up", "k":
		p.cursor = max(0, p.cursor-1)
	case "down", "j":
		p.cursor = min(len(p.entries)-1, p.cursor+1)
	case "esc", "p":
		m.screen = m.profilesReturn
	case "n":
		m.loginReturn = m.profilesReturn
		return m.openLogin("Add a profile: its secret is checked, then stored in the OS keyring or an encrypted file."), nil
	case "enter":
		if p.cursor < 0 || p.cursor >= len(p.entries) {
			return m, nil
		}
		e := p.entries[p.cursor]
		p.switching, p.problem = e.Name, ""
		m.login.req = m.nextReq()
		return m, tea.Batch(m.spinner.Tick, switchCmd(m.ctx, m.sessions, m.login.req, e.Name))
	}
	return m, nil
}

func (s profileSwitcher) view(current string, width int, st styles, spin string) string {
	lines := []string{st.title.Render(fit("Profiles", width)), ""}
	switch {
	case s.loading:
		lines = append(lines, spin+" reading profiles…")
	case len(s.entries) == 0 && s.problem == "":
		lines = append(lines, "No stored profiles yet: n adds one.")
	}
	for i, e := range s.entries {
		marker := "  "
		if i == s.cursor {
			marker = "› "
		}
		tags := []string{}
		if e.Name == current {
			tags = append(tags, "in use")
		}
		if e.Default {
			tags = append(tags, "default")
		}
		state := "reachable"
		if e.Problem != "" {
			state = "✗ " + firstLineOf(e.Problem)
		}
		tag := ""
		if len(tags) > 0 {
			tag = "[" + strings.Join(tags, ", ") + "]"
		}
		line := fmt.Sprintf("%s%-16s %-17s %s  %s · %s · %s", marker, cleanText(e.Name), tag, shortSID(e.AccountSID), e.Auth, e.Storage, state)
		if i == s.cursor {
			line = st.selected.Render(fit(line, width))
		}
		lines = append(lines, fit(line, width))
	}
	lines = append(lines, "")
	switch {
	case s.switching != "":
		lines = append(lines, spin+" opening "+s.switching+"…")
	case s.problem != "":
		for _, w := range wrap("✗ "+cleanLines(s.problem), width) {
			lines = append(lines, st.errorText.Render(w))
		}
	}
	return strings.Join(lines, "\n")
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
