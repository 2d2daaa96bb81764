package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestDemoSubcommands(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "--demo", "services", "--json")
	if code != exitOK {
		t.Fatalf("services --json exit %d: %s", code, errOut)
	}
	var services []api.Service
	if err := json.Unmarshal([]byte(out), &services); err != nil {
		t.Fatalf("services --json is not a JSON array: %v\n%s", err, out)
	}
	if len(services) != 3 {
		t.Fatalf("demo has %d services, want 3", len(services))
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"sid", "friendly_name", "account_sid", "date_created"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("services --json lacks the API field %q", k)
		}
	}

	code, out, errOut = runCLI(t, nil, "list", "--demo", "--service", services[0].SID, "--json")
	if code != exitOK {
		t.Fatalf("list --json exit %d: %s", code, errOut)
	}
	var senders []map[string]any
	if err := json.Unmarshal([]byte(out), &senders); err != nil || len(senders) == 0 {
		t.Fatalf("list --json: %v, %d senders\n%s", err, len(senders), out)
	}
	for _, k := range []string{"sid", "sender", "sender_type", "messaging_service_sid", "country_code", "date_created", "url"} {
		if _, ok := senders[0][k]; !ok {
			t.Errorf("list --json lacks the API field %q", k)
		}
	}

	code, out, _ = runCLI(t, nil, "--demo", "list", "--service", services[0].SID)
	if code != exitOK || !strings.HasPrefix(out, "SID") || !strings.Contains(out, " whatsapp ") || !strings.Contains(out, " phone-number ") {
		t.Fatalf("list table exit %d:\n%s", code, out)
	}
}

func TestExitCodes(t *testing.T) {
	missingService := "MG" + strings.Repeat("0", 32)
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"version", nil, []string{"version"}, exitOK, ""},
		{"unknown command", nil, []string{"frobnicate"}, exitSetup, "unknown command"},
		{"unknown flag", nil, []string{"--frob"}, exitSetup, "does not take --frob"},
		{"malformed service SID", nil, []string{"--demo", "list", "--service", "MG123"}, exitSetup, "expected MG followed by 32 hex digits"},
		{"list without service", nil, []string{"--demo", "list"}, exitSetup, "needs --service"},
		{"no credentials", nil, []string{"services"}, exitSetup, "TWILIO_ACCOUNT_SID"},
		{"api key without secret", map[string]string{"TWILIO_ACCOUNT_SID": "AC" + strings.Repeat("a", 32), "TWILIO_API_KEY": "SK" + strings.Repeat("b", 32)}, []string{"services"}, exitSetup, "TWILIO_API_SECRET"},
		{"plain http to a remote host", map[string]string{"TWILIO_ACCOUNT_SID": "AC" + strings.Repeat("a", 32), "TWILIO_AUTH_TOKEN": "tok"}, []string{"services", "--api-url", "http://example.com"}, exitSetup, "loopback"},
		{"unknown service is an API error", nil, []string{"--demo", "list", "--service", missingService}, exitAPI, "20404"},
		{"dashboard without a terminal", nil, []string{"--demo"}, exitSetup, "senderpool list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
		})
	}
}

func TestEnvCredentialsAgainstFake(t *testing.T) {
	secret := "s3cr3t-" + strings.Repeat("z", 20)
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{
		SID: "AC" + strings.Repeat("1", 32), AuthToken: "other",
		APIKeys: map[string]string{"SK" + strings.Repeat("2", 32): secret},
	}})
	fake.AddService(twiliotest.ServiceSeed{SID: "MG" + strings.Repeat("3", 32), FriendlyName: "Env Service"})
	srv := twiliotest.Serve(t, fake)
	env := map[string]string{
		"TWILIO_ACCOUNT_SID": "AC" + strings.Repeat("1", 32),
		"TWILIO_API_KEY":     "SK" + strings.Repeat("2", 32),
		"TWILIO_API_SECRET":  secret,
		"SENDERPOOL_API_URL": srv.URL,
	}
	code, out, errOut := runCLI(t, env, "services")
	if code != exitOK || !strings.Contains(out, "Env Service") {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	env["TWILIO_API_SECRET"] = "wrong-" + secret
	code, out, errOut = runCLI(t, env, "services")
	if code != exitAPI || !strings.Contains(errOut, "20003") {
		t.Fatalf("wrong secret: exit %d err %q", code, errOut)
	}
	if strings.Contains(out+errOut, secret) {
		t.Fatal("the secret was printed")
	}
}

