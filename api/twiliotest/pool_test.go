package twiliotest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

func pn(i int) string { return fmt.Sprintf("PN%032x", i) }
func sc(i int) string { return fmt.Sprintf("SC%032x", i) }
func ai(i int) string { return fmt.Sprintf("AI%032x", i) }

const qeA = "QEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"

// poolFake: svcA (us1, limit 4) has numbers 1–2, short code 1, alpha
// "Acme" and "Acme DE" for DE, a campaign; svcB has number 3; free on the
// account: number 4 (SMS), 5 (voice only), 6 (region ie1), short code 2.
func poolFake() *twiliotest.Fake {
	f := newFake()
	for i, n := range []twiliotest.NumberSeed{
		{SID: pn(1), PhoneNumber: "+14155550101", CountryCode: "US"},
		{SID: pn(2), PhoneNumber: "+18005550102", CountryCode: "US", Type: "tollfree", Capabilities: []string{"SMS", "Voice"}},
		{SID: pn(3), PhoneNumber: "+447700900103", CountryCode: "GB", Type: "mobile"},
		{SID: pn(4), PhoneNumber: "+14155550104", CountryCode: "US", Capabilities: []string{"SMS"}},
		{SID: pn(5), PhoneNumber: "+14155550105", CountryCode: "US", Capabilities: []string{"Voice"}},
		{SID: pn(6), PhoneNumber: "+35315550106", CountryCode: "IE", Region: "ie1"},
	} {
		n.Created = seedTime.Add(time.Duration(i) * time.Hour)
		f.AddNumber(n)
	}
	f.AddShortCode(twiliotest.ShortCodeSeed{SID: sc(1), ShortCode: "12345", CountryCode: "US", Created: seedTime})
	f.AddShortCode(twiliotest.ShortCodeSeed{SID: sc(2), ShortCode: "54321", CountryCode: "US", Created: seedTime.Add(time.Hour)})
	f.AddService(twiliotest.ServiceSeed{SID: svcA, FriendlyName: "A", Created: seedTime, StickySender: true, PoolLimit: 4,
		PhoneNumbers: []string{pn(1), pn(2)}, ShortCodes: []string{sc(1)},
		Alphas:   []twiliotest.AlphaSeed{{SID: ai(1), AlphaSender: "Acme"}, {SID: ai(2), AlphaSender: "Acme DE", Country: "DE"}},
		Campaign: &twiliotest.CampaignSeed{SID: qeA, Status: "VERIFIED"}})
	f.AddService(twiliotest.ServiceSeed{SID: svcB, FriendlyName: "B", Created: seedTime.Add(time.Minute), PhoneNumbers: []string{pn(3)}})
	f.AddService(twiliotest.ServiceSeed{SID: svcC, FriendlyName: "C", Created: seedTime.Add(2 * time.Minute)})
	return f
}

func form(method, target string, v url.Values) call {
	return call{method: method, target: target, body: v.Encode(), ctype: "application/x-www-form-urlencoded"}
}

func TestPoolLists(t *testing.T) {
	e := start(t, poolFake())
	cases := []struct {
		path, key string
		sids      []string
		field     string // a field every item has, and its values in order
		values    []string
	}{
		{"PhoneNumbers", "phone_numbers", []string{pn(1), pn(2)}, "phone_number", []string{"+14155550101", "+18005550102"}},
		{"ShortCodes", "short_codes", []string{sc(1)}, "short_code", []string{"12345"}},
		{"AlphaSenders", "alpha_senders", []string{ai(1)}, "alpha_sender", []string{"Acme"}},
		{"DestinationAlphaSenders", "alpha_senders", []string{ai(2)}, "iso_country_code", []string{"DE"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			page := e.get("/v1/Services/"+svcA+"/"+tc.path+"?PageSize=1000").okJSON(t, 200)
			if m := meta(t, page); m["key"] != tc.key || m["next_page_url"] != nil {
				t.Errorf("meta = %v", m)
			}
			var sids, values []string
			for _, it := range items(t, page, tc.key) {
				sids = append(sids, it["sid"].(string))
				values = append(values, fmt.Sprint(it[tc.field]))
				if it["service_sid"] != svcA || it["account_sid"] != testAccount {
					t.Errorf("item %v", it)
				}
				if want := e.srv.URL + "/v1/Services/" + svcA + "/" + tc.path + "/" + it["sid"].(string); it["url"] != want {
					t.Errorf("url %v, want %s", it["url"], want)
				}
			}
			if !slices.Equal(sids, tc.sids) || !slices.Equal(values, tc.values) {
				t.Errorf("listed %v %v, want %v %v", sids, values, tc.sids, tc.values)
			}
			// Fetch each one by itself, and refuse it on the other service.
			for _, sid := range tc.sids {
				one := e.get("/v1/Services/"+svcA+"/"+tc.path+"/"+sid).okJSON(t, 200)
				if one["sid"] != sid {
					t.Errorf("fetched %v", one)
				}
				e.get("/v1/Services/"+svcB+"/"+tc.path+"/"+sid).twilioError(t, 404, twiliotest.CodeNotFound)
			}
			e.get("/v1/Services/"+svcA+"/"+tc.path+"/XE"+strings.Repeat("0", 32)).twilioError(t, 400, twiliotest.CodeInvalidParameter)
			e.get("/v1/Services/"+svcX+"/"+tc.path).twilioError(t, 404, twiliotest.CodeNotFound)
			empty := e.get("/v1/Services/"+svcC+"/"+tc.path).okJSON(t, 200)
			if len(items(t, empty, tc.key)) != 0 {
				t.Errorf("svcC lists %v", empty)
			}
		})
	}
	// Capabilities in Twilio's order, the defaults where a seed says none.
	page := e.get("/v1/Services/"+svcA+"/PhoneNumbers").okJSON(t, 200)
	got := fmt.Sprint(items(t, page, "phone_numbers")[0]["capabilities"], items(t, page, "phone_numbers")[1]["capabilities"])
	if got != "[MMS SMS Voice] [SMS Voice]" {
		t.Errorf("capabilities %s", got)
	}
}

