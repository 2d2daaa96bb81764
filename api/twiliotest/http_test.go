package twiliotest_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestAuth(t *testing.T) {
	e := start(t, smallFake())
	cases := []struct {
		name       string
		c          call
		wantStatus int
	}{
		{"account SID and token", call{user: testAccount, pass: testToken}, 200},
		{"API key and secret", call{user: testKey, pass: testSecret}, 200},
		{"wrong token", call{user: testAccount, pass: "nope"}, 401},
		{"API key with the account token", call{user: testKey, pass: testToken}, 401},
		{"account SID with the key secret", call{user: testAccount, pass: testSecret}, 401},
		{"unknown user", call{user: "ACffffffffffffffffffffffffffffffff", pass: testToken}, 401},
		{"empty password", call{user: testAccount, pass: ""}, 401},
		{"no credentials", call{noAuth: true}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.c.target = "/v1/Services"
			r := e.must(c.c)
			if c.wantStatus == 200 {
				r.okJSON(t, 200)
				return
			}
			m := r.twilioError(t, 401, twiliotest.CodeAuthenticate)
			if m["message"] != "Authenticate" {
				t.Errorf("message = %v", m["message"])
			}
			if r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("no WWW-Authenticate header")
			}
		})
	}
}

func TestMalformedSIDs(t *testing.T) {
	e := start(t, smallFake())
	cases := []struct {
		name string
		c    call
	}{
		{"short MG", call{target: "/v1/Services/MG123"}},
		{"non-hex MG", call{target: "/v1/Services/MGzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"}},
		{"XE where MG belongs", call{target: "/v1/Services/" + xe(1)}},
		{"bad MG in list", call{target: "/v1/Services/MGnope/ChannelSenders"}},
		{"bad XE in fetch", call{target: "/v1/Services/" + svcA + "/ChannelSenders/XE12"}},
		{"MG where XE belongs", call{target: "/v1/Services/" + svcA + "/ChannelSenders/" + svcB}},
		{"bad XE in delete", call{method: http.MethodDelete, target: "/v1/Services/" + svcA + "/ChannelSenders/XEnot"}},
		{"bad Sid in attach", attachTo(svcA, "XE-not-a-sid")},
		{"MG as Sid in attach", attachTo(svcA, svcB)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.must(c.c).twilioError(t, 400, twiliotest.CodeInvalidParameter)
		})
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	e := start(t, smallFake())
	m := e.get("/v1/Services/"+svcX).twilioError(t, 404, twiliotest.CodeNotFound)
	if want := "The requested resource /v1/Services/" + svcX + " was not found"; m["message"] != want {
		t.Errorf("message = %q, want %q", m["message"], want)
	}
	e.get("/v1/Services/"+svcX+"/ChannelSenders").twilioError(t, 404, twiliotest.CodeNotFound)
	e.get("/v1/Services/"+svcA+"/ChannelSenders/"+xe(4)).twilioError(t, 404, twiliotest.CodeNotFound) // on svcB
	e.get("/v1/Services/"+svcA+"/ChannelSenders/"+xe(99)).twilioError(t, 404, twiliotest.CodeNotFound)
	for _, p := range []string{"/", "/v1", "/v1/Nope", "/v3/Services", "/v2/Channels/Senders/extra", "/v1/Services/" + svcA + "/Messages",
		"/v1/Services/" + svcA + "/Compliance", "/v1/Services/" + svcA + "/Compliance/Usa2p/Usecases/x",
		"/2010-04-01/Accounts/" + testAccount + "/Calls.json", "/2010-04-01/Accounts/" + testAccount} {
		e.get(p).twilioError(t, 404, twiliotest.CodeNotFound)
	}
	for _, c := range []call{
		{method: http.MethodPost, target: "/v1/Services"},
		{method: http.MethodDelete, target: "/v1/Services/" + svcA},
		{method: http.MethodPut, target: "/v1/Services/" + svcA + "/ChannelSenders"},
		{method: http.MethodPost, target: "/v1/Services/" + svcA + "/ChannelSenders/" + xe(1)},
		{method: http.MethodPost, target: "/v2/Channels/Senders?Channel=rcs"},
	} {
		r := e.must(c)
		r.twilioError(t, 405, twiliotest.CodeMethodNotAllowed)
		if r.header.Get("Allow") == "" {
			t.Errorf("%s %s: no Allow header", c.method, c.target)
		}
	}
}

