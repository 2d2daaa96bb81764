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
	v1, v2 := prismURL(t, envV1), prismURL(t, envV2)
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
	cases := []struct {
		name       string
		prismBase  string
		ours       endpoint
		prism      endpoint
		status     int
		notInPrism []string // top-level keys Prism's example lacks but the spec's schema declares
	}{
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
	v2Schema := spec.Dig(spec.MustLoad(spec.V2), "components", "schemas", "messaging.v2.channels_sender_response", "properties")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			get := func(who, base, user string, e endpoint) any {
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
				if resp.status != tc.status {
					t.Fatalf("%s %s %s: status %d, want %d: %s", who, e.method, e.path, resp.status, tc.status, resp.body)
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
			ours := get("fake", fake.URL, twiliotest.DemoAccountSID, tc.ours)
			theirs := get("Prism", tc.prismBase, exampleAccount, tc.prism)
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