func TestPoolPaging(t *testing.T) {
	f := newFake()
	var want []string
	for i := range 7 {
		f.AddNumber(twiliotest.NumberSeed{SID: pn(i + 1), PhoneNumber: fmt.Sprintf("+1415555%04d", i), Created: seedTime})
		want = append(want, pn(i+1))
	}
	f.AddService(twiliotest.ServiceSeed{SID: svcA, Created: seedTime, PhoneNumbers: want})
	e := start(t, f)
	var got []string
	next := "/v1/Services/" + svcA + "/PhoneNumbers?PageSize=3"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("more pages than items allow")
		}
		page := e.get(next).okJSON(t, 200)
		for _, it := range items(t, page, "phone_numbers") {
			got = append(got, it["sid"].(string))
		}
		next, _ = meta(t, page)["next_page_url"].(string)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %v, want %v", got, want)
	}
}

func TestPoolAttachRules(t *testing.T) {
	numbers := "/v1/Services/" + svcA + "/PhoneNumbers"
	shorts := "/v1/Services/" + svcA + "/ShortCodes"
	attachNumber := func(mg, sid string) call {
		return form(http.MethodPost, "/v1/Services/"+mg+"/PhoneNumbers", url.Values{"PhoneNumberSid": {sid}})
	}
	cases := []struct {
		name   string
		c      call
		status int
		code   int // 0: success
	}{
		{"a free SMS number", attachNumber(svcA, pn(4)), 201, 0},
		{"already in this service", attachNumber(svcA, pn(1)), 400, twiliotest.CodeAlreadyInService},
		{"in another service", attachNumber(svcA, pn(3)), 400, twiliotest.CodeInAnotherService},
		{"voice only", attachNumber(svcA, pn(5)), 400, twiliotest.CodeNotSMSCapable},
		{"another region", attachNumber(svcA, pn(6)), 400, twiliotest.CodeRegionMismatch},
		{"unknown number", attachNumber(svcA, pn(99)), 400, twiliotest.CodeInvalidPoolSID},
		{"malformed number", attachNumber(svcA, "PN123"), 400, twiliotest.CodeInvalidPoolSID},
		{"a short code SID as a number", attachNumber(svcA, sc(2)), 400, twiliotest.CodeInvalidPoolSID},
		{"no PhoneNumberSid", form(http.MethodPost, numbers, url.Values{"Sid": {pn(4)}}), 400, twiliotest.CodeInvalidParameter},
		{"a JSON body", call{method: http.MethodPost, target: numbers, body: `{"PhoneNumberSid":"` + pn(4) + `"}`, ctype: "application/json"}, 400, twiliotest.CodeInvalidParameter},
		{"unknown service", attachNumber(svcX, pn(4)), 404, twiliotest.CodeNotFound},
		{"a free short code", form(http.MethodPost, shorts, url.Values{"ShortCodeSid": {sc(2)}}), 201, 0},
		{"a short code already here", form(http.MethodPost, shorts, url.Values{"ShortCodeSid": {sc(1)}}), 400, twiliotest.CodeAlreadyInService},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, poolFake())
			r := e.must(tc.c)
			if tc.code != 0 {
				r.twilioError(t, tc.status, tc.code)
				return
			}
			it := r.okJSON(t, tc.status)
			if it["service_sid"] != svcA || it["date_created"] != "2025-03-01T12:00:00Z" {
				t.Errorf("created %v", it)
			}
		})
	}

	t.Run("the pool's limit counts numbers and short codes", func(t *testing.T) {
		f := poolFake()
		e := start(t, f) // svcA: 2 numbers + 1 short code, limit 4
		e.must(attachNumber(svcA, pn(4))).okJSON(t, 201)
		e.must(form(http.MethodPost, shorts, url.Values{"ShortCodeSid": {sc(2)}})).twilioError(t, 400, twiliotest.CodePoolFull)
		if r := e.must(call{method: http.MethodDelete, target: numbers + "/" + pn(1)}); r.status != 204 || len(r.body) != 0 {
			t.Fatalf("detach: %d %s", r.status, r.body)
		}
		e.must(form(http.MethodPost, shorts, url.Values{"ShortCodeSid": {sc(2)}})).okJSON(t, 201)
		// The detached number is free again: another service may have it.
		e.must(attachNumber(svcC, pn(1))).okJSON(t, 201)
		e.must(call{method: http.MethodDelete, target: numbers + "/" + pn(1)}).twilioError(t, 404, twiliotest.CodeNotFound)
		if got := f.PoolSIDs(svcA); !slices.Equal(got, []string{ai(1), ai(2), pn(2), pn(4), sc(1), sc(2)}) {
			t.Errorf("PoolSIDs = %v", got)
		}
		if err := f.AttachNumber(svcA, pn(1)); err == nil || !strings.Contains(err.Error(), "21712") {
			t.Errorf("AttachNumber of another service's number: %v", err)
		}
		e.must(call{method: http.MethodDelete, target: "/v1/Services/" + svcC + "/PhoneNumbers/" + pn(1)})
		if err := f.AttachNumber(svcA, pn(1)); err == nil || !strings.Contains(err.Error(), "21714") {
			t.Errorf("AttachNumber past the limit: %v", err)
		}
		if err := f.AttachShortCode(svcC, sc(2)); err == nil || !strings.Contains(err.Error(), "21712") {
			t.Errorf("AttachShortCode of another service's short code: %v", err)
		}
	})
}