func TestFetch(t *testing.T) {
	e := start(t, smallFake())
	svc := e.get("/v1/Services/"+svcA).okJSON(t, 200)
	if svc["sid"] != svcA || svc["friendly_name"] != "A" || svc["account_sid"] != testAccount || svc["sticky_sender"] != true {
		t.Errorf("service = %v", svc)
	}
	if svc["date_created"] != "2023-07-30T20:12:31Z" {
		t.Errorf("date_created = %v", svc["date_created"])
	}
	links := svc["links"].(map[string]any)
	if links["channel_senders"] != e.srv.URL+"/v1/Services/"+svcA+"/ChannelSenders" {
		t.Errorf("links = %v", links)
	}
	s := e.get("/v1/Services/"+svcA+"/ChannelSenders/"+xe(3)).okJSON(t, 200)
	if s["sender_type"] != nil {
		t.Errorf("empty sender_type should be null, got %v", s["sender_type"])
	}
	if s["country_code"] != nil {
		t.Errorf("empty country_code should be null, got %v", s["country_code"])
	}
	if s["messaging_service_sid"] != svcA || s["url"] != e.srv.URL+"/v1/Services/"+svcA+"/ChannelSenders/"+xe(3) {
		t.Errorf("sender = %v", s)
	}
}

func TestAttachDetach(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	list := "/v1/Services/" + svcA + "/ChannelSenders"
	post := func(c call) reply { c.target = list; return e.must(c) }

	s := post(attachTo(svcA, xe(5))).okJSON(t, 201)
	if s["sid"] != xe(5) || s["messaging_service_sid"] != svcA || s["sender"] != "whatsapp:+14155550123" {
		t.Errorf("created = %v", s)
	}
	if s["date_created"] != "2025-03-01T12:00:00Z" || s["date_updated"] != "2025-03-01T12:00:00Z" {
		t.Errorf("attach time = %v / %v, want the fake clock", s["date_created"], s["date_updated"])
	}
	if got := f.AttachedSIDs(svcA); !slices.Equal(got, []string{xe(1), xe(2), xe(3), xe(5)}) {
		t.Errorf("AttachedSIDs = %v", got)
	}
	page := e.get(list).okJSON(t, 200)
	if got := items(t, page, "senders"); len(got) != 4 || got[3]["sid"] != xe(5) {
		t.Errorf("list after attach: %v", got)
	}

	m := post(attachTo(svcA, xe(5))).twilioError(t, 409, twiliotest.CodeConflict)
	if !strings.Contains(m["message"].(string), "is already attached to this Messaging Service") {
		t.Errorf("duplicate message = %q", m["message"])
	}
	m = post(attachTo(svcA, xe(4))).twilioError(t, 409, twiliotest.CodeConflict)
	if !strings.Contains(m["message"].(string), svcB) {
		t.Errorf("attached-elsewhere message does not name %s: %q", svcB, m["message"])
	}
	post(attachTo(svcA, xe(42))).twilioError(t, 404, twiliotest.CodeNotFound)
	post(call{method: http.MethodPost, body: "", ctype: "application/x-www-form-urlencoded"}).twilioError(t, 400, twiliotest.CodeInvalidParameter)
	m = post(call{method: http.MethodPost, body: `{"Sid":"` + xe(6) + `"}`, ctype: "application/json"}).twilioError(t, 400, twiliotest.CodeInvalidParameter)
	if !strings.Contains(m["message"].(string), "Sid") {
		t.Errorf("JSON body message = %q", m["message"])
	}
	if slices.Contains(f.AttachedSIDs(svcA), xe(6)) {
		t.Errorf("JSON body attached the sender")
	}
	e.must(call{method: http.MethodPost, target: "/v1/Services/" + svcX + "/ChannelSenders", body: "Sid=" + xe(6), ctype: "application/x-www-form-urlencoded"}).
		twilioError(t, 404, twiliotest.CodeNotFound)

	r := e.must(call{method: http.MethodDelete, target: list + "/" + xe(5)})
	if r.status != 204 || len(r.body) != 0 {
		t.Errorf("delete: %d %q", r.status, r.body)
	}
	if slices.Contains(f.AttachedSIDs(svcA), xe(5)) {
		t.Errorf("still attached after DELETE")
	}
	e.must(call{method: http.MethodDelete, target: list + "/" + xe(5)}).twilioError(t, 404, twiliotest.CodeNotFound)
	// Once free, it can go to another service.
	e.must(attachTo(svcC, xe(5))).okJSON(t, 201)
}

