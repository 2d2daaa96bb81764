package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
)

// blockFields reads a FIELD value block (show, service) into a map.
func blockFields(t *testing.T, out string) map[string]string {
	t.Helper()
	fields := map[string]string{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("line %q is not FIELD value in\n%s", line, out)
		}
		fields[k] = strings.TrimSpace(v)
	}
	return fields
}

// newRecords are the requests the fake received since it had n.
func newRecords(fake *twiliotest.Fake, n int) []twiliotest.RequestRecord {
	return fake.Records()[n:]
}

// TestServiceShows: service prints the settings that decide which sender
// goes out, the campaign when there is one and the pool's size against
// its limit, reading and never changing anything.
func TestServiceShows(t *testing.T) {
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		service string
		want    map[string]string
		absent  []string
	}{
		{"sticky, with a campaign", twiliotest.DemoServiceNotifications, map[string]string{
			"SERVICE": twiliotest.DemoServiceNotifications, "NAME": "Acme Notifications", "USE-CASE": "notifications",
			"STICKY-SENDER": "on", "AREA-CODE-GEOMATCH": "on", "SMART-ENCODING": "on", "MMS-CONVERTER": "on",
			"FALLBACK-TO-LONG-CODE": "off", "VALIDITY-PERIOD": "14400 seconds (4h)", "USE-INBOUND-WEBHOOK-ON-NUMBER": "off",
			"A2P-CAMPAIGN": "VERIFIED", "CAMPAIGN-ID": "CJ7QW2X", "BRAND": twiliotest.DemoBrand,
			"POOL": "4/400 numbers and short codes", "KINDS": "whatsapp 3, messenger 2, rcs 2, phone-number 4, alpha 2",
		}, nil},
		{"loose, no campaign", twiliotest.DemoServiceMarketing, map[string]string{
			"STICKY-SENDER": "off", "AREA-CODE-GEOMATCH": "off", "USE-CASE": "marketing", "VALIDITY-PERIOD": "36000 seconds (10h)",
			"A2P-CAMPAIGN": "none", "POOL": "3/400 numbers and short codes",
			"KINDS": "whatsapp 3, messenger 1, rcs 1, phone-number 2, short-code 1",
		}, []string{"CAMPAIGN-ID", "BRAND"}},
		{"an empty pool", twiliotest.DemoServiceSandbox, map[string]string{
			"POOL": "0/400 numbers and short codes", "KINDS": "none", "A2P-CAMPAIGN": "none",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(fake.Records())
			code, out, errOut := runCLI(t, env, "service", "--service", tt.service)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got := blockFields(t, out)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s is %q, want %q\n%s", k, got[k], v, out)
				}
			}
			for _, k := range tt.absent {
				if _, ok := got[k]; ok {
					t.Errorf("%s printed without a campaign:\n%s", k, out)
				}
			}
			for _, r := range newRecords(fake, n) {
				if r.Method != http.MethodGet {
					t.Errorf("service sent %s %s", r.Method, r.Path)
				}
			}
		})
	}

	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no service", []string{"service"}, exitSetup, "needs --service"},
		{"an argument", []string{"service", "--service", twiliotest.DemoServiceMarketing, "extra"}, exitSetup, "takes no arguments"},
		{"a service that is not there", []string{"service", "--service", "MG" + strings.Repeat("0", 32)}, exitAPI, "20404"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, tt.code, tt.stderr)
			}
		})
	}
}

