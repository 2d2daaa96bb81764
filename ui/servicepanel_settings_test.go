package ui

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// TestPanelChangeSendsOneUpdate: yes sends exactly one update with
// exactly that field; the answer is shown, and the senders screen learns it.
func TestPanelChangeSendsOneUpdate(t *testing.T) {
	for _, tt := range []struct {
		row      string
		key      tea.KeyPressMsg
		question string
		effect   string
		want     api.ServiceUpdate
		shown    string
	}{
		{"sticky", keyPress("enter"), "Turn sticky sender off?", "recipients are no longer kept on the sender that last wrote to them", api.ServiceUpdate{StickySender: no()}, "Sticky sender off"},
		{"geomatch", space(), "Turn area-code geomatch on?", "own area code", api.ServiceUpdate{AreaCodeGeomatch: yes()}, "Area-code geomatch on"},
		{"encoding", keyPress("enter"), "Turn smart encoding off?", "UCS-2", api.ServiceUpdate{SmartEncoding: no()}, "Smart encoding off"},
		{"mms", keyPress("enter"), "Turn the MMS converter on?", "SMS with a link", api.ServiceUpdate{MMSConverter: yes()}, "MMS converter on"},
		{"fallback", keyPress("enter"), "Turn fallback to long code on?", "long code", api.ServiceUpdate{FallbackToLongCode: yes()}, "Fallback to long code on"},
		{"webhook", keyPress("enter"), "Turn the number's own inbound webhook off?", "service's inbound webhook", api.ServiceUpdate{UseInboundWebhookOnNumber: no()}, "Use inbound webhook on number off"},
	} {
		t.Run(tt.row, func(t *testing.T) {
			c := newPanelClient()
			c.setService(func(s *api.Service) {
				s.StickySender, s.AreaCodeGeomatch, s.SmartEncoding = yes(), no(), yes()
				s.MMSConverter, s.FallbackToLongCode, s.UseInboundWebhookOnNumber = no(), no(), yes()
			})
			m := toRow(t, openPanel(t, c, 100, 30), tt.row)
			m = update(t, m, tt.key)
			if !isConfirm(m) {
				t.Fatalf("no confirmation:\n%s", rendered(m))
			}
			if s := flatView(m); !strings.Contains(s, tt.question) || !strings.Contains(s, tt.effect) || !strings.Contains(s, svcSID(1)) || !strings.Contains(s, "› Cancel ‹") {
				t.Fatalf("the confirmation does not ask %q, say what changes (%q) and name the service, cancel first:\n%s", tt.question, tt.effect, rendered(m))
			}
			if len(c.sent()) != 0 {
				t.Fatal("an update went out before yes")
			}
			m = press(t, m, "y")
			if got := c.sent(); len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Fatalf("sent %s, want exactly %s", updates(got), updates([]api.ServiceUpdate{tt.want}))
			}
			if !strings.Contains(flatView(m), tt.shown) || dialog(m) != nil {
				t.Fatalf("the panel does not show the answer %q:\n%s", tt.shown, rendered(m))
			}
			set, _ := settingByID(tt.row)
			if got, want := set.get(belowPanel(t, m).service), set.get(c.services[0]); got == nil || *got != *want {
				t.Fatalf("the senders screen's copy says %v, the service %v", boolText(got), boolText(want))
			}
		})
	}
}

func updates(us []api.ServiceUpdate) string {
	var out []string
	for _, u := range us {
		v := reflect.ValueOf(u)
		var set []string
		for i := range v.NumField() {
			if f := v.Field(i); !f.IsNil() {
				set = append(set, fmt.Sprintf("%s=%v", v.Type().Field(i).Name, f.Elem()))
			}
		}
		out = append(out, "{"+strings.Join(set, " ")+"}")
	}
	return "[" + strings.Join(out, " ") + "]"
}

// TestPanelChangeOverHTTP: against the demo fake, the POST carries
// StickySender=false and nothing else.
func TestPanelChangeOverHTTP(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	m := toRow(t, openPanel(t, client, 100, 30), "sticky")
	if !strings.Contains(flatView(m), "Sticky sender on") {
		t.Fatalf("the demo's first service has sticky sender on:\n%s", rendered(m))
	}
	m = press(t, m, "enter", "y")
	var bodies []string
	for _, r := range fake.Records() {
		if r.Route == twiliotest.RouteUpdateService {
			bodies = append(bodies, r.Body)
		}
	}
	if !slices.Equal(bodies, []string{"StickySender=false"}) {
		t.Fatalf("POST bodies %q, want exactly StickySender=false", bodies)
	}
	if s := flatView(m); !strings.Contains(s, "Sticky sender off") || !strings.Contains(s, "✓ sticky sender is off") {
		t.Fatalf("the answer is not shown:\n%s", rendered(m))
	}
}

// TestPanelNoSendsNothing: n, esc, and enter on the default Cancel send
// nothing and leave the value as it was.
func TestPanelNoSendsNothing(t *testing.T) {
	for _, keys := range [][]string{{"n"}, {"esc"}, {"enter"}, {"right", "left", "enter"}} {
		t.Run(strings.Join(keys, "+"), func(t *testing.T) {
			c := newPanelClient()
			c.setService(func(s *api.Service) { s.StickySender = yes() })
			m := press(t, openPanel(t, c, 100, 30), "enter")
			m = press(t, m, keys...)
			if n := len(c.sent()); n != 0 || dialog(m) != nil {
				t.Fatalf("%d updates sent, dialog %T", n, dialog(m))
			}
			if _, ok := panelOf(m); !ok || !strings.Contains(flatView(m), "Sticky sender on") {
				t.Fatalf("the panel changed:\n%s", rendered(m))
			}
		})
	}
}

