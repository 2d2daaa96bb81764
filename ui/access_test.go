package ui

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/senderpool/senderpool/api"
)

// Test access to the layers: which screen is shown, which dialog is open,
// and the state they own.

const (
	onServices = "services"
	onSenders  = "senders"
	onLogin    = "login"
	onProfiles = "profiles"
)

// shown names the screen on top of the navigation stack.
func shown(m Model) string {
	switch m.screen().(type) {
	case servicesScreen:
		return onServices
	case sendersScreen:
		return onSenders
	case loginScreen:
		return onLogin
	case profilesScreen:
		return onProfiles
	}
	return "?"
}

// sendersOf is the senders screen on top, or a zero one.
func sendersOf(m Model) sendersScreen {
	s, _ := m.screen().(sendersScreen)
	return s
}

func servicesOf(m Model) servicesScreen {
	for _, s := range m.screens {
		if p, ok := s.(servicesScreen); ok {
			return p
		}
	}
	return servicesScreen{}
}

func loginOf(m Model) loginScreen {
	l, _ := m.screen().(loginScreen)
	return l
}

func profilesOf(m Model) profilesScreen {
	p, _ := m.screen().(profilesScreen)
	return p
}

// listOf is the sender list on screen.
func listOf(m Model) senderList { return sendersOf(m).list }

func selectedSender(m Model) (api.PoolSender, bool) { return listOf(m).selected() }

func selectedSID(m Model) string {
	s, _ := selectedSender(m)
	return s.SID
}

// dialog is the open dialog, or nil.
func dialog(m Model) layer {
	if n := len(m.dialogs); n > 0 {
		return m.dialogs[n-1]
	}
	return nil
}

func formOf(m Model) (attachForm, bool) {
	f, ok := dialog(m).(attachForm)
	return f, ok
}

func confirmOf(m Model) (confirmDialog, bool) {
	d, ok := dialog(m).(confirmDialog)
	return d, ok
}

func helpOpen(m Model) bool {
	_, ok := dialog(m).(helpDialog)
	return ok
}

// shownService is the service whose senders are on screen.
func shownService(m Model) api.Service { return sendersOf(m).service }

// filtering reports whether a filter field has the keyboard.
func filtering(m Model) bool {
	switch s := m.screen().(type) {
	case servicesScreen:
		return s.filter.editing
	case sendersScreen:
		return s.filter.editing
	}
	return false
}

func form(m Model) attachForm {
	f, _ := formOf(m)
	return f
}

func isForm(m Model) bool {
	_, ok := formOf(m)
	return ok
}

func isConfirm(m Model) bool {
	_, ok := confirmOf(m)
	return ok
}

// filterValue is the text of the filter field of the screen on top.
func filterValue(m Model) string {
	switch s := m.screen().(type) {
	case servicesScreen:
		return s.filter.value()
	case sendersScreen:
		return s.filter.value()
	}
	return ""
}

// setLoginField sets a field of the login screen on top.
func setLoginField(m Model, field int, v string) Model {
	l := loginOf(m)
	l.inputs[field].SetValue(v)
	m.screens[len(m.screens)-1] = l
	return m
}

func itoa(i int) string { return strconv.Itoa(i) }

func typeName(v any) string { return fmt.Sprintf("%T", v) }

func valueString(v any) string { return fmt.Sprintf("%s", v) }

// pool is channel senders as pool members.
func pool(ss []api.ChannelSender) []api.PoolSender {
	out := make([]api.PoolSender, len(ss))
	for i, s := range ss {
		out[i] = s.PoolSender()
	}
	return out
}

// poolSIDs is the sorted SIDs of pool members.
func poolSIDs(ss []api.PoolSender) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.SID
	}
	slices.Sort(out)
	return out
}
