package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// newFilterInput is the one-line filter field shown in the status line.
func newFilterInput() textinput.Model {
	return newInput("/", "sender, SID, type, country or status", 80)
}

// newInput is a one-line text field with a steady cursor (a blinking one
// repaints twice a second: costly over SSH). Its colours are set by
// Model.styleInputs, once the terminal's background is known.
func newInput(prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

// startFilter focuses the filter field on the current screen's filter:
// the service picker and the sender list each keep their own.
func (m Model) startFilter() (tea.Model, tea.Cmd) {
	m.filtering = true
	m.filterInput.SetValue(m.filterText())
	m.filterInput.CursorEnd()
	return m, m.filterInput.Focus()
}

// filterText is the filter in force on the current screen.
func (m Model) filterText() string {
	if m.screen == screenServices {
		return m.picker.filter
	}
	return m.list.filter
}

// applyFilter sets the current screen's filter.
func (m *Model) applyFilter(q string) {
	if m.screen == screenServices {
		m.picker.setFilter(q)
		return
	}
	m.list.setFilter(q)
}

// onFilterKey edits the filter; the list follows every keystroke. Enter
// keeps the filter and returns to the list; esc clears it.
func (m Model) onFilterKey(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter", "down", "up":
			m.filtering = false
			m.filterInput.Blur()
			if k.String() != "enter" {
				if m.screen == screenServices {
					return m.onServicesKey(k)
				}
				return m.onSendersKey(k)
			}
			return m, nil
		case "esc":
			return m.clearFilter(), nil
		}
	}
	var cmd tea.Cmd
	m.filterInput, cmd = m.filterInput.Update(msg)
	m.applyFilter(m.filterInput.Value())
	return m, cmd
}

func (m Model) clearFilter() Model {
	m.filtering = false
	m.filterInput.Blur()
	m.filterInput.SetValue("")
	m.applyFilter("")
	return m
}