func TestAlphaSenderRules(t *testing.T) {
	alphas := "/v1/Services/" + svcC + "/AlphaSenders"
	dest := "/v1/Services/" + svcC + "/DestinationAlphaSenders"
	e := start(t, poolFake())
	a := e.must(form(http.MethodPost, alphas, url.Values{"AlphaSender": {"Acme Corp"}})).okJSON(t, 201)
	if a["alpha_sender"] != "Acme Corp" || !strings.HasPrefix(a["sid"].(string), "AI") || fmt.Sprint(a["capabilities"]) != "[SMS]" {
		t.Errorf("created %v", a)
	}
	if _, ok := a["iso_country_code"]; ok {
		t.Errorf("a global alpha sender has iso_country_code: %v", a)
	}
	e.must(form(http.MethodPost, alphas, url.Values{"AlphaSender": {"Acme Corp"}})).twilioError(t, 400, twiliotest.CodeAlreadyInService)
	e.must(form(http.MethodPost, alphas, url.Values{"AlphaSender": {"Other"}})).twilioError(t, 409, twiliotest.CodeConflict)
	d := e.must(form(http.MethodPost, dest, url.Values{"AlphaSender": {"Acme"}, "IsoCountryCode": {"FR"}})).okJSON(t, 201)
	if d["iso_country_code"] != "FR" {
		t.Errorf("created %v", d)
	}
	for _, bad := range []struct {
		name   string
		v      url.Values
		status int
		code   int
	}{
		{"US allows none", url.Values{"AlphaSender": {"Acme"}, "IsoCountryCode": {"US"}}, 400, twiliotest.CodeAlphaNotAllowed},
		{"a second one for FR", url.Values{"AlphaSender": {"Acme2"}, "IsoCountryCode": {"FR"}}, 409, twiliotest.CodeConflict},
		{"digits only", url.Values{"AlphaSender": {"12345"}, "IsoCountryCode": {"DE"}}, 400, twiliotest.CodeInvalidParameter},
		{"twelve characters", url.Values{"AlphaSender": {"AcmeAcmeAcme"}, "IsoCountryCode": {"DE"}}, 400, twiliotest.CodeInvalidParameter},
		{"a dot", url.Values{"AlphaSender": {"Acme.io"}, "IsoCountryCode": {"DE"}}, 400, twiliotest.CodeInvalidParameter},
		{"lower-case country", url.Values{"AlphaSender": {"Acme"}, "IsoCountryCode": {"de"}}, 400, twiliotest.CodeInvalidParameter},
		{"no AlphaSender", url.Values{"IsoCountryCode": {"DE"}}, 400, twiliotest.CodeInvalidParameter},
	} {
		t.Run(bad.name, func(t *testing.T) {
			e.must(form(http.MethodPost, dest, bad.v)).twilioError(t, bad.status, bad.code)
		})
	}
	// The spec's other characters are allowed.
	e.must(form(http.MethodPost, dest, url.Values{"AlphaSender": {"A-B+C_D&E"}, "IsoCountryCode": {"DE"}})).okJSON(t, 201)
	list := e.get(dest+"?IsoCountryCode=FR").okJSON(t, 200)
	if got := items(t, list, "alpha_senders"); len(got) != 1 || got[0]["sid"] != d["sid"] {
		t.Errorf("filtered by FR: %v", got)
	}
	if u := meta(t, list)["url"].(string); !strings.Contains(u, "IsoCountryCode=FR") {
		t.Errorf("meta.url %s lost the filter", u)
	}
	// Removed, an alpha sender is gone: its SID is not on the other list.
	sid := a["sid"].(string)
	e.get(dest+"/"+sid).twilioError(t, 404, twiliotest.CodeNotFound)
	if r := e.must(call{method: http.MethodDelete, target: alphas + "/" + sid}); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	e.get(alphas+"/"+sid).twilioError(t, 404, twiliotest.CodeNotFound)
	e.must(form(http.MethodPost, alphas, url.Values{"AlphaSender": {"Other"}})).okJSON(t, 201)
}

