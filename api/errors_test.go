package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestErrorShapesFromTheFake(t *testing.T) {
	one := api.RetryPolicy{MaxAttempts: 1} // shapes, not retries
	tests := []struct {
		name    string
		route   twiliotest.Route
		fault   twiliotest.Fault
		call    func(context.Context, *api.Client) error
		status  int    // 0: not an *api.Error
		code    int    // Twilio code when status != 0
		badResp bool   // wraps ErrBadResponse
		want    string // in the error string
	}{
		{"twilio 404", twiliotest.RouteFetchService,
			twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 404, Code: 20404, Message: "The requested resource was not found"},
			fetchService, 404, 20404, false, "The requested resource was not found (HTTP 404, Twilio error 20404): https://www.twilio.com/docs/errors/20404"},
		{"twilio 400 on attach", twiliotest.RouteCreateChannelSender,
			twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21710, Message: "Sender cannot be added"},
			attachFree, 400, 21710, false, "Sender cannot be added"},
		{"twilio 500", twiliotest.RouteListChannelSenders,
			twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Code: 20500, Message: "Internal Server Error"},
			listSenders, 500, 20500, false, "Internal Server Error"},
		{"twilio 503 on detach", twiliotest.RouteDeleteChannelSender,
			twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503, Code: 20503},
			detachFirst, 503, 20503, false, "Service Unavailable"},
		{"html from a proxy", twiliotest.RouteFetchService,
			twiliotest.Fault{Kind: twiliotest.FaultHTML, Status: 502},
			fetchService, 502, 0, false, "unexpected text/html response from 127.0.0.1:"},
		{"html 504 on a list", twiliotest.RouteListAccountSenders,
			twiliotest.Fault{Kind: twiliotest.FaultHTML, Status: 504, Message: "upstream timed out"},
			listCatalogue, 504, 0, false, "(HTTP 504): 504 Gateway Timeout"},
		{"html with 200", twiliotest.RouteFetchService,
			twiliotest.Fault{Kind: twiliotest.FaultHTML, Status: 200},
			fetchService, 0, 0, true, "unexpected text/html response"},
		{"malformed json 200", twiliotest.RouteFetchService,
			twiliotest.Fault{Kind: twiliotest.FaultMalformedJSON},
			fetchService, 0, 0, true, "not the expected JSON"},
		{"malformed json page", twiliotest.RouteListChannelSenders,
			twiliotest.Fault{Kind: twiliotest.FaultMalformedJSON},
			listSenders, 0, 0, true, "not the expected JSON"},
		{"malformed json 201", twiliotest.RouteCreateChannelSender,
			twiliotest.Fault{Kind: twiliotest.FaultMalformedJSON},
			attachFree, 0, 0, true, "not the expected JSON"},
		{"empty 200", twiliotest.RouteFetchChannelSender,
			twiliotest.Fault{Kind: twiliotest.FaultEmptyBody},
			fetchSender, 0, 0, true, "empty body"},
		{"empty page", twiliotest.RouteListServices,
			twiliotest.Fault{Kind: twiliotest.FaultEmptyBody},
			listServices, 0, 0, true, "empty body"},
		{"dropped connection", twiliotest.RouteFetchService,
			twiliotest.Fault{Kind: twiliotest.FaultDrop},
			fetchService, 0, 0, false, "EOF"},
		{"dropped mid-body", twiliotest.RouteListChannelSenders,
			twiliotest.Fault{Kind: twiliotest.FaultDropMidBody},
			listSenders, 0, 0, false, "unexpected EOF"},
		{"attach dropped after sending", twiliotest.RouteCreateChannelSender,
			twiliotest.Fault{Kind: twiliotest.FaultDrop},
			attachFree, 0, 0, false, "may have taken effect"},
		{"attach answer cut off", twiliotest.RouteCreateChannelSender,
			twiliotest.Fault{Kind: twiliotest.FaultDropMidBody},
			attachFree, 0, 0, false, "probably taken effect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 3, fixtureOpts{retry: one})
			f.fake.AddFault(tt.route, tt.fault)
			err := tt.call(t.Context(), f.client)
			if err == nil {
				t.Fatal("no error")
			}
			noSecret(t, err.Error())
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%q lacks %q", err, tt.want)
			}
			if strings.Count(err.Error(), "(HTTP ") > 1 {
				t.Errorf("%q repeats the status", err)
			}
			if errors.Is(err, api.ErrBadResponse) != tt.badResp {
				t.Errorf("errors.Is(ErrBadResponse) = %v, want %v: %v", !tt.badResp, tt.badResp, err)
			}
			rec := f.fake.Records()[0]
			apiErr, ok := api.AsError(err)
			if ok != (tt.status != 0) {
				t.Fatalf("AsError = %v, want %v: %v", ok, tt.status != 0, err)
			}
			if !ok {
				// Transport and body errors name the call, without the query.
				if prefix := rec.Method + " " + rec.Path + ": "; !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("%q does not start with %q", err, prefix)
				}
				if strings.Contains(err.Error(), "PageSize") {
					t.Errorf("%q shows the query", err)
				}
				return
			}
			if apiErr.Status != tt.status || apiErr.Code != tt.code {
				t.Errorf("status %d code %d, want %d %d", apiErr.Status, apiErr.Code, tt.status, tt.code)
			}
			if apiErr.Method != rec.Method || apiErr.Path != rec.Path {
				t.Errorf("Method %q Path %q, want %q %q", apiErr.Method, apiErr.Path, rec.Method, rec.Path)
			}
			if tt.code != 0 && apiErr.MoreInfo == "" {
				t.Error("more_info not parsed")
			}
		})
	}
}

