package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
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