func TestUpdateService(t *testing.T) {
	e := start(t, poolFake())
	svc := "/v1/Services/" + svcA
	before := e.get(svc).okJSON(t, 200)
	if before["sticky_sender"] != true || before["us_app_to_person_registered"] != true || before["validity_period"] != float64(36000) {
		t.Fatalf("before: %v", before)
	}
	after := e.must(form(http.MethodPost, svc, url.Values{"StickySender": {"false"}, "ValidityPeriod": {"600"}})).okJSON(t, 200)
	for k, want := range map[string]any{"sticky_sender": false, "validity_period": float64(600), "date_updated": "2025-03-01T12:00:00Z"} {
		if after[k] != want {
			t.Errorf("%s = %v, want %v", k, after[k], want)
		}
	}
	// Only what the form names changes.
	for _, k := range []string{"area_code_geomatch", "smart_encoding", "mms_converter", "fallback_to_long_code", "friendly_name", "date_created", "usecase"} {
		if after[k] != before[k] {
			t.Errorf("%s changed from %v to %v", k, before[k], after[k])
		}
	}
	if again := e.get(svc).okJSON(t, 200); again["sticky_sender"] != false {
		t.Errorf("the update did not stay: %v", again["sticky_sender"])
	}
	for _, bad := range []url.Values{
		{"StickySender": {"maybe"}}, {"ValidityPeriod": {"0"}}, {"ValidityPeriod": {"36001"}},
		{"Usecase": {"spam"}}, {"FriendlyName": {strings.Repeat("x", 65)}},
	} {
		e.must(form(http.MethodPost, svc, bad)).twilioError(t, 400, twiliotest.CodeInvalidParameter)
	}
	// A refused update changes nothing, even its good parameters.
	e.must(form(http.MethodPost, svc, url.Values{"SmartEncoding": {"false"}, "ValidityPeriod": {"0"}})).twilioError(t, 400, twiliotest.CodeInvalidParameter)
	if got := e.get(svc).okJSON(t, 200)["smart_encoding"]; got != true {
		t.Errorf("smart_encoding = %v after a refused update", got)
	}
	e.must(form(http.MethodPost, "/v1/Services/"+svcX, url.Values{"StickySender": {"true"}})).twilioError(t, 404, twiliotest.CodeNotFound)
	e.must(call{method: http.MethodPost, target: svc, body: `{"StickySender":true}`, ctype: "application/json"}).twilioError(t, 400, twiliotest.CodeInvalidParameter)
}

func TestCampaign(t *testing.T) {
	e := start(t, poolFake())
	list := e.get("/v1/Services/"+svcA+"/Compliance/Usa2p").okJSON(t, 200)
	c := items(t, list, "compliance")
	if len(c) != 1 || c[0]["sid"] != qeA || c[0]["campaign_status"] != "VERIFIED" || c[0]["messaging_service_sid"] != svcA {
		t.Fatalf("campaigns %v", c)
	}
	if meta(t, list)["key"] != "compliance" {
		t.Errorf("meta %v", meta(t, list))
	}
	one := e.get("/v1/Services/"+svcA+"/Compliance/Usa2p/"+qeA).okJSON(t, 200)
	if one["brand_registration_sid"] != c[0]["brand_registration_sid"] || !strings.HasPrefix(one["brand_registration_sid"].(string), "BN") {
		t.Errorf("fetched %v", one)
	}
	if got := items(t, e.get("/v1/Services/"+svcB+"/Compliance/Usa2p").okJSON(t, 200), "compliance"); len(got) != 0 {
		t.Errorf("svcB has campaigns %v", got)
	}
	if e.get("/v1/Services/"+svcB).okJSON(t, 200)["us_app_to_person_registered"] != false {
		t.Error("svcB says it is A2P registered")
	}
	e.get("/v1/Services/"+svcB+"/Compliance/Usa2p/"+qeA).twilioError(t, 404, twiliotest.CodeNotFound)
	e.get("/v1/Services/"+svcA+"/Compliance/Usa2p/QE12").twilioError(t, 400, twiliotest.CodeInvalidParameter)
}

