package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/senderpool/senderpool/spec"
)

// buildBinary builds the real program from the module root.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build senderpool: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "senderpool")
	cmd := exec.CommandContext(testContext(t), goTool, "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// recordingProxy forwards to target through rec, so the requests of a
// separate process can be checked as exactly as the client's.
func recordingProxy(t *testing.T, target string, rec *recorder) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(u) },
		Transport: rec,
	})
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCLIAgainstPrism runs the real binary's subcommands with --api-url at
// Prism (through a recording proxy): each must exit 0 and print JSON
// carrying the spec example's values, and each request must be exactly
// the intended one and accepted.
func TestCLIAgainstPrism(t *testing.T) {
	v1 := prismURL(t, envV1)
	bin := buildBinary(t)
	rec := newRecorder(t)
	apiURL := recordingProxy(t, v1, rec)
	service := "/v1/Services/" + exampleService
	senders := service + "/ChannelSenders"

	senderJSON := func(t *testing.T, out []byte) {
		t.Helper()
		var s map[string]any
		if err := json.Unmarshal(out, &s); err != nil {
			t.Fatalf("not a JSON object: %v\n%s", err, out)
		}
		if s["sid"] != exampleSender || s["sender"] != exampleNumber || s["messaging_service_sid"] != exampleService {
			t.Errorf("got %v, want sid %s, sender %s", s, exampleSender, exampleNumber)
		}
	}
	cases := []struct {
		name string
		args []string
		want []wantRequest
		// The output must have the shape of Prism's answer to the
		// printed'th request (for detach, the fetch): its list listKey,
		// or the whole answer.
		printed int
		listKey string
		check   func(t *testing.T, stdout []byte)
	}{
		{
			name:    "services",
			args:    []string{"services", "--json"},
			want:    []wantRequest{{method: "GET", path: "/v1/Services", query: listQuery(), status: 200}},
			listKey: "services",
			check: func(t *testing.T, out []byte) {
				var s []map[string]any
				if err := json.Unmarshal(out, &s); err != nil {
					t.Fatalf("not a JSON array: %v\n%s", err, out)
				}
				if len(s) != 1 || s[0]["sid"] != exampleService || s[0]["friendly_name"] != "My Service!" {
					t.Errorf("got %v, want the spec's service %s \"My Service!\"", s, exampleService)
				}
			},
		},
		{
			// The channel senders' list alone: the other kinds' lists are
			// the client's conformance tests' (TestClientAgainstPrism).
			name:    "list",
			args:    []string{"list", "--service", exampleService, "--kind", "whatsapp,messenger,rcs,other", "--json"},
			want:    []wantRequest{{method: "GET", path: senders, query: listQuery(), status: 200}},
			listKey: "senders",
			check: func(t *testing.T, out []byte) {
				var s []map[string]any
				if err := json.Unmarshal(out, &s); err != nil {
					t.Fatalf("not a JSON array: %v\n%s", err, out)
				}
				i := slices.IndexFunc(s, func(m map[string]any) bool { return m["sid"] == exampleSender })
				if len(s) != 3 || i < 0 || s[i]["sender"] != exampleNumber || s[i]["sender_type"] != "WhatsApp" {
					t.Errorf("got %v, want the spec's 3 senders with %s = %s", s, exampleSender, exampleNumber)
				}
			},
		},
		{
			name: "attach",
			args: []string{"attach", "--service", exampleService, exampleSender, "--json"},
			// The record of changes names the service, so it is fetched
			// first; the output is the POST's answer.
			want: []wantRequest{
				{method: "GET", path: service, status: 200},
				{method: "POST", path: senders, form: url.Values{"Sid": {exampleSender}}, status: 201},
			},
			printed: 1,
			check:   senderJSON,
		},
		{
			name: "detach",
			args: []string{"detach", "--service", exampleService, exampleSender, "--yes", "--json"},
			// --json prints the sender, so it is fetched first.
			want: []wantRequest{
				{method: "GET", path: senders + "/" + exampleSender, status: 200},
				{method: "GET", path: service, status: 200}, // its name, for the record
				{method: "DELETE", path: senders + "/" + exampleSender, status: 204},
			},
			check: senderJSON,
		},
	}
	auths := []struct {
		name string
		env  []string
		user string
	}{
		{"auth token", []string{"TWILIO_AUTH_TOKEN=" + exampleSecret}, exampleAccount},
		{"API key", []string{"TWILIO_API_KEY=" + exampleAPIKey, "TWILIO_API_SECRET=" + exampleSecret}, exampleAPIKey},
	}
	for _, auth := range auths {
		t.Run(auth.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					home := t.TempDir()
					cmd := exec.CommandContext(testContext(t), bin, append([]string{"--api-url", apiURL}, tc.args...)...)
					// Only these variables: no profile, keyring or proxy
					// of the machine's can take part.
					cmd.Env = append([]string{
						"HOME=" + home,
						"SENDERPOOL_CONFIG_DIR=" + filepath.Join(home, "config"),
						"TWILIO_ACCOUNT_SID=" + exampleAccount,
						"TERM=dumb",
					}, auth.env...)
					var stdout, stderr bytes.Buffer
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					err := cmd.Run()
					got := rec.take()
					checkRequests(t, got, tc.want, auth.user, "senderpool/")
					if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
						t.Fatalf("senderpool %v: exit %d\nstderr: %s", tc.args, ee.ExitCode(), stderr.Bytes())
					} else if err != nil {
						t.Fatal(err)
					}
					tc.check(t, stdout.Bytes())
					if len(got) > tc.printed {
						checkOutputShape(t, stdout.Bytes(), got[tc.printed].respBody, tc.listKey)
					}
				})
			}
		})
	}
}

// checkOutputShape compares the JSON the program printed with the API's
// answer it came from: --json promises the API's field names, so no field
// may be dropped, renamed or added on the way.
func checkOutputShape(t *testing.T, out, answer []byte, listKey string) {
	t.Helper()
	printed, err := decodeJSON("output", out)
	if err != nil {
		t.Fatal(err)
	}
	api, err := decodeJSON("Prism's answer", answer)
	if err != nil {
		t.Fatal(err)
	}
	if listKey != "" {
		api = spec.Dig(api, listKey)
	}
	diffs, _ := shapeDiff(printed, api)
	for _, d := range diffs {
		t.Errorf("--json output differs from the API's answer (ours = the output): %s", d)
	}
}
