package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// TestDetachQuestionWarnsOfThisService: on a terminal, detach's question
// names the sender and its kind and says what is true for this service —
// sticky sender on, the last of its kind, a US number leaving the A2P
// campaign — and "no" changes nothing (exit 2); "y" detaches.
func TestDetachQuestionWarnsOfThisService(t *testing.T) {
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	tests := []struct {
		name    string
		service string
		sender  []string
		answer  string
		want    []string
		notWant []string
		code    int
	}{
		{"a US long code in a sticky service with a campaign", notif, []string{"+14155550142"}, "n\r",
			[]string{"+14155550142 (phone-number, " + twiliotest.DemoNumberUSSanFrancisco, "Sticky sender is on", "leaves the service's US A2P campaign (CJ7QW2X)"},
			[]string{"last phone number"}, 2},
		{"a toll-free number is not in the campaign", notif, []string{twiliotest.DemoNumberTollFree}, "n\r",
			[]string{"phone-number, toll-free", "Sticky sender is on"}, []string{"A2P campaign"}, 2},
		{"the last per-country alpha sender", notif, []string{"--alpha", "Acme GmbH", "--country", "DE"}, "n\r",
			[]string{"Acme GmbH (alpha for DE, " + twiliotest.DemoAlphaGermany}, []string{"Sticky sender"}, 2},
		{"the only short code of a loose service, detached", mkt, []string{"24368"}, "y\r",
			[]string{"24368 (short-code, ", "last short code", "detached 24368"}, []string{"Sticky sender", "A2P"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := demoFixture(t)
			pool := f.Fake.PoolSIDs(tt.service)
			p := startPty(t, binary(t), 120, 30, envList(f.Env), append([]string{"detach", "--service", tt.service}, tt.sender...)...)
			p.waitText("[y/N]")
			p.send(tt.answer)
			if code := p.exitCode(); code != tt.code {
				t.Fatalf("exit %d, want %d: %q", code, tt.code, tail(p.output(), 600))
			}
			out := string(p.output())
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the question lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("the question says %q, untrue here:\n%s", w, out)
				}
			}
			if changed := !slices.Equal(f.Fake.PoolSIDs(tt.service), pool); changed != (tt.code == 0) {
				t.Errorf("pool changed: %v, want %v", changed, tt.code == 0)
			}
		})
	}
}