func TestWrongSecretIs401(t *testing.T) {
	f := newFixture(t, 1, fixtureOpts{creds: api.Credentials{AccountSID: testAccount, Secret: "wrong-" + testSecret}})
	err := fetchService(t.Context(), f.client)
	apiErr, ok := api.AsError(err)
	if !ok || !apiErr.Unauthorized() || apiErr.Code != 20003 || apiErr.Retryable() {
		t.Fatalf("wrong secret: %v", err)
	}
	noSecret(t, err.Error())
	if f.fake.TotalRequests() != 1 {
		t.Errorf("a 401 was retried: %d requests", f.fake.TotalRequests())
	}
}

// Shapes the fake does not make, from small handlers.
func TestErrorShapesFromHandlers(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		ctype   string
		header  map[string]string
		body    string
		want    string // in the error string
		check   func(*testing.T, *api.Error)
		badResp bool
	}{
		{name: "empty error body", status: 502, want: "empty untyped response from 127.0.0.1:"},
		{name: "empty json error body", status: 500, ctype: "application/json", want: "empty application/json response"},
		{name: "plain text", status: 503, ctype: "text/plain; charset=utf-8", body: "upstream connect error or disconnect/reset before headers\n",
			want: "unexpected text/plain response from 127.0.0.1:"},
		{name: "json not twilio's", status: 502, ctype: "application/json", body: `{"error": "bad gateway"}`,
			want: `(HTTP 502): {"error": "bad gateway"}`},
		{name: "json array", status: 400, ctype: "application/json", body: `[1,2]`, want: "(HTTP 400): [1,2]"},
		{name: "html without title", status: 403, ctype: "text/html", body: "<html><body><h1>Access   denied</h1><p>by policy</p></body></html>",
			want: "(HTTP 403): Access denied by policy"},
		{name: "long html", status: 502, ctype: "text/html", body: "<p>" + strings.Repeat("x", 500) + "</p>",
			check: func(t *testing.T, e *api.Error) {
				if n := len([]rune(e.Message)); n > 200 {
					t.Errorf("message of %d runes", n)
				}
			}},
		{name: "escape sequences stripped", status: 400, ctype: "application/json",
			body: `{"code": 20001, "message": "bad \u001b[31mred\u001b[0m thing", "more_info": "https://www.twilio.com/docs/errors/20001", "status": 400}`,
			check: func(t *testing.T, e *api.Error) {
				if strings.ContainsRune(e.Message, 0x1b) || e.Message != "bad [31mred[0m thing" {
					t.Errorf("message %q", e.Message)
				}
			}},
		{name: "twilio fields and request id", status: 404, ctype: "application/json",
			header: map[string]string{"Twilio-Request-Id": "RQ0123"},
			body:   `{"code": 20404, "message": "The requested resource /v1/Services/MG… was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}`,
			check: func(t *testing.T, e *api.Error) {
				if e.Code != 20404 || e.RequestID != "RQ0123" || !e.NotFound() || e.MoreInfo != "https://www.twilio.com/docs/errors/20404" {
					t.Errorf("%+v", e)
				}
			}},
		{name: "retry-after as a date", status: 400, ctype: "application/json", header: map[string]string{"Retry-After": time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)},
			body: `{"code": 20001, "message": "x"}`,
			check: func(t *testing.T, e *api.Error) {
				if e.RetryAfter < 59*time.Minute || e.RetryAfter > time.Hour {
					t.Errorf("RetryAfter %v, want about an hour", e.RetryAfter)
				}
			}},
		{name: "redirect not followed", status: 302, header: map[string]string{"Location": "https://elsewhere.example/v1/Services"},
			want: "(HTTP 302)"},
		{name: "200 with a json array", status: 200, ctype: "application/json", body: `[]`, badResp: true, want: "unexpected application/json response"},
		{name: "200 with null", status: 200, ctype: "application/json", body: `null`, badResp: true, want: "(HTTP 200): null"},
		{name: "200 with an object without sid", status: 200, ctype: "application/json", body: `{}`, badResp: true, want: "no sid"},
		{name: "200 with whitespace", status: 200, ctype: "application/json", body: " \n", badResp: true, want: "empty body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}, fixtureOpts{retry: api.RetryPolicy{MaxAttempts: 1}})
			err := fetchService(t.Context(), c)
			if err == nil {
				t.Fatal("no error")
			}
			noSecret(t, err.Error())
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%q lacks %q", err, tt.want)
			}
			if strings.Count(err.Error(), "(HTTP ") > 1 {
				t.Errorf("%q repeats the status", err)
			}
			if tt.badResp {
				if !errors.Is(err, api.ErrBadResponse) || !strings.HasPrefix(err.Error(), "GET /v1/Services/"+testService+": ") {
					t.Errorf("%v: want ErrBadResponse naming the call", err)
				}
				return
			}
			apiErr, ok := api.AsError(err)
			if !ok {
				t.Fatalf("not an *api.Error: %v", err)
			}
			if apiErr.Status != tt.status || apiErr.Method != "GET" || apiErr.Path != "/v1/Services/"+testService {
				t.Errorf("%+v", apiErr)
			}
			if tt.check != nil {
				tt.check(t, apiErr)
			}
		})
	}
}