func TestAttachDetachSubcommands(t *testing.T) {
	fake := twiliotest.Demo(twiliotest.DemoOptions{})
	srv := twiliotest.Serve(t, fake)
	env := map[string]string{
		"TWILIO_ACCOUNT_SID": twiliotest.DemoAccountSID,
		"TWILIO_AUTH_TOKEN":  twiliotest.DemoAuthToken,
		"SENDERPOOL_API_URL": srv.URL,
	}
	svc := fake.ServiceSIDs()[0]
	// A catalogue sender that is not attached anywhere.
	var free string
	attached := map[string]bool{}
	for _, s := range fake.ServiceSIDs() {
		for _, x := range fake.AttachedSIDs(s) {
			attached[x] = true
		}
	}
	code, out, errOut := runCLI(t, env, "--demo", "list", "--service", svc, "--json")
	if code != exitOK {
		t.Fatal(errOut)
	}
	_ = out
	for _, rec := range demoCatalogue(t, env) {
		if !attached[rec] {
			free = rec
			break
		}
	}
	if free == "" {
		t.Fatal("the demo has no unattached catalogue sender")
	}

	code, out, errOut = runCLI(t, env, "attach", "--service", svc, free, "--json")
	if code != exitOK {
		t.Fatalf("attach exit %d: %s", code, errOut)
	}
	var got api.ChannelSender
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.SID != free {
		t.Fatalf("attach --json printed %q (%v)", out, err)
	}
	if !slices.Contains(fake.AttachedSIDs(svc), free) {
		t.Fatal("attach did not reach the server")
	}
	code, _, errOut = runCLI(t, env, "attach", "--service", svc, free)
	if code != exitAPI {
		t.Fatalf("duplicate attach exit %d, want %d: %s", code, exitAPI, errOut)
	}

	code, _, errOut = runCLI(t, env, "detach", "--service", svc, free)
	if code != exitSetup || !strings.Contains(errOut, "--yes") {
		t.Fatalf("detach without --yes off a terminal: exit %d %q", code, errOut)
	}
	if !slices.Contains(fake.AttachedSIDs(svc), free) {
		t.Fatal("a refused detach changed the server")
	}
	code, out, errOut = runCLI(t, env, "detach", "--service", svc, free, "--yes", "--json")
	if code != exitOK || !strings.Contains(out, free) {
		t.Fatalf("detach --yes --json exit %d: %s %s", code, out, errOut)
	}
	if slices.Contains(fake.AttachedSIDs(svc), free) {
		t.Fatal("detach did not reach the server")
	}
	code, _, errOut = runCLI(t, env, "detach", "--service", svc, free, "--yes")
	if code != exitAPI || !strings.Contains(errOut, "20404") {
		t.Fatalf("second detach: exit %d %q", code, errOut)
	}

	for _, args := range [][]string{
		{"attach", "--read-only", "--service", svc, free},
		{"detach", "--read-only", "--service", svc, free, "--yes"},
		{"attach", "--service", svc, "XE123"},
		{"attach", "--service", svc},
		{"attach", free},
	} {
		before := fake.TotalRequests()
		if code, _, _ := runCLI(t, env, args...); code != exitSetup {
			t.Errorf("%v: exit %d, want %d", args, code, exitSetup)
		}
		if fake.TotalRequests() != before {
			t.Errorf("%v made a request", args)
		}
	}
}

