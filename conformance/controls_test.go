package conformance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// wrongRequest breaks the spec in one way. Paths and bodies name the
// service, sender, phone number, short code and account as {MG}, {XE},
// {PN}, {SC} and {AC} ({mg}: the service SID lower-cased, so its "mg"
// prefix is wrong), filled in per server.
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
		// The rest of the pool.
		{
			name: "attach a number by a sender's SID", method: "POST", path: "/v1/Services/{MG}/PhoneNumbers",
			contentType: formType, body: "PhoneNumberSid={XE}",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^PN[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "attach a number without PhoneNumberSid", method: "POST", path: "/v1/Services/{MG}/PhoneNumbers",
			contentType: formType, body: "Sid={PN}",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "must have required property 'PhoneNumberSid'",
		},
		{
			name: "attach a short code by a number's SID", method: "POST", path: "/v1/Services/{MG}/ShortCodes",
			contentType: formType, body: "ShortCodeSid={PN}",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^SC[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "attach a short code with a JSON body", method: "POST", path: "/v1/Services/{MG}/ShortCodes",
			contentType: "application/json", body: `{"ShortCodeSid":"{SC}"}`,
			status: 415, problem: "INVALID_CONTENT_TYPE", message: formType,
		},
		{
			name: "an alpha sender without AlphaSender", method: "POST", path: "/v1/Services/{MG}/AlphaSenders",
			contentType: formType, body: "Alpha=Acme",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "must have required property 'AlphaSender'",
		},
		{
			name: "a per-country alpha sender with only its country", method: "POST", path: "/v1/Services/{MG}/DestinationAlphaSenders",
			contentType: formType, body: "IsoCountryCode=DE",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "must have required property 'AlphaSender'",
		},
		{
			name: "numbers of a malformed service", method: "GET", path: "/v1/Services/{mg}/PhoneNumbers?PageSize=1000",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^MG[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "short codes with PageSize above 1000", method: "GET", path: "/v1/Services/{MG}/ShortCodes?PageSize=1001",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "pagesize must be <= 1000",
		},
		{
			name: "a setting that is not a boolean", method: "POST", path: "/v1/Services/{MG}",
			contentType: formType, body: "StickySender=maybe",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "StickySender must be boolean",
		},
		{
			name: "a validity period that is not a number", method: "POST", path: "/v1/Services/{MG}",
			contentType: formType, body: "ValidityPeriod=10h",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "ValidityPeriod must be integer",
		},
		{
			name: "a campaign by a malformed SID", method: "GET", path: "/v1/Services/{MG}/Compliance/Usa2p/QE1",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "must NOT have fewer than 34 characters",
		},
		// The 2010 API.
		{
			name: "account numbers of a malformed account", method: "GET", path: "/2010-04-01/Accounts/ACnope/IncomingPhoneNumbers.json?PageSize=1000",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: `must match pattern \"^AC[0-9a-fA-F]{32}$\"`,
		},
		{
			name: "account short codes with PageSize above 1000", method: "GET", path: "/2010-04-01/Accounts/{AC}/SMS/ShortCodes.json?PageSize=1001",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "pagesize must be <= 1000",
		},
		{
			name: "account numbers with Page below 0", method: "GET", path: "/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json?PageSize=1000&Page=-1",
			status: 422, problem: "UNPROCESSABLE_ENTITY", message: "page must be >= 0",
		},
		{
			name: "account numbers without Basic auth", method: "GET", path: "/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json?PageSize=1000", noAuth: true,
			status: 401, problem: "UNAUTHORIZED", message: "security",
		},
	}
}

// blindSpot is a wrong request Prism lets through.
type blindSpot struct {
	name         string
	why          string
	method, path string
	contentType  string
	body         string
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
		{
			name: "malformed PN in the path", method: "GET", path: "/v1/Services/{MG}/PhoneNumbers/PNnot-a-number",
			why: "the spec gives PhoneNumbers/{Sid} (and ShortCodes/, AlphaSenders/…) no pattern", fakeRejects: true,
		},
		{
			name: "an alpha sender of digits only", method: "POST", path: "/v1/Services/{MG}/AlphaSenders", contentType: formType, body: "AlphaSender=12345",
			why: "the spec says which characters AlphaSender may hold in prose only", fakeRejects: true,
		},
		{
			name: "a country code in lower case", method: "POST", path: "/v1/Services/{MG}/DestinationAlphaSenders", contentType: formType, body: "AlphaSender=Acme&IsoCountryCode=de",
			why: "the spec gives IsoCountryCode no pattern", fakeRejects: true,
		},
		{
			name: "a validity period of 0", method: "POST", path: "/v1/Services/{MG}", contentType: formType, body: "ValidityPeriod=0",
			why: "the spec says 1 to 36,000 in prose only", fakeRejects: true,
		},
		{
			name: "a use case Twilio does not list", method: "POST", path: "/v1/Services/{MG}", contentType: formType, body: "Usecase=spam",
			why: "the spec lists the use cases in prose only", fakeRejects: true,
		},
	}
}

