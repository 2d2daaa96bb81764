//go:build senderpool_crashtest

package ui

import tea "charm.land/bubbletea/v2"

// crashHook lets the terminal-restore tests crash a test build on purpose:
// f11 panics in Update, f12 in View. Real builds never have it.
func crashHook(msg tea.Msg) (inUpdate, inView bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return k.String() == "f11", k.String() == "f12"
	}
	return false, false
}
