package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// poolCLI is the real binary against a demo fake of its own, named by
// --api-url on every command line (the environment holds only the
// credentials).
type poolCLI struct {
	t    *testing.T
	fake *twiliotest.Fake
	env  []string
	url  string
}

func newPoolCLI(t *testing.T) *poolCLI {
	t.Helper()
	f := demoFixture(t)
	return &poolCLI{t: t, fake: f.Fake, env: envList(f.Env, "SENDERPOOL_API_URL"), url: f.Env["SENDERPOOL_API_URL"]}
}

// run runs the binary off a terminal and insists on its exit code.
func (c *poolCLI) run(want int, args ...string) (stdout, stderr string) {
	c.t.Helper()
	code, stdout, stderr := runBin(c.t, c.env, devNull(c.t), append([]string{"--api-url", c.url}, args...)...)
	if code != want {
		c.t.Fatalf("senderpool %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// posts are the POSTs the fake received from the record n on.
func (c *poolCLI) posts(n int) []twiliotest.RequestRecord {
	var out []twiliotest.RequestRecord
	for _, r := range c.fake.Records()[n:] {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

// sidKinds is each row of list's table as its SID and KIND, the first
// two columns, which hold no spaces (a SENDER may), under the header
// list prints.
func sidKinds(t *testing.T, table string) [][2]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	if h := strings.Fields(lines[0]); !slices.Equal(h, []string{"SID", "KIND", "SENDER", "COUNTRY", "CREATED"}) {
		t.Fatalf("list's header is %v", h)
	}
	var rows [][2]string
	for _, l := range lines[1:] {
		cells := strings.Fields(l)
		if len(cells) < 5 {
			t.Fatalf("row %q has %d cells", l, len(cells))
		}
		rows = append(rows, [2]string{cells[0], cells[1]})
	}
	return rows
}

// fields reads a FIELD value block.
func fields(out string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		k, v, _ := strings.Cut(l, " ")
		m[k] = strings.TrimSpace(v)
	}
	return m
}

// TestPoolCommandsThroughTheBinary: list, show, attach, detach, service
// and service set, one after another on one fake, as a script on a jump
// host runs them; the fake's state is checked after each.
func TestPoolCommandsThroughTheBinary(t *testing.T) {
	c := newPoolCLI(t)
	notif := twiliotest.DemoServiceNotifications

	// list: every kind with its KIND; --kind narrows it.
	out, _ := c.run(0, "list", "--service", notif)
	kinds := map[string]int{}
	var listed []string
	for _, r := range sidKinds(t, out) {
		kinds[r[1]]++
		listed = append(listed, r[0])
	}
	if want := map[string]int{"whatsapp": 3, "messenger": 2, "rcs": 2, "phone-number": 4, "alpha": 2}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("list's kinds %v, want %v:\n%s", kinds, want, out)
	}
	slices.Sort(listed)
	if pool := c.fake.PoolSIDs(notif); !slices.Equal(listed, pool) {
		t.Errorf("list shows %v, the fake holds %v", listed, pool)
	}
	out, _ = c.run(0, "list", "--service", notif, "--kind", "phone-number")
	rows := sidKinds(t, out)
	if len(rows) != 4 || slices.ContainsFunc(rows, func(r [2]string) bool { return r[1] != "phone-number" }) {
		t.Errorf("--kind phone-number lists:\n%s", out)
	}

	// show, by SID and by number.
	out, _ = c.run(0, "show", "--service", notif, twiliotest.DemoNumberTollFree)
	if f := fields(out); f["SID"] != twiliotest.DemoNumberTollFree || f["KIND"] != "phone-number" || f["TOLL-FREE"] != "yes" {
		t.Errorf("show by SID:\n%s", out)
	}
	out, _ = c.run(0, "show", "--service", notif, "+1 212 555 0187")
	if f := fields(out); f["SID"] != twiliotest.DemoNumberUSNewYork || f["SENDER"] != "+12125550187" {
		t.Errorf("show by number:\n%s", out)
	}

	// attach a number by E.164, and a per-country alpha sender.
	before := c.fake.PoolSIDs(notif)
	out, _ = c.run(0, "attach", "--service", notif, "+14155550177")
	if !strings.Contains(out, twiliotest.DemoFreeNumberUS) || !slices.Contains(c.fake.PoolSIDs(notif), twiliotest.DemoFreeNumberUS) {
		t.Fatalf("attach by number: %q; the pool holds %v", out, c.fake.PoolSIDs(notif))
	}
	out, _ = c.run(0, "attach", "--service", notif, "--alpha", "Zeta", "--country", "fr", "--json")
	var alpha struct {
		SID            string `json:"sid"`
		AlphaSender    string `json:"alpha_sender"`
		IsoCountryCode string `json:"iso_country_code"`
	}
	if err := json.Unmarshal([]byte(out), &alpha); err != nil || alpha.AlphaSender != "Zeta" || alpha.IsoCountryCode != "FR" || !strings.HasPrefix(alpha.SID, "AI") {
		t.Fatalf("attach --alpha --json printed %s (%v)", out, err)
	}
	if got := c.fake.PoolSIDs(notif); len(got) != len(before)+2 || !slices.Contains(got, alpha.SID) {
		t.Fatalf("after two attaches the pool holds %v", got)
	}

	// detach: off a terminal only with --yes.
	n := len(c.fake.Records())
	_, errOut := c.run(2, "detach", "--service", notif, "+14155550177")
	if !strings.Contains(errOut, "--yes") || c.fake.Requests(twiliotest.RouteDeletePhoneNumber) != 0 || len(c.fake.Records()) != n {
		t.Fatalf("detach without --yes: %q", errOut)
	}
	out, _ = c.run(0, "detach", "--service", notif, "+14155550177", "--yes")
	if !strings.HasPrefix(out, "detached +14155550177") || slices.Contains(c.fake.PoolSIDs(notif), twiliotest.DemoFreeNumberUS) {
		t.Fatalf("detach --yes: %q; the pool holds %v", out, c.fake.PoolSIDs(notif))
	}
	c.run(0, "detach", "--service", notif, "--alpha", "Zeta", "--country", "FR", "--yes")
	if got := c.fake.PoolSIDs(notif); !slices.Equal(got, before) {
		t.Fatalf("after the detaches the pool holds %v, want %v", got, before)
	}

	// service: the settings, the campaign, the pool against its limit.
	out, _ = c.run(0, "service", "--service", notif)
	f := fields(out)
	for k, v := range map[string]string{
		"STICKY-SENDER": "on", "A2P-CAMPAIGN": "VERIFIED", "CAMPAIGN-ID": "CJ7QW2X", "BRAND": twiliotest.DemoBrand,
		"POOL": "4/400 numbers and short codes", "KINDS": "whatsapp 3, messenger 2, rcs 2, phone-number 4, alpha 2",
	} {
		if f[k] != v {
			t.Errorf("service: %s is %q, want %q", k, f[k], v)
		}
	}

	// service set: only the flags given, in one POST; refused without --yes.
	n = len(c.fake.Records())
	c.run(2, "service", "set", "--service", notif, "--sticky-sender=false")
	c.run(2, "service", "set", "--service", notif, "--read-only", "--sticky-sender=false", "--yes")
	c.run(2, "service", "set", "--service", notif, "--validity-period", "0", "--yes")
	if len(c.fake.Records()) != n {
		t.Fatalf("refused sets sent %v", c.fake.Records()[n:])
	}
	out, _ = c.run(0, "service", "set", "--service", notif, "--sticky-sender=false", "--validity-period", "600", "--yes")
	posts := c.posts(n)
	if len(posts) != 1 {
		t.Fatalf("service set sent %d POSTs", len(posts))
	}
	if form, err := url.ParseQuery(posts[0].Body); err != nil || !reflect.DeepEqual(form, url.Values{"StickySender": {"false"}, "ValidityPeriod": {"600"}}) {
		t.Errorf("service set sent %q", posts[0].Body)
	}
	if f := fields(strings.SplitN(out, "\n", 2)[1]); f["STICKY-SENDER"] != "off" || f["VALIDITY-PERIOD"] != "600 seconds (10m)" || len(f) != 2 {
		t.Errorf("service set printed:\n%s", out)
	}
	out, _ = c.run(0, "service", "--service", notif, "--json")
	var got struct {
		Service struct {
			StickySender   *bool `json:"sticky_sender"`
			ValidityPeriod *int  `json:"validity_period"`
			SmartEncoding  *bool `json:"smart_encoding"`
		} `json:"service"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Service.StickySender == nil || *got.Service.StickySender ||
		got.Service.ValidityPeriod == nil || *got.Service.ValidityPeriod != 600 || got.Service.SmartEncoding == nil || !*got.Service.SmartEncoding {
		t.Errorf("the fake's service after the set: %s (%v)", out, err)
	}
}

// TestServiceSetQuestion: on a terminal, service set shows old → new and
// what the change means for the messages sent, and sends only on "y".
func TestServiceSetQuestion(t *testing.T) {
	for _, tt := range []struct {
		answer string
		code   int
	}{{"n\r", 2}, {"y\r", 0}} {
		t.Run(strings.TrimSpace(tt.answer), func(t *testing.T) {
			c := newPoolCLI(t)
			n := len(c.fake.Records())
			p := startPty(t, binary(t), 120, 30, c.env, "--api-url", c.url,
				"service", "set", "--service", twiliotest.DemoServiceNotifications, "--sticky-sender=false", "--smart-encoding")
			p.waitText("[y/N]")
			p.send(tt.answer)
			if code := p.exitCode(); code != tt.code {
				t.Fatalf("exit %d, want %d: %q", code, tt.code, tail(p.output(), 600))
			}
			out := string(p.output())
			for _, w := range []string{"Change the settings of " + twiliotest.DemoServiceNotifications + " (Acme Notifications)?",
				"sticky sender: on → off", "each message may go out from any sender of the pool", "smart encoding: on (no change)"} {
				if !strings.Contains(out, w) {
					t.Errorf("the question lacks %q:\n%s", w, out)
				}
			}
			posts := c.posts(n)
			if tt.code != 0 {
				if len(posts) != 0 {
					t.Errorf("answered no, yet sent %v", posts)
				}
				return
			}
			if len(posts) != 1 {
				t.Fatalf("sent %d POSTs", len(posts))
			}
			if form, _ := url.ParseQuery(posts[0].Body); !reflect.DeepEqual(form, url.Values{"StickySender": {"false"}, "SmartEncoding": {"true"}}) {
				t.Errorf("sent %q", posts[0].Body)
			}
			printed := false
			for _, l := range strings.Split(out, "\n") {
				printed = printed || slices.Equal(strings.Fields(l), []string{"STICKY-SENDER", "off"})
			}
			if !printed {
				t.Errorf("the new values are not printed:\n%s", out)
			}
		})
	}
}

// TestServiceSetNothingToChange: on a terminal, a set whose every value
// is already so asks nothing and sends nothing.
func TestServiceSetNothingToChange(t *testing.T) {
	c := newPoolCLI(t)
	n := len(c.fake.Records())
	p := startPty(t, binary(t), 120, 30, c.env, "--api-url", c.url,
		"service", "set", "--service", twiliotest.DemoServiceNotifications, "--smart-encoding", "--sticky-sender")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("exit %d: %q", code, tail(p.output(), 600))
	}
	out := string(p.output())
	if !strings.Contains(out, "nothing to change: "+twiliotest.DemoServiceNotifications) || strings.Contains(out, "[y/N]") {
		t.Errorf("printed:\n%s", out)
	}
	if posts := c.posts(n); len(posts) != 0 {
		t.Errorf("sent %v", posts)
	}
}