func TestAccountNumbers2010(t *testing.T) {
	f := poolFake()
	e := start(t, f)
	base := "/2010-04-01/Accounts/" + testAccount
	var sids []string
	next := base + "/IncomingPhoneNumbers.json?PageSize=4"
	var pages []map[string]any
	for next != "" {
		if !strings.HasPrefix(next, "/2010-04-01/") {
			t.Fatalf("next_page_uri %q is not relative to the host", next)
		}
		page := e.get(next).okJSON(t, 200)
		pages = append(pages, page)
		for _, it := range items(t, page, "incoming_phone_numbers") {
			sids = append(sids, it["sid"].(string))
		}
		next, _ = page["next_page_uri"].(string)
	}
	if want := []string{pn(1), pn(2), pn(3), pn(4), pn(5), pn(6)}; !slices.Equal(sids, want) {
		t.Errorf("listed %v, want %v", sids, want)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages", len(pages))
	}
	p0, p1 := pages[0], pages[1]
	if p0["page"] != 0.0 || p0["page_size"] != 4.0 || p0["start"] != 0.0 || p0["end"] != 3.0 || p0["previous_page_uri"] != nil {
		t.Errorf("first page's paging: %v", without(p0, "incoming_phone_numbers"))
	}
	if p1["page"] != 1.0 || p1["start"] != 4.0 || p1["end"] != 5.0 || p1["previous_page_uri"] == nil || p1["next_page_uri"] != nil {
		t.Errorf("second page's paging: %v", without(p1, "incoming_phone_numbers"))
	}
	if p0["first_page_uri"] != base+"/IncomingPhoneNumbers.json?PageSize=4&Page=0" || p0["uri"] != p0["first_page_uri"] {
		t.Errorf("uris: %v %v", p0["first_page_uri"], p0["uri"])
	}
	n := items(t, p0, "incoming_phone_numbers")[1]
	if n["date_created"] != "Sun, 30 Jul 2023 21:12:31 +0000" || n["type"] != "tollfree" || n["friendly_name"] != "(800) 555-0102" {
		t.Errorf("number %v", n)
	}
	if caps := n["capabilities"].(map[string]any); caps["sms"] != true || caps["mms"] != false || caps["voice"] != true || caps["fax"] != false {
		t.Errorf("capabilities %v", caps)
	}
	if n["uri"] != base+"/IncomingPhoneNumbers/"+pn(2)+".json" {
		t.Errorf("uri %v", n["uri"])
	}

	found := e.get(base+"/IncomingPhoneNumbers.json?PhoneNumber="+url.QueryEscape("+14155550104")).okJSON(t, 200)
	if got := items(t, found, "incoming_phone_numbers"); len(got) != 1 || got[0]["sid"] != pn(4) {
		t.Errorf("PhoneNumber filter: %v", got)
	}
	partial := e.get(base+"/IncomingPhoneNumbers.json?PhoneNumber=555010*").okJSON(t, 200)
	if got := items(t, partial, "incoming_phone_numbers"); len(got) != 5 {
		t.Errorf("partial filter matched %d", len(got))
	}
	if u := partial["uri"].(string); !strings.Contains(u, "PhoneNumber=555010%2A") {
		t.Errorf("uri %s lost the filter", u)
	}

	codes := e.get(base+"/SMS/ShortCodes.json").okJSON(t, 200)
	got := items(t, codes, "short_codes")
	if len(got) != 2 || got[0]["short_code"] != "12345" || got[0]["uri"] != base+"/SMS/ShortCodes/"+sc(1)+".json" {
		t.Errorf("short codes %v", got)
	}
	if one := e.get(base+"/SMS/ShortCodes.json?ShortCode=54321").okJSON(t, 200); len(items(t, one, "short_codes")) != 1 {
		t.Errorf("ShortCode filter: %v", one)
	}

	e.get("/2010-04-01/Accounts/ACffffffffffffffffffffffffffffffff/IncomingPhoneNumbers.json").twilioError(t, 404, twiliotest.CodeNotFound)
	e.get("/2010-04-01/Accounts/AC12/SMS/ShortCodes.json").twilioError(t, 400, twiliotest.CodeInvalidParameter)
	e.get(base+"/IncomingPhoneNumbers.json?PageSize=1001").twilioError(t, 400, twiliotest.CodeInvalidParameter)
	if n := f.Requests(twiliotest.RouteListIncomingPhoneNumbers); n != 6 {
		t.Errorf("%d IncomingPhoneNumbers requests counted", n)
	}
	if n := f.Requests(twiliotest.RouteListAccountShortCodes); n != 3 {
		t.Errorf("%d ShortCodes requests counted", n)
	}
}