func TestAttachDetachDirect(t *testing.T) {
	f := smallFake()
	cases := []struct {
		name    string
		op      func() error
		status  int
		success bool
	}{
		{"attach free sender", func() error { return f.Attach(svcC, xe(6)) }, 0, true},
		{"attach again", func() error { return f.Attach(svcC, xe(6)) }, 409, false},
		{"attach attached elsewhere", func() error { return f.Attach(svcC, xe(1)) }, 409, false},
		{"attach unknown sender", func() error { return f.Attach(svcC, xe(77)) }, 404, false},
		{"attach to unknown service", func() error { return f.Attach(svcX, xe(7)) }, 404, false},
		{"attach malformed", func() error { return f.Attach(svcC, "XE1") }, 400, false},
		{"detach", func() error { return f.Detach(svcC, xe(6)) }, 0, true},
		{"detach again", func() error { return f.Detach(svcC, xe(6)) }, 404, false},
	}
	for _, c := range cases {
		err := c.op()
		if c.success {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var te *twiliotest.Error
		if !errors.As(err, &te) || te.Status != c.status {
			t.Errorf("%s: err = %v, want *Error with status %d", c.name, err, c.status)
		}
	}
	if got := f.AttachedSIDs(svcC); len(got) != 0 {
		t.Errorf("svcC = %v", got)
	}
	if got := f.ServiceSIDs(); !slices.Equal(got, []string{svcA, svcB, svcC}) {
		t.Errorf("ServiceSIDs = %v", got)
	}
	if f.AttachedSIDs(svcX) != nil {
		t.Errorf("unknown service has attached SIDs")
	}
}

func TestAccountSenders(t *testing.T) {
	e := start(t, smallFake())
	for _, q := range []string{"", "?Channel=", "?Channel=sms", "?Channel=messenger", "?Channel=WhatsApp"} {
		m := e.get("/v2/Channels/Senders"+q).twilioError(t, 400, twiliotest.CodeInvalidParameter)
		if !strings.Contains(m["message"].(string), "Channel") {
			t.Errorf("%s: message %q", q, m["message"])
		}
	}
	cases := []struct {
		channel string
		want    []string
	}{
		{"whatsapp", []string{xe(1), xe(4), xe(5)}},
		{"rcs", []string{xe(3), xe(6)}},
	}
	for _, c := range cases {
		page := e.get("/v2/Channels/Senders?Channel="+c.channel).okJSON(t, 200)
		got := items(t, page, "senders")
		var sids []string
		for _, s := range got {
			sids = append(sids, s["sid"].(string))
			if !strings.HasPrefix(s["sender_id"].(string), c.channel+":") {
				t.Errorf("%s lists %v", c.channel, s["sender_id"])
			}
			if s["url"] != e.srv.URL+"/v2/Channels/Senders/"+s["sid"].(string) {
				t.Errorf("url = %v", s["url"])
			}
			offline := s["status"] == "OFFLINE"
			reasons, _ := s["offline_reasons"].([]any)
			if offline != (len(reasons) > 0) {
				t.Errorf("%v: status %v with offline_reasons %v", s["sid"], s["status"], s["offline_reasons"])
			}
		}
		if !slices.Equal(sids, c.want) {
			t.Errorf("%s senders = %v, want %v", c.channel, sids, c.want)
		}
	}
	page := e.get("/v2/Channels/Senders?Channel=whatsapp").okJSON(t, 200)
	first := items(t, page, "senders")[0]
	if p := first["profile"].(map[string]any); p["name"] != "One" {
		t.Errorf("profile = %v", p)
	}
}

func TestRequestCountingAndRecords(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	e.get("/v1/Services")
	e.get("/v1/Services")
	e.get("/v1/Services/" + svcA)
	e.must(call{target: "/v1/Services", user: testAccount, pass: "wrong"})
	e.must(attachTo(svcA, xe(5)))
	e.get("/nowhere")
	e.get("/v2/Channels/Senders?Channel=rcs")
	want := map[twiliotest.Route]int{
		twiliotest.RouteListServices:        3,
		twiliotest.RouteFetchService:        1,
		twiliotest.RouteCreateChannelSender: 1,
		twiliotest.RouteListAccountSenders:  1,
		twiliotest.RouteListChannelSenders:  0,
		twiliotest.RouteNone:                1,
	}
	for route, n := range want {
		if got := f.Requests(route); got != n {
			t.Errorf("Requests(%q) = %d, want %d", route, got, n)
		}
	}
	if got := f.TotalRequests(); got != 7 {
		t.Errorf("TotalRequests = %d, want 7", got)
	}
	recs := f.Records()
	if len(recs) != 7 {
		t.Fatalf("records = %d", len(recs))
	}
	post := recs[4]
	if post.Method != "POST" || post.Route != twiliotest.RouteCreateChannelSender || post.Body != "Sid="+xe(5) ||
		post.ContentType != "application/x-www-form-urlencoded" || post.AuthUser != testAccount ||
		post.UserAgent != "twiliotest-test/1" || post.Path != "/v1/Services/"+svcA+"/ChannelSenders" {
		t.Errorf("POST record = %+v", post)
	}
	if recs[6].RawQuery != "Channel=rcs" {
		t.Errorf("RawQuery = %q", recs[6].RawQuery)
	}
	for _, r := range recs {
		if strings.Contains(r.Body+r.RawQuery+r.AuthUser+r.Path, testToken) || strings.Contains(r.AuthUser, "wrong") {
			t.Errorf("a record holds a password: %+v", r)
		}
	}
	recs[0].Path = "changed"
	if f.Records()[0].Path == "changed" {
		t.Errorf("Records is not a copy")
	}
}

func TestConnections(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	for range 3 {
		e.get("/v1/Services")
	}
	if got := f.Connections(); got != 1 {
		t.Errorf("keep-alive client: Connections = %d, want 1", got)
	}
	e.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 3 {
		e.get("/v1/Services")
	}
	if got := f.Connections(); got != 4 {
		t.Errorf("after 3 requests without keep-alive: Connections = %d, want 4", got)
	}
}

// ServeHTTP works without Start, e.g. with httptest.
func TestServeHTTPDirect(t *testing.T) {
	f := smallFake()
	req := httptest.NewRequest(http.MethodGet, "https://messaging.example.test/v1/Services/"+svcA, nil)
	req.SetBasicAuth(testKey, testSecret)
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"url":"https://messaging.example.test/v1/Services/`+svcA+`"`) {
		t.Errorf("direct: %d %s", rec.Code, rec.Body)
	}
}

func TestZeroOptionsServeTheDemoAccount(t *testing.T) {
	f := twiliotest.New(twiliotest.Options{})
	e := start(t, f)
	e.must(call{target: "/v1/Services", user: twiliotest.DemoAccountSID, pass: twiliotest.DemoAuthToken}).okJSON(t, 200)
	e.must(call{target: "/v1/Services", user: twiliotest.DemoAPIKeySID, pass: twiliotest.DemoAPIKeySecret}).okJSON(t, 200)
}

// Many clients attaching, detaching and listing at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	f, sids := bigFake(200)
	for i := range 50 {
		f.AddSender(twiliotest.SenderSeed{SID: xe(1000 + i), Sender: "rcs:free_" + xe(i)[30:], SenderType: "RCS", Created: seedTime})
	}
	f.AddService(twiliotest.ServiceSeed{SID: svcB, FriendlyName: "B", Created: seedTime})
	e := start(t, f)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := range 5 {
		wg.Go(func() {
			for i := w * 10; i < w*10+10; i++ {
				if _, err := e.do(attachTo(svcB, xe(1000+i))); err != nil {
					errs <- err
				}
				if err := f.Detach(svcA, sids[i]); err != nil {
					errs <- err
				}
				if _, err := e.do(call{target: "/v1/Services/" + svcA + "/ChannelSenders?PageSize=7"}); err != nil {
					errs <- err
				}
				f.Requests(twiliotest.RouteListChannelSenders)
				f.Records()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(f.AttachedSIDs(svcA)); got != 150 {
		t.Errorf("svcA has %d senders, want 150", got)
	}
}
