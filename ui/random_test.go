package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// randomInput is one step of a random session: a key, a paste or a resize.
func randomInput(r *rand.Rand, catalogue []string) []tea.Msg {
	keys := []string{"j", "k", "g", "G", "up", "down", "pgup", "pgdown", "enter", "tab", "esc", "s", "r", "a", "d", "y", "n", "/", "?", "left", "right", "space", "backspace", "x", "1", "W", "E"}
	switch n := r.IntN(100); {
	case n < 4: // an esc storm
		msgs := make([]tea.Msg, 5+r.IntN(10))
		for i := range msgs {
			msgs[i] = keyPress("esc")
		}
		return msgs
	case n < 10:
		return []tea.Msg{tea.WindowSizeMsg{Width: 1 + r.IntN(170), Height: 1 + r.IntN(60)}}
	case n < 14:
		pastes := []string{"XE", "whatsapp:+1", "\x1b[31mred\x1b[0m", "長い名前🚀", strings.Repeat("x", 200), "\n\t"}
		pastes = append(pastes, catalogue...)
		return []tea.Msg{tea.PasteMsg{Content: pastes[r.IntN(len(pastes))]}}
	}
	k := keys[r.IntN(len(keys))]
	switch k {
	case "space":
		return []tea.Msg{tea.KeyPressMsg{Code: ' ', Text: " "}}
	case "backspace":
		return []tea.Msg{tea.KeyPressMsg{Code: tea.KeyBackspace}}
	case "left":
		return []tea.Msg{tea.KeyPressMsg{Code: tea.KeyLeft}}
	case "right":
		return []tea.Msg{tea.KeyPressMsg{Code: tea.KeyRight}}
	}
	return []tea.Msg{keyPress(k)}
}

// TestRandomSessions drives the dashboard against the fake with a thousand
// short random sessions (keys, pastes, resizes, esc storms), each from a
// fresh dashboard, on a few workers that each keep one fake. After every
// step: no line wider than the terminal, and the cursor on a real sender
// whenever senders are listed. After settling, the list equals the
// server's state.
func TestRandomSessions(t *testing.T) {
	sequences, steps, workers := 1000, 20, 4
	if testing.Short() || raceEnabled { // the race detector is ~10× slower
		sequences = 150
	}
	t.Logf("%d random sessions of %d inputs", sequences, steps)
	for w := range workers {
		t.Run(fmt.Sprint("worker", w), func(t *testing.T) {
			t.Parallel()
			fake, client := demoClient(t, api.Config{})
			for seq := w; seq < sequences && !t.Failed(); seq += workers {
				m := press(t, start(t, newTestModel(t, client, 100, 30)), "enter")
				randomSession(t, m, fake, seq, steps)
			}
		})
	}
}

// randomSession runs one random session; seq seeds it (the fake's state
// also depends on the sessions its worker ran before).
func randomSession(t *testing.T, m Model, fake *twiliotest.Fake, seq, steps int) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(seq), 0x5e11de75))
	var catalogue []string
	for _, s := range fake.ServiceSIDs() {
		catalogue = append(catalogue, fake.AttachedSIDs(s)...)
	}
	var trail []string
	for step := range steps {
		for _, msg := range randomInput(r, catalogue) {
			trail = append(trail, fmt.Sprintf("%v", msg))
			m = update(t, m, msg)
		}
		if m.tooSmall() {
			continue
		}
		for i, l := range strings.Split(m.View().Content, "\n") {
			if w := lipWidth(l); w > m.c.width {
				t.Fatalf("session %d, step %d: line %d is %d wide in %d columns: %q\nlast inputs: %v", seq, step, i, w, m.c.width, l, lastN(trail, 12))
			}
		}
		if shown(m) == onSenders && len(listOf(m).rows) > 0 {
			if _, ok := selectedSender(m); !ok {
				t.Fatalf("session %d, step %d: cursor %d on a header\nlast inputs: %v", seq, step, listOf(m).cursor, lastN(trail, 12))
			}
		}
	}
	// Settle: close whatever is open, then refresh the service on screen.
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for range 6 {
		m = update(t, m, keyPress("esc"))
	}
	if shown(m) == onServices {
		m = press(t, m, "enter")
	}
	if shown(m) == onLogin || shown(m) == onProfiles {
		t.Fatalf("session %d ended on screen %s", seq, shown(m))
	}
	m = press(t, m, "r")
	if got, want := listedSIDs(m), fake.AttachedSIDs(shownService(m).SID); !slices.Equal(got, want) {
		t.Fatalf("session %d: after settling the list shows %d senders, the server has %d\nlast inputs: %v", seq, len(got), len(want), lastN(trail, 20))
	}
}

func lastN(s []string, n int) []string { return s[max(0, len(s)-n):] }