func without(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// Every route has a name in fault scripts, a list-or-delete nature that
// FaultCase.Breaks reads, and the endless fault answers each list with
// its own key and paging.
func TestRoutesAndFaults(t *testing.T) {
	for _, r := range twiliotest.Routes() {
		if r == twiliotest.RouteNone {
			t.Fatal("RouteNone among Routes")
		}
	}
	e := start(t, twiliotest.Demo(twiliotest.DemoOptions{}))
	as := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	lists := []struct {
		route            twiliotest.Route
		target, key, nxt string
	}{
		{twiliotest.RouteListPhoneNumbers, "/v1/Services/" + twiliotest.DemoServiceNotifications + "/PhoneNumbers", "phone_numbers", "meta"},
		{twiliotest.RouteListShortCodes, "/v1/Services/" + twiliotest.DemoServiceNotifications + "/ShortCodes", "short_codes", "meta"},
		{twiliotest.RouteListAlphaSenders, "/v1/Services/" + twiliotest.DemoServiceNotifications + "/AlphaSenders", "alpha_senders", "meta"},
		{twiliotest.RouteListDestinationAlphaSenders, "/v1/Services/" + twiliotest.DemoServiceNotifications + "/DestinationAlphaSenders", "alpha_senders", "meta"},
		{twiliotest.RouteListUsAppToPerson, "/v1/Services/" + twiliotest.DemoServiceNotifications + "/Compliance/Usa2p", "compliance", "meta"},
		{twiliotest.RouteListIncomingPhoneNumbers, "/2010-04-01/Accounts/" + twiliotest.DemoAccountSID + "/IncomingPhoneNumbers.json", "incoming_phone_numbers", "uri"},
		{twiliotest.RouteListAccountShortCodes, "/2010-04-01/Accounts/" + twiliotest.DemoAccountSID + "/SMS/ShortCodes.json", "short_codes", "uri"},
	}
	for _, l := range lists {
		t.Run(string(l.route), func(t *testing.T) {
			if !l.route.IsList() || l.route.IsDelete() {
				t.Errorf("%s: IsList %v, IsDelete %v", l.route, l.route.IsList(), l.route.IsDelete())
			}
			e.fake.AddFault(l.route, twiliotest.Fault{Kind: twiliotest.FaultEndlessPages})
			page := e.must(as(call{target: l.target + "?PageSize=5"})).okJSON(t, 200)
			if len(items(t, page, l.key)) != 5 {
				t.Errorf("endless page %v", keys(page))
			}
			if l.nxt == "uri" && !strings.HasPrefix(fmt.Sprint(page["next_page_uri"]), "/2010-04-01/") {
				t.Errorf("next_page_uri %v", page["next_page_uri"])
			}
			if l.nxt == "meta" && !strings.HasPrefix(fmt.Sprint(meta(t, page)["next_page_url"]), "http") {
				t.Errorf("meta %v", meta(t, page))
			}
			e.fake.AddFault(l.route, twiliotest.Fault{Kind: twiliotest.FaultForeignNextPage})
			page = e.must(as(call{target: l.target})).okJSON(t, 200)
			next := fmt.Sprint(page["next_page_uri"])
			if l.nxt == "meta" {
				next = fmt.Sprint(meta(t, page)["next_page_url"])
			}
			if !strings.HasPrefix(next, twiliotest.ForeignBase+"/") {
				t.Errorf("foreign next page %q", next)
			}
		})
	}
	for _, r := range []twiliotest.Route{twiliotest.RouteDeletePhoneNumber, twiliotest.RouteDeleteShortCode, twiliotest.RouteDeleteAlphaSender, twiliotest.RouteDeleteDestinationAlphaSender, twiliotest.RouteDeleteChannelSender} {
		if !r.IsDelete() || r.IsList() {
			t.Errorf("%s is not a delete", r)
		}
	}
	got, err := twiliotest.ParseFaults("attach-number=400,account-numbers=503*,settings=html,country-alphas=endless")
	if err != nil || len(got[twiliotest.RouteCreatePhoneNumber]) != 1 || got[twiliotest.RouteListIncomingPhoneNumbers][0].Times != -1 ||
		got[twiliotest.RouteUpdateService][0].Kind != twiliotest.FaultHTML || got[twiliotest.RouteListDestinationAlphaSenders][0].Kind != twiliotest.FaultEndlessPages {
		t.Errorf("ParseFaults: %v %v", got, err)
	}
}

// The demo has what the issue asks of it, and its refusals are real.
func TestDemoPool(t *testing.T) {
	e := start(t, twiliotest.Demo(twiliotest.DemoOptions{Now: fixedTime}))
	as := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	get := func(target string) map[string]any { return e.must(as(call{target: target})).okJSON(t, 200) }
	n, m := "/v1/Services/"+twiliotest.DemoServiceNotifications, "/v1/Services/"+twiliotest.DemoServiceMarketing
	if get(n)["sticky_sender"] != true || get(m)["sticky_sender"] != false {
		t.Error("sticky sender should be on in Notifications, off in Marketing")
	}
	if get(n)["us_app_to_person_registered"] != true || len(items(t, get(m+"/Compliance/Usa2p"), "compliance")) != 0 {
		t.Error("the campaign should be on Notifications only")
	}
	var numbers []string
	for _, it := range items(t, get(n+"/PhoneNumbers"), "phone_numbers") {
		numbers = append(numbers, it["phone_number"].(string))
	}
	if want := []string{"+14155550142", "+12125550187", "+13125550163", "+18335550199"}; !slices.Equal(numbers, want) {
		t.Errorf("Notifications' numbers %v", numbers)
	}
	if got := items(t, get(m+"/PhoneNumbers"), "phone_numbers"); len(got) != 2 || got[0]["country_code"] != "GB" {
		t.Errorf("Marketing's numbers %v", got)
	}
	if got := items(t, get(m+"/ShortCodes"), "short_codes"); len(got) != 1 || got[0]["sid"] != twiliotest.DemoShortCode {
		t.Errorf("Marketing's short codes %v", got)
	}
	if got := items(t, get(n+"/AlphaSenders"), "alpha_senders"); len(got) != 1 || got[0]["alpha_sender"] != "Acme" {
		t.Errorf("alpha senders %v", got)
	}
	if got := items(t, get(n+"/DestinationAlphaSenders"), "alpha_senders"); len(got) != 1 || got[0]["iso_country_code"] != "DE" {
		t.Errorf("per-country alpha senders %v", got)
	}
	for _, p := range []string{"/PhoneNumbers", "/ShortCodes", "/AlphaSenders", "/DestinationAlphaSenders", "/ChannelSenders", "/Compliance/Usa2p"} {
		if got := get("/v1/Services/" + twiliotest.DemoServiceSandbox + p); len(got) != 2 {
			t.Errorf("Sandbox %s: %v", p, got)
		}
	}
	account := "/2010-04-01/Accounts/" + twiliotest.DemoAccountSID
	if got := items(t, get(account+"/IncomingPhoneNumbers.json"), "incoming_phone_numbers"); len(got) != 10 {
		t.Errorf("%d account numbers", len(got))
	}
	if got := items(t, get(account+"/SMS/ShortCodes.json"), "short_codes"); len(got) != 3 {
		t.Errorf("%d account short codes", len(got))
	}
	attach := func(mg, sid string) call {
		return as(form(http.MethodPost, "/v1/Services/"+mg+"/PhoneNumbers", url.Values{"PhoneNumberSid": {sid}}))
	}
	e.must(attach(twiliotest.DemoServiceNotifications, twiliotest.DemoNumberUK)).twilioError(t, 400, twiliotest.CodeInAnotherService)
	e.must(attach(twiliotest.DemoServiceNotifications, twiliotest.DemoFreeNumberVoiceOnly)).twilioError(t, 400, twiliotest.CodeNotSMSCapable)
	e.must(attach(twiliotest.DemoServiceNotifications, twiliotest.DemoFreeNumberIreland)).twilioError(t, 400, twiliotest.CodeRegionMismatch)
	e.must(attach(twiliotest.DemoServiceNotifications, twiliotest.DemoUnknownNumber)).twilioError(t, 400, twiliotest.CodeInvalidPoolSID)
	e.must(attach(twiliotest.DemoServiceSandbox, twiliotest.DemoFreeNumberUS)).okJSON(t, 201)
	e.must(as(form(http.MethodPost, "/v1/Services/"+twiliotest.DemoServiceSandbox+"/DestinationAlphaSenders",
		url.Values{"AlphaSender": {"Acme"}, "IsoCountryCode": {"US"}}))).twilioError(t, 400, twiliotest.CodeAlphaNotAllowed)
}

func TestDemoGrowsThePool(t *testing.T) {
	f := twiliotest.Demo(twiliotest.DemoOptions{Numbers: 1500, ShortCodes: 20})
	e := start(t, f)
	as := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	n := 0
	seen := map[string]bool{}
	for next := "/v1/Services/" + twiliotest.DemoServiceNotifications + "/PhoneNumbers?PageSize=1000"; next != ""; {
		page := e.must(as(call{target: next})).okJSON(t, 200)
		for _, it := range items(t, page, "phone_numbers") {
			if seen[it["phone_number"].(string)] {
				t.Fatalf("number %v twice", it["phone_number"])
			}
			seen[it["phone_number"].(string)] = true
			n++
		}
		next, _ = meta(t, page)["next_page_url"].(string)
	}
	if n != 1500 {
		t.Errorf("%d numbers", n)
	}
	codes := items(t, e.must(as(call{target: "/v1/Services/" + twiliotest.DemoServiceNotifications + "/ShortCodes?PageSize=1000"})).okJSON(t, 200), "short_codes")
	if len(codes) != 20 {
		t.Errorf("%d short codes", len(codes))
	}
	if a, b := twiliotest.GenerateNumbers(1, 50, time.Time{}), twiliotest.GenerateNumbers(1, 50, time.Time{}); !slices.Equal(numbersOf(a), numbersOf(b)) {
		t.Error("GenerateNumbers is not deterministic")
	}
}

func numbersOf(list []twiliotest.NumberSeed) []string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = n.SID + n.PhoneNumber
	}
	return out
}

