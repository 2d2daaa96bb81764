package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// emptyPoolList answers a request for one of a pool's lists beside the
// channel senders (phone numbers, short codes, alpha senders) with an
// empty page, for the tests' own servers that know only channel senders;
// it reports whether it answered.
func emptyPoolList(w http.ResponseWriter, r *http.Request) bool {
	for _, l := range []struct{ suffix, key string }{
		{"/PhoneNumbers", "phone_numbers"},
		{"/ShortCodes", "short_codes"},
		{"/DestinationAlphaSenders", "alpha_senders"},
		{"/AlphaSenders", "alpha_senders"},
	} {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/Services/") && strings.HasSuffix(r.URL.Path, l.suffix) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"meta":{"key":%q,"next_page_url":null},%q:[]}`, l.key, l.key)
			return true
		}
	}
	return false
}

// TestListWholePool: list prints every kind of the pool with its KIND, in
// the dashboard's order; --kind narrows it and asks only the sources that
// hold those kinds; an unknown kind is a usage error sent nowhere.
func TestListWholePool(t *testing.T) {
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	notif := twiliotest.DemoServiceNotifications
	tests := []struct {
		name      string
		args      []string
		code      int
		wantSIDs  []string // in this order, among the rows
		wantKinds []string // every row's KIND is one of these
		notAsked  []twiliotest.Route
		stderr    string
	}{
		{name: "every kind", args: []string{"list", "--service", notif}, code: exitOK,
			wantSIDs: []string{twiliotest.DemoSenderWhatsAppUS, twiliotest.DemoSenderMessenger, twiliotest.DemoSenderRCSNotifications,
				twiliotest.DemoNumberUSNewYork, twiliotest.DemoNumberTollFree, twiliotest.DemoAlphaGlobal, twiliotest.DemoAlphaGermany},
			wantKinds: []string{"whatsapp", "messenger", "rcs", "phone-number", "alpha"}},
		{name: "numbers and short codes", args: []string{"list", "--service", twiliotest.DemoServiceMarketing, "--kind", "phone-number,short-code"}, code: exitOK,
			wantSIDs: []string{twiliotest.DemoNumberUSMarketing, twiliotest.DemoNumberUK, twiliotest.DemoShortCode}, wantKinds: []string{"phone-number", "short-code"},
			notAsked: []twiliotest.Route{twiliotest.RouteListChannelSenders, twiliotest.RouteListAlphaSenders, twiliotest.RouteListDestinationAlphaSenders}},
		{name: "one channel kind, repeated flag, any case", args: []string{"list", "--service", notif, "--kind", "WhatsApp", "--kind", " rcs "}, code: exitOK,
			wantSIDs: []string{twiliotest.DemoSenderWhatsAppUS, twiliotest.DemoSenderRCSNotifications}, wantKinds: []string{"whatsapp", "rcs"},
			notAsked: []twiliotest.Route{twiliotest.RouteListPhoneNumbers, twiliotest.RouteListShortCodes}},
		{name: "alpha senders with their country", args: []string{"list", "--service", notif, "--kind", "alpha"}, code: exitOK,
			wantSIDs: []string{twiliotest.DemoAlphaGlobal, twiliotest.DemoAlphaGermany}, wantKinds: []string{"alpha"}},
		{name: "status for channel senders, - for the rest", args: []string{"list", "--service", notif, "--status"}, code: exitOK,
			wantSIDs: []string{twiliotest.DemoSenderWhatsAppDE, twiliotest.DemoNumberUSChicago}},
		{name: "an unknown kind", args: []string{"list", "--service", notif, "--kind", "phone-number,pigeon"}, code: exitSetup,
			stderr: "whatsapp, messenger, rcs, other, phone-number, short-code, alpha"},
		{name: "an empty kind", args: []string{"list", "--service", notif, "--kind", ","}, code: exitSetup, stderr: "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := map[twiliotest.Route]int{}
			for _, r := range tt.notAsked {
				before[r] = fake.Requests(r)
			}
			total := fake.TotalRequests()
			code, out, stderr := runCLI(t, env, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if tt.code != exitOK {
				if out != "" || fake.TotalRequests() != total {
					t.Errorf("a refused list printed %q or made a request", out)
				}
				return
			}
			header := []string{"SID", "KIND", "SENDER", "COUNTRY", "CREATED"}
			if slices.Contains(tt.args, "--status") {
				header = append(header, "STATUS")
			}
			rows := tableCells(t, out, header...)
			var sids []string
			byID := map[string][]string{}
			for _, r := range rows {
				sids = append(sids, r[0])
				byID[r[0]] = r
				if tt.wantKinds != nil && !slices.Contains(tt.wantKinds, r[1]) {
					t.Errorf("row of kind %q: %v", r[1], r)
				}
			}
			last := -1
			for _, want := range tt.wantSIDs {
				i := slices.Index(sids, want)
				if i < 0 || i < last {
					t.Errorf("%s missing or out of order in\n%s", want, out)
				}
				last = i
			}
			for _, r := range tt.notAsked {
				if fake.Requests(r) != before[r] {
					t.Errorf("--kind %v still asked %s", tt.args, r)
				}
			}
			if r, ok := byID[twiliotest.DemoAlphaGermany]; ok && r[3] != "DE" {
				t.Errorf("the German alpha sender's COUNTRY is %q, want DE", r[3])
			}
			if r, ok := byID[twiliotest.DemoAlphaGlobal]; ok && r[3] != "-" {
				t.Errorf("the global alpha sender's COUNTRY is %q, want -", r[3])
			}
			if r, ok := byID[twiliotest.DemoSenderWhatsAppDE]; ok && len(r) > 5 && r[5] != "OFFLINE" {
				t.Errorf("the German WhatsApp sender's STATUS is %q, want OFFLINE", r[5])
			}
			if r, ok := byID[twiliotest.DemoNumberUSChicago]; ok && len(r) > 5 && r[5] != "-" {
				t.Errorf("a phone number's STATUS is %q, want -", r[5])
			}
		})
	}
}

