package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

const (
	demoN = twiliotest.DemoServiceNotifications
	demoM = twiliotest.DemoServiceMarketing
	demoS = twiliotest.DemoServiceSandbox
)

// demoClient serves a fresh demo fake and returns a client on it whose
// waits are recorded instead of slept.
func demoClient(t testing.TB, opts twiliotest.DemoOptions) (*twiliotest.Fake, *api.Client) {
	t.Helper()
	f := twiliotest.Demo(opts)
	srv := twiliotest.Serve(t, f)
	c := newClient(t, srv.URL, fixtureOpts{creds: api.Credentials{AccountSID: twiliotest.DemoAccountSID, Secret: twiliotest.DemoAuthToken}}, &waits{})
	t.Cleanup(c.Close)
	return f, c
}

// lastRequest is the fake's record of the last request.
func lastRequest(t *testing.T, f *twiliotest.Fake) twiliotest.RequestRecord {
	t.Helper()
	recs := f.Records()
	if len(recs) == 0 {
		t.Fatal("no request was made")
	}
	return recs[len(recs)-1]
}

// Every kind's four calls, over real HTTP, with the exact request each
// one sends.
func TestPoolMemberCalls(t *testing.T) {
	type step struct {
		name   string
		call   func(ctx context.Context, c *api.Client) (api.PoolSender, error)
		route  twiliotest.Route
		method string
		path   string
		form   url.Values
		check  func(t *testing.T, p api.PoolSender)
	}
	steps := []step{
		{
			name: "attach a number", route: twiliotest.RouteCreatePhoneNumber, method: "POST",
			path: "/v1/Services/" + demoS + "/PhoneNumbers", form: url.Values{"PhoneNumberSid": {twiliotest.DemoFreeTollFree}},
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return fetchedP(c.CreatePhoneNumber(ctx, demoS, twiliotest.DemoFreeTollFree))
			},
			check: func(t *testing.T, p api.PoolSender) {
				if p.Kind != api.KindPhoneNumber || p.Address != "+18885550111" || !p.TollFree || p.ServiceSID != demoS || !p.Can("SMS") {
					t.Errorf("%+v", p)
				}
				if w, ok := p.Wire(); !ok || !strings.Contains(string(w), `"phone_number":"+18885550111"`) {
					t.Errorf("wire %s", w)
				}
			},
		},
		{
			name: "fetch it", route: twiliotest.RouteFetchPhoneNumber, method: "GET", path: "/v1/Services/" + demoS + "/PhoneNumbers/" + twiliotest.DemoFreeTollFree,
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return fetchedP(c.FetchPhoneNumber(ctx, demoS, twiliotest.DemoFreeTollFree))
			},
		},
		{
			name: "list numbers", route: twiliotest.RouteListPhoneNumbers, method: "GET", path: "/v1/Services/" + demoS + "/PhoneNumbers",
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return only(c.ListPhoneNumbers(ctx, demoS))
			},
		},
		{
			name: "attach a short code", route: twiliotest.RouteCreateShortCode, method: "POST",
			path: "/v1/Services/" + demoS + "/ShortCodes", form: url.Values{"ShortCodeSid": {twiliotest.DemoFreeShortCode}},
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return fetchedP(c.CreateShortCode(ctx, demoS, twiliotest.DemoFreeShortCode))
			},
			check: func(t *testing.T, p api.PoolSender) {
				if p.Kind != api.KindShortCode || p.Address != "55123" || p.Country != "US" {
					t.Errorf("%+v", p)
				}
			},
		},
		{
			name: "fetch it", route: twiliotest.RouteFetchShortCode, method: "GET", path: "/v1/Services/" + demoS + "/ShortCodes/" + twiliotest.DemoFreeShortCode,
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return fetchedP(c.FetchShortCode(ctx, demoS, twiliotest.DemoFreeShortCode))
			},
		},
		{
			name: "list short codes", route: twiliotest.RouteListShortCodes, method: "GET", path: "/v1/Services/" + demoS + "/ShortCodes",
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return only(c.ListShortCodes(ctx, demoS))
			},
		},
		{
			name: "add an alpha sender", route: twiliotest.RouteCreateAlphaSender, method: "POST",
			path: "/v1/Services/" + demoS + "/AlphaSenders", form: url.Values{"AlphaSender": {"Sandbox"}},
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return fetchedP(c.CreateAlphaSender(ctx, demoS, "Sandbox"))
			},
			check: func(t *testing.T, p api.PoolSender) {
				if p.Kind != api.KindAlpha || p.Address != "Sandbox" || p.Source != api.SourceAlphaSenders || p.DestinationCountry != "" {
					t.Errorf("%+v", p)
				}
			},
		},
		{
			name: "list alpha senders", route: twiliotest.RouteListAlphaSenders, method: "GET", path: "/v1/Services/" + demoS + "/AlphaSenders",
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return only(c.ListAlphaSenders(ctx, demoS))
			},
		},
		{
			name: "add one for France", route: twiliotest.RouteCreateDestinationAlphaSender, method: "POST",
			path: "/v1/Services/" + demoS + "/DestinationAlphaSenders", form: url.Values{"AlphaSender": {"Sandbox"}, "IsoCountryCode": {"FR"}},
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return fetchedP(c.CreateDestinationAlphaSender(ctx, demoS, "Sandbox", "FR"))
			},
			check: func(t *testing.T, p api.PoolSender) {
				if p.Kind != api.KindAlpha || p.DestinationCountry != "FR" || p.Source != api.SourceDestinationAlphaSenders {
					t.Errorf("%+v", p)
				}
			},
		},
		{
			name: "list per-country alpha senders", route: twiliotest.RouteListDestinationAlphaSenders, method: "GET", path: "/v1/Services/" + demoS + "/DestinationAlphaSenders",
			call: func(ctx context.Context, c *api.Client) (api.PoolSender, error) {
				return only(c.ListDestinationAlphaSenders(ctx, demoS))
			},
		},
	}
	f, c := demoClient(t, twiliotest.DemoOptions{})
	ctx := t.Context()
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := f.Requests(s.route)
			p, err := s.call(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if f.Requests(s.route) != before+1 {
				t.Errorf("%s: %d requests", s.route, f.Requests(s.route)-before)
			}
			r := lastRequest(t, f)
			if r.Method != s.method || r.Path != s.path {
				t.Errorf("sent %s %s, want %s %s", r.Method, r.Path, s.method, s.path)
			}
			if s.form != nil {
				if got, _ := url.ParseQuery(r.Body); !equalValues(got, s.form) || r.ContentType != "application/x-www-form-urlencoded" {
					t.Errorf("body %q (%s), want %q", r.Body, r.ContentType, s.form.Encode())
				}
			}
			if s.method == "GET" && strings.HasSuffix(s.path, "s") {
				if q, _ := url.ParseQuery(r.RawQuery); q.Get("PageSize") != "1000" {
					t.Errorf("query %q", r.RawQuery)
				}
			}
			if s.check != nil {
				s.check(t, p)
			}
		})
	}
	// Every one of them is detached by its Source.
	pool, err := c.ListPool(ctx, demoS)
	if err != nil || len(pool) != 4 {
		t.Fatalf("pool %+v %v", pool, err)
	}
	for _, p := range pool {
		if err := c.DetachPoolSender(ctx, demoS, p); err != nil {
			t.Errorf("detach %s: %v", p.SID, err)
		}
		if r := lastRequest(t, f); r.Method != "DELETE" || !strings.HasSuffix(r.Path, "/"+p.SID) {
			t.Errorf("detach sent %s %s", r.Method, r.Path)
		}
		if err := c.DetachPoolSender(ctx, demoS, p); !api.IsNotFound(err) {
			t.Errorf("a second detach of %s: %v, want a 404", p.SID, err)
		}
	}
	if got := f.PoolSIDs(demoS); len(got) != 0 {
		t.Errorf("left in the pool: %v", got)
	}
}

