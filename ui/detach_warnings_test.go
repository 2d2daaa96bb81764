package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// The detach confirmation warns of what is true of this service, and of
// nothing else: the demo's two services differ in sticky sender, A2P
// campaign and what each holds.
func TestDetachWarningsAreTrueForTheService(t *testing.T) {
	sticky := "Sticky sender is on"
	campaign := "leaves the service's US A2P campaign (CMP"
	last := "the service will have no"
	unknown := "If this service has a US A2P campaign (could not be loaded"
	plain := "This service stops sending from this sender."
	for _, tc := range []struct {
		name     string
		service  string
		sender   string
		fault    twiliotest.Route // fails the campaign's load when set
		want     []string
		dontWant []string
	}{
		{"US long code, sticky, campaign", twiliotest.DemoServiceNotifications, "+14155550142", "",
			[]string{sticky, "+14155550142 leaves the service's US A2P campaign", "Pool     4/400 numbers and short codes (3 after)"}, []string{last, plain}},
		{"toll-free is not in the campaign", twiliotest.DemoServiceNotifications, "+18335550199", "",
			[]string{sticky}, []string{campaign, last}},
		{"alpha: sticky sender picks among numbers", twiliotest.DemoServiceNotifications, "Acme", "",
			[]string{plain, "Pool     4/400 numbers and short codes"}, []string{sticky, campaign, last, "after)"}},
		{"last short code, sticky off", twiliotest.DemoServiceMarketing, "24368", "",
			[]string{"It is the service's last short code: the service will have no short code left.", "(2 after)"}, []string{sticky, campaign}},
		{"US number, no campaign", twiliotest.DemoServiceMarketing, "+16465550123", "",
			nil, []string{sticky, campaign, unknown}},
		{"campaign unknown", twiliotest.DemoServiceNotifications, "+12125550187", twiliotest.RouteListUsAppToPerson,
			[]string{sticky, unknown}, []string{campaign}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, client := demoClient(t, api.Config{})
			if tc.fault != "" {
				fake.AddFault(tc.fault, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 403, Code: 20003, Times: -1})
			}
			m := start(t, newTestModel(t, client, 100, 40, func(o *Options) { o.ServiceSID = tc.service }))
			m = cursorTo(t, m, tc.sender)
			m = press(t, m, "d")
			if dialog(m) == nil {
				t.Fatalf("d opened no confirmation:\n%s", rendered(m))
			}
			s := ansi.Strip(rendered(m))
			flat := strings.Join(strings.Fields(s), " ") // the caution wraps
			for _, w := range tc.want {
				if !strings.Contains(s, w) && !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("the confirmation lacks %q:\n%s", w, s)
				}
			}
			for _, w := range tc.dontWant {
				if strings.Contains(flat, w) {
					t.Errorf("the confirmation says %q, untrue here:\n%s", w, s)
				}
			}
		})
	}
}

// cursorTo moves the cursor to the sender shown as address.
func cursorTo(t *testing.T, m Model, address string) Model {
	t.Helper()
	m = press(t, m, "g")
	for range listOf(m).senderCount() {
		if s, _ := selectedSender(m); s.Address == address {
			return m
		}
		m = press(t, m, "j")
	}
	t.Fatalf("no row for %s:\n%s", address, rendered(m))
	return m
}
