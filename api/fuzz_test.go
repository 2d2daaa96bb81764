package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/senderpool/senderpool/api"
)

// FuzzValidateSID cross-checks ValidateSID against the regexp of the
// design (two letters, 32 hex digits) for every prefix senderpool uses.
func FuzzValidateSID(f *testing.F) {
	for _, s := range []string{
		"", "XE", xe(1), "XE" + strings.Repeat("F", 32), "xe" + strings.Repeat("0", 32),
		"XE" + strings.Repeat("0", 31), "XE" + strings.Repeat("0", 33), "XE" + strings.Repeat("g", 32),
		testService, testAccount, testKey, "XE" + strings.Repeat("0", 31) + "é", "XE\x00" + strings.Repeat("0", 31),
		" XE" + strings.Repeat("0", 32), "XE" + strings.Repeat("0", 32) + "\n",
	} {
		f.Add(s)
	}
	prefixes := []string{api.PrefixChannelSender, api.PrefixService, api.PrefixAccount, api.PrefixAPIKey}
	res := make([]*regexp.Regexp, len(prefixes))
	for i, p := range prefixes {
		res[i] = regexp.MustCompile(`^` + p + `[0-9a-fA-F]{32}$`)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i, p := range prefixes {
			err := api.ValidateSID(p, s)
			if want := res[i].MatchString(s); (err == nil) != want {
				t.Fatalf("ValidateSID(%q, %q) = %v, the regexp says valid = %v", p, s, err, want)
			}
			if err == nil {
				continue
			}
			if !errors.Is(err, api.ErrInvalidSID) {
				t.Fatalf("%v does not match ErrInvalidSID", err)
			}
			msg := err.Error()
			if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) {
				t.Fatalf("the error is not printable text: %q", msg)
			}
			if len(msg) > 300 {
				t.Fatalf("the error repeats too much of the input: %d bytes", len(msg))
			}
		}
		if (api.ValidateSenderSID(s) == nil) != res[0].MatchString(s) {
			t.Fatalf("ValidateSenderSID(%q) disagrees with ValidateSID", s)
		}
	})
}

// bodyServer serves whatever body and status the fuzz iteration sets, so
// that one httptest server serves a whole fuzzing run.
type bodyServer struct {
	resp atomic.Pointer[cannedResponse]
}

type cannedResponse struct {
	status      int
	contentType string
	body        []byte
}