func fetchedP[T interface{ PoolSender() api.PoolSender }](v *T, err error) (api.PoolSender, error) {
	if err != nil {
		return api.PoolSender{}, err
	}
	return (*v).PoolSender(), nil
}

func only[T interface{ PoolSender() api.PoolSender }](list []T, err error) (api.PoolSender, error) {
	if err != nil {
		return api.PoolSender{}, err
	}
	if len(list) != 1 {
		return api.PoolSender{}, errors.New("not exactly one")
	}
	return list[0].PoolSender(), nil
}

func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// Twilio's refusals arrive as *api.Error with their code, and the codes
// worth words have them.
func TestPoolRefusals(t *testing.T) {
	cases := []struct {
		name string
		call func(ctx context.Context, c *api.Client) error
		code int
	}{
		{"a number of another service", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreatePhoneNumber(ctx, demoN, twiliotest.DemoNumberUK)
			return err
		}, api.CodeInAnotherService},
		{"a number twice", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreatePhoneNumber(ctx, demoN, twiliotest.DemoNumberUSNewYork)
			return err
		}, api.CodeAlreadyInService},
		{"a voice-only number", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreatePhoneNumber(ctx, demoN, twiliotest.DemoFreeNumberVoiceOnly)
			return err
		}, api.CodeNotSMSCapable},
		{"a number of another region", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreatePhoneNumber(ctx, demoN, twiliotest.DemoFreeNumberIreland)
			return err
		}, api.CodeRegionMismatch},
		{"an alpha sender for the US", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateDestinationAlphaSender(ctx, demoS, "Acme", "US")
			return err
		}, api.CodeAlphaNotAllowed},
		{"a short code twice", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateShortCode(ctx, demoM, twiliotest.DemoShortCode)
			return err
		}, api.CodeAlreadyInService},
	}
	_, c := demoClient(t, twiliotest.DemoOptions{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t.Context(), c)
			e, ok := api.AsError(err)
			if !ok || e.Status != 400 || !api.IsCode(err, tc.code) || api.Hint(err) == "" {
				t.Fatalf("%v (%T), want Twilio error %d with a hint", err, err, tc.code)
			}
		})
	}

	t.Run("a full pool", func(t *testing.T) {
		f, c := demoClient(t, twiliotest.DemoOptions{})
		f.AddService(twiliotest.ServiceSeed{SID: testService, PoolLimit: 1})
		if _, err := c.CreatePhoneNumber(t.Context(), testService, twiliotest.DemoFreeNumberUS); err != nil {
			t.Fatal(err)
		}
		_, err := c.CreateShortCode(t.Context(), testService, twiliotest.DemoFreeShortCode)
		if !api.IsCode(err, api.CodePoolFull) || !strings.Contains(api.Hint(err), "400") {
			t.Errorf("%v", err)
		}
	})
}