// demoCatalogue lists the account's WhatsApp and RCS sender SIDs.
func demoCatalogue(t *testing.T, env map[string]string) []string {
	t.Helper()
	client, err := api.New(api.Config{
		Credentials: api.Credentials{AccountSID: env["TWILIO_ACCOUNT_SID"], Secret: env["TWILIO_AUTH_TOKEN"]},
		BaseURL:     env["SENDERPOOL_API_URL"],
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ch := range []string{"whatsapp", "rcs"} {
		ss, err := client.ListAccountSenders(t.Context(), ch)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			out = append(out, s.SID)
		}
	}
	return out
}

func TestDemoAttachIsFreshEachRun(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--demo", "services", "--json")
	if code != exitOK {
		t.Fatal("services")
	}
	var services []api.Service
	_ = json.Unmarshal([]byte(out), &services)
	svc := services[0].SID
	count := func() int {
		_, out, _ := runCLI(t, nil, "--demo", "list", "--service", svc, "--json")
		var ss []api.ChannelSender
		_ = json.Unmarshal([]byte(out), &ss)
		return len(ss)
	}
	before := count()
	_, out, _ = runCLI(t, nil, "--demo", "list", "--service", svc, "--json")
	var ss []api.ChannelSender
	_ = json.Unmarshal([]byte(out), &ss)
	if code, _, errOut := runCLI(t, nil, "--demo", "detach", "--service", svc, ss[0].SID, "--yes"); code != exitOK {
		t.Fatalf("demo detach: %s", errOut)
	}
	if after := count(); after != before {
		t.Fatalf("demo state carried over between runs: %d then %d", before, after)
	}
}

// TestJSONKeepsWhatTheAPISaid: --json prints the API's objects as sent:
// null stays null (not ""), and fields this client does not know survive.
func TestJSONKeepsWhatTheAPISaid(t *testing.T) {
	const (
		service   = "MG" + "0123456789abcdef0123456789abcdef"
		senderSID = "XE0123456789abcdef0123456789abcdef"
		sender    = `{"sid":"` + senderSID + `","account_sid":"AC0123456789abcdef0123456789abcdef","messaging_service_sid":"` + service + `","sender":"rcs:acme","sender_type":"RCS","country_code":null,"date_created":null,"date_updated":null,"url":null,"x_new_field":{"a":[1,2]}}`
		svc       = `{"sid":"` + service + `","account_sid":"AC0123456789abcdef0123456789abcdef","friendly_name":null,"status_callback":null,"sticky_sender":true,"x_new_field":"kept"}`
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		page := func(key, item string) string {
			return `{"meta":{"key":"` + key + `","next_page_url":null,"page":0,"page_size":1000},"` + key + `":[` + item + `]}`
		}
		switch r.URL.Path {
		case "/v1/Services":
			fmt.Fprint(w, page("services", svc))
		case "/v1/Services/" + service + "/ChannelSenders":
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusCreated)
				fmt.Fprint(w, sender)
				return
			}
			fmt.Fprint(w, page("senders", sender))
		case "/v1/Services/" + service + "/ChannelSenders/" + senderSID:
			if r.Method == http.MethodDelete {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			fmt.Fprint(w, sender)
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
		{[]string{"attach", "--service", service, "--json", senderSID}, sender},
		{[]string{"detach", "--service", service, "--yes", "--json", senderSID}, sender},
	} {
		code, out, errOut := runCLI(t, env, tt.args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errOut)
		}
		var got, want any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", tt.args, err, out)
		}
		if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v printed\n%s\nwant the API's objects\n%s", tt.args, out, tt.want)
		}
	}
}

// TestJSONForm is the form the README promises: a list is a JSON array
// with one object a line (for grep and jq alike), a single object is
// indented JSON, and an empty list is [].
func TestJSONForm(t *testing.T) {
	f := newLoginFixture(t)
	if code, _, errOut := runWithStdin(t, f.Env, canary+"-token\n", "login", "--profile", "a", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"); code != exitOK {
		t.Fatal(errOut)
	}
	lists := []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--demo", "services", "--json"}},
		{nil, []string{"--demo", "list", "--service", twiliotest.DemoServiceNotifications, "--json"}},
		{f.Env, []string{"profiles", "--json"}},
	}
	for _, l := range lists {
		code, out, errOut := runWithStdin(t, l.env, "", l.args...)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != exitOK || len(lines) < 3 || lines[0] != "[" || lines[len(lines)-1] != "]" {
			t.Errorf("%v: exit %d (%s), not an array over lines:\n%s", l.args, code, errOut, out)
			continue
		}
		for _, line := range lines[1 : len(lines)-1] {
			obj := strings.TrimSuffix(strings.TrimPrefix(line, "  "), ",")
			var m map[string]any
			if err := json.Unmarshal([]byte(obj), &m); err != nil {
				t.Errorf("%v: line %q is not one object: %v", l.args, line, err)
			}
		}
	}
	if code, out, _ := runCLI(t, nil, "--demo", "list", "--service", twiliotest.DemoServiceSandbox, "--json"); code != exitOK || out != "[]\n" {
		t.Errorf("an empty list: exit %d, %q; want []", code, out)
	}
	code, out, _ := runCLI(t, nil, "--demo", "attach", "--service", twiliotest.DemoServiceNotifications, twiliotest.DemoFreeWhatsAppUS, "--json")
	if code != exitOK || !strings.HasPrefix(out, "{\n  \"") || !strings.HasSuffix(out, "\n}\n") {
		t.Errorf("attach --json: exit %d, not an indented object:\n%s", code, out)
	}
}