// TestListJSONWholePool: --json is every object of every kind as the API
// sent it, kind by kind, narrowed by --kind.
func TestListJSONWholePool(t *testing.T) {
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	notif := twiliotest.DemoServiceNotifications
	tests := []struct {
		name     string
		kinds    string
		prefixes string // the SID prefixes expected, in order of first appearance
		want     int
	}{
		{"every kind", "", "XE PN AI", len(fake.PoolSIDs(notif))},
		{"whatsapp only", "whatsapp", "XE", 3},
		{"numbers and alpha", "alpha,phone-number", "PN AI", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"list", "--service", notif, "--json"}
			if tt.kinds != "" {
				args = append(args, "--kind", tt.kinds)
			}
			code, out, stderr := runCLI(t, env, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var objs []map[string]any
			if err := json.Unmarshal([]byte(out), &objs); err != nil {
				t.Fatalf("not a JSON array: %v\n%s", err, out)
			}
			if len(objs) != tt.want {
				t.Errorf("%d objects, want %d:\n%s", len(objs), tt.want, out)
			}
			var prefixes []string
			for _, o := range objs {
				sid, _ := o["sid"].(string)
				if len(sid) < 2 {
					t.Fatalf("an object without a sid: %v", o)
				}
				if p := sid[:2]; !slices.Contains(prefixes, p) {
					prefixes = append(prefixes, p)
				}
				if _, ok := o["date_created"]; !ok {
					t.Errorf("an object lacks the API's date_created: %v", o)
				}
				if sid[:2] == "XE" && tt.kinds == "whatsapp" && !strings.HasPrefix(o["sender"].(string), "whatsapp:") {
					t.Errorf("--kind whatsapp printed %v", o)
				}
			}
			if got := strings.Join(prefixes, " "); got != tt.prefixes {
				t.Errorf("kinds in the order %q, want %q", got, tt.prefixes)
			}
		})
	}
}