// Nothing malformed is sent.
func TestPoolValidatesBeforeSending(t *testing.T) {
	hex := strings.Repeat("a", 32)
	cases := []struct {
		name string
		call func(ctx context.Context, c *api.Client) error
		is   error
	}{
		{"list numbers of a bad service", func(ctx context.Context, c *api.Client) error {
			_, err := c.ListPhoneNumbers(ctx, "MG1")
			return err
		}, api.ErrInvalidSID},
		{"attach an XE as a number", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreatePhoneNumber(ctx, demoN, "XE"+hex)
			return err
		}, api.ErrInvalidSID},
		{"attach a PN as a short code", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateShortCode(ctx, demoN, "PN"+hex)
			return err
		}, api.ErrInvalidSID},
		{"fetch a short SC", func(ctx context.Context, c *api.Client) error {
			_, err := c.FetchShortCode(ctx, demoN, "SC12")
			return err
		}, api.ErrInvalidSID},
		{"delete an alpha sender by a PN", func(ctx context.Context, c *api.Client) error {
			return c.DeleteAlphaSender(ctx, demoN, "PN"+hex)
		}, api.ErrInvalidSID},
		{"an alpha sender of digits", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateAlphaSender(ctx, demoN, "12345")
			return err
		}, api.ErrInvalidAddress},
		{"an alpha sender with an escape", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateAlphaSender(ctx, demoN, "Acme\x1b[2J")
			return err
		}, api.ErrInvalidAddress},
		{"a per-country alpha sender without its country", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateDestinationAlphaSender(ctx, demoN, "Acme", "")
			return err
		}, api.ErrNoCountry},
		{"a per-country alpha sender for de", func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateDestinationAlphaSender(ctx, demoN, "Acme", "de")
			return err
		}, api.ErrInvalidAddress},
		{"an empty update", func(ctx context.Context, c *api.Client) error {
			_, err := c.UpdateService(ctx, demoN, api.ServiceUpdate{})
			return err
		}, api.ErrNothingToUpdate},
		{"a validity period of 0", func(ctx context.Context, c *api.Client) error {
			_, err := c.UpdateService(ctx, demoN, api.ServiceUpdate{ValidityPeriod: ptr(0)})
			return err
		}, api.ErrInvalidSetting},
		{"a validity period past 36,000", func(ctx context.Context, c *api.Client) error {
			_, err := c.UpdateService(ctx, demoN, api.ServiceUpdate{ValidityPeriod: ptr(36_001)})
			return err
		}, api.ErrInvalidSetting},
		{"a use case Twilio does not know", func(ctx context.Context, c *api.Client) error {
			_, err := c.UpdateService(ctx, demoN, api.ServiceUpdate{Usecase: ptr("spam")})
			return err
		}, api.ErrInvalidSetting},
		{"a campaign by a bad SID", func(ctx context.Context, c *api.Client) error {
			_, err := c.FetchA2PCampaign(ctx, demoN, "QE1")
			return err
		}, api.ErrInvalidSID},
		{"look up a number without +", func(ctx context.Context, c *api.Client) error {
			_, err := c.LookupIncomingPhoneNumber(ctx, "14155550100")
			return err
		}, api.ErrInvalidAddress},
		{"look up a short code of letters", func(ctx context.Context, c *api.Client) error {
			_, err := c.LookupAccountShortCode(ctx, "ABCDE")
			return err
		}, api.ErrInvalidAddress},
		{"a source that is not one", func(ctx context.Context, c *api.Client) error {
			return c.ListSourcePages(ctx, demoN, api.PoolSource(-1), func([]api.PoolSender) error { return nil })
		}, api.ErrInvalidSource},
		{"attach an AI by SID", func(ctx context.Context, c *api.Client) error {
			_, err := c.AttachPoolSender(ctx, demoN, api.SenderInput{Kind: api.KindAlpha, SID: "AI" + hex})
			return err
		}, api.ErrAlphaBySID},
	}
	f, c := demoClient(t, twiliotest.DemoOptions{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t.Context(), c)
			if !errors.Is(err, tc.is) {
				t.Errorf("%v, want %v", err, tc.is)
			}
			if err != nil {
				checkPrintable(t, "the error", err.Error())
			}
		})
	}
	if n := f.TotalRequests(); n != 0 {
		t.Errorf("%d requests were sent: %v", n, f.Records())
	}
}

