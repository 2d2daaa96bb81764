package ui

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// ownStyling is the only escape sequence the dashboard itself writes into
// a frame: SGR colours and attributes.
var ownStyling = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// checkBytes fails when a frame holds anything but printable text, line
// breaks and our own SGR styling: a control, an escape sequence, a C1,
// bidi or invisible format character, or invalid UTF-8.
func checkBytes(t *testing.T, where string, m Model) {
	t.Helper()
	frame := m.View().Content
	rest := ownStyling.ReplaceAllString(frame, "")
	if !utf8.ValidString(rest) {
		t.Fatalf("%s: the frame holds invalid UTF-8", where)
	}
	for i, r := range rest {
		bad := r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 ||
			unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
		if bad {
			lo, hi := max(0, i-40), min(len(rest), i+40)
			t.Fatalf("%s: the frame holds %U at byte %d: %q", where, r, i, rest[lo:hi])
		}
	}
	checkWidth(t, m)
	if n := strings.Count(frame, "\n") + 1; n > m.c.height {
		t.Fatalf("%s: %d lines in a %d-line terminal", where, n, m.c.height)
	}
}

// TestHostileTextNeverReachesTheTerminal serves HostileValues in every
// field the fake has and walks every screen and dialog over them,
// checking the bytes of each frame, and what y puts on the clipboard.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	fake, client := demoWith(t, twiliotest.DemoOptions{}, api.Config{})
	h := fake.AddHostile()
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		m := start(t, newTestModel(t, client, size[0], size[1]))
		checkBytes(t, "the service picker", m)

		// The service with a hostile SID is shown escaped and cannot be opened.
		m = pickService(t, m, h.BadService)
		m = press(t, m, "enter")
		if shown(m) != onServices || !strings.Contains(rendered(m), "malformed service SID") {
			t.Fatalf("a service with a malformed SID was opened, or not refused in words:\n%s", rendered(m))
		}
		checkBytes(t, "the refusal", m)

		m = pickService(t, m, h.Service)
		m = press(t, m, "enter")
		checkBytes(t, "the hostile service", m)
		if listOf(m).senderCount() != len(h.Senders)+1 {
			t.Fatalf("%d senders listed, want %d", listOf(m).senderCount(), len(h.Senders)+1)
		}
		m = press(t, m, "g")
		for i := range listOf(m).senderCount() {
			checkBytes(t, "sender row "+itoa(i), m)
			sel := selectedSID(m)
			next, cmd := m.Update(keyPress("y"))
			m = next.(Model)
			clip := clipboardOf(cmd)
			switch {
			case sel == h.BadSender && clip != "":
				t.Fatalf("y copied a malformed SID: %q", clip)
			case sel == h.BadSender && !strings.Contains(rendered(m), "malformed SID"):
				t.Fatalf("y on a malformed SID does not say why nothing was copied:\n%s", rendered(m))
			case sel != h.BadSender && clip != sel:
				t.Fatalf("y copied %q, want the SID %q", clip, sel)
			}
			checkBytes(t, "after y", m)
			m = press(t, m, "tab")
			checkBytes(t, "the detail pane", m)
			m = press(t, m, "esc", "d")
			if sel == h.BadSender {
				if dialog(m) != nil {
					t.Fatal("d opened a confirmation for a malformed SID")
				}
			} else {
				checkBytes(t, "the detach confirmation", m)
				m = press(t, m, "esc")
			}
			m = press(t, m, "j")
		}

		m = press(t, m, "a")
		for range len(h.Free) + 2 {
			checkBytes(t, "the attach picker", m)
			m = press(t, m, "down")
		}
		m = press(t, m, "esc", "?")
		checkBytes(t, "help", m)
		m = press(t, m, "esc")

		for _, v := range twiliotest.HostileValues()[:6] {
			fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21710, Message: v})
			m = press(t, m, "r")
			checkBytes(t, "an error banner", m)
		}
		fake.ClearFaults()
	}
}

// pickService moves the picker's cursor onto the service with this SID.
func pickService(t *testing.T, m Model, sid string) Model {
	t.Helper()
	m = press(t, m, "g")
	for range len(servicesOf(m).picker.services) {
		if s, _ := servicesOf(m).picker.selected(); s.SID == sid {
			return m
		}
		m = press(t, m, "j")
	}
	t.Fatalf("no service %q in the picker", sid)
	return m
}

// clipboardOf is what a command puts on the clipboard, "" for nothing.
func clipboardOf(cmd tea.Cmd) string {
	for _, msg := range flattenShallow(cmd) {
		if s := fmtClipboard(msg); s != "" {
			return s
		}
	}
	return ""
}

func fmtClipboard(msg tea.Msg) string {
	if msg == nil {
		return ""
	}
	// tea.SetClipboard's message type is unexported: its text is its value.
	if name := typeName(msg); strings.Contains(name, "setClipboardMsg") {
		return valueString(msg)
	}
	return ""
}
