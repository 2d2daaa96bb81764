package conformance

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"testing"

	"github.com/senderpool/senderpool/api"
)

// poolClient is the real client with each Twilio host on its own mock:
// the Messaging API on the v1 mock, the 2010 API on the 2010 mock.
func poolClient(t *testing.T, v1, v2010 string, creds api.Credentials, rt http.RoundTripper) *api.Client {
	t.Helper()
	c, err := api.New(api.Config{
		Credentials:      creds,
		MessagingBaseURL: v1,
		APIBaseURL:       v2010,
		HTTPClient:       &http.Client{Transport: rt},
		Retry:            api.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestPoolClientAgainstPrism drives every call of the rest of the pool
// (phone numbers, short codes, alpha senders, settings, the A2P campaign,
// the account's numbers and short codes) at Prism, each host at its own
// mock: every request must be the intended one and accepted, and the
// spec's example must come back decoded.
func TestPoolClientAgainstPrism(t *testing.T) {
	v1, v2010 := prismURL(t, envV1), prismURL(t, envV2010)
	svc := "/v1/Services/" + exampleService
	account := "/2010-04-01/Accounts/" + exampleAccount
	cases := []struct {
		name  string
		call  func(ctx context.Context, c *api.Client) (any, error)
		want  []wantRequest
		check func(t *testing.T, v any)
	}{
		{
			name: "ListPhoneNumbers",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListPhoneNumbers(ctx, exampleService) },
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/PhoneNumbers", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				if p := v.([]api.PhoneNumber); len(p) != 1 || p[0].SID != examplePN || p[0].PhoneNumber != "+987654321" || p[0].ServiceSID != exampleService {
					t.Errorf("got %+v, want the spec's one number", p)
				}
			},
		},
		{
			name: "FetchPhoneNumber",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.FetchPhoneNumber(ctx, exampleService, examplePN)
			},
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/PhoneNumbers/" + examplePN, status: 200}},
		},
		{
			name: "CreatePhoneNumber",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.CreatePhoneNumber(ctx, exampleService, examplePN)
			},
			// Prism answers the spec's 200 ("…WhenDownstreamResponse200"),
			// the lowest success status it declares; Twilio's usual is 201.
			want: []wantRequest{{base: v1, method: "POST", path: svc + "/PhoneNumbers", form: url.Values{"PhoneNumberSid": {examplePN}}, status: 200}},
			check: func(t *testing.T, v any) {
				if p := v.(*api.PhoneNumber).PoolSender(); p.Kind != api.KindPhoneNumber || len(p.Capabilities) != 3 {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			name: "DeletePhoneNumber",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return nil, c.DeletePhoneNumber(ctx, exampleService, examplePN)
			},
			want: []wantRequest{{base: v1, method: "DELETE", path: svc + "/PhoneNumbers/" + examplePN, status: 204}},
		},
		{
			name: "ListShortCodes",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListShortCodes(ctx, exampleService) },
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/ShortCodes", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				if s := v.([]api.ShortCode); len(s) != 1 || s[0].ShortCode != "12345" {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name: "FetchShortCode",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.FetchShortCode(ctx, exampleService, exampleSC)
			},
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/ShortCodes/" + exampleSC, status: 200}},
		},
		{
			name: "CreateShortCode",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.CreateShortCode(ctx, exampleService, exampleSC)
			},
			want: []wantRequest{{base: v1, method: "POST", path: svc + "/ShortCodes", form: url.Values{"ShortCodeSid": {exampleSC}}, status: 200}},
		},
		{
			name: "DeleteShortCode",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return nil, c.DeleteShortCode(ctx, exampleService, exampleSC)
			},
			want: []wantRequest{{base: v1, method: "DELETE", path: svc + "/ShortCodes/" + exampleSC, status: 204}},
		},
		{
			name: "ListAlphaSenders",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListAlphaSenders(ctx, exampleService) },
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/AlphaSenders", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				if a := v.([]api.AlphaSender); len(a) != 1 || a[0].AlphaSender != "Twilio" {
					t.Errorf("got %+v", a)
				}
			},
		},
		{
			name: "FetchAlphaSender",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.FetchAlphaSender(ctx, exampleService, exampleAI)
			},
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/AlphaSenders/" + exampleAI, status: 200}},
		},
		{
			name: "CreateAlphaSender",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.CreateAlphaSender(ctx, exampleService, "Twilio")
			},
			want: []wantRequest{{base: v1, method: "POST", path: svc + "/AlphaSenders", form: url.Values{"AlphaSender": {"Twilio"}}, status: 201}},
		},
		{
			name: "DeleteAlphaSender",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return nil, c.DeleteAlphaSender(ctx, exampleService, exampleAI)
			},
			want: []wantRequest{{base: v1, method: "DELETE", path: svc + "/AlphaSenders/" + exampleAI, status: 204}},
		},
		{
			name: "ListDestinationAlphaSenders",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.ListDestinationAlphaSenders(ctx, exampleService)
			},
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/DestinationAlphaSenders", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				if a := v.([]api.DestinationAlphaSender); len(a) != 1 || a[0].IsoCountryCode != "FR" || a[0].PoolSender().DestinationCountry != "FR" {
					t.Errorf("got %+v", a)
				}
			},
		},
		{
			name: "FetchDestinationAlphaSender",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.FetchDestinationAlphaSender(ctx, exampleService, exampleAI)
			},
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/DestinationAlphaSenders/" + exampleAI, status: 200}},
		},
		{
			name: "CreateDestinationAlphaSender",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.CreateDestinationAlphaSender(ctx, exampleService, "Twilio", "FR")
			},
			want: []wantRequest{{base: v1, method: "POST", path: svc + "/DestinationAlphaSenders",
				form: url.Values{"AlphaSender": {"Twilio"}, "IsoCountryCode": {"FR"}}, status: 201}},
		},
		{
			name: "DeleteDestinationAlphaSender",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return nil, c.DeleteDestinationAlphaSender(ctx, exampleService, exampleAI)
			},
			want: []wantRequest{{base: v1, method: "DELETE", path: svc + "/DestinationAlphaSenders/" + exampleAI, status: 204}},
		},
		{
			name: "UpdateService",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				f, tr := false, true
				period := 600
				return c.UpdateService(ctx, exampleService, api.ServiceUpdate{
					StickySender: &f, AreaCodeGeomatch: &tr, SmartEncoding: &f, MMSConverter: &tr,
					FallbackToLongCode: &f, ValidityPeriod: &period, UseInboundWebhookOnNumber: &tr,
				})
			},
			want: []wantRequest{{base: v1, method: "POST", path: svc, status: 200, form: url.Values{
				"StickySender": {"false"}, "AreaCodeGeomatch": {"true"}, "SmartEncoding": {"false"}, "MmsConverter": {"true"},
				"FallbackToLongCode": {"false"}, "ValidityPeriod": {"600"}, "UseInboundWebhookOnNumber": {"true"},
			}}},
			check: func(t *testing.T, v any) {
				if s := v.(*api.Service); s.StickySender == nil || *s.StickySender || s.SID != exampleService {
					t.Errorf("got %+v, want the spec's update example", s)
				}
			},
		},
		{
			name: "ListA2PCampaigns",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListA2PCampaigns(ctx, exampleService) },
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/Compliance/Usa2p", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				if a := v.([]api.A2PCampaign); len(a) != 1 || a[0].SID != exampleQE || a[0].CampaignStatus != "PENDING" || a[0].CampaignID != "CFOOBAR" {
					t.Errorf("got %+v", a)
				}
			},
		},
		{
			name: "FetchA2PCampaign",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				return c.FetchA2PCampaign(ctx, exampleService, exampleQE)
			},
			want: []wantRequest{{base: v1, method: "GET", path: svc + "/Compliance/Usa2p/" + exampleQE, status: 200}},
		},
		{
			name: "ListIncomingPhoneNumbers",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListIncomingPhoneNumbers(ctx) },
			want: []wantRequest{{base: v2010, method: "GET", path: account + "/IncomingPhoneNumbers.json", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				n := v.([]api.IncomingPhoneNumber)
				if len(n) != 1 || n[0].PhoneNumber != "+18089255327" || n[0].DateCreated == nil || n[0].DateCreated.Year() != 2015 ||
					n[0].Capabilities == nil || !n[0].Capabilities.Voice || n[0].Capabilities.SMS {
					t.Errorf("got %+v, want the spec's one number", n)
				}
			},
		},
		{
			name: "ListAccountShortCodes",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListAccountShortCodes(ctx) },
			want: []wantRequest{{base: v2010, method: "GET", path: account + "/SMS/ShortCodes.json", query: listQuery(), status: 200}},
			check: func(t *testing.T, v any) {
				if s := v.([]api.AccountShortCode); len(s) != 1 || s[0].ShortCode != "99990" || s[0].DateCreated.Year() != 2010 {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name: "LookupAccountShortCode",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.LookupAccountShortCode(ctx, "99990") },
			want: []wantRequest{{base: v2010, method: "GET", path: account + "/SMS/ShortCodes.json", query: listQuery("ShortCode", "99990"), status: 200}},
		},
		{
			// Across both hosts: the number is found on the 2010 API, then
			// added on the Messaging API.
			name: "AttachPoolSender by number",
			call: func(ctx context.Context, c *api.Client) (any, error) {
				in, err := api.ParseSenderInput("+1 808 925 5327")
				if err != nil {
					return nil, err
				}
				return c.AttachPoolSender(ctx, exampleService, in)
			},
			want: []wantRequest{
				{base: v2010, method: "GET", path: account + "/IncomingPhoneNumbers.json", query: listQuery("PhoneNumber", "+18089255327"), status: 200},
				{base: v1, method: "POST", path: svc + "/PhoneNumbers", form: url.Values{"PhoneNumberSid": {examplePN}}, status: 200},
			},
			check: func(t *testing.T, v any) {
				if p := v.(api.PoolSender); p.SID != examplePN || p.ServiceSID != exampleService {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			// One stream per source, all on the Messaging host.
			name: "ListPool",
			call: func(ctx context.Context, c *api.Client) (any, error) { return c.ListPool(ctx, exampleService) },
			check: func(t *testing.T, v any) {
				kinds := map[string]int{}
				for _, p := range v.([]api.PoolSender) {
					kinds[p.Kind]++
				}
				// The spec's examples: three channel senders (WhatsApp,
				// Messenger, RCS), a number, a short code, and one alpha
				// sender of each list, which share a SID: counted once.
				want := map[string]int{api.KindWhatsApp: 1, api.KindMessenger: 1, api.KindRCS: 1, api.KindPhoneNumber: 1, api.KindShortCode: 1, api.KindAlpha: 1}
				if !maps.Equal(kinds, want) {
					t.Errorf("kinds %v, want %v", kinds, want)
				}
			},
		},
	}
	auths := []struct {
		name  string
		creds api.Credentials
		user  string
	}{
		{"auth token", api.Credentials{AccountSID: exampleAccount, Secret: exampleSecret}, exampleAccount},
		{"API key", api.Credentials{AccountSID: exampleAccount, APIKeySID: exampleAPIKey, Secret: exampleSecret}, exampleAPIKey},
	}
	for _, auth := range auths {
		t.Run(auth.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					rec := newRecorder(t)
					c := poolClient(t, v1, v2010, auth.creds, rec)
					v, err := tc.call(testContext(t), c)
					got := rec.take()
					if tc.want != nil {
						checkRequests(t, got, tc.want, auth.user, api.DefaultUserAgent)
					} else {
						checkAccepted(t, got)
						for _, g := range got {
							if "http://"+g.host != v1 {
								t.Errorf("%s went to %s", g, g.host)
							}
						}
					}
					if err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
					if tc.check != nil {
						tc.check(t, v)
					}
				})
			}
		})
	}
}