func ptr[T any](v T) *T { return &v }

func TestUpdateServiceSendsOnlyWhatIsSet(t *testing.T) {
	f, c := demoClient(t, twiliotest.DemoOptions{})
	s, err := c.UpdateService(t.Context(), demoN, api.ServiceUpdate{StickySender: ptr(false), MMSConverter: ptr(false), ValidityPeriod: ptr(600)})
	if err != nil {
		t.Fatal(err)
	}
	r := lastRequest(t, f)
	want := url.Values{"StickySender": {"false"}, "MmsConverter": {"false"}, "ValidityPeriod": {"600"}}
	if got, _ := url.ParseQuery(r.Body); r.Method != "POST" || r.Path != "/v1/Services/"+demoN || !equalValues(got, want) {
		t.Errorf("sent %s %s %q, want %q", r.Method, r.Path, r.Body, want.Encode())
	}
	if *s.StickySender || *s.MMSConverter || *s.ValidityPeriod != 600 || !*s.SmartEncoding || !*s.AreaCodeGeomatch {
		t.Errorf("answered %+v", s)
	}
	if w, _ := s.WireJSON(); !strings.Contains(string(w), `"sticky_sender":false`) {
		t.Errorf("wire %s", w)
	}
	all := api.ServiceUpdate{
		StickySender: ptr(true), AreaCodeGeomatch: ptr(true), FallbackToLongCode: ptr(true), SmartEncoding: ptr(true),
		MMSConverter: ptr(true), ValidityPeriod: ptr(1), UseInboundWebhookOnNumber: ptr(true), FriendlyName: ptr("Renamed"), Usecase: ptr("poll"),
	}
	if _, err := c.UpdateService(t.Context(), demoN, all); err != nil {
		t.Fatal(err)
	}
	got, _ := url.ParseQuery(lastRequest(t, f).Body)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range got {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"AreaCodeGeomatch", "FallbackToLongCode", "FriendlyName", "MmsConverter", "SmartEncoding", "StickySender", "UseInboundWebhookOnNumber", "Usecase", "ValidityPeriod"}; !slices.Equal(names, want) {
		t.Errorf("form names %v, want the spec's %v", names, want)
	}
}

// An update sets values, so unlike an attach it is sent again when its
// answer was lost.
func TestUpdateServiceIsRetriedWhenTheAnswerIsLost(t *testing.T) {
	f, c := demoClient(t, twiliotest.DemoOptions{})
	f.AddFault(twiliotest.RouteUpdateService, twiliotest.Fault{Kind: twiliotest.FaultDrop})
	if _, err := c.UpdateService(t.Context(), demoN, api.ServiceUpdate{StickySender: ptr(false)}); err != nil {
		t.Fatalf("not retried: %v", err)
	}
	if n := f.Requests(twiliotest.RouteUpdateService); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	f.AddFault(twiliotest.RouteCreatePhoneNumber, twiliotest.Fault{Kind: twiliotest.FaultDrop})
	_, err := c.CreatePhoneNumber(t.Context(), demoS, twiliotest.DemoFreeNumberUS)
	if err == nil || !strings.Contains(err.Error(), "may have taken effect") {
		t.Errorf("an attach whose answer was lost: %v", err)
	}
	if n := f.Requests(twiliotest.RouteCreatePhoneNumber); n != 1 {
		t.Errorf("the attach was sent %d times", n)
	}
}