// sids are the SIDs a server knows, for fill.
type sids struct{ mg, xe, pn, sc, ac string }

// exampleSIDs are the spec's, which Prism's examples carry.
var exampleSIDs = sids{mg: exampleService, xe: exampleSender, pn: examplePN, sc: exampleSC, ac: exampleAccount}

// fill puts a server's SIDs into a path or body.
func fill(s string, ids sids) string {
	return strings.NewReplacer("{MG}", ids.mg, "{mg}", strings.ToLower(ids.mg), "{XE}", ids.xe,
		"{PN}", ids.pn, "{SC}", ids.sc, "{AC}", ids.ac).Replace(s)
}

// bases are the mocks of the three spec files.
type bases struct{ v1, v2, v2010 string }

// pick chooses the base URL of the spec file that has the path.
func (b bases) pick(path string) string {
	switch {
	case strings.HasPrefix(path, "/v2/"):
		return b.v2
	case strings.HasPrefix(path, "/2010-04-01/"):
		return b.v2010
	}
	return b.v1
}

// controlBases are the control mocks, or the clean ones without them.
func controlBases(t *testing.T) bases {
	t.Helper()
	return bases{
		v1:    controlURL(t, envV1Control, envV1),
		v2:    controlURL(t, envV2Control, envV2),
		v2010: controlURL(t, envV2010Control, envV2010),
	}
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
	b := controlBases(t)
	for _, tc := range wrongRequests() {
		t.Run(tc.name, func(t *testing.T) {
			req := rawRequest{
				method: tc.method, url: b.pick(tc.path) + fill(tc.path, exampleSIDs),
				contentType: tc.contentType, body: fill(tc.body, exampleSIDs),
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
	b := controlBases(t)
	for _, tc := range blindSpots() {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := do(testContext(t), rawRequest{
				method: tc.method, url: b.pick(tc.path) + fill(tc.path, exampleSIDs),
				contentType: tc.contentType, body: fill(tc.body, exampleSIDs), user: exampleAccount, pass: exampleSecret,
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
	// On no service, so that attaching any of them would succeed.
	ids := sids{mg: twiliotest.DemoServiceNotifications, xe: twiliotest.DemoFreeWhatsAppUS,
		pn: twiliotest.DemoFreeNumberUS, sc: twiliotest.DemoFreeShortCode, ac: twiliotest.DemoAccountSID}
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
			checks = append(checks, check{name: "Prism's blind spot: " + b.name, method: b.method, path: b.path, contentType: b.contentType, body: b.body})
		}
	}
	for _, tc := range checks {
		t.Run(tc.name, func(t *testing.T) {
			req := rawRequest{
				method: tc.method, url: srv.URL + fill(tc.path, ids),
				contentType: tc.contentType, body: fill(tc.body, ids),
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
