package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/senderpool/senderpool/api"
)

// TestEveryScreenAt80x24 renders each screen in a classic 80×24 terminal:
// everything fits and the essentials are on screen.
func TestEveryScreenAt80x24(t *testing.T) {
	withSessions := func(o *Options) {
		o.Sessions = &fakeSessions{entries: []ProfileEntry{{Name: "dev", AccountSID: "AC" + strings.Repeat("a", 32), Auth: "API key", Storage: "keyring", Default: true}}}
		o.Identity = Identity{Profile: "dev", Source: "keyring", AccountSID: "AC" + strings.Repeat("a", 32)}
	}
	loggedOut := func(o *Options) {
		o.Client = nil
		o.Sessions = &fakeSessions{}
		o.Identity = Identity{}
		o.LoginReason = "no Twilio credentials: log in, or set TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET"
	}
	failing := func(c *fakeClient) {
		c.err = &api.Error{Status: 503, Code: 20503, Message: "Service Unavailable", MoreInfo: "https://www.twilio.com/docs/errors/20503"}
	}
	tests := []struct {
		name   string
		opts   func(*Options)
		client func(*fakeClient)
		keys   []string
		want   []string
	}{
		{"services", nil, nil, nil, []string{"Acme Notifications", "enter select"}},
		{"senders", nil, nil, []string{"enter"}, []string{"WhatsApp (2)", "Details", "a attach"}},
		{"detail_focus", nil, nil, []string{"enter", "tab"}, []string{"Details (↑/↓ scroll, esc back)"}},
		{"attach_form", nil, nil, []string{"enter", "a"}, []string{"Attach a sender", "whatsapp:+15005550006", "esc cancel"}},
		{"detach_confirm", nil, nil, []string{"enter", "d"}, []string{"Detach this sender?", "› Cancel ‹", "stops sending from this sender"}},
		{"filter", nil, nil, []string{"enter", "/", "r", "c", "s"}, []string{"/rcs", "RCS (2 of 2)"}},
		{"help", nil, nil, []string{"enter", "?"}, []string{"page down", "copy SID"}},
		{"error", nil, failing, nil, []string{"✗ Service Unavailable", "error 20503", "r retry"}},
		{"login", loggedOut, nil, nil, []string{"Log in to Twilio", "Account SID", "Secret"}},
		{"profiles", withSessions, nil, []string{"p"}, []string{"Profiles", "dev", "n new profile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeClient()
			if tt.client != nil {
				tt.client(c)
			}
			var opts []func(*Options)
			if tt.opts != nil {
				opts = append(opts, tt.opts)
			}
			m := start(t, newTestModel(t, c, 80, 24, opts...))
			m = press(t, m, tt.keys...)
			checkWidth(t, m)
			s := rendered(m)
			if n := strings.Count(s, "\n") + 1; n > 24 {
				t.Fatalf("%d lines in a 24-line terminal", n)
			}
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Fatalf("lacks %q:\n%s", w, s)
				}
			}
			golden.RequireEqual(t, s)
		})
	}
}

// TestResizeWithDialogsOpen re-lays out while the form, the dialog or a
// request is open, down to the smallest size and back.
func TestResizeWithDialogsOpen(t *testing.T) {
	sizes := [][2]int{{80, 24}, {60, 20}, {39, 9}, {200, 60}, {40, 10}, {100, 30}}
	for _, keys := range [][]string{{"enter", "a"}, {"enter", "d"}, {"enter", "/"}, {"enter", "?"}, {"enter", "tab"}} {
		m := start(t, newTestModel(t, newFakeClient(), 100, 30))
		m = press(t, m, keys...)
		before := fmt.Sprintf("%T", dialog(m))
		for _, sz := range sizes {
			m = update(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			checkWidth(t, m)
			if m.tooSmall() != (sz[0] < minWidth || sz[1] < minHeight) {
				t.Fatalf("%v at %v: tooSmall=%v", keys, sz, m.tooSmall())
			}
			if m.tooSmall() && !strings.Contains(rendered(m), "terminal too small") {
				t.Fatalf("%v at %v: no too-small message: %q", keys, sz, rendered(m))
			}
		}
		if fmt.Sprintf("%T", dialog(m)) != before {
			t.Errorf("%v: resizing closed the dialog", keys)
		}
		if isForm(m) && form(m).height != m.bodyHeight() && !m.tooSmall() {
			t.Errorf("form height %d not updated to %d", form(m).height, m.bodyHeight())
		}
	}
}
