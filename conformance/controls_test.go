package conformance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// wrongRequest breaks the spec in one way. Paths and bodies name the
// service and sender as {MG} and {XE} ({mg}: the service SID lower-cased,
// so its "mg" prefix is wrong), filled in per server.
type wrongRequest struct {
	name         string
	method, path string
	contentType  string
	body         string
	noAuth       bool
	// What Prism answers: status, the end of its problem type URL, and a
	// part of its explanation.
	status  int
	problem string
	message string
}

const formType = "application/x-www-form-urlencoded"

func wrongRequests() []wrongRequest {
	return []wrongRequest{
		{
			name: "PageSize above 1000", method: "GET", path: "/v1/Services?PageSize=1001",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "pagesize must be <= 1000",
		},
		{
			name: "PageSize 0", method: "GET", path: "/v1/Services/{MG}/ChannelSenders?PageSize=0",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "pagesize must be >= 1",
		},
		{
			name: "PageSize not a number", method: "GET", path: "/v1/Services/{MG}/ChannelSenders?PageSize=all",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "pagesize must be integer",
		},
		{
			name: "attach with a JSON body instead of a form", method: "POST", path: "/v1/Services/{MG}/ChannelSenders",
			contentType: "application/json", body: `{"Sid":"{XE}"}`,
			status: 415, problem: "INVALID_CONTENT_TYPE", message: formType,
		},
		{
			name: "attach without Sid", method: "POST", path: "/v1/Services/{MG}/ChannelSenders",
			contentType: formType, body: "SenderSid={XE}",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "must have required property 'Sid'",
		},
		{
			name: "attach with a malformed Sid", method: "POST", path: "/v1/Services/{MG}/ChannelSenders",
			contentType: formType, body: "Sid=PN{XE}",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^XE[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "malformed MG in the path", method: "GET", path: "/v1/Services/MGnot-a-service",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^MG[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "malformed MG in a sender path", method: "DELETE", path: "/v1/Services/{mg}/ChannelSenders/{XE}",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^MG[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "no Basic auth", method: "GET", path: "/v1/Services?PageSize=1000", noAuth: true,
			status: 401, problem: "UNAUTHORIZED", message: "security",
		},
		{
			name: "a path the spec does not have", method: "GET", path: "/v1/Services/{MG}/Senders",
			status: 404, problem: "NO_PATH_MATCHED_ERROR",
		},
		{
			name: "v2 list without Channel", method: "GET", path: "/v2/Channels/Senders?PageSize=1000",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "must have required property 'channel'",
		},
		{
			name: "v2 list with PageSize above 1000", method: "GET", path: "/v2/Channels/Senders?Channel=whatsapp&PageSize=1001",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "pagesize must be <= 1000",
		},
	}
}

// blindSpot is a wrong request Prism lets through.
type blindSpot struct {
	name         string
	why          string
	method, path string
	contentType  string
	fakeRejects  bool // the fake refuses it, so tests on the fake do catch it
}

func blindSpots() []blindSpot {
	return []blindSpot{
		{
			name: "attach with an empty body", method: "POST", path: "/v1/Services/{MG}/ChannelSenders", contentType: formType,
			why: "the spec does not mark the requestBody required, so Prism skips the check for Sid", fakeRejects: true,
		},
		{
			name: "malformed XE in the path", method: "GET", path: "/v1/Services/{MG}/ChannelSenders/XEnot-a-sender",
			why: "the spec gives ChannelSenders/{Sid} no pattern (the attach body's Sid has one)", fakeRejects: true,
		},
		{
			name: "v2 Channel outside whatsapp and rcs", method: "GET", path: "/v2/Channels/Senders?Channel=sms&PageSize=1000",
			why: "the spec's Channel has no enum, only a description", fakeRejects: true,
		},
		{
			name: "query names in the wrong case", method: "GET", path: "/v1/Services?pagesize=1000",
			why: "Prism matches query parameter names case-insensitively; the fake ignores an unknown name, as Twilio may",
		},
	}
}

// fill puts a server's SIDs into a path or body.
func fill(s, mg, xe string) string {
	return strings.NewReplacer("{MG}", mg, "{mg}", strings.ToLower(mg), "{XE}", xe).Replace(s)
}

// pick chooses the v1 or v2 base URL by the path.
func pick(path, v1, v2 string) string {
	if strings.HasPrefix(path, "/v2/") {
		return v2
	}
	return v1
}

// TestPrismRejectsWrongRequests is the negative control of the Prism
// tests: each request breaks the spec in a way our client could, and
// Prism must refuse it with its own problem+json error. Were Prism not
// validating (a wrong flag or version, a spec without constraints), this
// fails, instead of the other tests passing for nothing.
//
// These go to Prism instances of their own (…_CONTROL_URL): they fill the
// log with "did not pass the validation rules", which must never show in
// the logs of the clean instances our code talks to.
func TestPrismRejectsWrongRequests(t *testing.T) {
	v1 := controlURL(t, envV1Control, envV1)
	v2 := controlURL(t, envV2Control, envV2)
	for _, tc := range wrongRequests() {
		t.Run(tc.name, func(t *testing.T) {
			req := rawRequest{
				method: tc.method, url: pick(tc.path, v1, v2) + fill(tc.path, exampleService, exampleSender),
				contentType: tc.contentType, body: fill(tc.body, exampleService, exampleSender),
			}
			if !tc.noAuth {
				req.user, req.pass = exampleAccount, exampleSecret
			}
			resp, err := do(testContext(t), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.status != tc.status {
				t.Fatalf("%s %s: Prism answered %d, want %d: the spec mock does not validate as these tests assume: %s",
					req.method, req.url, resp.status, tc.status, resp.body)
			}
			var problem struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(resp.body, &problem); err != nil || !strings.HasSuffix(problem.Type, "#"+tc.problem) {
				t.Errorf("want Prism's problem %s, got %s", tc.problem, resp.body)
			}
			if !strings.Contains(string(resp.body), tc.message) {
				t.Errorf("Prism's answer lacks %q: %s", tc.message, resp.body)
			}
		})
	}
}

// TestPrismBlindSpots records what Prism lets through although the spec's
// intent or Twilio would not, so that nobody reads more into a green run
// than it proves. That is why our own requests are also checked exactly
// (query names, form body) in TestClientAgainstPrism, and why the fake
// refuses these (TestFakeRejectsWrongRequests). If Prism starts refusing
// one, this fails: move it to wrongRequests.
func TestPrismBlindSpots(t *testing.T) {
	v1 := controlURL(t, envV1Control, envV1)
	v2 := controlURL(t, envV2Control, envV2)
	for _, tc := range blindSpots() {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := do(testContext(t), rawRequest{
				method: tc.method, url: pick(tc.path, v1, v2) + fill(tc.path, exampleService, exampleSender),
				contentType: tc.contentType, user: exampleAccount, pass: exampleSecret,
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.status < 200 || resp.status > 299 {
				t.Fatalf("Prism now refuses this (%d: %s); it was a blind spot because %s: move it to wrongRequests",
					resp.status, resp.body, tc.why)
			}
			t.Logf("Prism accepts it (%d): %s", resp.status, tc.why)
		})
	}
}

// TestFakeRejectsWrongRequests sends the same wrong requests to the fake in
// api/twiliotest, which the unit tests and --demo rely on: it must refuse
// each with a Twilio-style JSON error, so a client bug of this kind fails
// there too, without Prism. It needs no Prism and always runs.
func TestFakeRejectsWrongRequests(t *testing.T) {
	srv := twiliotest.Serve(t, twiliotest.Demo(twiliotest.DemoOptions{}))
	const (
		mg   = twiliotest.DemoServiceNotifications
		free = twiliotest.DemoFreeWhatsAppUS // on no service: attaching it would succeed
	)
	type check struct {
		name, method, path, contentType, body string
		noAuth                                bool
	}
	var checks []check
	for _, w := range wrongRequests() {
		checks = append(checks, check{w.name, w.method, w.path, w.contentType, w.body, w.noAuth})
	}
	for _, b := range blindSpots() {
		if b.fakeRejects {
			checks = append(checks, check{name: "Prism's blind spot: " + b.name, method: b.method, path: b.path, contentType: b.contentType})
		}
	}
	for _, tc := range checks {
		t.Run(tc.name, func(t *testing.T) {
			req := rawRequest{
				method: tc.method, url: srv.URL + fill(tc.path, mg, free),
				contentType: tc.contentType, body: fill(tc.body, mg, free),
			}
			if !tc.noAuth {
				req.user, req.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken
			}
			resp, err := do(testContext(t), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.status < 400 || resp.status > 499 {
				t.Fatalf("%s %s: the fake answered %d, want a 4xx: %s", req.method, req.url, resp.status, resp.body)
			}
			var e struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Status  int    `json:"status"`
			}
			if err := json.Unmarshal(resp.body, &e); err != nil || e.Code == 0 || e.Message == "" || e.Status != resp.status {
				t.Errorf("not a Twilio error body (code, message, status %d): %s", resp.status, resp.body)
			}
		})
	}
}
