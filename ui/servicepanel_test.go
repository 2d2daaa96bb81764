package ui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// panelClient is the fake client that also records every UpdateService
// and serves phone numbers and short codes in the pool.
type panelClient struct {
	*fakeClient
	rec        sync.Mutex
	updates    []api.ServiceUpdate
	numbers    int // phone numbers in svcSID(1)'s pool
	shortCodes int
}

func newPanelClient() *panelClient { return &panelClient{fakeClient: newFakeClient()} }

func (p *panelClient) UpdateService(ctx context.Context, sid string, u api.ServiceUpdate) (*api.Service, error) {
	p.rec.Lock()
	p.updates = append(p.updates, u)
	p.rec.Unlock()
	return p.fakeClient.UpdateService(ctx, sid, u)
}

func (p *panelClient) sent() []api.ServiceUpdate {
	p.rec.Lock()
	defer p.rec.Unlock()
	return slices.Clone(p.updates)
}

func (p *panelClient) ListSourcePages(ctx context.Context, sid string, src api.PoolSource, fn func([]api.PoolSender) error) error {
	var items []api.PoolSender
	switch {
	case src == api.SourcePhoneNumbers && sid == svcSID(1):
		for i := range p.numbers {
			items = append(items, api.PoolSender{Kind: api.KindPhoneNumber, Source: src, SID: fmt.Sprintf("PN%032x", i+1), ServiceSID: sid, Address: fmt.Sprintf("+1415555%04d", i)})
		}
	case src == api.SourceShortCodes && sid == svcSID(1):
		for i := range p.shortCodes {
			items = append(items, api.PoolSender{Kind: api.KindShortCode, Source: src, SID: fmt.Sprintf("SC%032x", i+1), ServiceSID: sid, Address: fmt.Sprint(20000 + i)})
		}
	default:
		return p.fakeClient.ListSourcePages(ctx, sid, src, fn)
	}
	return fn(items)
}

func yes() *bool     { v := true; return &v }
func no() *bool      { v := false; return &v }
func num(n int) *int { return &n }

// setService changes the fake's first service.
func (p *panelClient) setService(f func(*api.Service)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.services[0])
}

func panelOf(m Model) (servicePanel, bool) {
	p, ok := m.screen().(servicePanel)
	return p, ok
}

// belowPanel is the senders screen under the panel.
func belowPanel(t *testing.T, m Model) sendersScreen {
	t.Helper()
	s, ok := m.screens[len(m.screens)-2].(sendersScreen)
	if !ok {
		t.Fatalf("under the panel is %T", m.screens[len(m.screens)-2])
	}
	return s
}

// openPanel opens the first service and its panel.
func openPanel(t *testing.T, c Client, w, h int, opts ...func(*Options)) Model {
	t.Helper()
	m := press(t, start(t, newTestModel(t, c, w, h, opts...)), "enter", "i")
	if _, ok := panelOf(m); !ok {
		t.Fatalf("i did not open the panel:\n%s", rendered(m))
	}
	return m
}

// toRow moves the panel's cursor onto a row.
func toRow(t *testing.T, m Model, id string) Model {
	t.Helper()
	m = press(t, m, "g")
	for range 40 {
		if p, _ := panelOf(m); p.cursor == id {
			return m
		}
		m = press(t, m, "j")
	}
	t.Fatalf("no row %q in the panel:\n%s", id, rendered(m))
	return m
}

// flat is the rendered screen with runs of spaces as one.
func flatView(m Model) string { return strings.Join(strings.Fields(rendered(m)), " ") }

func space() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "} }

