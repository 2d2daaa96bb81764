package conformance

import (
	"fmt"
	"mime"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/spec"
)

// endpoint is one raw request; pick, when set, selects the part of the
// decoded answer to compare.
type endpoint struct {
	method, path string
	form         string
	prefer       string // Prism's Prefer: example=… (which spec example to answer with)
	pick         func(doc any) (any, error)
}

// TestFakeMatchesPrismShapes sends the same calls to the fake in
// api/twiliotest (on its demo data) and to Prism, and compares the wire
// JSON: same status, same keys in every object (meta and nested objects
// included), same kind of value where neither side is null. The fake is
// what every other test and --demo trust to behave like Twilio.
func TestFakeMatchesPrismShapes(t *testing.T) {
	v1, v2, v2010 := prismURL(t, envV1), prismURL(t, envV2), prismURL(t, envV2010)
	fake := twiliotest.Serve(t, twiliotest.Demo(twiliotest.DemoOptions{}))

	const (
		mg       = twiliotest.DemoServiceNotifications
		attached = twiliotest.DemoSenderWhatsAppUS // whatsapp, on mg
		free     = twiliotest.DemoFreeWhatsAppUS   // whatsapp, on no service
	)
	v2Item := func(status, channel string) func(any) (any, error) {
		return func(doc any) (any, error) {
			items, _ := spec.Dig(doc, "senders").([]any)
			for _, it := range items {
				if spec.Dig(it, "status") == status && strings.HasPrefix(fmt.Sprint(spec.Dig(it, "sender_id")), channel+":") {
					return it, nil
				}
			}
			return nil, fmt.Errorf("the fake lists no %s %s sender", status, channel)
		}
	}
	type shapeCase struct {
		name       string
		prismBase  string
		ours       endpoint
		prism      endpoint
		status     int
		prismCode  int      // Prism's status when it differs (its lowest declared success)
		notInPrism []string // top-level keys Prism's example lacks but the spec's schema declares
	}
	cases := []shapeCase{
		{
			name: "list services", prismBase: v1, status: 200,
			ours:  endpoint{method: "GET", path: "/v1/Services?PageSize=1000"},
			prism: endpoint{method: "GET", path: "/v1/Services?PageSize=1000"},
		},
		{
			name: "fetch service", prismBase: v1, status: 200,
			ours:  endpoint{method: "GET", path: "/v1/Services/" + mg},
			prism: endpoint{method: "GET", path: "/v1/Services/" + exampleService},
		},
		{
			name: "list senders", prismBase: v1, status: 200,
			ours:  endpoint{method: "GET", path: "/v1/Services/" + mg + "/ChannelSenders?PageSize=1000"},
			prism: endpoint{method: "GET", path: "/v1/Services/" + exampleService + "/ChannelSenders?PageSize=1000"},
		},
		{
			name: "fetch sender", prismBase: v1, status: 200,
			ours:  endpoint{method: "GET", path: "/v1/Services/" + mg + "/ChannelSenders/" + attached},
			prism: endpoint{method: "GET", path: "/v1/Services/" + exampleService + "/ChannelSenders/" + exampleSender},
		},
		{
			name: "attach", prismBase: v1, status: 201,
			ours:  endpoint{method: "POST", path: "/v1/Services/" + mg + "/ChannelSenders", form: "Sid=" + free},
			prism: endpoint{method: "POST", path: "/v1/Services/" + exampleService + "/ChannelSenders", form: "Sid=" + exampleSender},
		},
		{
			name: "detach", prismBase: v1, status: 204,
			ours:  endpoint{method: "DELETE", path: "/v1/Services/" + mg + "/ChannelSenders/" + free},
			prism: endpoint{method: "DELETE", path: "/v1/Services/" + exampleService + "/ChannelSenders/" + exampleSender},
		},
		{
			// Prism's only list example is "readEmpty": this compares the
			// page and its meta; the items are compared below.
			name: "v2 list", prismBase: v2, status: 200,
			ours:  endpoint{method: "GET", path: "/v2/Channels/Senders?Channel=whatsapp&PageSize=1000"},
			prism: endpoint{method: "GET", path: "/v2/Channels/Senders?Channel=whatsapp&PageSize=1000"},
		},
		{
			name: "v2 whatsapp sender", prismBase: v2, status: 200,
			ours:  endpoint{method: "GET", path: "/v2/Channels/Senders?Channel=whatsapp&PageSize=1000", pick: v2Item("ONLINE", "whatsapp")},
			prism: endpoint{method: "GET", path: "/v2/Channels/Senders/" + exampleSender, prefer: "whatsapp_fetch"},
		},
		{
			name: "v2 offline whatsapp sender", prismBase: v2, status: 200,
			ours:  endpoint{method: "GET", path: "/v2/Channels/Senders?Channel=whatsapp&PageSize=1000", pick: v2Item("OFFLINE", "whatsapp")},
			prism: endpoint{method: "GET", path: "/v2/Channels/Senders/" + exampleSender, prefer: "whatsapp_fetch_offline_reasons"},
		},
		{
			name: "v2 rcs sender", prismBase: v2, status: 200,
			ours:  endpoint{method: "GET", path: "/v2/Channels/Senders?Channel=rcs&PageSize=1000", pick: v2Item("ONLINE", "rcs")},
			prism: endpoint{method: "GET", path: "/v2/Channels/Senders/" + exampleSender, prefer: "rcs_fetch"},
			// The spec's rcs_fetch example leaves these out; its schema has them.
			notInPrism: []string{"configuration", "offline_reasons", "properties", "url"},
		},
	}
	// The rest of the pool, in an order that suits one fake: attach to the
	// empty Sandbox, then detach again; delete a demo member last.
	const sandbox = twiliotest.DemoServiceSandbox
	pool := []struct {
		segment, key      string
		ourService, ourID string // a member of ourService
		exampleID         string
		attach            string // our form; Prism's uses the example's SID
		attachPrism       string
		attachStatus      int // ours; Prism answers 200 for numbers and short codes
		detachID          string
	}{
		{"PhoneNumbers", "phone_numbers", mg, twiliotest.DemoNumberUSSanFrancisco, examplePN,
			"PhoneNumberSid=" + twiliotest.DemoFreeNumberUS, "PhoneNumberSid=" + examplePN, 201, twiliotest.DemoFreeNumberUS},
		{"ShortCodes", "short_codes", twiliotest.DemoServiceMarketing, twiliotest.DemoShortCode, exampleSC,
			"ShortCodeSid=" + twiliotest.DemoFreeShortCode, "ShortCodeSid=" + exampleSC, 201, twiliotest.DemoFreeShortCode},
		{"AlphaSenders", "alpha_senders", mg, twiliotest.DemoAlphaGlobal, exampleAI,
			"AlphaSender=Sandbox", "AlphaSender=Twilio", 201, ""},
		{"DestinationAlphaSenders", "alpha_senders", mg, twiliotest.DemoAlphaGermany, exampleAI,
			"AlphaSender=Sandbox&IsoCountryCode=FR", "AlphaSender=Twilio&IsoCountryCode=FR", 201, ""},
	}
	for _, p := range pool {
		prismPath := "/v1/Services/" + exampleService + "/" + p.segment
		ourPath := "/v1/Services/" + p.ourService + "/" + p.segment
		prismAttach := 0
		if p.attachStatus == 201 && (p.segment == "PhoneNumbers" || p.segment == "ShortCodes") {
			prismAttach = 200
		}
		cases = append(cases,
			shapeCase{name: "list " + p.segment, prismBase: v1, status: 200,
				ours:  endpoint{method: "GET", path: ourPath + "?PageSize=1000"},
				prism: endpoint{method: "GET", path: prismPath + "?PageSize=1000"}},
			shapeCase{name: "fetch one of " + p.segment, prismBase: v1, status: 200,
				ours:  endpoint{method: "GET", path: ourPath + "/" + p.ourID},
				prism: endpoint{method: "GET", path: prismPath + "/" + p.exampleID}},
			shapeCase{name: "attach to " + p.segment, prismBase: v1, status: p.attachStatus, prismCode: prismAttach,
				ours:  endpoint{method: "POST", path: "/v1/Services/" + sandbox + "/" + p.segment, form: p.attach},
				prism: endpoint{method: "POST", path: prismPath, form: p.attachPrism}},
		)
		detach := "/v1/Services/" + sandbox + "/" + p.segment + "/" + p.detachID
		if p.detachID == "" { // an alpha sender the fake made: detach a demo one
			detach = ourPath + "/" + p.ourID
		}
		cases = append(cases, shapeCase{name: "detach from " + p.segment, prismBase: v1, status: 204,
			ours:  endpoint{method: "DELETE", path: detach},
			prism: endpoint{method: "DELETE", path: prismPath + "/" + p.exampleID}})
	}
	cases = append(cases,
		shapeCase{name: "update service", prismBase: v1, status: 200,
			ours:  endpoint{method: "POST", path: "/v1/Services/" + mg, form: "StickySender=false&AreaCodeGeomatch=true"},
			prism: endpoint{method: "POST", path: "/v1/Services/" + exampleService, form: "StickySender=false&AreaCodeGeomatch=true"}},
		shapeCase{name: "list A2P campaigns", prismBase: v1, status: 200,
			ours:  endpoint{method: "GET", path: "/v1/Services/" + mg + "/Compliance/Usa2p?PageSize=1000"},
			prism: endpoint{method: "GET", path: "/v1/Services/" + exampleService + "/Compliance/Usa2p?PageSize=1000"}},
		shapeCase{name: "fetch the A2P campaign", prismBase: v1, status: 200,
			ours:  endpoint{method: "GET", path: "/v1/Services/" + mg + "/Compliance/Usa2p/" + twiliotest.DemoCampaign},
			prism: endpoint{method: "GET", path: "/v1/Services/" + exampleService + "/Compliance/Usa2p/" + exampleQE}},
		shapeCase{name: "the account's numbers", prismBase: v2010, status: 200,
			ours:  endpoint{method: "GET", path: "/2010-04-01/Accounts/" + twiliotest.DemoAccountSID + "/IncomingPhoneNumbers.json?PageSize=1000"},
			prism: endpoint{method: "GET", path: "/2010-04-01/Accounts/" + exampleAccount + "/IncomingPhoneNumbers.json?PageSize=1000"}},
		shapeCase{name: "the account's short codes", prismBase: v2010, status: 200,
			ours:  endpoint{method: "GET", path: "/2010-04-01/Accounts/" + twiliotest.DemoAccountSID + "/SMS/ShortCodes.json?PageSize=1000"},
			prism: endpoint{method: "GET", path: "/2010-04-01/Accounts/" + exampleAccount + "/SMS/ShortCodes.json?PageSize=1000"}},
	)
	v2Schema := spec.Dig(spec.MustLoad(spec.V2), "components", "schemas", "messaging.v2.channels_sender_response", "properties")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			get := func(who, base, user string, e endpoint, status int) any {
				t.Helper()
				req := rawRequest{method: e.method, url: base + e.path, user: user, pass: exampleSecret, body: e.form}
				if user == twiliotest.DemoAccountSID {
					req.pass = twiliotest.DemoAuthToken
				}
				if e.form != "" {
					req.contentType = "application/x-www-form-urlencoded"
				}
				if e.prefer != "" {
					req.header = map[string]string{"Prefer": "example=" + e.prefer}
				}
				resp, err := do(ctx, req)
				if err != nil {
					t.Fatalf("%s: %v", who, err)
				}
				if resp.status != status {
					t.Fatalf("%s %s %s: status %d, want %d: %s", who, e.method, e.path, resp.status, status, resp.body)
				}
				if resp.status == 204 {
					if len(resp.body) != 0 {
						t.Errorf("%s: a 204 with a body: %q", who, resp.body)
					}
					return nil
				}
				if mt, _, _ := mime.ParseMediaType(resp.header.Get("Content-Type")); mt != "application/json" {
					t.Errorf("%s: Content-Type %q, want application/json", who, resp.header.Get("Content-Type"))
				}
				doc, err := decodeJSON(who, resp.body)
				if err != nil {
					t.Fatal(err)
				}
				if e.pick != nil {
					if doc, err = e.pick(doc); err != nil {
						t.Fatalf("%s: %v", who, err)
					}
				}
				return doc
			}
			prismStatus := tc.status
			if tc.prismCode != 0 {
				prismStatus = tc.prismCode
			}
			ours := get("fake", fake.URL, twiliotest.DemoAccountSID, tc.ours, tc.status)
			theirs := get("Prism", tc.prismBase, exampleAccount, tc.prism, prismStatus)
			diffs, unchecked := shapeDiff(ours, theirs)
			for _, k := range tc.notInPrism {
				d := fmt.Sprintf("$: key %q only in ours", k)
				if !slices.Contains(diffs, d) {
					t.Errorf("Prism's example now has %q: drop it from notInPrism", k)
				}
				if spec.Dig(v2Schema, k) == nil {
					t.Errorf("the fake sends %q, which neither Prism's example nor the spec's schema has", k)
				}
				diffs = slices.DeleteFunc(diffs, func(s string) bool { return s == d })
			}
			for _, d := range diffs {
				t.Errorf("the fake's JSON differs from the spec's: %s", d)
			}
			for _, u := range unchecked {
				t.Logf("not compared (a null or an empty list on one side): %s", u)
			}
		})
	}
}