// TestListHostilePool: the hostile corpus in every field of every kind
// reaches the terminal inert, in the table and in --json, which stays
// valid JSON.
func TestListHostilePool(t *testing.T) {
	fake, h, _, env := hostileFake(t)
	fake.AddHostilePool(h)
	for _, args := range [][]string{
		{"list", "--service", h.Service},
		{"list", "--service", h.Service, "--status"},
		{"list", "--service", h.Service, "--kind", "phone-number,short-code,alpha"},
		{"list", "--service", h.Service, "--json"},
	} {
		code, out, stderr := runCLI(t, env, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %.300s", args, code, stderr)
		}
		checkTerminalText(t, fmt.Sprint(args), out, false)
		checkTerminalText(t, fmt.Sprint(args), stderr, false)
		for _, prefix := range []string{"PN", "SC", "AI"} {
			if !strings.Contains(out, prefix+"000000000000000000000000") {
				t.Errorf("%v: no %s member in the output", args, prefix)
			}
		}
		if slices.Contains(args, "--json") {
			decodeJSON(t, "list --json", []byte(out))
		}
	}
}

// TestListPoolSourceFails: a kind that cannot be listed fails the command
// (exit 1, naming the kind) and prints no table that would pass for the
// whole pool.
func TestListPoolSourceFails(t *testing.T) {
	for _, args := range [][]string{
		{"list", "--service", twiliotest.DemoServiceNotifications},
		{"list", "--service", twiliotest.DemoServiceNotifications, "--json"},
	} {
		fake, env, err := cliFake(t)
		if err != nil {
			t.Fatal(err)
		}
		fake.AddFault(twiliotest.RouteListShortCodes, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: http.StatusInternalServerError, Times: -1})
		code, out, stderr := runCLI(t, env, args...)
		if code != exitAPI || !strings.Contains(stderr, "short codes") {
			t.Errorf("%v: exit %d, stderr %q; want 1 naming the short codes", args, code, stderr)
		}
		if strings.Contains(out, "SID") || strings.HasSuffix(out, "]\n") {
			t.Errorf("%v: a failed list printed %q", args, out)
		}
	}
}

// TestAttachDetachAnyInput: attach and detach take whatever names a
// sender — a SID of any kind, a number, a short code's digits, a channel
// address, --alpha with or without --country — and each reaches the
// server as the member of the right list.
func TestAttachDetachAnyInput(t *testing.T) {
	tests := []struct {
		name    string
		attach  []string
		detach  []string // "" means: by the SID attach printed
		kind    string
		address string
	}{
		{"a number by E.164", []string{"+1 415 555 0177"}, []string{"+14155550177"}, "phone-number", "+14155550177"},
		{"a number by SID", []string{twiliotest.DemoFreeTollFree}, nil, "phone-number", "+18885550111"},
		{"a short code by digits", []string{"55123"}, []string{"55123"}, "short-code", "55123"},
		{"a short code by SID", []string{twiliotest.DemoFreeShortCodeUK}, nil, "short-code", "60777"},
		{"a WhatsApp sender by address", []string{"whatsapp:+14155550123"}, []string{"whatsapp:+14155550123"}, "whatsapp", "whatsapp:+14155550123"},
		{"an RCS sender by SID", []string{twiliotest.DemoFreeRCSSupport}, nil, "rcs", "rcs:acme_support_agent"},
		{"an alpha sender for every country", []string{"--alpha", "Zeta"}, []string{"--alpha", "Zeta"}, "alpha", "Zeta"}, // in the empty service: Notifications has its own
		{"an alpha sender for France", []string{"--alpha", "Zeta FR", "--country", "fr"}, nil, "alpha", "Zeta FR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, env, err := cliFake(t)
			if err != nil {
				t.Fatal(err)
			}
			notif := twiliotest.DemoServiceNotifications
			if tt.attach[0] == "--alpha" && len(tt.attach) == 2 {
				notif = twiliotest.DemoServiceSandbox
			}
			before := len(fake.PoolSIDs(notif))
			code, out, stderr := runCLI(t, env, append([]string{"attach", "--service", notif, "--json"}, tt.attach...)...)
			if code != exitOK {
				t.Fatalf("attach: exit %d: %s", code, stderr)
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(out), &obj); err != nil {
				t.Fatalf("attach --json: %v\n%s", err, out)
			}
			sid, _ := obj["sid"].(string)
			if !slices.Contains(fake.PoolSIDs(notif), sid) || len(fake.PoolSIDs(notif)) != before+1 {
				t.Fatalf("attach did not add %s to the pool", sid)
			}
			code, out, _ = runCLI(t, env, "list", "--service", notif, "--kind", tt.kind)
			if code != exitOK || !strings.Contains(out, sid) || !strings.Contains(out, tt.address) {
				t.Errorf("list --kind %s lacks %s %s:\n%s", tt.kind, sid, tt.address, out)
			}
			detach := tt.detach
			if detach == nil {
				detach = []string{sid}
			}
			code, out, stderr = runCLI(t, env, append([]string{"detach", "--service", notif, "--yes"}, detach...)...)
			if code != exitOK || !strings.Contains(out, sid) || (tt.detach != nil && !strings.Contains(out, tt.kind)) {
				t.Fatalf("detach %v: exit %d: %s %s", detach, code, out, stderr)
			}
			if slices.Contains(fake.PoolSIDs(notif), sid) {
				t.Fatalf("detach did not remove %s", sid)
			}
		})
	}
}