// TestPanelShowsValuesAsSent: every setting as the API sent it, null as
// unknown; the campaign; the pool's size against its limit and by kind.
func TestPanelShowsValuesAsSent(t *testing.T) {
	for _, tt := range []struct {
		name     string
		service  func(*api.Service)
		campaign *api.A2PCampaign
		numbers  int
		codes    int
		want     []string
	}{
		{
			name:    "all null",
			service: func(s *api.Service) {},
			want: []string{"Sticky sender unknown", "Area-code geomatch unknown", "Smart encoding unknown", "MMS converter unknown",
				"Fallback to long code unknown", "Use inbound webhook on number unknown", "Validity period unknown", "Use case unknown",
				"Campaign none", "0/400 numbers and short codes", "WhatsApp 2", "Messenger 2", "RCS 2"},
		},
		{
			name: "all set",
			service: func(s *api.Service) {
				s.StickySender, s.AreaCodeGeomatch, s.SmartEncoding, s.MMSConverter = yes(), no(), yes(), no()
				s.FallbackToLongCode, s.UseInboundWebhookOnNumber, s.ValidityPeriod, s.Usecase = no(), yes(), num(14_400), "marketing"
			},
			campaign: &api.A2PCampaign{CampaignStatus: "VERIFIED", CampaignID: "CJ7QW2X", BrandRegistrationSID: "BN" + strings.Repeat("b", 32)},
			numbers:  300, codes: 12,
			want: []string{"Service Acme Notifications", "SID " + svcSID(1), "Use case marketing",
				"Sticky sender on", "Area-code geomatch off", "Smart encoding on", "MMS converter off",
				"Fallback to long code off", "Use inbound webhook on number on", "Validity period 14400 s (4 h)",
				"Status VERIFIED", "Campaign ID CJ7QW2X", "Brand BN" + strings.Repeat("b", 32),
				"312/400 numbers and short codes", "Phone numbers 300", "Short codes 12"},
		},
		{
			name:     "campaign with nulls",
			service:  func(s *api.Service) { s.ValidityPeriod = num(90) },
			campaign: &api.A2PCampaign{},
			want:     []string{"Status unknown", "Campaign ID —", "Brand —", "Validity period 90 s"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newPanelClient()
			c.numbers, c.shortCodes = tt.numbers, tt.codes
			c.setService(tt.service)
			if tt.campaign != nil {
				c.campaigns = map[string]*api.A2PCampaign{svcSID(1): tt.campaign}
			}
			m := openPanel(t, c, 120, 60)
			if s := flatView(m); !strings.Contains(s, "Service settings") {
				t.Fatalf("no panel:\n%s", rendered(m))
			}
			for _, w := range tt.want {
				if !strings.Contains(flatView(m), w) {
					t.Errorf("lacks %q:\n%s", w, rendered(m))
				}
			}
		})
	}
}

// TestPanelOpensFresh: opening refetches the service once, for the panel
// and the senders screen alike, and r fetches it again.
func TestPanelOpensFresh(t *testing.T) {
	c := newPanelClient()
	m := press(t, start(t, newTestModel(t, c, 100, 30)), "enter")
	c.setService(func(s *api.Service) { s.StickySender = yes() }) // changed since the list was read
	m = press(t, m, "i")
	if s := flatView(m); !strings.Contains(s, "Sticky sender on") {
		t.Fatalf("the panel shows the list's copy:\n%s", rendered(m))
	}
	if b := belowPanel(t, m); b.service.StickySender == nil || !*b.service.StickySender {
		t.Fatal("the senders screen's copy did not learn the fetched service")
	}
	c.setService(func(s *api.Service) { s.StickySender = no() })
	if m = press(t, m, "r"); !strings.Contains(flatView(m), "Sticky sender off") {
		t.Fatalf("r did not refresh:\n%s", rendered(m))
	}
	if b := belowPanel(t, m); *b.service.StickySender {
		t.Fatal("the senders screen's copy did not learn the refresh")
	}
	if m = press(t, m, "esc"); shown(m) != onSenders {
		t.Fatalf("esc did not go back: %s", shown(m))
	}
}

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