// TestShapeDiff pins down the comparison itself, so that a green
// TestFakeMatchesPrismShapes means the shapes do match.
func TestShapeDiff(t *testing.T) {
	cases := []struct {
		name             string
		ours, prism      string
		diffs, unchecked []string
	}{
		{name: "same keys, other values", ours: `{"a":1,"b":"x"}`, prism: `{"b":"y","a":2}`},
		{name: "key only in ours", ours: `{"a":1,"b":2}`, prism: `{"a":1}`, diffs: []string{`$: key "b" only in ours`}},
		{name: "key only in Prism's", ours: `{"a":1}`, prism: `{"a":1,"c":2}`, diffs: []string{`$: key "c" only in Prism's`}},
		{name: "kind differs", ours: `{"n":"600"}`, prism: `{"n":600}`, diffs: []string{`$.n: ours is string, Prism's is number`}},
		{name: "nested object", ours: `{"meta":{"page":0}}`, prism: `{"meta":{"page":0,"key":"x"}}`, diffs: []string{`$.meta: key "key" only in Prism's`}},
		{
			name: "array items against all of the other side's items",
			ours: `{"l":[{"a":1},{"a":1,"b":2}]}`, prism: `{"l":[{"a":1}]}`,
			diffs: []string{`$.l[]: key "b" only in ours`},
		},
		{name: "null scalar matches", ours: `{"a":null}`, prism: `{"a":"x"}`},
		{name: "null object is noted", ours: `{"o":null}`, prism: `{"o":{"k":1}}`, unchecked: []string{"$.o: ours null, Prism's object"}},
		{name: "empty list is noted", ours: `{"l":[{"a":1}]}`, prism: `{"l":[]}`, unchecked: []string{"$.l: ours has 1 items, Prism's 0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ours, err := decodeJSON("ours", []byte(tc.ours))
			if err != nil {
				t.Fatal(err)
			}
			prism, err := decodeJSON("prism", []byte(tc.prism))
			if err != nil {
				t.Fatal(err)
			}
			diffs, unchecked := shapeDiff(ours, prism)
			if !slices.Equal(diffs, tc.diffs) || !slices.Equal(unchecked, tc.unchecked) {
				t.Errorf("got diffs %q, unchecked %q; want %q, %q", diffs, unchecked, tc.diffs, tc.unchecked)
			}
		})
	}
}
