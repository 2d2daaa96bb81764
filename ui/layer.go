package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// layer is a screen or a dialog: it owns its state and offers the same few
// methods. None is a tea.Model: the root routes messages to them.
//
//   - update handles a message: a key only when this layer is on top and
//     lists the key (or takes text); every other message always, so a
//     screen under a dialog keeps receiving its replies. It returns what it
//     wants done: a command (I/O happens there) and an action for the root.
//   - view draws the layer's body in the size set by setSize.
//   - help lists the keys it answers now, by group; the first group is
//     also the footer, most useful first.
type layer interface {
	update(c *common, msg tea.Msg) (layer, tea.Cmd, action)
	view(c *common) string
	help(c *common) [][]key.Binding
	footer(c *common) []key.Binding
	setSize(width, height int) layer
	// takesText: printable keys are typed into a field, not matched.
	takesText() bool
	// busy: a request runs, so the spinner turns.
	busy() bool
	// stop cancels the layer's requests when it closes.
	stop()
}

// screen is a layer of the navigation stack: it has a title for the
// header, an error banner and a status line.
type screen interface {
	layer
	title(c *common) string
	banner(c *common) string
	statusLine(c *common) string
}

// action is what a layer asks the root to do.
type action interface{ isAction() }

// pushScreen opens a screen on top of the navigation stack.
type pushScreen struct{ s screen }

// popScreen goes back to the screen below.
type popScreen struct{}

// openDialog puts a dialog over the screens.
type openDialog struct{ d layer }

// closeDialog closes the top dialog; result, if not nil, is then given to
// the layer below it (the dialog's answer: attach this SID, detach that
// sender…), within the same Update.
type closeDialog struct{ result tea.Msg }

// quitNow ends the program.
type quitNow struct{}

// connect replaces every screen with a new connection's first screen.
type connect struct{ conn Connection }

// startChange records a change about to be sent, so quitting can say
// whether it happened.
type startChange struct{ c change }

// actions runs several actions in order.
type actions []action

func (pushScreen) isAction()  {}
func (popScreen) isAction()   {}
func (openDialog) isAction()  {}
func (closeDialog) isAction() {}
func (quitNow) isAction()     {}
func (connect) isAction()     {}
func (startChange) isAction() {}
func (actions) isAction()     {}

// answers reports whether the layer takes this key: it lists it, or it
// types printable keys into a field.
func answers(c *common, l layer, msg tea.KeyPressMsg) bool {
	for _, b := range flat(l.help(c)) {
		if b.Enabled() && key.Matches(msg, b) {
			return true
		}
	}
	return l.takesText() && isTyping(msg)
}

// isTyping reports keys that edit a text field: printable text, and the
// editing keys a field understands.
func isTyping(msg tea.KeyPressMsg) bool {
	if msg.Text != "" {
		return true
	}
	switch msg.String() {
	case "backspace", "delete", "left", "right", "home", "end", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "alt+backspace", "ctrl+h", "ctrl+d", "alt+left", "alt+right", "ctrl+left", "ctrl+right":
		return true
	}
	return false
}