// TestPanelStaleRepliesIgnored: an earlier refresh, campaign or change
// answering late changes nothing.
func TestPanelStaleRepliesIgnored(t *testing.T) {
	c := newPanelClient()
	c.setService(func(s *api.Service) { s.StickySender = yes() })
	c.campaigns = map[string]*api.A2PCampaign{svcSID(1): {CampaignStatus: "PENDING"}}
	m := openPanel(t, c, 100, 30)

	m, first := step(t, m, keyPress("r"))
	old := flatten(first) // answered with sticky sender on and PENDING
	c.setService(func(s *api.Service) { s.StickySender = no() })
	c.mu.Lock()
	c.campaigns[svcSID(1)] = &api.A2PCampaign{CampaignStatus: "VERIFIED"}
	c.mu.Unlock()
	m = press(t, m, "r")
	for _, msg := range old {
		m = update(t, m, msg)
	}
	if s := flatView(m); !strings.Contains(s, "Sticky sender off") || !strings.Contains(s, "Status VERIFIED") {
		t.Fatalf("a stale reply replaced a newer one:\n%s", rendered(m))
	}

	on := api.Service{SID: svcSID(1), StickySender: yes()}
	for _, msg := range []tea.Msg{
		settingSavedMsg{req: 999_999, setting: "sticky", to: true, service: &on},
		serviceMsg{req: 999_999, service: &on},
		panelFetchMsg{req: 999_999, service: &on},
		campaignMsg{req: 999_999, campaign: &api.A2PCampaign{CampaignStatus: "FAILED"}},
	} {
		m = update(t, m, msg)
		if s := flatView(m); !strings.Contains(s, "Sticky sender off") || !strings.Contains(s, "Status VERIFIED") {
			t.Fatalf("%T with an unknown id changed the panel:\n%s", msg, rendered(m))
		}
	}
}

// TestPanelErrorsShown: a failed fetch is in the banner with r retry, a
// failed campaign on its own line; the rest of the panel stays.
func TestPanelErrorsShown(t *testing.T) {
	c := newPanelClient()
	m := openPanel(t, c, 100, 30)
	c.mu.Lock()
	c.services = nil // the fetch now answers 404
	c.mu.Unlock()
	m = press(t, m, "r")
	if s := flatView(m); !strings.Contains(s, "✗ not found") || !strings.Contains(s, "Sticky sender") {
		t.Fatalf("a failed refresh is not shown:\n%s", rendered(m))
	}

	e := &erringCampaign{panelClient: newPanelClient(), err: &api.Error{Status: 503, Code: 20503, Message: "Service Unavailable"}}
	m = openPanel(t, e, 100, 30)
	if s := flatView(m); !strings.Contains(s, "Campaign ✗ Service Unavailable · error 20503") || !strings.Contains(s, "Sticky sender") {
		t.Fatalf("a failed campaign is not on its line:\n%s", rendered(m))
	}
}

type erringCampaign struct {
	*panelClient
	err error
}

func (e *erringCampaign) ServiceA2PCampaign(context.Context, string) (*api.A2PCampaign, error) {
	return nil, e.err
}

// TestPanelFits: at 40×12 and at 200×60, with the confirmation too, no
// line is wider than the terminal, and every row can be brought on screen
// under the cursor.
func TestPanelFits(t *testing.T) {
	c := newPanelClient()
	c.numbers, c.shortCodes = 312, 7
	c.campaigns = map[string]*api.A2PCampaign{svcSID(1): {CampaignStatus: "VERIFIED", CampaignID: "CJ7QW2X", BrandRegistrationSID: "BN" + strings.Repeat("b", 32)}}
	c.setService(func(s *api.Service) {
		s.StickySender, s.ValidityPeriod, s.Usecase = yes(), num(36_000), "notifications"
	})
	for _, size := range [][2]int{{40, 12}, {40, 10}, {80, 24}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := openPanel(t, c, size[0], size[1])
			m = press(t, m, "g")
			seen := map[string]bool{}
			for range 40 {
				checkBytes(t, "the panel", m)
				p, _ := panelOf(m)
				seen[p.cursor] = true
				cursor := ""
				for _, l := range strings.Split(rendered(m), "\n") {
					if strings.HasPrefix(l, "› ") {
						cursor = l
					}
				}
				if cursor == "" {
					t.Fatalf("the cursor's row %q is off screen:\n%s", p.cursor, rendered(m))
				}
				m = press(t, m, "j")
			}
			for _, id := range []string{"name", "sid", "sticky", "webhook", "validity", "a2p-status", "a2p-brand", "pool", "kind:" + api.KindShortCode} {
				if !seen[id] {
					t.Errorf("row %s never came under the cursor", id)
				}
			}
			if size[0] == 40 && !strings.Contains(rendered(toRow(t, m, "sid")), svcSID(1)) {
				t.Errorf("the SID is cut at 40 columns:\n%s", rendered(m))
			}
			if !strings.Contains(rendered(toRow(t, m, "pool")), "319/400 numbers and short codes") {
				t.Errorf("the pool's size is cut:\n%s", rendered(m))
			}
			m = press(t, toRow(t, m, "sticky"), "enter")
			checkBytes(t, "the confirmation", m)
			for _, want := range []string{"Turn sticky sender off?", "Cancel", "Turn off ]"} {
				if !strings.Contains(rendered(m), want) {
					t.Errorf("the confirmation lacks %q:\n%s", want, rendered(m))
				}
			}
		})
	}
}