func TestSeedsThatCannotBe(t *testing.T) {
	cases := []struct {
		name string
		seed func(f *twiliotest.Fake)
	}{
		{"unknown number", func(f *twiliotest.Fake) {
			f.AddService(twiliotest.ServiceSeed{SID: svcA, PhoneNumbers: []string{pn(9)}})
		}},
		{"a number in two services", func(f *twiliotest.Fake) {
			f.AddNumber(twiliotest.NumberSeed{SID: pn(1), PhoneNumber: "+14155550100"})
			f.AddService(twiliotest.ServiceSeed{SID: svcA, PhoneNumbers: []string{pn(1)}})
			f.AddService(twiliotest.ServiceSeed{SID: svcB, PhoneNumbers: []string{pn(1)}})
		}},
		{"past the limit", func(f *twiliotest.Fake) {
			f.AddNumber(twiliotest.NumberSeed{SID: pn(1), PhoneNumber: "+14155550100"})
			f.AddNumber(twiliotest.NumberSeed{SID: pn(2), PhoneNumber: "+14155550101"})
			f.AddService(twiliotest.ServiceSeed{SID: svcA, PoolLimit: 1, PhoneNumbers: []string{pn(1), pn(2)}})
		}},
		{"two alpha senders for every country", func(f *twiliotest.Fake) {
			f.AddService(twiliotest.ServiceSeed{SID: svcA, Alphas: []twiliotest.AlphaSeed{{SID: ai(1), AlphaSender: "A"}, {SID: ai(2), AlphaSender: "B"}}})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.seed(newFake())
		})
	}
}

