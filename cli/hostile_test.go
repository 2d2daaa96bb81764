package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
)

// hostileFake serves a fresh demo fake with twiliotest's hostile corpus
// added, and the environment that points the program at it.
func hostileFake(t *testing.T) (*twiliotest.Fake, twiliotest.Hostile, *api.Client, map[string]string) {
	t.Helper()
	fake := twiliotest.Demo(twiliotest.DemoOptions{})
	h := fake.AddHostile()
	srv := twiliotest.Serve(t, fake)
	env := map[string]string{
		"TWILIO_ACCOUNT_SID": twiliotest.DemoAccountSID,
		"TWILIO_AUTH_TOKEN":  twiliotest.DemoAuthToken,
		"SENDERPOOL_API_URL": srv.URL,
	}
	return fake, h, apitest.Client(t, srv, api.Config{}), env
}

// decodeJSON decodes a value, numbers as written.
func decodeJSON(t *testing.T, what string, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%s is not JSON: %v\n%.400s", what, err, b)
	}
	if d.More() {
		t.Fatalf("%s: more after the value", what)
	}
	return v
}

// rawArray is the raw objects as one JSON array.
func rawArray(items []json.RawMessage) []byte {
	b := []byte("[")
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}

// TestHostileCorpusThroughTheCommands: the fake's hostile corpus (escape
// sequences of every kind, CR, LF, BS, C1, bidi, zero-width, invalid
// UTF-8, 100k characters; a service and a sender whose SIDs are hostile)
// through every output of the commands: tables, messages, --json and
// errors. The bytes that reach stdout and stderr hold nothing a terminal
// would act on, and --json decodes to what the API sent.
func TestHostileCorpusThroughTheCommands(t *testing.T) {
	t.Parallel()
	fake, h, client, env := hostileFake(t)

	rawServices, err := client.ListServicesJSON(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rawSenders, err := client.ListChannelSendersJSON(t.Context(), h.Service)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.ContainsRune(rawArray(rawSenders), 0x9b) || !bytes.Contains(rawArray(rawSenders), []byte("\u202e")) {
		t.Fatal("the fake no longer sends C1 and bidi characters raw: the test would prove nothing")
	}

	tests := []struct {
		name string
		args []string
		json []byte // the API's objects the output must decode to; nil: not JSON
	}{
		{"services", []string{"services"}, nil},
		{"services --json", []string{"services", "--json"}, rawArray(rawServices)},
		{"list", []string{"list", "--service", h.Service}, nil},
		{"list --status", []string{"list", "--service", h.Service, "--status"}, nil},
		{"list --json", []string{"list", "--service", h.Service, "--json"}, rawArray(rawSenders)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, env, tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkTerminalText(t, "stdout", stdout, false)
			checkTerminalText(t, "stderr", stderr, false)
			if tt.json != nil {
				if got, want := decodeJSON(t, "stdout", []byte(stdout)), decodeJSON(t, "the API's objects", tt.json); !reflect.DeepEqual(got, want) {
					t.Errorf("--json does not decode to what the API sent")
				}
			} else if !strings.Contains(stdout, `\x1b`) {
				t.Errorf("the escape sequences are not shown escaped:\n%.600s", stdout)
			}
		})
	}

	// attach and detach name the sender the server returned, hostile
	// fields and all; --json prints it as the API sent it.
	for i, free := range h.Free {
		t.Run(fmt.Sprintf("attach and detach %d", i), func(t *testing.T) {
			json := i%2 == 1
			attach := []string{"attach", "--service", h.Service, free}
			detach := []string{"detach", "--service", h.Service, free, "--yes"}
			if json {
				attach, detach = append(attach, "--json"), append(detach, "--json")
			}
			for _, args := range [][]string{attach, detach} {
				code, stdout, stderr := runCLI(t, env, args...)
				if code != exitOK {
					t.Fatalf("%v: exit %d: %s", args, code, stderr)
				}
				checkTerminalText(t, args[0]+" stdout", stdout, false)
				checkTerminalText(t, args[0]+" stderr", stderr, false)
				if json {
					decodeJSON(t, args[0]+" --json", []byte(stdout))
				} else if strings.Count(stdout, "\n") != 1 {
					t.Errorf("%s's message is not one line: %q", args[0], stdout)
				}
			}
		})
	}

	// A hostile SID on the command line is refused before any request,
	// and the refusal quotes it inert.
	for _, args := range [][]string{
		{"list", "--service", h.BadService},
		{"attach", "--service", h.Service, h.BadSender},
		{"detach", "--service", h.Service, h.BadSender, "--yes"},
		{"list", "--service", h.Service, "--timeout", "\x1b]0;pwned\x07"},
	} {
		before := fake.TotalRequests()
		code, stdout, stderr := runCLI(t, env, args...)
		if code != exitSetup || fake.TotalRequests() != before {
			t.Errorf("%q: exit %d, %d requests; want %d and none", args, code, fake.TotalRequests()-before, exitSetup)
		}
		checkTerminalText(t, fmt.Sprintf("%q stdout", args), stdout, false)
		checkTerminalText(t, fmt.Sprintf("%q stderr", args), stderr, false)
	}
}