// TestServiceJSON: --json is one object: the service and its campaign as
// the API sent them (or null), and the pool's counts.
func TestServiceJSON(t *testing.T) {
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	_ = fake
	client, err := api.New(api.Config{
		Credentials: api.Credentials{AccountSID: env["TWILIO_ACCOUNT_SID"], Secret: env["TWILIO_AUTH_TOKEN"]},
		BaseURL:     env["SENDERPOOL_API_URL"],
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for _, tt := range []struct {
		service  string
		campaign string // "" for none
		limited  int
		kinds    map[string]int
	}{
		{twiliotest.DemoServiceNotifications, twiliotest.DemoCampaign, 4,
			map[string]int{"whatsapp": 3, "messenger": 2, "rcs": 2, "other": 0, "phone-number": 4, "short-code": 0, "alpha": 2}},
		{twiliotest.DemoServiceMarketing, "", 3,
			map[string]int{"whatsapp": 3, "messenger": 1, "rcs": 1, "other": 0, "phone-number": 2, "short-code": 1, "alpha": 0}},
	} {
		t.Run(tt.service, func(t *testing.T) {
			code, out, errOut := runCLI(t, env, "service", "--service", tt.service, "--json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got struct {
				Service  map[string]any  `json:"service"`
				Campaign *map[string]any `json:"us_a2p_campaign"`
				Pool     struct {
					Limited      int            `json:"numbers_and_short_codes"`
					DefaultLimit int            `json:"default_limit"`
					Kinds        map[string]int `json:"kinds"`
				} `json:"pool"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not the documented object: %v\n%s", err, out)
			}
			svc, err := client.FetchService(t.Context(), tt.service)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := svc.WireJSON()
			var want map[string]any
			_ = json.Unmarshal(raw, &want)
			delete(want, "date_updated")
			delete(got.Service, "date_updated")
			if !reflect.DeepEqual(got.Service, want) {
				t.Errorf("service is not as the API sent it:\n%v\nwant\n%v", got.Service, want)
			}
			switch {
			case tt.campaign == "" && got.Campaign != nil:
				t.Errorf("a campaign where there is none: %v", *got.Campaign)
			case tt.campaign != "" && (got.Campaign == nil || (*got.Campaign)["sid"] != tt.campaign || (*got.Campaign)["rate_limits"] == nil):
				t.Errorf("campaign %v, want %s as sent", got.Campaign, tt.campaign)
			}
			if !strings.Contains(out, `"us_a2p_campaign": null`) && tt.campaign == "" {
				t.Errorf("no campaign is not null:\n%s", out)
			}
			if got.Pool.Limited != tt.limited || got.Pool.DefaultLimit != api.DefaultPoolLimit || !reflect.DeepEqual(got.Pool.Kinds, tt.kinds) {
				t.Errorf("pool %+v, want %d/%d %v", got.Pool, tt.limited, api.DefaultPoolLimit, tt.kinds)
			}
		})
	}
}

// TestServiceSet: only the flags given are sent, in one POST; --yes off
// a terminal sends nothing else; every refusal (no flag, --read-only, no
// --yes, a bad value) sends nothing; the new values are printed as
// Twilio answered them, and the fake holds them.
func TestServiceSet(t *testing.T) {
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	tests := []struct {
		name    string
		args    []string
		code    int
		form    url.Values        // the POST's body; nil: nothing is sent
		printed map[string]string // FIELD value lines after the first
		stderr  string
		after   map[string]string // `service` afterwards
	}{
		{name: "sticky sender off", args: []string{"--service", notif, "--sticky-sender=false", "--yes"}, code: exitOK,
			form: url.Values{"StickySender": {"false"}}, printed: map[string]string{"STICKY-SENDER": "off"},
			after: map[string]string{"STICKY-SENDER": "off", "AREA-CODE-GEOMATCH": "on", "VALIDITY-PERIOD": "14400 seconds (4h)"}},
		{name: "a switch alone turns it on", args: []string{"--service", mkt, "--area-code-geomatch", "--yes"}, code: exitOK,
			form: url.Values{"AreaCodeGeomatch": {"true"}}, printed: map[string]string{"AREA-CODE-GEOMATCH": "on"},
			after: map[string]string{"AREA-CODE-GEOMATCH": "on", "STICKY-SENDER": "off"}},
		{name: "every setting", args: []string{"--service", mkt, "--yes", "--sticky-sender", "--area-code-geomatch=false",
			"--smart-encoding=false", "--mms-converter=false", "--fallback-to-long-code", "--validity-period", "3600",
			"--use-inbound-webhook-on-number", "--usecase", "poll", "--friendly-name", "Acme Polls"}, code: exitOK,
			form: url.Values{"StickySender": {"true"}, "AreaCodeGeomatch": {"false"}, "SmartEncoding": {"false"}, "MmsConverter": {"false"},
				"FallbackToLongCode": {"true"}, "ValidityPeriod": {"3600"}, "UseInboundWebhookOnNumber": {"true"},
				"Usecase": {"poll"}, "FriendlyName": {"Acme Polls"}},
			printed: map[string]string{"STICKY-SENDER": "on", "SMART-ENCODING": "off", "VALIDITY-PERIOD": "3600 seconds (1h)", "NAME": "Acme Polls"},
			after:   map[string]string{"MMS-CONVERTER": "off", "FALLBACK-TO-LONG-CODE": "on", "USE-INBOUND-WEBHOOK-ON-NUMBER": "on", "USE-CASE": "poll"}},
		{name: "no setting", args: []string{"--service", notif, "--yes"}, code: exitSetup, stderr: "needs a setting to change: --friendly-name"},
		{name: "--read-only", args: []string{"--service", notif, "--read-only", "--sticky-sender=false", "--yes"}, code: exitSetup, stderr: "--read-only"},
		{name: "no --yes off a terminal", args: []string{"--service", notif, "--sticky-sender=false"}, code: exitSetup, stderr: "needs --yes"},
		{name: "validity period 0", args: []string{"--service", notif, "--validity-period", "0", "--yes"}, code: exitSetup, stderr: "--validity-period: invalid ValidityPeriod: 0 seconds; want 1 to 36000"},
		{name: "validity period too long", args: []string{"--service", notif, "--validity-period=36001", "--yes"}, code: exitSetup, stderr: "want 1 to 36000"},
		{name: "validity period not a number", args: []string{"--service", notif, "--validity-period", "1h", "--yes"}, code: exitSetup, stderr: "validity-period"},
		{name: "an unknown use case", args: []string{"--service", notif, "--usecase", "spam", "--yes"}, code: exitSetup, stderr: "--usecase"},
		{name: "a switch's value apart", args: []string{"--service", notif, "--sticky-sender", "false", "--yes"}, code: exitSetup, stderr: "--sticky-sender=false"},
		{name: "no service", args: []string{"--sticky-sender", "--yes"}, code: exitSetup, stderr: "needs --service"},
		{name: "a service that is not there", args: []string{"--service", "MG" + strings.Repeat("0", 32), "--smart-encoding", "--yes"}, code: exitAPI,
			form: url.Values{"SmartEncoding": {"true"}}, stderr: "20404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, env, err := cliFake(t)
			if err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, env, append([]string{"service", "set"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			records := fake.Records()
			if tt.form == nil {
				if len(records) != 0 || out != "" {
					t.Fatalf("a refused set printed %q and sent %d requests", out, len(records))
				}
				return
			}
			// --yes needs nothing but the POST, and the service's name for
			// the audit log (fetched before it).
			if n := len(records); n > 0 && records[0].Route == twiliotest.RouteFetchService && records[0].Method == http.MethodGet {
				records = records[1:]
			}
			if len(records) != 1 || records[0].Route != twiliotest.RouteUpdateService || records[0].Method != http.MethodPost {
				t.Fatalf("sent %+v, want one POST", records)
			}
			sent, err := url.ParseQuery(records[0].Body)
			if err != nil || !reflect.DeepEqual(sent, tt.form) {
				t.Errorf("sent %v (%v), want exactly %v", sent, err, tt.form)
			}
			if tt.code != exitOK {
				return
			}
			lines := strings.SplitN(out, "\n", 2)
			if !strings.HasPrefix(lines[0], "updated MG") {
				t.Errorf("first line %q", lines[0])
			}
			printed := blockFields(t, lines[1])
			if len(printed) != len(tt.form) {
				t.Errorf("printed %d settings, want the %d given:\n%s", len(printed), len(tt.form), out)
			}
			for k, v := range tt.printed {
				if printed[k] != v {
					t.Errorf("printed %s %q, want %q:\n%s", k, printed[k], v, out)
				}
			}
			code, out, errOut = runCLI(t, env, "service", "--service", tt.args[1])
			if code != exitOK {
				t.Fatal(errOut)
			}
			now := blockFields(t, out)
			for k, v := range tt.after {
				if now[k] != v {
					t.Errorf("afterwards %s is %q, want %q", k, now[k], v)
				}
			}
		})
	}
}

// TestServiceSetJSON: --json prints the service as Twilio returned it.
func TestServiceSetJSON(t *testing.T) {
	_, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, env, "service", "set", "--service", twiliotest.DemoServiceNotifications, "--validity-period", "60", "--yes", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || got["validity_period"] != 60.0 || got["sid"] != twiliotest.DemoServiceNotifications {
		t.Errorf("printed %s (%v)", out, err)
	}
}

// TestSetQuestion: the question names the service, says old → new for
// each change and what it means for the messages sent, marks a setting
// already so, and says "unknown" for a value the API left null.
func TestSetQuestion(t *testing.T) {
	on, off, validity := true, false, 14_400
	svc := &api.Service{SID: twiliotest.DemoServiceNotifications, FriendlyName: "Acme\x1b[2J", StickySender: &on, SmartEncoding: &on, ValidityPeriod: &validity}
	hour := 3600
	for _, tt := range []struct {
		name    string
		u       api.ServiceUpdate
		changes int
		want    []string
		notWant []string
	}{
		{"sticky off", api.ServiceUpdate{StickySender: &off}, 1,
			[]string{"Change the settings of " + twiliotest.DemoServiceNotifications + ` (Acme\x1b[2J)?`, "sticky sender: on → off",
				"sticky sender off: each message may go out from any sender of the pool", "[y/N] "}, nil},
		{"already so, and unknown", api.ServiceUpdate{SmartEncoding: &on, AreaCodeGeomatch: &off}, 1,
			[]string{"smart encoding: on (no change)", "area code geomatch: unknown → off"}, []string{"smart encoding on:"}},
		{"validity", api.ServiceUpdate{ValidityPeriod: &hour}, 1,
			[]string{"validity period: 14400 seconds (4h) → 3600 seconds (1h)", "still queued 3600 seconds (1h)"}, nil},
		{"nothing changes", api.ServiceUpdate{StickySender: &on}, 0, []string{"(no change)"}, []string{"→"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, changes := setQuestion(svc, tt.u)
			if changes != tt.changes {
				t.Errorf("%d changes, want %d", changes, tt.changes)
			}
			checkTerminalText(t, "the question", q, false)
			for _, w := range tt.want {
				if !strings.Contains(q, w) {
					t.Errorf("the question lacks %q:\n%s", w, q)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(q, w) {
					t.Errorf("the question says %q:\n%s", w, q)
				}
			}
		})
	}
}

// TestServiceNullAndHostile: a null setting prints "unknown", never a
// guess; hostile text in the service and its campaign reaches the
// terminal inert, and --json decodes to what the API sent.
func TestServiceNullAndHostile(t *testing.T) {
	const (
		nulls   = "MG0123456789abcdef0123456789abcdef"
		hostile = "MGfedcba9876543210fedcba9876543210"
		qe      = "QE0123456789abcdef0123456789abcdef"
		evil    = `\u001b]52;c;ZWNobw==\u0007\u001b[2J` + "\u202e\x9b31m\xff" + `\nline`
	)
	services := map[string]string{
		nulls: `{"sid":"` + nulls + `","friendly_name":null,"usecase":null,"sticky_sender":null,"area_code_geomatch":null,"smart_encoding":null,` +
			`"mms_converter":null,"fallback_to_long_code":null,"validity_period":null,"use_inbound_webhook_on_number":null}`,
		hostile: `{"sid":"` + hostile + `","friendly_name":"` + evil + `","usecase":"` + evil + `","sticky_sender":true,"x_` + evil + `":1}`,
	}
	campaign := `{"sid":"` + qe + `","campaign_status":"` + evil + `","campaign_id":"` + evil + `","brand_registration_sid":"` + evil + `","messaging_service_sid":"` + hostile + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		mg, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/v1/Services/"), "/")
		switch {
		case rest == "" && services[mg] != "":
			fmt.Fprint(w, services[mg])
		case rest == "Compliance/Usa2p":
			items := ""
			if mg == hostile {
				items = campaign
			}
			fmt.Fprintf(w, `{"meta":{"key":"compliance","next_page_url":null},"compliance":[%s]}`, items)
		case rest == "Compliance/Usa2p/"+qe:
			fmt.Fprint(w, campaign)
		case rest == "ChannelSenders":
			fmt.Fprint(w, `{"meta":{"key":"senders","next_page_url":null},"senders":[]}`)
		default:
			if !emptyPoolList(w, r) {
				http.NotFound(w, r)
			}
		}
	}))
	t.Cleanup(srv.Close)
	env := map[string]string{"TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN": "token", "SENDERPOOL_API_URL": srv.URL}

	code, out, errOut := runCLI(t, env, "service", "--service", nulls)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fields := blockFields(t, out)
	for _, f := range []string{"NAME", "USE-CASE", "STICKY-SENDER", "AREA-CODE-GEOMATCH", "SMART-ENCODING", "MMS-CONVERTER",
		"FALLBACK-TO-LONG-CODE", "VALIDITY-PERIOD", "USE-INBOUND-WEBHOOK-ON-NUMBER"} {
		if fields[f] != "unknown" {
			t.Errorf("a null %s prints %q, want unknown", f, fields[f])
		}
	}

	code, out, errOut = runCLI(t, env, "service", "--service", hostile)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkTerminalText(t, "stdout", out, false)
	checkTerminalText(t, "stderr", errOut, false)
	if !strings.Contains(out, `\x1b]52`) || !strings.Contains(out, `\u202e`) {
		t.Errorf("the hostile fields are not shown escaped:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n != len(blockFields(t, out)) || !strings.Contains(out, "\nCAMPAIGN-ID ") {
		t.Errorf("a line break from the server made a line of its own:\n%s", out)
	}

	code, out, errOut = runCLI(t, env, "service", "--service", hostile, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkTerminalText(t, "--json", out, true)
	want := `{"service":` + services[hostile] + `,"us_a2p_campaign":` + campaign +
		`,"pool":{"numbers_and_short_codes":0,"default_limit":400,"kinds":{"alpha":0,"messenger":0,"other":0,"phone-number":0,"rcs":0,"short-code":0,"whatsapp":0}}}`
	if got, w := decodeJSON(t, "stdout", []byte(out)), decodeJSON(t, "the API's objects", []byte(want)); !reflect.DeepEqual(got, w) {
		t.Errorf("--json decodes to\n%#v\nwant\n%#v", got, w)
	}
}

// TestServiceHostileFake: the fake's hostile service through service and
// service set, and hostile error messages from either call: every byte
// that reaches the terminal is inert, and an error stays on one line.
func TestServiceHostileFake(t *testing.T) {
	t.Parallel()
	fake := twiliotest.Demo(twiliotest.DemoOptions{})
	h := fake.AddHostile()
	fake.AddHostilePool(h)
	srv := twiliotest.Serve(t, fake)
	env := map[string]string{
		"TWILIO_ACCOUNT_SID": twiliotest.DemoAccountSID,
		"TWILIO_AUTH_TOKEN":  twiliotest.DemoAuthToken,
		"SENDERPOOL_API_URL": srv.URL,
	}
	client := apitest.Client(t, srv, api.Config{})
	pool, err := client.ListPool(t.Context(), h.Service)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"service", "--service", h.Service},
		{"service", "--service", h.Service, "--json"},
		{"service", "set", "--service", h.Service, "--sticky-sender", "--yes"},
	} {
		code, out, errOut := runCLI(t, env, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %.300s", args, code, errOut)
		}
		checkTerminalText(t, fmt.Sprintf("%v stdout", args), out, false)
		checkTerminalText(t, fmt.Sprintf("%v stderr", args), errOut, false)
		if args[1] == "set" && !strings.HasPrefix(out, "updated "+h.Service+` (Evil\x1b[2J`) {
			t.Errorf("the name is not shown escaped: %.200q", out)
		}
		if len(args) == 3 {
			want := fmt.Sprintf("%d/400 numbers and short codes", api.PoolUsage(pool))
			if blockFields(t, out)["POOL"] != want {
				t.Errorf("POOL is %q, want %q", blockFields(t, out)["POOL"], want)
			}
		}
	}
	for i, v := range twiliotest.HostileValues() {
		for _, c := range []struct {
			route twiliotest.Route
			args  []string
		}{
			{twiliotest.RouteFetchService, []string{"service", "--service", h.Service}},
			{twiliotest.RouteListUsAppToPerson, []string{"service", "--service", h.Service, "--json"}},
			{twiliotest.RouteUpdateService, []string{"service", "set", "--service", h.Service, "--mms-converter", "--yes"}},
		} {
			fake.ClearFaults()
			fake.AddFault(c.route, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21000 + i, Message: v, Times: -1})
			code, out, errOut := runCLI(t, env, c.args...)
			what := fmt.Sprintf("value %d, %v", i, c.args)
			if code != exitAPI || out != "" {
				t.Errorf("%s: exit %d, stdout %.100q; want %d and nothing", what, code, out, exitAPI)
			}
			checkTerminalText(t, what+": stderr", errOut, false)
			if strings.Count(errOut, "\n") != 1 {
				t.Errorf("%s: the error spans %d lines: %.300q", what, strings.Count(errOut, "\n"), errOut)
			}
		}
	}
}