// The hostile pool comes back byte for byte: the fake passes outside text
// on untouched, for the layers above to make safe.
func TestHostilePool(t *testing.T) {
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	h := f.AddHostile()
	p := f.AddHostilePool(h)
	e := start(t, f)
	as := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	get := func(target string) map[string]any { return e.must(as(call{target: target})).okJSON(t, 200) }
	values := twiliotest.HostileValues()
	svc := "/v1/Services/" + h.Service
	numbers := items(t, get(svc+"/PhoneNumbers?PageSize=1000"), "phone_numbers")
	if len(numbers) != len(values)+1 {
		t.Fatalf("%d numbers", len(numbers))
	}
	seen := map[string]bool{}
	for _, n := range numbers {
		seen[n["phone_number"].(string)] = true
	}
	for _, v := range values {
		// JSON cannot carry invalid UTF-8: each bad byte arrives as U+FFFD.
		var want string
		b, _ := json.Marshal("+1415" + v)
		_ = json.Unmarshal(b, &want)
		if !seen[want] {
			t.Errorf("number +1415%q did not come back as it was", v[:min(len(v), 20)])
		}
	}
	if got := items(t, get(svc+"/ShortCodes?PageSize=1000"), "short_codes"); len(got) != len(values) {
		t.Errorf("%d short codes", len(got))
	}
	if got := items(t, get(svc+"/AlphaSenders"), "alpha_senders"); len(got) != 1 || got[0]["alpha_sender"] != "Acme"+values[0] {
		t.Errorf("alpha senders %v", got)
	}
	if got := items(t, get(svc+"/DestinationAlphaSenders?PageSize=1000"), "alpha_senders"); len(got) != len(values)-1 {
		t.Errorf("%d per-country alpha senders", len(got))
	}
	account := items(t, get("/2010-04-01/Accounts/"+twiliotest.DemoAccountSID+"/IncomingPhoneNumbers.json?PageSize=1000"), "incoming_phone_numbers")
	if len(account) != 10+2*len(values)+1 {
		t.Errorf("%d account numbers", len(account))
	}
	if len(p.FreeNumbers) != len(values) || p.BadNumber == "" || len(f.PoolSIDs(h.Service)) != len(h.Senders)+1+len(values)*3+1 {
		t.Errorf("%+v", f.PoolSIDs(h.Service))
	}
}