// secondPageURI is secondPage for the 2010 API: the first answer names a
// next page by a next_page_uri relative to the host.
type secondPageURI struct{ secondPage }

func (p *secondPageURI) RoundTrip(req *http.Request) (*http.Response, error) {
	return p.rewrite(req, func(page map[string]any, next string) bool {
		page["next_page_uri"] = next
		return true
	})
}

// TestPoolPagingAgainstPrism follows a second page of each new list: the
// request built from next_page_url, or from the 2010 API's relative
// next_page_uri, must be as valid as the first.
func TestPoolPagingAgainstPrism(t *testing.T) {
	v1, v2010 := prismURL(t, envV1), prismURL(t, envV2010)
	svc := "/v1/Services/" + exampleService
	account := "/2010-04-01/Accounts/" + exampleAccount
	cases := []struct {
		name, base, path string
		style2010        bool
		count            func(ctx context.Context, c *api.Client) (int, error)
	}{
		{"phone numbers", v1, svc + "/PhoneNumbers", false, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListPhoneNumbers(ctx, exampleService)
			return len(s), err
		}},
		{"short codes", v1, svc + "/ShortCodes", false, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListShortCodes(ctx, exampleService)
			return len(s), err
		}},
		{"alpha senders", v1, svc + "/AlphaSenders", false, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListAlphaSenders(ctx, exampleService)
			return len(s), err
		}},
		{"per-country alpha senders", v1, svc + "/DestinationAlphaSenders", false, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListDestinationAlphaSenders(ctx, exampleService)
			return len(s), err
		}},
		{"A2P campaigns", v1, svc + "/Compliance/Usa2p", false, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListA2PCampaigns(ctx, exampleService)
			return len(s), err
		}},
		{"account numbers", v2010, account + "/IncomingPhoneNumbers.json", true, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListIncomingPhoneNumbers(ctx)
			return len(s), err
		}},
		{"account short codes", v2010, account + "/SMS/ShortCodes.json", true, func(ctx context.Context, c *api.Client) (int, error) {
			s, err := c.ListAccountShortCodes(ctx)
			return len(s), err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t)
			var rt http.RoundTripper = &secondPage{next: rec}
			if tc.style2010 {
				rt = &secondPageURI{secondPage{next: rec}}
			}
			c := poolClient(t, v1, v2010, api.Credentials{AccountSID: exampleAccount, Secret: exampleSecret}, rt)
			n, err := tc.count(testContext(t), c)
			q := listQuery()
			next := maps.Clone(q)
			next.Set("Page", "1")
			next.Set("PageToken", "PAconformance")
			checkRequests(t, rec.take(), []wantRequest{
				{base: tc.base, method: "GET", path: tc.path, query: q, status: 200},
				{base: tc.base, method: "GET", path: tc.path, query: next, status: 200},
			}, exampleAccount, api.DefaultUserAgent)
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("%d items over two pages, want 2", n)
			}
		})
	}
}