// TestPanelHostileText: a service name, use case and campaign fields
// holding escape sequences, bidi controls and invalid UTF-8 reach the
// terminal inert, in the panel and in its confirmation; so do the demo
// fake's hostile service over HTTP.
func TestPanelHostileText(t *testing.T) {
	values := twiliotest.HostileValues()
	c := newPanelClient()
	for i, v := range values {
		c.setService(func(s *api.Service) {
			s.FriendlyName, s.Usecase, s.StickySender = v, values[(i+1)%len(values)], yes()
		})
		c.campaigns = map[string]*api.A2PCampaign{svcSID(1): {CampaignStatus: v, CampaignID: values[(i+2)%len(values)], BrandRegistrationSID: values[(i+3)%len(values)]}}
		for _, size := range [][2]int{{120, 40}, {40, 12}} {
			m := openPanel(t, c, size[0], size[1])
			for range 25 {
				checkBytes(t, fmt.Sprintf("value %d, the panel", i), m)
				m = press(t, m, "j")
			}
			m = press(t, toRow(t, m, "sticky"), "enter")
			checkBytes(t, fmt.Sprintf("value %d, the confirmation", i), m)
		}
	}

	fake, client := demoClient(t, api.Config{})
	h := fake.AddHostile()
	m := start(t, newTestModel(t, client, 100, 30))
	m = press(t, pickService(t, m, h.Service), "enter", "i")
	if _, ok := panelOf(m); !ok {
		t.Fatalf("no panel on the hostile service:\n%s", rendered(m))
	}
	for range 25 {
		checkBytes(t, "the hostile service's panel", m)
		m = press(t, m, "j")
	}
}

// TestPanelHelpShowsExactlyTheKeysThatWork: in each state of the panel
// (loaded, read-only, a change running, the cursor on a value that cannot
// change, the first fetch not answered), help lists the keys that act and
// no other; a key not listed changes nothing, and the change key is listed
// exactly where it opens a confirmation.
func TestPanelHelpShowsExactlyTheKeysThatWork(t *testing.T) {
	corpus := []tea.KeyPressMsg{keyPress("enter"), space(), keyPress("r"), keyPress("y"), keyPress("n"), keyPress("d"), keyPress("a"),
		keyPress("s"), keyPress("/"), keyPress("tab"), keyPress("x"), keyPress("p"), keyPress("c"), keyPress("pgdown"), keyPress("1")}
	type state struct {
		name   string
		opts   []func(*Options)
		row    string
		setup  func(*testing.T, *panelClient, Model) Model
		change bool // the change key is offered
	}
	saving := func(t *testing.T, c *panelClient, m Model) Model {
		c.mu.Lock()
		c.opGate = make(chan struct{})
		c.mu.Unlock()
		t.Cleanup(func() { close(c.opGate) })
		m = press(t, m, "enter")
		m, _ = step(t, m, keyPress("y")) // held: the change runs
		return m
	}
	opening := func(t *testing.T, c *panelClient, m Model) Model {
		m = press(t, m, "esc")
		m, _ = step(t, m, keyPress("i")) // the fetch has not answered
		return m
	}
	for _, st := range []state{
		{name: "loaded", row: "sticky", change: true},
		{name: "read-only", row: "sticky", opts: []func(*Options){func(o *Options) { o.Identity.ReadOnly = true }}},
		{name: "a change running", row: "sticky", setup: saving},
		{name: "validity period", row: "validity"},
		{name: "null value", row: "encoding"},
		{name: "the campaign", row: "a2p"},
		{name: "first fetch pending", row: "sticky", setup: opening},
	} {
		t.Run(st.name, func(t *testing.T) {
			c := newPanelClient()
			c.setService(func(s *api.Service) { s.StickySender, s.ValidityPeriod = yes(), num(600) })
			m := toRow(t, openPanel(t, c, 100, 30, st.opts...), st.row)
			if st.setup != nil {
				m = st.setup(t, c, m)
			}
			top := m.top()
			if _, ok := top.(servicePanel); !ok {
				t.Fatalf("the top layer is %T", top)
			}
			if listed := answers(&m.c, top, keyPress("enter")) && answers(&m.c, top, space()); listed != st.change {
				t.Fatalf("the change key listed: %v, want %v\n%s", !st.change, st.change, ansi.Strip(m.footer(&m.c)))
			}
			help := rendered(press(t, m, "?"))
			if strings.Contains(help, "turn o") != st.change {
				t.Fatalf("help offers a change: %v, want %v:\n%s", !st.change, st.change, help)
			}
			for _, k := range corpus {
				before, sent := m, len(c.sent())
				after := update(t, m, k)
				acted := rendered(after) != rendered(before) || len(c.sent()) != sent || dialog(after) != nil
				if !answers(&before.c, top, k) && acted {
					t.Fatalf("%q is not among the panel's keys, yet it acted:\n%s\n---\n%s", k.String(), rendered(before), rendered(after))
				}
				if (k.String() == "enter" || k.String() == "space") && st.change != isConfirm(after) {
					t.Fatalf("%s opens a confirmation: %v, want %v", k.String(), isConfirm(after), st.change)
				}
			}
		})
	}
}