func TestA2PCampaign(t *testing.T) {
	_, c := demoClient(t, twiliotest.DemoOptions{})
	ctx := t.Context()
	camp, err := c.ServiceA2PCampaign(ctx, demoN)
	if err != nil || camp == nil {
		t.Fatalf("%+v %v", camp, err)
	}
	if camp.SID != twiliotest.DemoCampaign || camp.CampaignStatus != "VERIFIED" || camp.BrandRegistrationSID != twiliotest.DemoBrand ||
		camp.CampaignID == "" || camp.MessagingServiceSID != demoN || len(camp.RateLimits) == 0 {
		t.Errorf("campaign %+v", camp)
	}
	one, err := c.FetchA2PCampaign(ctx, demoN, camp.SID)
	if err != nil || one.SID != camp.SID {
		t.Errorf("fetch %+v %v", one, err)
	}
	if w, _ := one.WireJSON(); !strings.Contains(string(w), `"campaign_status":"VERIFIED"`) {
		t.Errorf("wire %s", w)
	}
	if none, err := c.ServiceA2PCampaign(ctx, demoM); none != nil || err != nil {
		t.Errorf("Marketing: %+v %v", none, err)
	}
	if _, err := c.FetchA2PCampaign(ctx, demoM, camp.SID); !api.IsNotFound(err) {
		t.Errorf("another service's campaign: %v", err)
	}
	svc, err := c.FetchService(ctx, demoN)
	if err != nil || svc.USAppToPersonRegistered == nil || !*svc.USAppToPersonRegistered || svc.Usecase != "notifications" {
		t.Errorf("service %+v %v", svc, err)
	}
}