// countingBody is an endless body that counts what was read of it.
type countingBody struct {
	fill byte
	read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = b.fill
	}
	b.read += int64(len(p))
	return len(p), nil
}

func (b *countingBody) Close() error { return nil }

func TestBodiesAreBounded(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		limit  int64
	}{
		{"error body", 502, api.MaxErrorBody},
		{"success body", 200, api.MaxSuccessBody},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingBody{fill: ' '}
			hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: tt.status, Header: http.Header{"Content-Type": {"text/plain"}}, Body: body, Request: r}, nil
			})}
			c := newClient(t, "https://messaging.twilio.com", fixtureOpts{http: hc, retry: api.RetryPolicy{MaxAttempts: 1}}, nil)
			err := fetchService(t.Context(), c)
			if err == nil {
				t.Fatal("no error")
			}
			if body.read > tt.limit+64<<10 {
				t.Errorf("read %d bytes of an endless body, limit %d", body.read, tt.limit)
			}
			if tt.status == 200 && (!errors.Is(err, api.ErrBadResponse) || !strings.Contains(err.Error(), "larger than 8 MiB")) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	e := &api.Error{Status: 429}
	if e.Error() != "Too Many Requests (HTTP 429)" || !e.Retryable() || e.NotFound() {
		t.Errorf("%q", e.Error())
	}
	wrapped := errors.Join(errors.New("ctx"), &api.Error{Status: 404, Code: 20404, Message: "gone"})
	if !api.IsNotFound(wrapped) {
		t.Error("IsNotFound misses a wrapped 404")
	}
	if api.IsNotFound(errors.New("404")) {
		t.Error("IsNotFound matched a plain error")
	}
	ctx, cancel := context.WithDeadline(t.Context(), time.Unix(1, 0))
	defer cancel()
	<-ctx.Done()
	if !api.IsTimeout(ctx.Err()) || api.IsTimeout(context.Canceled) || api.IsTimeout(e) {
		t.Error("IsTimeout")
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"0", 0}, {"5", 5 * time.Second}, {" 7 ", 7 * time.Second}, {"-3", 0}, {"soon", 0}, {"1.5", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"99999999999999999999", 0}, // does not parse as int64
		{"9223372036854775807", time.Duration(1<<20) * time.Second},
	} {
		if got := api.ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