// TestPanelRandomSessions: random keys over the senders screen, the panel
// and its confirmations, against the demo fake: a setting changes on the
// server only on the yes of a confirmation that named it, a key the top
// layer does not list changes nothing, and no frame is wider than the
// terminal.
func TestPanelRandomSessions(t *testing.T) {
	sessions, steps := 200, 25
	if testing.Short() || raceEnabled {
		sessions = 40
	}
	keys := []string{"i", "i", "enter", "space", "y", "y", "n", "r", "esc", "j", "k", "g", "G", "?", "left", "right", "tab", "d", "a", "q", "x"}
	fake, client := demoClient(t, api.Config{})
	for seq := range sessions {
		r := rand.New(rand.NewPCG(uint64(seq), 0x5e7715))
		m := press(t, start(t, newTestModel(t, client, 100, 30)), "enter")
		var trail []string
		for range steps {
			var msg tea.Msg
			switch k := keys[r.IntN(len(keys))]; {
			case r.IntN(12) == 0:
				msg = tea.WindowSizeMsg{Width: 40 + r.IntN(120), Height: 10 + r.IntN(40)}
			case k == "space":
				msg = space()
			case k == "left":
				msg = tea.KeyPressMsg{Code: tea.KeyLeft}
			case k == "right":
				msg = tea.KeyPressMsg{Code: tea.KeyRight}
			default:
				msg = keyPress(k)
			}
			trail = append(trail, fmt.Sprint(msg))
			before, was, posts := m, poolState(fake), fake.Requests(twiliotest.RouteUpdateService)
			if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "q" {
				continue // quitting ends the session; other tests cover it
			}
			m = update(t, m, msg)
			if err := checkInvariants(before, m, msg, was, poolState(fake)); err != nil {
				t.Fatalf("session %d: %v\nlast inputs: %v", seq, err, lastN(trail, 12))
			}
			if n := fake.Requests(twiliotest.RouteUpdateService); n != posts {
				d, ok := confirmOf(before)
				_, isSetting := d.onYes.(settingChoice)
				k, _ := msg.(tea.KeyPressMsg)
				if !ok || !isSetting || n != posts+1 || !(k.String() == "y" || d.yes && (k.String() == "enter" || k.String() == "space")) {
					t.Fatalf("session %d: %d settings changes on %v, but the frame before was not a yes to one:\n%s\nlast inputs: %v", seq, n-posts, msg, rendered(before), lastN(trail, 12))
				}
			}
			if !m.tooSmall() {
				checkWidth(t, m)
			}
		}
	}
}

// TestPanelGolden: the panel of the demo's first service at 80×24 and
// 40×12, as text.
func TestPanelGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			_, client := demoClient(t, api.Config{})
			m := openPanel(t, client, size[0], size[1])
			checkWidth(t, m)
			golden.RequireEqual(t, rendered(m))
		})
	}
}