// TestAttachDetachRefusals: Twilio's refusals come with their words and
// exit 1; malformed or ambiguous input is exit 2, and most of it is
// refused before any request.
func TestAttachDetachRefusals(t *testing.T) {
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	tests := []struct {
		name      string
		args      []string
		code      int
		stderr    []string
		noRequest bool
	}{
		{"already in this service", []string{"attach", "--service", notif, "+14155550142"}, exitAPI, []string{"21710", "already in this service"}, false},
		{"in another service", []string{"attach", "--service", mkt, twiliotest.DemoNumberUSSanFrancisco}, exitAPI, []string{"21712", "detach it there first"}, false},
		{"voice only", []string{"attach", "--service", notif, twiliotest.DemoFreeNumberVoiceOnly}, exitAPI, []string{"21715", "neither SMS nor MMS"}, false},
		{"another region", []string{"attach", "--service", notif, twiliotest.DemoFreeNumberIreland}, exitAPI, []string{"21669", "another Twilio region"}, false},
		{"not the account's number", []string{"attach", "--service", notif, "+14155559999"}, exitAPI, []string{"+14155559999", "not one of the account's phone numbers"}, false},
		{"an alpha sender by SID", []string{"attach", "--service", notif, twiliotest.DemoAlphaGlobal}, exitSetup, []string{"by its text"}, true},
		{"a word is not taken for an alpha sender", []string{"attach", "--service", notif, "XE123"}, exitSetup, []string{"--alpha"}, true},
		{"a bad alpha sender", []string{"attach", "--service", notif, "--alpha", "12345"}, exitSetup, []string{"at least one letter"}, true},
		{"a bad country", []string{"attach", "--service", notif, "--alpha", "Acme", "--country", "Germany"}, exitSetup, []string{"--country", "ISO 3166-1"}, true},
		{"country without alpha", []string{"attach", "--service", notif, "+14155550177", "--country", "DE"}, exitSetup, []string{"--country goes with --alpha"}, true},
		{"sender and alpha", []string{"attach", "--service", notif, "+14155550177", "--alpha", "Acme"}, exitSetup, []string{"not both"}, true},
		{"a bad number", []string{"attach", "--service", notif, "+0123"}, exitSetup, []string{"phone number"}, true},
		{"read-only", []string{"attach", "--read-only", "--service", notif, "--alpha", "Zeta"}, exitSetup, []string{"--read-only"}, true},
		{"detach: not in the service", []string{"detach", "--service", notif, "--yes", "+16465550123"}, exitAPI, []string{"not in the service"}, false},
		{"detach: by SID, gone", []string{"detach", "--service", notif, "--yes", twiliotest.DemoShortCode}, exitAPI, []string{"20404"}, false},
		{"detach: two alpha senders named Acme?", []string{"detach", "--service", notif, "--yes", "--alpha", "Acme GmbH", "--country", "FR"}, exitAPI, []string{"not in the service"}, false},
		{"detach: without --yes off a terminal", []string{"detach", "--service", notif, twiliotest.DemoNumberTollFree}, exitSetup, []string{"--yes"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := fmt.Sprint(fake.PoolSIDs(notif), fake.PoolSIDs(mkt))
			total := fake.TotalRequests()
			code, out, stderr := runCLI(t, env, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
				t.Errorf("the error takes more than its line (and a usage pointer): %q", stderr)
			}
			if out != "" {
				t.Errorf("a refusal printed %q", out)
			}
			if tt.noRequest && fake.TotalRequests() != total {
				t.Errorf("refused before any request, yet %d were made", fake.TotalRequests()-total)
			}
			if got := fmt.Sprint(fake.PoolSIDs(notif), fake.PoolSIDs(mkt)); got != pool {
				t.Errorf("a refusal changed the pools")
			}
		})
	}
}

