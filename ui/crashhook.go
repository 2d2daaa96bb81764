//go:build !senderpool_crashtest

package ui

import tea "charm.land/bubbletea/v2"

// crashHook is inert in real builds; see crashhook_crashtest.go.
func crashHook(tea.Msg) (inUpdate, inView bool) { return false, false }
