package cli

import (
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// The demo's knobs grow its pool or refuse a bad value before anything
// starts (exit 2, naming the variable).
func TestDemoKnobs(t *testing.T) {
	for _, tc := range []struct {
		env      map[string]string
		kind     string
		code     int
		rows     int    // rows of that kind listed
		stderrIs string // on a refusal
	}{
		{map[string]string{"SENDERPOOL_DEMO_NUMBERS": "450"}, "phone-number", 0, 450, ""},
		{map[string]string{"SENDERPOOL_DEMO_SHORT_CODES": "30"}, "short-code", 0, 30, ""},
		{map[string]string{"SENDERPOOL_DEMO_SENDERS": "40"}, "whatsapp,messenger,rcs,other", 0, 40, ""},
		{map[string]string{"SENDERPOOL_DEMO_CONCURRENCY": "2,retry-after=1"}, "phone-number", 0, 4, ""},
		{map[string]string{"SENDERPOOL_DEMO_NUMBERS": "-1"}, "phone-number", 2, 0, "SENDERPOOL_DEMO_NUMBERS"},
		{map[string]string{"SENDERPOOL_DEMO_SHORT_CODES": "many"}, "short-code", 2, 0, "SENDERPOOL_DEMO_SHORT_CODES"},
		{map[string]string{"SENDERPOOL_DEMO_CONCURRENCY": "lots"}, "phone-number", 2, 0, "SENDERPOOL_DEMO_CONCURRENCY"},
	} {
		name := ""
		for k, v := range tc.env {
			name = k + "=" + v
		}
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.env, "list", "--demo", "--service", twiliotest.DemoServiceNotifications, "--kind", tc.kind)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			if tc.code != 0 {
				if !strings.Contains(errOut, tc.stderrIs) {
					t.Errorf("the refusal does not name %s: %s", tc.stderrIs, errOut)
				}
				return
			}
			if rows := strings.Count(out, "\n") - 1; rows != tc.rows { // less the header
				t.Errorf("%d rows of %s, want %d:\n%s", rows, tc.kind, tc.rows, out)
			}
		})
	}
}