// TestHostileErrorMessages: an error whose message the server wrote
// (Twilio's JSON error, or a proxy's HTML page) reaches stderr inert, for
// every hostile value and every command.
func TestHostileErrorMessages(t *testing.T) {
	t.Parallel()
	fake, h, _, env := hostileFake(t)
	commands := []struct {
		route twiliotest.Route
		args  []string
	}{
		{twiliotest.RouteListServices, []string{"services"}},
		{twiliotest.RouteListServices, []string{"services", "--json"}},
		{twiliotest.RouteListChannelSenders, []string{"list", "--service", h.Service}},
		{twiliotest.RouteListChannelSenders, []string{"list", "--service", h.Service, "--json"}},
		{twiliotest.RouteListAccountSenders, []string{"list", "--service", h.Service, "--status"}},
		{twiliotest.RouteCreateChannelSender, []string{"attach", "--service", h.Service, h.Free[0]}},
		{twiliotest.RouteDeleteChannelSender, []string{"detach", "--service", h.Service, h.Senders[0], "--yes"}},
	}
	for i, v := range twiliotest.HostileValues() {
		for _, kind := range []twiliotest.FaultKind{twiliotest.FaultStatus, twiliotest.FaultHTML} {
			for _, c := range commands {
				fake.ClearFaults()
				fake.AddFault(c.route, twiliotest.Fault{Kind: kind, Status: 400, Code: 21000 + i, Message: v, Times: -1})
				code, stdout, stderr := runCLI(t, env, c.args...)
				what := fmt.Sprintf("value %d, fault %d, %v", i, kind, c.args)
				if code != exitAPI {
					t.Errorf("%s: exit %d, want %d: %.300s", what, code, exitAPI, stderr)
				}
				checkTerminalText(t, what+": stdout", stdout, false)
				checkTerminalText(t, what+": stderr", stderr, false)
				// A line break the server wrote must not start a line
				// of ours.
				if strings.Count(stderr, "\n") != 1 {
					t.Errorf("%s: the error spans %d lines: %.300q", what, strings.Count(stderr, "\n"), stderr)
				}
			}
		}
	}
}

// TestJSONFromRawBytes: a server (or a proxy) that sends bytes encoding/json
// would never write (a bare C1 byte, invalid UTF-8, DEL, raw bidi and line
// separators, in values and in keys) gets valid UTF-8 out of --json, with
// those characters escaped and the same strings once decoded.
func TestJSONFromRawBytes(t *testing.T) {
	t.Parallel()
	const service = "MG0123456789abcdef0123456789abcdef"
	// As JSON text: C0 controls must be escaped there (they are kept
	// escaped); the rest is raw bytes.
	const hostile = `\u001b]52;c;ZWNobw==\u0007` + "\x7f\x9b31m\xc2\x9b\xff\xfe\u202e\u2028\u2066\u200b\U000e0041"
	svc := `{"sid":"` + service + `","friendly_name":"` + hostile + `","x_` + hostile + `":null}`
	sender := `{"sid":"XE0123456789abcdef0123456789abcdef","sender":"whatsapp:` + hostile + `","sender_type":"` + hostile + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		page := func(key, item string) string {
			return `{"meta":{"key":"` + key + `","next_page_url":null},"` + key + `":[` + item + `]}`
		}
		switch r.URL.Path {
		case "/v1/Services":
			fmt.Fprint(w, page("services", svc))
		case "/v1/Services/" + service + "/ChannelSenders":
			fmt.Fprint(w, page("senders", sender))
		default:
			if !emptyPoolList(w, r) {
				http.NotFound(w, r)
			}
		}
	}))
	t.Cleanup(srv.Close)
	env := map[string]string{"TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN": "token", "SENDERPOOL_API_URL": srv.URL}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"services", "--json"}, "[" + svc + "]"},
		{[]string{"list", "--service", service, "--json"}, "[" + sender + "]"},
		{[]string{"services"}, ""},
		{[]string{"list", "--service", service}, ""},
	} {
		code, stdout, stderr := runCLI(t, env, tt.args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		checkTerminalText(t, fmt.Sprint(tt.args), stdout, false)
		if tt.want == "" {
			continue
		}
		// encoding/json reads each invalid byte as U+FFFD, as the
		// output spells it.
		if got, want := decodeJSON(t, "stdout", []byte(stdout)), decodeJSON(t, "the API's objects", []byte(tt.want)); !reflect.DeepEqual(got, want) {
			t.Errorf("%v decodes to\n%#v\nwant\n%#v", tt.args, got, want)
		}
		for _, esc := range []string{`\u007f`, `\u009b`, `\ufffd`, `\u202e`, `\u2028`, `\u2066`, `\u200b`, `\udb40\udc41`} {
			if !strings.Contains(stdout, esc) {
				t.Errorf("%v: no %s in %s", tt.args, esc, stdout)
			}
		}
	}
}