// The account's numbers and short codes come from the 2010 API, paged by
// next_page_uri, on the API base URL.
func TestAccountNumbers(t *testing.T) {
	f, c := demoClient(t, twiliotest.DemoOptions{Numbers: 2500})
	var sizes []int
	err := c.ListIncomingPhoneNumbersPages(t.Context(), func(p []api.IncomingPhoneNumber) error {
		sizes = append(sizes, len(p))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1000, 1000, 506}; !slices.Equal(sizes, want) {
		t.Errorf("pages of %v, want %v", sizes, want)
	}
	for i, r := range f.Records() {
		q, _ := url.ParseQuery(r.RawQuery)
		if r.Path != "/2010-04-01/Accounts/"+twiliotest.DemoAccountSID+"/IncomingPhoneNumbers.json" || q.Get("PageSize") != "1000" || (i > 0) != (q.Get("PageToken") != "") {
			t.Errorf("request %d: %s?%s", i, r.Path, r.RawQuery)
		}
	}
	all, err := c.ListIncomingPhoneNumbers(t.Context())
	if err != nil || len(all) != 2506 || all[0].DateCreated == nil || all[0].Capabilities == nil || all[0].PoolSender().Kind != api.KindPhoneNumber {
		t.Errorf("%d numbers, %v", len(all), err)
	}
	codes, err := c.ListAccountShortCodes(t.Context())
	if err != nil || len(codes) != 3 || codes[0].ShortCode != "24368" || codes[0].DateCreated.Year() != 2024 {
		t.Errorf("short codes %+v %v", codes, err)
	}

	n, err := c.LookupIncomingPhoneNumber(t.Context(), "+14155550177")
	if err != nil || n.SID != twiliotest.DemoFreeNumberUS {
		t.Errorf("lookup %+v %v", n, err)
	}
	if r := lastRequest(t, f); !strings.Contains(r.RawQuery, "PhoneNumber=%2B14155550177") {
		t.Errorf("looked up by %s", r.RawQuery)
	}
	// The filter matches within numbers; only the exact number counts.
	_, err = c.LookupIncomingPhoneNumber(t.Context(), "+1415555017")
	var notOn *api.NotOnAccountError
	if !errors.As(err, &notOn) || !errors.Is(err, api.ErrNotOnAccount) || notOn.Kind != api.KindPhoneNumber {
		t.Errorf("a number that is not the account's: %v", err)
	}
	s, err := c.LookupAccountShortCode(t.Context(), "60777")
	if err != nil || s.SID != twiliotest.DemoFreeShortCodeUK {
		t.Errorf("lookup %+v %v", s, err)
	}
	if _, err := c.LookupAccountShortCode(t.Context(), "99999"); !errors.Is(err, api.ErrNotOnAccount) {
		t.Errorf("%v", err)
	}
}

// Whatever a person typed is found and attached, and the same input
// finds it again in the pool.
func TestAttachPoolSenderFromInput(t *testing.T) {
	cases := []struct {
		input, country string
		kind           string
		sid            string // "" for an alpha sender, whose SID the fake makes
		route          twiliotest.Route
	}{
		{"+1 (415) 555-0177", "", api.KindPhoneNumber, twiliotest.DemoFreeNumberUS, twiliotest.RouteCreatePhoneNumber},
		{twiliotest.DemoFreeTollFree, "", api.KindPhoneNumber, twiliotest.DemoFreeTollFree, twiliotest.RouteCreatePhoneNumber},
		{"55123", "", api.KindShortCode, twiliotest.DemoFreeShortCode, twiliotest.RouteCreateShortCode},
		{twiliotest.DemoFreeShortCodeUK, "", api.KindShortCode, twiliotest.DemoFreeShortCodeUK, twiliotest.RouteCreateShortCode},
		{"whatsapp:+14155550123", "", api.KindWhatsApp, twiliotest.DemoFreeWhatsAppUS, twiliotest.RouteCreateChannelSender},
		{"rcs:acme_support_agent", "", api.KindRCS, twiliotest.DemoFreeRCSSupport, twiliotest.RouteCreateChannelSender},
		{twiliotest.DemoFreeRCSBilling, "", api.KindRCS, twiliotest.DemoFreeRCSBilling, twiliotest.RouteCreateChannelSender},
		{"Sandbox", "", api.KindAlpha, "", twiliotest.RouteCreateAlphaSender},
		{"Sandbox", "DE", api.KindAlpha, "", twiliotest.RouteCreateDestinationAlphaSender},
	}
	f, c := demoClient(t, twiliotest.DemoOptions{})
	for _, tc := range cases {
		t.Run(tc.input+" "+tc.country, func(t *testing.T) {
			in, err := api.ParseSenderInput(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			in.Country = tc.country
			before := f.Requests(tc.route)
			p, err := c.AttachPoolSender(t.Context(), demoS, in)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tc.kind || (tc.sid != "" && p.SID != tc.sid) || p.ServiceSID != demoS || p.DestinationCountry != tc.country {
				t.Errorf("attached %+v", p)
			}
			if f.Requests(tc.route)-before != 1 {
				t.Errorf("%s not called once", tc.route)
			}
			if !p.Matches(in) {
				t.Errorf("%+v does not match the input it came from", p)
			}
			again, err := c.FindPoolSenderBySID(t.Context(), demoS, p.SID)
			if err != nil || again.SID != p.SID || again.Source != p.Source {
				t.Errorf("found again as %+v, %v", again, err)
			}
		})
	}
	pool, err := c.ListPool(t.Context(), demoS)
	if err != nil || len(pool) != len(cases) {
		t.Errorf("%d in the pool, %v", len(pool), err)
	}
	for _, input := range []string{"+14155550999", "99999", "whatsapp:+10000000000"} {
		in, _ := api.ParseSenderInput(input)
		if _, err := c.AttachPoolSender(t.Context(), demoS, in); !errors.Is(err, api.ErrNotOnAccount) {
			t.Errorf("%s: %v, want ErrNotOnAccount", input, err)
		}
	}
	in, _ := api.ParseSenderInput("messenger:104794531907950")
	if _, err := c.AttachPoolSender(t.Context(), demoS, in); !errors.Is(err, api.ErrNotOnAccount) || !strings.Contains(err.Error(), "XE") {
		t.Errorf("a Messenger address: %v", err)
	}
}

// The pool of a service, every source at once, delivered page by page to
// one fn at a time.
func TestListPoolPages(t *testing.T) {
	_, c := demoClient(t, twiliotest.DemoOptions{Numbers: 2100, Senders: 1500})
	var (
		mu     sync.Mutex
		inside int
		pages  = map[api.PoolSource]int{}
		count  = map[string]int{}
	)
	err := c.ListPoolPages(t.Context(), demoN, func(src api.PoolSource, page []api.PoolSender) error {
		mu.Lock()
		inside++
		if inside > 1 {
			t.Error("fn called by two sources at once")
		}
		mu.Unlock()
		pages[src]++
		for _, p := range page {
			count[p.Kind]++
			if p.Source != src {
				t.Errorf("%s delivered on %s", p.SID, src)
			}
		}
		mu.Lock()
		inside--
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages[api.SourcePhoneNumbers] != 3 || pages[api.SourceChannelSenders] != 2 || pages[api.SourceShortCodes] != 1 {
		t.Errorf("pages %v", pages)
	}
	if count[api.KindPhoneNumber] != 2100 || count[api.KindAlpha] != 2 || count[api.KindShortCode] != 0 {
		t.Errorf("counted %v", count)
	}
	pool, err := c.ListPool(t.Context(), demoN)
	if err != nil || len(pool) != 2100+1500+2 || !slices.IsSortedFunc(pool, api.ComparePoolSenders) {
		t.Errorf("ListPool: %d, sorted %v, %v", len(pool), slices.IsSortedFunc(pool, api.ComparePoolSenders), err)
	}
}

func TestListPoolOneSourceFails(t *testing.T) {
	f, c := demoClient(t, twiliotest.DemoOptions{})
	f.AddFault(twiliotest.RouteListShortCodes, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 403, Code: 20403, Message: "Permission denied", Times: -1})
	pool, err := c.ListPool(t.Context(), demoM)
	var poolErr *api.PoolError
	if !errors.As(err, &poolErr) || len(poolErr.Errs) != 1 || poolErr.Errs[api.SourceShortCodes] == nil {
		t.Fatalf("%v, want a *PoolError of the short codes alone", err)
	}
	if !api.IsCode(err, 20403) || !strings.Contains(err.Error(), "short codes: ") {
		t.Errorf("the error %q does not carry the source's", err)
	}
	kinds := map[string]int{}
	for _, p := range pool {
		kinds[p.Kind]++
	}
	if kinds[api.KindPhoneNumber] != 2 || kinds[api.KindWhatsApp] != 3 || kinds[api.KindShortCode] != 0 {
		t.Errorf("the other sources: %v", kinds)
	}

	stop := errors.New("enough")
	calls := 0
	err = c.ListPoolPages(t.Context(), demoN, func(api.PoolSource, []api.PoolSender) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("fn's error: %v after %d calls", err, calls)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.ListPoolPages(ctx, demoN, func(api.PoolSource, []api.PoolSender) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled listing: %v", err)
	}
	if err := c.ListPoolPages(t.Context(), "MG1", nil); !errors.Is(err, api.ErrInvalidSID) {
		t.Errorf("%v", err)
	}
}

func TestListSourceJSON(t *testing.T) {
	_, c := demoClient(t, twiliotest.DemoOptions{})
	for _, src := range api.PoolSources() {
		mg := demoN
		if src == api.SourceShortCodes {
			mg = demoM
		}
		raw, err := c.ListSourceJSON(t.Context(), mg, src)
		if err != nil || len(raw) == 0 {
			t.Fatalf("%s: %d, %v", src, len(raw), err)
		}
		for _, r := range raw {
			p, err := api.DecodePoolSender(src, r)
			if err != nil || p.Source != src || (src.Kind() != "" && p.Kind != src.Kind()) {
				t.Errorf("%s: %+v %v", src, p, err)
			}
			if w, ok := p.Wire(); !ok || string(w) != string(r) {
				t.Errorf("%s: wire %s", src, w)
			}
		}
		var paged []json.RawMessage
		err = c.ListSourceJSONPages(t.Context(), mg, src, func(page []json.RawMessage) error {
			paged = append(paged, page...)
			return nil
		})
		if err != nil || len(paged) != len(raw) {
			t.Errorf("%s: ListSourceJSONPages gave %d of %d, %v", src, len(paged), len(raw), err)
		}
	}
	if err := c.ListSourceJSONPages(t.Context(), demoN, api.PoolSource(7), nil); !errors.Is(err, api.ErrInvalidSource) {
		t.Errorf("%v", err)
	}
}

// The 2010 API's paging meets the rules of the Messaging API's: only our
// own host, only the list's own path, no loops, the item ceiling.
func Test2010PagingSafety(t *testing.T) {
	const path = "/2010-04-01/Accounts/AC11111111111111111111111111111111/IncomingPhoneNumbers.json"
	page := func(next string, n int) string {
		items := strings.TrimSuffix(strings.Repeat(`{"sid":"PN1","phone_number":"+14155550100"},`, n), ",")
		if next == "" {
			return `{"incoming_phone_numbers":[` + items + `],"next_page_uri":null,"uri":"` + path + `?PageSize=1000&Page=0"}`
		}
		return `{"incoming_phone_numbers":[` + items + `],"next_page_uri":"` + next + `","uri":"` + path + `?PageSize=1000&Page=0"}`
	}
	cases := []struct {
		name     string
		second   string // the first page's next_page_uri
		wantErr  error
		wantReqs int
		items    int
	}{
		{"relative next page", path + "?PageSize=1000&Page=1&PageToken=PA1", nil, 2, 2},
		{"absolute next page on another host stays on ours", "https://evil.example" + path + "?Page=1&PageToken=PA1", nil, 2, 2},
		{"next page on another path", "/2010-04-01/Accounts/AC11111111111111111111111111111111/Calls.json?Page=1", api.ErrBadResponse, 1, 1},
		{"next page back to the first", path + "?PageSize=1000&Page=0", api.ErrBadResponse, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var hosts []string
			c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hosts = append(hosts, r.Host)
				n := len(hosts)
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				if r.URL.Path != path {
					http.NotFound(w, r)
					return
				}
				if n == 1 {
					_, _ = w.Write([]byte(page(tc.second, 1)))
					return
				}
				_, _ = w.Write([]byte(page("", 1)))
			}, fixtureOpts{})
			got, err := c.ListIncomingPhoneNumbers(t.Context())
			if !errors.Is(err, tc.wantErr) || (err == nil && len(got) != tc.items) {
				t.Errorf("%d items, %v; want %d, %v", len(got), err, tc.items, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "next_page_uri") {
				t.Errorf("the error names not the 2010 link: %v", err)
			}
			if len(hosts) != tc.wantReqs || (len(hosts) == 2 && hosts[0] != hosts[1]) {
				t.Errorf("requests to %v", hosts)
			}
		})
	}
	t.Run("the ceiling", func(t *testing.T) {
		c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			q.Set("Page", q.Get("Page")+"1")
			_, _ = w.Write([]byte(page(path+"?"+q.Encode(), 10)))
		}, fixtureOpts{})
		api.SetMaxItems(c, 25)
		got, err := c.ListIncomingPhoneNumbers(t.Context())
		if !errors.Is(err, api.ErrListTooLong) || got != nil {
			t.Errorf("%d, %v", len(got), err)
		}
	})
	t.Run("no list", func(t *testing.T) {
		c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"meta":{},"phone_numbers":[]}`))
		}, fixtureOpts{})
		if _, err := c.ListIncomingPhoneNumbers(t.Context()); !errors.Is(err, api.ErrBadResponse) || !strings.Contains(err.Error(), "incoming_phone_numbers") {
			t.Errorf("%v", err)
		}
	})
	t.Run("the endless fault", func(t *testing.T) {
		f, c := demoClient(t, twiliotest.DemoOptions{})
		api.SetMaxItems(c, 2500)
		f.AddFault(twiliotest.RouteListAccountShortCodes, twiliotest.Fault{Kind: twiliotest.FaultEndlessPages, Times: -1})
		if _, err := c.ListAccountShortCodes(t.Context()); !errors.Is(err, api.ErrListTooLong) {
			t.Errorf("%v", err)
		}
		f.AddFault(twiliotest.RouteListPhoneNumbers, twiliotest.Fault{Kind: twiliotest.FaultEndlessPages, Times: -1})
		if _, err := c.ListPhoneNumbers(t.Context(), demoN); !errors.Is(err, api.ErrListTooLong) {
			t.Errorf("%v", err)
		}
	})
}

// A pool whose every field is hostile decodes, sorts and is refused where
// a SID is malformed, before any request.
func TestHostilePoolThroughTheClient(t *testing.T) {
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	h := f.AddHostile()
	p := f.AddHostilePool(h)
	srv := twiliotest.Serve(t, f)
	c := newClient(t, srv.URL, fixtureOpts{creds: api.Credentials{AccountSID: twiliotest.DemoAccountSID, Secret: twiliotest.DemoAuthToken}}, &waits{})
	pool, err := c.ListPool(t.Context(), h.Service)
	if err != nil {
		t.Fatal(err)
	}
	want := len(h.Senders) + 1 + len(p.Numbers) + 1 + len(p.ShortCodes) + len(p.Alphas)
	if len(pool) != want || !slices.IsSortedFunc(pool, api.ComparePoolSenders) {
		t.Errorf("%d senders, want %d", len(pool), want)
	}
	var bad api.PoolSender
	for _, s := range pool {
		if s.SID == p.BadNumber {
			bad = s
		}
	}
	before := f.TotalRequests()
	if err := c.DetachPoolSender(t.Context(), h.Service, bad); !errors.Is(err, api.ErrInvalidSID) {
		t.Errorf("detach by a hostile SID: %v", err)
	} else {
		checkPrintable(t, "the error", err.Error())
	}
	if f.TotalRequests() != before {
		t.Error("a request went out with a hostile SID")
	}
	if _, err := c.ListIncomingPhoneNumbers(t.Context()); err != nil {
		t.Errorf("the account's hostile numbers: %v", err)
	}
}
