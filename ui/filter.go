package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// newInput is a one-line text field with a steady cursor (a blinking one
// repaints twice a second: costly over SSH), in the current colours.
func newInput(c *common, prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetStyles(c.styles.input)
	return in
}

// filterField is a screen's filter: the text in force, and the field that
// edits it while it has the keyboard.
type filterField struct {
	input   textinput.Model
	editing bool
}

func newFilterField(c *common, placeholder string) filterField {
	return filterField{input: newInput(c, "/", placeholder, 80)}
}

// value is the filter as typed.
func (f filterField) value() string { return f.input.Value() }

func (f filterField) active() bool { return f.value() != "" }

// edit gives the field the keyboard.
func (f filterField) edit() (filterField, tea.Cmd) {
	f.editing = true
	f.input.CursorEnd()
	return f, f.input.Focus()
}

// clear empties the field and gives the keyboard back.
func (f filterField) clear() filterField {
	f.editing = false
	f.input.Blur()
	f.input.SetValue("")
	return f
}

// filterOutcome is what a key did to the filter.
type filterOutcome int

const (
	filterTyped filterOutcome = iota // the text may have changed
	filterKept                       // enter: the filter stays, the list has the keyboard
	filterLeft                       // ↑/↓: kept, and the key moves the list
	filterCleared
)

// update edits the field; the caller applies value() to its list.
func (f filterField) update(c *common, msg tea.Msg) (filterField, tea.Cmd, filterOutcome) {
	k := c.keys.Filter
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Keep):
			f.editing = false
			f.input.Blur()
			return f, nil, filterKept
		case key.Matches(kp, k.Leave):
			f.editing = false
			f.input.Blur()
			return f, nil, filterLeft
		case key.Matches(kp, k.Clear):
			return f.clear(), nil, filterCleared
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f, cmd, filterTyped
}

// help is the field's keys while it has the keyboard.
func (f filterField) help(c *common) [][]key.Binding {
	k := c.keys.Filter
	return [][]key.Binding{{k.Keep, k.Leave, k.Clear}}
}

// line is the status line while editing: the field and the count.
func (f filterField) line(c *common, shown, total int) string {
	f.input.SetWidth(max(10, c.width-30))
	return f.input.View() + c.styles.dim.Render(fmt.Sprintf("  %d of %d · enter keep · esc clear", shown, total))
}
