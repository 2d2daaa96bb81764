package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// The add form takes an alpha sender for every country, or for one with
// @COUNTRY; anything else before @ is refused before a request.
func TestAttachAlphaSenderForOneCountry(t *testing.T) {
	for _, tc := range []struct {
		service string
		typed   string
		hint    string // the live hint
		country string // the destination of the alpha sender attached; "-" none attached
		draft   string // what the form holds after a refusal
	}{
		{twiliotest.DemoServiceMarketing, "Zeta", "for every country (@DE: for one)", "", ""},
		{twiliotest.DemoServiceNotifications, "Zeta@fr", "✓ alpha sender Zeta (FR)", "FR", ""},
		{twiliotest.DemoServiceNotifications, "Zeta GmbH @ it", "✓ alpha sender Zeta GmbH (IT)", "IT", ""},
		{twiliotest.DemoServiceNotifications, "Zeta@FRA", "✗ invalid country code", "-", "Zeta@FRA"},
		{twiliotest.DemoServiceNotifications, "+14155550177@DE", "only an alpha sender takes @COUNTRY", "-", "+14155550177@DE"},
		{twiliotest.DemoServiceNotifications, "Ze:ta@DE", "✗", "-", "Ze:ta@DE"},
		// Twilio refuses a second alpha sender for Germany: the form comes
		// back holding what was typed, not its label.
		{twiliotest.DemoServiceNotifications, "Zeta@de", "✓ alpha sender Zeta (DE)", "-", "Zeta@de"},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			fake, client := demoClient(t, api.Config{})
			m := start(t, newTestModel(t, client, 100, 30, func(o *Options) { o.ServiceSID = tc.service }))
			before := fake.PoolSIDs(tc.service)
			m = typeText(t, press(t, m, "a"), tc.typed)
			if s := rendered(m); !strings.Contains(s, tc.hint) {
				t.Errorf("the form does not hint %q:\n%s", tc.hint, s)
			}
			m = press(t, m, "enter")
			after := fake.PoolSIDs(tc.service)
			if tc.country == "-" {
				if !slices.Equal(before, after) || dialog(m) == nil {
					t.Fatalf("%q was attached or the form closed: %d → %d senders", tc.typed, len(before), len(after))
				}
				if f, ok := dialog(m).(attachForm); !ok || f.input.Value() != tc.draft {
					t.Errorf("the form holds %q, want %q", f.input.Value(), tc.draft)
				}
				return
			}
			if len(after) != len(before)+1 {
				t.Fatalf("%q: %d → %d senders on the server:\n%s", tc.typed, len(before), len(after), rendered(m))
			}
			var got []string
			for _, g := range listOf(m).shownGroups() {
				for _, s := range g.Senders {
					if strings.HasPrefix(s.Address, "Zeta") {
						got = append(got, s.Address+"/"+s.DestinationCountry)
					}
				}
			}
			name, _, _ := strings.Cut(tc.typed, "@")
			if want := []string{strings.TrimSpace(name) + "/" + tc.country}; !slices.Equal(got, want) {
				t.Errorf("the list shows %q, want %q", got, want)
			}
		})
	}
}
