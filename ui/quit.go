package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/senderpool/senderpool/text"
)

// changeEnded forgets a change in flight; when quitting, its outcome is
// kept for the report printed after the terminal is restored.
func (m *Model) changeEnded(k changeKey, err error) {
	ch, ok := m.c.changes[k]
	if !ok {
		return
	}
	m.c.endChange(k)
	if !m.quitting {
		return
	}
	if err != nil {
		m.farewell = append(m.farewell, "✗ "+ch.describe(&m.c)+" failed: "+text.OneLine(errorText(&m.c, err)))
		return
	}
	m.farewell = append(m.farewell, "✓ "+ch.describe(&m.c)+": done")
}

// interrupt ends everything at once: what was in flight is reported as
// unknown now, since its cancelled reply may still reach Update before
// the program stops.
func (m *Model) interrupt() {
	m.farewell = append(slices.Clip(m.farewell), m.unknownOutcomes()...)
	m.c.changes = nil
	m.quit()
}

// unknownOutcomes are the changes in flight, in words.
func (m Model) unknownOutcomes() []string {
	var open []string
	for _, ch := range m.c.changes {
		if isBatchKey(ch.key) {
			continue // its senders are listed one by one
		}
		open = append(open, "? "+ch.describe(&m.c)+": interrupted, it may or may not have happened (check with: senderpool list --service "+text.Clean(ch.key.service)+")")
	}
	slices.Sort(open)
	return open
}

// askQuit quits, or, with changes in flight, waits for them to end so the
// person learns their outcome. A batch is stopped first: quitting waits
// for its requests in flight, not for the whole batch.
func (m *Model) askQuit() tea.Cmd {
	if len(m.c.changes) == 0 {
		m.quit()
		return tea.Quit
	}
	m.quitting = true
	return m.broadcast(quitWaitMsg{})
}

// quitReport names the changes that ended while quitting, and those cut
// off by ctrl+c or still in flight: their outcome is unknown.
func (m Model) quitReport() string {
	return strings.Join(append(slices.Clip(m.farewell), m.unknownOutcomes()...), "\n")
}

// QuitReport is what the person must know after the dashboard ends: the
// outcome of changes that were in flight when it quit, one per line; ""
// when there is nothing to tell. The caller prints it once the terminal
// is restored.
func (m Model) QuitReport() string { return m.quitReport() }

// isBatchKey reports the change that stands for a whole batch.
func isBatchKey(k changeKey) bool { return strings.HasPrefix(k.sid, "batch:") }
