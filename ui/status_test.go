package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// Senders of the demo's first service whose v2 status is not ONLINE.
const (
	offlineSender  = "whatsapp:+4915112345678"
	updatingSender = "rcs:acme_alerts_agent"
)

// TestSenderStatus: the pool's list shows, from the Senders API, which
// senders are not ONLINE (in words, on the row and in the status line),
// and the detail pane gives each one's status and profile name.
func TestSenderStatus(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	l := newLoop(t, newTestModel(t, client, 120, 30))
	l.send(startMsg{})
	l.settle()
	indexed := fake.Requests(twiliotest.RouteListAccountSenders) // the services screen's index
	l.openService()
	s := rendered(l.m)
	for _, want := range []string{"OFFLINE  DE", "ONLINE:UPDATING", "2 not ONLINE · 3 WhatsApp · 2 Messenger · 2 RCS · 4 numbers · 2 alpha"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	if n := fake.Requests(twiliotest.RouteListAccountSenders) - indexed; n != 2 {
		t.Errorf("%d requests for the status, want 2 (WhatsApp and RCS)", n)
	}
	l.press("/")
	l.typeText("offline")
	if got := listedSenders(l.m); len(got) != 1 || got[0] != offlineSender {
		t.Errorf("the filter \"offline\" shows %v, want just %s", got, offlineSender)
	}
	l.press("esc")
	for _, tt := range []struct {
		sender string
		want   []string
	}{
		{offlineSender, []string{"Status    OFFLINE", "Profile   Acme Deutschland"}},
		{"whatsapp:+14155550100", []string{"Status    ONLINE", "Profile   Acme Support"}},
		{"messenger:104794531907950", []string{"Status    — (none for Messenger)"}},
	} {
		selectSender(t, l, tt.sender)
		detail := detailText(l.m)
		for _, want := range tt.want {
			if !strings.Contains(detail, want) {
				t.Errorf("%s: the detail pane lacks %q:\n%s", tt.sender, want, detail)
			}
		}
	}
}

// TestSenderStatusUnavailable: when the Senders API refuses (an API key
// without that permission), the pool still shows, no error banner covers
// it, and the detail pane says why the status is unknown.
func TestSenderStatusUnavailable(t *testing.T) {
	fake, client := demoClient(t, api.Config{Retry: api.RetryPolicy{MaxAttempts: 1}})
	fake.AddFault(twiliotest.RouteListAccountSenders, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 403, Code: 20403, Message: "Permission denied", Times: -1})
	l := newLoop(t, newTestModel(t, client, 120, 30))
	l.openService()
	s := rendered(l.m)
	if strings.Contains(s, "✗") || strings.Contains(s, "not ONLINE") || listOf(l.m).rowCount() == 0 {
		t.Errorf("a status failure disturbed the list:\n%s", s)
	}
	selectSender(t, l, offlineSender)
	if detail := detailText(l.m); !strings.Contains(detail, "Status    unknown: Permission denied · error 20403") {
		t.Errorf("the detail pane does not say why the status is unknown:\n%s", detail)
	}
	fake.ClearFaults()
	l.press("r")
	l.settle()
	if s := rendered(l.m); !strings.Contains(s, "OFFLINE  DE") {
		t.Errorf("r did not bring the status back:\n%s", s)
	}
}

// selectSender moves the cursor to the row of a sender string.
func selectSender(t *testing.T, l *loop, sender string) {
	t.Helper()
	l.press("g")
	for range listOf(l.m).senderCount() {
		if s, _ := selectedSender(l.m); s.Address == sender {
			return
		}
		l.press("j")
	}
	t.Fatalf("no row for %s:\n%s", sender, rendered(l.m))
}

// detailText is the whole detail pane of the selected sender, unstyled.
func detailText(m Model) string {
	title, fields := sendersOf(m).detailPane(&m.c)
	return ansi.Strip(detailView(title, fields, 100, 40, 0, m.c.styles))
}

// listedSenders is the sender strings of the rows shown.
func listedSenders(m Model) []string {
	var out []string
	for _, g := range listOf(m).shownGroups() {
		for _, s := range g.Senders {
			out = append(out, s.Address)
		}
	}
	return out
}
