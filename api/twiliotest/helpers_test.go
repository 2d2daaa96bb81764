package twiliotest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

const (
	testAccount = "AC0123456789abcdef0123456789abcdef"
	testToken   = "test-auth-token"
	testKey     = "SK0123456789abcdef0123456789abcdef"
	testSecret  = "test-key-secret"

	svcA = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
	svcB = "MGbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"
	svcC = "MGccccccccccccccccccccccccccccccc3" // exists, empty
	svcX = "MGfffffffffffffffffffffffffffffff9" // well-formed, unknown
)

var (
	seedTime  = time.Date(2023, 7, 30, 20, 12, 31, 0, time.UTC)
	fixedNow  = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	fixedTime = func() time.Time { return fixedNow }
)

// xe returns a valid XE SID numbered i.
func xe(i int) string { return fmt.Sprintf("XE%032x", i) }

func newFake() *twiliotest.Fake {
	return twiliotest.New(twiliotest.Options{
		Account: twiliotest.Account{SID: testAccount, AuthToken: testToken, APIKeys: map[string]string{testKey: testSecret}},
		Now:     fixedTime,
	})
}

// smallFake: svcA has senders 1–3, svcB has 4, svcC is empty; 5 (WhatsApp,
// OFFLINE) and 6 (RCS) are attached nowhere; 7 is Messenger, attached
// nowhere.
func smallFake() *twiliotest.Fake {
	f := newFake()
	seeds := []twiliotest.SenderSeed{
		{SID: xe(1), Sender: "whatsapp:+14155550100", SenderType: "WhatsApp", CountryCode: "US", Status: "ONLINE", ProfileName: "One"},
		{SID: xe(2), Sender: "messenger:104794531907950", SenderType: "Messanger", CountryCode: "US", Status: "ONLINE"},
		{SID: xe(3), Sender: "rcs:acme_agent", SenderType: "", Status: "ONLINE", ProfileName: "Acme"},
		{SID: xe(4), Sender: "whatsapp:+447700900123", SenderType: "whatsapp", CountryCode: "GB", Status: "ONLINE"},
		{SID: xe(5), Sender: "whatsapp:+14155550123", SenderType: "WhatsApp", CountryCode: "US", Status: "OFFLINE", ProfileName: "Five"},
		{SID: xe(6), Sender: "rcs:acme_support_agent", SenderType: "RCS", CountryCode: "US", Status: "ONLINE"},
		{SID: xe(7), Sender: "messenger:109999999999999", SenderType: "Messenger", CountryCode: "US", Status: "ONLINE"},
	}
	for i, s := range seeds {
		s.Created = seedTime.Add(time.Duration(i) * time.Hour)
		f.AddSender(s)
	}
	f.AddService(twiliotest.ServiceSeed{SID: svcA, FriendlyName: "A", Created: seedTime, StickySender: true, Attached: []string{xe(1), xe(2), xe(3)}})
	f.AddService(twiliotest.ServiceSeed{SID: svcB, FriendlyName: "B", Created: seedTime.Add(time.Minute), Attached: []string{xe(4)}})
	f.AddService(twiliotest.ServiceSeed{SID: svcC, FriendlyName: "C", Created: seedTime.Add(2 * time.Minute)})
	return f
}

// env is a fake served over real HTTP with a private client.
type env struct {
	t      *testing.T
	fake   *twiliotest.Fake
	srv    *twiliotest.Server
	client *http.Client
}

func start(t *testing.T, f *twiliotest.Fake) *env {
	t.Helper()
	srv := twiliotest.Serve(t, f)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections) // cleanups run last first: before the server closes
	return &env{t: t, fake: f, srv: srv, client: &http.Client{Transport: tr}}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("reply is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// twilioError checks that r is a Twilio error with this status and code.
func (r reply) twilioError(t *testing.T, status, code int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type = %q, want application/json", ct)
	}
	m := r.json(t)
	if len(m) != 4 {
		t.Errorf("error body keys = %v, want code, message, more_info, status", keys(m))
	}
	if got := int(m["code"].(float64)); got != code {
		t.Errorf("code = %d, want %d (%v)", got, code, m["message"])
	}
	if got := int(m["status"].(float64)); got != status {
		t.Errorf("body status = %d, want %d", got, status)
	}
	if got, want := m["more_info"], fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code); got != want {
		t.Errorf("more_info = %v, want %s", got, want)
	}
	if msg, _ := m["message"].(string); msg == "" {
		t.Errorf("empty message")
	}
	return m
}

type call struct {
	method, target string // target: a path with query, or an absolute URL
	body, ctype    string
	user, pass     string // "" user: the account's SID and token
	noAuth         bool
	ctx            context.Context
}

func (e *env) do(c call) (reply, error) {
	target := c.target
	if !strings.HasPrefix(target, "http") {
		target = e.srv.URL + target
	}
	if c.method == "" {
		c.method = http.MethodGet
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, target, body)
	if err != nil {
		return reply{}, err
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	req.Header.Set("User-Agent", "twiliotest-test/1")
	if !c.noAuth {
		user, pass := c.user, c.pass
		if user == "" {
			user, pass = testAccount, testToken
		}
		req.SetBasicAuth(user, pass)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, err
}

func (e *env) must(c call) reply {
	e.t.Helper()
	r, err := e.do(c)
	if err != nil {
		e.t.Fatalf("%s %s: %v", c.method, c.target, err)
	}
	return r
}

func (e *env) get(target string) reply { return e.must(call{target: target}) }

// okJSON checks a successful JSON reply and decodes it.
func (r reply) okJSON(t *testing.T, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	return r.json(t)
}

// attachTo is POST /v1/Services/{mg}/ChannelSenders with a form Sid=sid.
func attachTo(mg, sid string) call {
	return call{method: http.MethodPost, target: "/v1/Services/" + mg + "/ChannelSenders",
		body: url.Values{"Sid": {sid}}.Encode(), ctype: "application/x-www-form-urlencoded"}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func items(t *testing.T, page map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := page[key].([]any)
	if !ok {
		t.Fatalf("page has no %q array: %v", key, keys(page))
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

func meta(t *testing.T, page map[string]any) map[string]any {
	t.Helper()
	m, ok := page["meta"].(map[string]any)
	if !ok {
		t.Fatalf("page has no meta: %v", keys(page))
	}
	return m
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// within fails the test if fn does not return before a generous deadline.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return", what)
	}
}