func (s *bodyServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r := s.resp.Load()
	if r.contentType != "" {
		w.Header().Set("Content-Type", r.contentType)
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func fuzzClient(f *testing.F, h http.Handler) *api.Client {
	srv := httptest.NewServer(h)
	f.Cleanup(srv.Close)
	c, err := api.New(api.Config{
		Credentials: tokenCreds(), BaseURL: srv.URL,
		Retry: api.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// checkPrintable fails when an error message could move a terminal's
// cursor (control characters, escape sequences) or is not UTF-8.
func checkPrintable(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		t.Fatalf("%s is not printable text: %q", what, s)
	}
}

// FuzzDecodeListPage serves arbitrary bytes as a 200 list page of
// GET /v1/Services/{MG}/ChannelSenders to the real client: it returns
// senders, or an error wrapping ErrBadResponse (or an *api.Error); it
// never panics, never loops, and its error is printable.
func FuzzDecodeListPage(f *testing.F) {
	for _, s := range []string{
		`{"senders": [], "meta": {"next_page_url": null}}`,
		`{"senders": [{"sid": "XE00000000000000000000000000000001", "sender": "whatsapp:+14155550100", "date_created": "2024-01-01T00:00:00Z"}], "meta": {"key": "senders"}}`,
		`{"senders": [{"sid": "XE1"}], "meta": {"next_page_url": "https://messaging.twilio.com/v1/Services/` + testService + `/ChannelSenders?PageSize=1000&Page=1&PageToken=PAx"}}`,
		`{"senders": [], "meta": {"next_page_url": "http://evil.example.invalid/v1/Services/` + testService + `/ChannelSenders?PageSize=1000"}}`,
		`{"senders": [], "meta": {"next_page_url": "/v1/Services"}}`,
		`{"senders": null, "meta": {}}`,
		`{"services": []}`,
		`{"senders": [{"date_created": "yesterday"}]}`,
		`{"senders": [{"sid": "XE\u001b[31m"}], "meta": {"next_page_url": "%zz"}}`,
		`{"senders": [`, ``, ` `, `null`, `[]`, `<html><title>Login</title></html>`, "\xff\xfe{",
		`{"meta": {"next_page_url": "\u001b]0;pwned\u0007"}, "senders": [{}]}`,
	} {
		f.Add([]byte(s))
	}
	srv := &bodyServer{}
	client := fuzzClient(f, srv)
	f.Fuzz(func(t *testing.T, body []byte) {
		srv.resp.Store(&cannedResponse{status: 200, contentType: "application/json", body: body})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		senders, err := client.ListChannelSenders(ctx, testService)
		if err == nil {
			if senders == nil {
				t.Fatal("nil senders and nil error")
			}
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("the listing did not end: %v", err)
		}
		_, isAPI := api.AsError(err)
		if !errors.Is(err, api.ErrBadResponse) && !isAPI {
			t.Fatalf("error %v (%T) neither wraps ErrBadResponse nor is an *api.Error", err, err)
		}
		checkPrintable(t, "the error", err.Error())
	})
}

// FuzzErrorBody answers a GET with an arbitrary status 400–599, content
// type and body: the client always returns an *api.Error with that status,
// a non-empty, printable, bounded message, and never the whole body.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{404, "application/json", `{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}`},
		{401, "application/json", `{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}`},
		{502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"},
		{400, "application/json", `{"code": 21710}`},
		{400, "application/json", `{"code": null, "message": "x"}`},
		{500, "", ""},
		{503, "text/plain", "upstream connect error or disconnect/reset before headers"},
		{429, "application/json", `{"code": 20429, "message": "\u001b[2J\u001b]0;pwned\u0007Too Many Requests"}`},
		{418, "application/json", `{"code": 1, "message": "` + strings.Repeat("é", 2000) + `"}`},
		{599, "text/html; charset=utf-8", "<title>\n\n</title><p>" + strings.Repeat("<b>x</b>", 100)},
		{400, "application/json", "\xff\xfe\x00"},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}
	srv := &bodyServer{}
	client := fuzzClient(f, srv)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		status = 400 + int(uint(status)%200)
		if !validHeaderValue(contentType) {
			contentType = ""
		}
		srv.resp.Store(&cannedResponse{status: status, contentType: contentType, body: body})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := client.FetchService(ctx, testService)
		e, ok := api.AsError(err)
		if !ok {
			t.Fatalf("status %d: error %v (%T) is not an *api.Error", status, err, err)
		}
		if e.Status != status {
			t.Fatalf("Status = %d, want %d", e.Status, status)
		}
		if strings.TrimSpace(e.Message) == "" {
			t.Fatalf("status %d, body %q: empty Message (Error() = %q)", status, body, e.Error())
		}
		for what, s := range map[string]string{"Message": e.Message, "MoreInfo": e.MoreInfo, "Error()": err.Error()} {
			checkPrintable(t, what, s)
		}
		if n := utf8.RuneCountInString(e.Message); n > 1001 {
			t.Fatalf("Message keeps %d runes of the body", n)
		}
		if len(body) > 1200 && strings.Contains(err.Error(), string(body)) {
			t.Fatal("the error repeats the whole body")
		}
		if !strings.Contains(err.Error(), "HTTP "+strconv.Itoa(status)) {
			t.Fatalf("Error() = %q does not name the status", err.Error())
		}
	})
}

// validHeaderValue reports whether net/http would send v as a header value.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// TestTwilioErrorWithoutMessage: a Twilio error body with a code but no
// message must still give an *api.Error a message: an empty one made
// Error() start with a blank and the UI say "HTTP 511 · HTTP 511".
func TestTwilioErrorWithoutMessage(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
	}{
		{400, `{"code": 21710}`},
		{499, `{"code": 21710, "message": ""}`},
		{503, `{"code": 20503, "message": "   "}`},
		{511, `{"Code":0}`}, // found by FuzzErrorBody: the UI then shows "HTTP 511 · HTTP 511"
	} {
		client, _ := handlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		}, fixtureOpts{retry: api.RetryPolicy{MaxAttempts: 1}})
		_, err := client.FetchService(t.Context(), testService)
		e, ok := api.AsError(err)
		if !ok {
			t.Fatalf("%d %s: %v is not an *api.Error", tt.status, tt.body, err)
		}
		if strings.TrimSpace(e.Message) == "" || strings.HasPrefix(e.Error(), " ") {
			t.Errorf("%d %s: Message %q, Error() %q: want a description", tt.status, tt.body, e.Message, e.Error())
		}
	}
}

// FuzzDecodeAccountPage is FuzzDecodeListPage for the 2010 API's pages
// (GET …/IncomingPhoneNumbers.json): RFC 2822 dates, capabilities as an
// object, a relative next_page_uri.
func FuzzDecodeAccountPage(f *testing.F) {
	const path = "/2010-04-01/Accounts/AC11111111111111111111111111111111/IncomingPhoneNumbers.json"
	for _, s := range []string{
		`{"incoming_phone_numbers": [], "next_page_uri": null}`,
		`{"incoming_phone_numbers": [{"sid": "PN1", "date_created": "Thu, 30 Jul 2015 23:19:04 +0000", "capabilities": {"sms": true}}], "next_page_uri": null}`,
		`{"incoming_phone_numbers": [{"sid": "PN1"}], "next_page_uri": "` + path + `?Page=1&PageToken=PA1"}`,
		`{"incoming_phone_numbers": [], "next_page_uri": "//evil.example.invalid` + path + `?Page=1"}`,
		`{"incoming_phone_numbers": [], "next_page_uri": "/2010-04-01/Accounts"}`,
		`{"incoming_phone_numbers": [{"date_created": "yesterday"}]}`,
		`{"incoming_phone_numbers": [{"capabilities": [1]}]}`,
		`{"incoming_phone_numbers": [{"sid": "PN\u001b[31m"}], "next_page_uri": "%zz"}`,
		`{"phone_numbers": []}`, `{"incoming_phone_numbers": null}`, ``, `<html>`,
	} {
		f.Add([]byte(s))
	}
	srv := &bodyServer{}
	client := fuzzClient(f, srv)
	f.Fuzz(func(t *testing.T, body []byte) {
		srv.resp.Store(&cannedResponse{status: 200, contentType: "application/json", body: body})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		numbers, err := client.ListIncomingPhoneNumbers(ctx)
		if err == nil {
			if numbers == nil {
				t.Fatal("nil numbers and nil error")
			}
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("the listing did not end: %v", err)
		}
		_, isAPI := api.AsError(err)
		if !errors.Is(err, api.ErrBadResponse) && !isAPI {
			t.Fatalf("error %v (%T) neither wraps ErrBadResponse nor is an *api.Error", err, err)
		}
		checkPrintable(t, "the error", err.Error())
	})
}