// TestDuplicateSIDsCountOnce: a SID a server lists on two pages (a list
// that changed between pages, or a broken server) is printed once, the
// first time, in the tables and in --json.
func TestDuplicateSIDsCountOnce(t *testing.T) {
	t.Parallel()
	const service = "MG0123456789abcdef0123456789abcdef"
	sid := func(prefix string, n int) string { return fmt.Sprintf("%s%032x", prefix, n) }
	services := func(ns ...int) string {
		var items []string
		for _, n := range ns {
			items = append(items, fmt.Sprintf(`{"sid":%q,"friendly_name":"Service %d"}`, sid("MG", n), n))
		}
		return strings.Join(items, ",")
	}
	senders := func(ns ...int) string {
		var items []string
		for _, n := range ns {
			items = append(items, fmt.Sprintf(`{"sid":%q,"sender":"whatsapp:+1%010d","sender_type":"WhatsApp"}`, sid("XE", n), n))
		}
		return strings.Join(items, ",")
	}
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if emptyPoolList(w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		key, pages := "services", []string{services(1, 2, 3), services(3, 4, 1), services(5, 2)}
		if r.URL.Path != "/v1/Services" {
			key, pages = "senders", []string{senders(1, 2, 3), senders(3, 4, 1), senders(5, 2)}
		}
		n := 0
		fmt.Sscan(r.URL.Query().Get("Page"), &n)
		next := "null"
		if n+1 < len(pages) {
			next = fmt.Sprintf("%q", fmt.Sprintf("%s%s?PageSize=1000&Page=%d", srvURL, r.URL.Path, n+1))
		}
		fmt.Fprintf(w, `{"meta":{"key":%q,"next_page_url":%s},%q:[%s]}`, key, next, key, pages[n])
	}))
	srvURL = srv.URL
	t.Cleanup(srv.Close)
	env := map[string]string{"TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN": "token", "SENDERPOOL_API_URL": srv.URL}
	for _, tt := range []struct {
		args   []string
		prefix string
	}{
		{[]string{"services"}, "MG"},
		{[]string{"services", "--json"}, "MG"},
		{[]string{"list", "--service", service}, "XE"},
		{[]string{"list", "--service", service, "--json"}, "XE"},
	} {
		code, stdout, stderr := runCLI(t, env, tt.args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		for n := 1; n <= 5; n++ {
			if c := strings.Count(stdout, sid(tt.prefix, n)); c != 1 {
				t.Errorf("%v prints %s %d times, want once:\n%s", tt.args, sid(tt.prefix, n), c, stdout)
			}
		}
		if strings.HasSuffix(tt.args[len(tt.args)-1], "json") {
			var v []map[string]any
			if err := json.Unmarshal([]byte(stdout), &v); err != nil || len(v) != 5 || v[1]["sid"] != sid(tt.prefix, 2) || v[3]["sid"] != sid(tt.prefix, 4) {
				t.Errorf("%v: %d objects (%v), want 5 in the order first seen:\n%s", tt.args, len(v), err, stdout)
			}
		}
	}
}

// TestCompletionOfHostileCommandLine: cobra's completion request writes
// its errors, quoting the command line, to the process's stderr itself;
// a command line that holds escape sequences is not completed at all
// (the shell is told so), and what is said is inert.
func TestCompletionOfHostileCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{"__complete", "list", "--\x1b[2J"},
		{"__complete", "\x1b]0;pwned\x07", ""},
		{"__completeNoDesc", "--\x1b]52;c;eA==\x07="},
		{"__complete", "list", "--service", "MG\u202e"},
	} {
		code, stdout, stderr := runCLI(t, nil, args...)
		if code != exitSetup || stdout != ":1\n" {
			t.Errorf("%q: exit %d, stdout %q; want %d and the error directive", args, code, stdout, exitSetup)
		}
		checkTerminalText(t, fmt.Sprintf("%q stderr", args), stderr, false)
	}
	// An ordinary command line is still completed.
	code, stdout, _ := runCLI(t, nil, "__complete", "li")
	if code != exitOK || !strings.HasPrefix(stdout, "list\t") {
		t.Errorf("__complete li: exit %d, %q", code, stdout)
	}
}