// TestPanelReadOnly: the settings are shown, no change is offered in the
// footer or in help, and enter, space and y send nothing.
func TestPanelReadOnly(t *testing.T) {
	c := newPanelClient()
	c.setService(func(s *api.Service) { s.StickySender = yes() })
	m := openPanel(t, c, 100, 30, func(o *Options) { o.Identity.ReadOnly = true })
	if !strings.Contains(flatView(m), "Sticky sender on") || !strings.Contains(flatView(m), "(read-only)") {
		t.Fatalf("read-only hides the settings:\n%s", rendered(m))
	}
	for _, view := range []string{ansi.Strip(m.footer(&m.c)), rendered(press(t, m, "?"))} {
		if strings.Contains(view, "turn") || strings.Contains(view, "change") {
			t.Errorf("read-only offers a change:\n%s", view)
		}
	}
	for _, row := range []string{"sticky", "geomatch", "webhook"} {
		m = toRow(t, m, row)
		m = update(t, m, keyPress("enter"))
		m = update(t, m, space())
		m = press(t, m, "y")
		if dialog(m) != nil || len(c.sent()) != 0 {
			t.Fatalf("read-only on %s: dialog %T, %d updates", row, dialog(m), len(c.sent()))
		}
	}
	// Even an answer handed in directly is refused.
	m = update(t, m, settingChoice{service: svcSID(1), setting: "sticky", to: false})
	if len(c.sent()) != 0 {
		t.Fatal("read-only sent an update")
	}
}

// TestPanelChangeErrorKeepsValue: a failed update is shown in the panel
// with Twilio's words; the value, the panel and the cursor stay.
func TestPanelChangeErrorKeepsValue(t *testing.T) {
	c := newPanelClient()
	c.setService(func(s *api.Service) { s.StickySender = yes() })
	m := toRow(t, openPanel(t, c, 100, 30), "sticky")
	c.mu.Lock()
	c.opErr = &api.Error{Status: 403, Code: 20403, Message: "Permission denied", MoreInfo: "https://www.twilio.com/docs/errors/20403"}
	c.mu.Unlock()
	m = press(t, m, "enter", "y")
	s := flatView(m)
	for _, want := range []string{"turn sticky sender off: Permission denied", "error 20403", "Sticky sender on"} {
		if !strings.Contains(s, want) {
			t.Fatalf("lacks %q:\n%s", want, rendered(m))
		}
	}
	p, ok := panelOf(m)
	if !ok || p.cursor != "sticky" || !*p.service.StickySender || !*belowPanel(t, m).service.StickySender {
		t.Fatalf("the failure lost something: panel %v, cursor %q", ok, p.cursor)
	}
	// It can be tried again at once.
	c.mu.Lock()
	c.opErr = nil
	c.mu.Unlock()
	if m = press(t, m, "enter", "y"); !strings.Contains(flatView(m), "Sticky sender off") || strings.Contains(flatView(m), "Permission denied") {
		t.Fatalf("the second try did not take:\n%s", rendered(m))
	}
}

// TestPanelStaysUsableWhileSaving: the row spins, the cursor moves, no
// second change is offered until the answer, which then shows.
func TestPanelStaysUsableWhileSaving(t *testing.T) {
	c := newPanelClient()
	c.setService(func(s *api.Service) { s.StickySender, s.AreaCodeGeomatch = yes(), yes() })
	m := toRow(t, openPanel(t, c, 100, 30), "sticky")
	c.mu.Lock()
	c.opGate = make(chan struct{}, 1)
	gate := c.opGate
	c.mu.Unlock()
	m = press(t, m, "enter")
	m, save := step(t, m, keyPress("y"))
	if s := flatView(m); !strings.Contains(s, "Sticky sender on") || !strings.Contains(s, "→ off") || !strings.Contains(s, "turning sticky sender off…") {
		t.Fatalf("no spinner on the row:\n%s", rendered(m))
	}
	m = press(t, m, "j")
	if p, _ := panelOf(m); p.cursor != "geomatch" {
		t.Fatalf("the cursor did not move while saving: %q", p.cursor)
	}
	if strings.Contains(ansi.Strip(m.footer(&m.c)), "turn") {
		t.Fatal("a second change is offered while one runs")
	}
	if m = press(t, m, "enter"); dialog(m) != nil {
		t.Fatal("enter opened a second change while one runs")
	}
	gate <- struct{}{}
	for _, msg := range flatten(save) {
		m = update(t, m, msg)
	}
	if s := flatView(m); !strings.Contains(s, "Sticky sender off") || strings.Contains(s, "→ off") {
		t.Fatalf("the answer did not replace the service:\n%s", rendered(m))
	}
	if len(c.sent()) != 1 {
		t.Fatalf("%d updates, want 1", len(c.sent()))
	}
}

// TestPanelChangeOutlivesThePanel: closing the panel while a change runs
// neither cancels it nor loses its answer: the senders screen learns it.
func TestPanelChangeOutlivesThePanel(t *testing.T) {
	c := newPanelClient()
	c.setService(func(s *api.Service) { s.StickySender = yes() })
	m := toRow(t, openPanel(t, c, 100, 30), "sticky")
	c.mu.Lock()
	c.opGate = make(chan struct{}, 1)
	gate := c.opGate
	c.mu.Unlock()
	m = press(t, m, "enter")
	m, save := step(t, m, keyPress("y"))
	m = press(t, m, "esc")
	gate <- struct{}{}
	for _, msg := range flatten(save) {
		m = update(t, m, msg)
	}
	if v := shownService(m).StickySender; shown(m) != onSenders || v == nil || *v {
		t.Fatalf("the senders screen's copy says sticky sender %s after the change", boolText(v))
	}
}