// TestShow: show fetches each named member fresh, by SID or as typed,
// as a block of fields or as the API's objects; one not in the service
// is named and makes the exit 1, the others still shown.
func TestShow(t *testing.T) {
	fake, h, _, env := hostileFake(t)
	hp := fake.AddHostilePool(h)
	notif := twiliotest.DemoServiceNotifications
	tests := []struct {
		name    string
		args    []string
		code    int
		want    []string
		stderr  []string
		objects int // with --json
	}{
		{"by number, alpha text and SID", []string{"--service", notif, "+1 312 555 0163", "Acme GmbH", twiliotest.DemoSenderWhatsAppUS}, exitOK,
			[]string{twiliotest.DemoNumberUSChicago, "phone-number", "TOLL-FREE     no", "SMS", twiliotest.DemoAlphaGermany, "DESTINATION   DE", "whatsapp:+14155550100"}, nil, 0},
		{"a toll-free number", []string{"--service", notif, twiliotest.DemoNumberTollFree}, exitOK, []string{"TOLL-FREE     yes"}, nil, 0},
		{"one missing", []string{"--service", notif, "24368", twiliotest.DemoAlphaGlobal}, exitAPI,
			[]string{twiliotest.DemoAlphaGlobal}, []string{"24368: not in the service"}, 0},
		{"--json", []string{"--service", notif, "--json", "+14155550142", twiliotest.DemoAlphaGlobal}, exitOK, []string{`"phone_number":"+14155550142"`}, nil, 2},
		{"hostile fields", []string{"--service", h.Service, hp.Numbers[1], hp.ShortCodes[2], hp.Alphas[3]}, exitOK, []string{hp.Numbers[1]}, nil, 0},
		{"hostile fields, --json", append([]string{"--service", h.Service, "--json"}, hp.Numbers...), exitOK, nil, nil, len(hp.Numbers)},
		{"a malformed sender", []string{"--service", notif, "PN123abc99"}, exitSetup, nil, []string{"PN"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, env, append([]string{"show"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			checkTerminalText(t, "stdout", out, false)
			checkTerminalText(t, "stderr", stderr, false)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q: %s", w, stderr)
				}
			}
			if tt.objects > 0 {
				var objs []map[string]any
				if err := json.Unmarshal([]byte(out), &objs); err != nil || len(objs) != tt.objects {
					t.Errorf("--json: %v, %d objects, want %d", err, len(objs), tt.objects)
				}
			}
		})
	}
}
