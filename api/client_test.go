package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestBaseURLAndHost(t *testing.T) {
	tests := []struct {
		base, region, edge string
		want               string // "" means New must fail with ErrBaseURL
	}{
		{"", "", "", "https://messaging.twilio.com"},
		{"", "ie1", "dublin", "https://messaging.dublin.ie1.twilio.com"},
		{"", "au1", "", "https://messaging.au1.twilio.com"},
		{"", "", "sydney", "https://messaging.sydney.us1.twilio.com"},
		{"", "IE1", "Dublin", "https://messaging.dublin.ie1.twilio.com"},
		{"", "evil.com/x#", "", ""},
		{"", "ie1", "dublin.evil.com", ""},
		{"", "", "-x", ""},
		{"https://proxy.example.com/twilio/", "", "", "https://proxy.example.com/twilio"},
		{"https://messaging.twilio.com", "ie1", "dublin", "https://messaging.twilio.com"}, // the override wins
		{"https://[2001:db8::1]:8443", "", "", "https://[2001:db8::1]:8443"},
		{"http://127.0.0.1:4010", "", "", "http://127.0.0.1:4010"},
		{"http://127.1.2.3:4010/", "", "", "http://127.1.2.3:4010"},
		{"http://[::1]:4010", "", "", "http://[::1]:4010"},
		{"http://localhost:4010", "", "", "http://localhost:4010"},
		{"http://LOCALHOST", "", "", "http://LOCALHOST"},
		{"http://example.com", "", "", ""},
		{"http://localhost.example.com", "", "", ""},
		{"http://127.0.0.1.nip.io", "", "", ""},
		{"http://10.0.0.1", "", "", ""},
		{"http://[::2]", "", "", ""},
		{"ftp://127.0.0.1", "", "", ""},
		{"not a url", "", "", ""},
		{"messaging.twilio.com", "", "", ""},
		{"https://", "", "", ""},
		{"https://host:badport", "", "", ""},
		{"https://user:" + testSecret + "@example.com", "", "", ""},
		{"https://example.com?x=1", "", "", ""},
		{"https://example.com#frag", "", "", ""},
		{"\x7f", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q/%q/%q", tt.base, tt.region, tt.edge), func(t *testing.T) {
			c, err := api.New(api.Config{Credentials: tokenCreds(), BaseURL: tt.base, Region: tt.region, Edge: tt.edge})
			if tt.want == "" {
				if !errors.Is(err, api.ErrBaseURL) {
					t.Fatalf("err = %v, want ErrBaseURL", err)
				}
				noSecret(t, err.Error())
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tt.want {
				t.Errorf("BaseURL() = %s, want %s", c.BaseURL(), tt.want)
			}
			if c.AccountSID() != testAccount {
				t.Errorf("AccountSID() = %s", c.AccountSID())
			}
		})
	}
}

func TestNewRefusesBadCredentials(t *testing.T) {
	for _, tt := range []struct {
		creds api.Credentials
		want  error
	}{
		{api.Credentials{AccountSID: "AC1", Secret: testSecret}, api.ErrInvalidSID},
		{api.Credentials{AccountSID: "", Secret: testSecret}, api.ErrInvalidSID},
		{api.Credentials{AccountSID: testAccount, APIKeySID: "SK12", Secret: testSecret}, api.ErrInvalidSID},
		{api.Credentials{AccountSID: testAccount, APIKeySID: testAccount, Secret: testSecret}, api.ErrInvalidSID},
		{api.Credentials{AccountSID: testAccount}, api.ErrNoSecret},
		{api.Credentials{AccountSID: testAccount, APIKeySID: testKey}, api.ErrNoSecret},
	} {
		err := tt.creds.Validate()
		if !errors.Is(err, tt.want) {
			t.Errorf("Validate(%v) = %v, want %v", tt.creds, err, tt.want)
		}
		if _, err := api.New(api.Config{Credentials: tt.creds}); !errors.Is(err, tt.want) {
			t.Errorf("New(%v) = %v, want %v", tt.creds, err, tt.want)
		} else {
			noSecret(t, err.Error())
		}
	}
	for _, ok := range []api.Credentials{tokenCreds(), {AccountSID: testAccount, APIKeySID: testKey, Secret: testSecret}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("Validate(%v) = %v", ok, err)
		}
	}
}

func TestNothingPrintsTheSecret(t *testing.T) {
	key := api.Credentials{AccountSID: testAccount, APIKeySID: testKey, Secret: testSecret}
	token := tokenCreds()
	cfg := api.Config{Credentials: key, BaseURL: "https://proxy.example"}
	client, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{key, &key, token, cfg, &cfg, client, *client, []api.Credentials{key}, map[string]api.Config{"p": cfg}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q", "%T %v"} {
			s := fmt.Sprintf(verb, v, v)
			noSecret(t, s)
			if strings.Contains(s, fmt.Sprintf("%x", testSecret)) {
				t.Fatalf("%s shows the secret in hex: %s", verb, s)
			}
		}
	}
	if got, want := key.String(), testAccount+" (API key "+testKey+", secret ****)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := token.String(); got != testAccount+" (auth token ****)" {
		t.Errorf("String() = %q", got)
	}
	if got := (api.Credentials{AccountSID: testAccount}).String(); !strings.Contains(got, "none") {
		t.Errorf("no secret: %q", got)
	}
	if got := key.GoString(); !strings.HasPrefix(got, "api.Credentials{") || !strings.Contains(got, "****") {
		t.Errorf("GoString() = %q", got)
	}
	if s := fmt.Sprint(client); !strings.Contains(s, "https://proxy.example") || !strings.Contains(s, testKey) {
		t.Errorf("client prints as %q", s)
	}
}

func TestAuthAndHeaders(t *testing.T) {
	for _, tt := range []struct {
		name  string
		creds api.Credentials
		agent string
		user  string
		wantA string
	}{
		{"auth token", tokenCreds(), "senderpool/1.2.3", testAccount, "senderpool/1.2.3"},
		{"api key", api.Credentials{AccountSID: testAccount, APIKeySID: testKey, Secret: testSecret}, "", testKey, "senderpool/test"},
		{"default agent", tokenCreds(), "-", testAccount, api.DefaultUserAgent},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 2, fixtureOpts{creds: tt.creds, agent: tt.agent})
			ctx := t.Context()
			for _, call := range []func(context.Context, *api.Client) error{fetchService, listSenders, fetchSender, attachFree, detachFirst, listCatalogue, listServices} {
				if err := call(ctx, f.client); err != nil {
					t.Fatal(err)
				}
			}
			recs := f.fake.Records()
			if len(recs) != 7 {
				t.Fatalf("%d requests, want 7", len(recs))
			}
			for _, r := range recs {
				if r.AuthUser != tt.user || r.UserAgent != tt.wantA {
					t.Errorf("%s %s: auth user %q agent %q, want %q %q", r.Method, r.Path, r.AuthUser, r.UserAgent, tt.user, tt.wantA)
				}
				noSecret(t, fmt.Sprintf("%+v", r))
			}
		})
	}

	// What the fake does not record: the password and Accept.
	c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != testAccount || pass != testSecret || r.Header.Get("Accept") != "application/json" {
			t.Errorf("auth %q:%q %v, Accept %q", user, pass, ok, r.Header.Get("Accept"))
		}
		_, _ = w.Write([]byte(`{"sid": "` + testService + `"}`))
	}, fixtureOpts{})
	if err := fetchService(t.Context(), c); err != nil {
		t.Fatal(err)
	}
}

func TestMalformedArgumentsMakeNoRequest(t *testing.T) {
	f := newFixture(t, 1, fixtureOpts{})
	c := f.client
	bad := map[string]string{
		"short":     "MG123",
		"empty":     "",
		"wrong":     "XE" + strings.Repeat("0", 32),
		"lowercase": "mg" + strings.Repeat("0", 32),
		"non-hex":   "MG" + strings.Repeat("g", 32),
		"long":      "MG" + strings.Repeat("0", 33),
		"traversal": "MG/../../v2/Channels/Senders?x=",
	}
	badXE := "XE" + strings.Repeat("z", 32)
	noop := func([]api.ChannelSender) error { return nil }
	for name, mg := range bad {
		calls := map[string]func(context.Context) error{
			"FetchService":            func(ctx context.Context) error { _, err := c.FetchService(ctx, mg); return err },
			"ListChannelSenders":      func(ctx context.Context) error { _, err := c.ListChannelSenders(ctx, mg); return err },
			"ListChannelSendersPages": func(ctx context.Context) error { return c.ListChannelSendersPages(ctx, mg, noop) },
			"FetchChannelSender":      func(ctx context.Context) error { _, err := c.FetchChannelSender(ctx, mg, xe(1)); return err },
			"CreateChannelSender":     func(ctx context.Context) error { _, err := c.CreateChannelSender(ctx, mg, xe(1)); return err },
			"DeleteChannelSender":     func(ctx context.Context) error { return c.DeleteChannelSender(ctx, mg, xe(1)) },
			"FetchChannelSender/XE":   func(ctx context.Context) error { _, err := c.FetchChannelSender(ctx, testService, badXE); return err },
			"CreateChannelSender/XE": func(ctx context.Context) error {
				_, err := c.CreateChannelSender(ctx, testService, testService)
				return err
			},
			"DeleteChannelSender/XE": func(ctx context.Context) error { return c.DeleteChannelSender(ctx, testService, "") },
		}
		for call, fn := range calls {
			err := fn(t.Context())
			var sidErr *api.SIDError
			if !errors.As(err, &sidErr) || !errors.Is(err, api.ErrInvalidSID) {
				t.Errorf("%s(%s): %v, want a *SIDError", call, name, err)
			}
		}
	}
	for _, ch := range []string{"", "WhatsApp", "messenger", "sms", "whatsapp&Channel=rcs"} {
		if _, err := c.ListAccountSenders(t.Context(), ch); !errors.Is(err, api.ErrInvalidChannel) {
			t.Errorf("channel %q: %v, want ErrInvalidChannel", ch, err)
		}
		err := c.ListAccountSendersPages(t.Context(), ch, func([]api.AccountSender) error { return nil })
		if !errors.Is(err, api.ErrInvalidChannel) {
			t.Errorf("channel %q pages: %v", ch, err)
		}
	}
	if n := f.fake.TotalRequests(); n != 0 {
		t.Fatalf("%d requests made for malformed arguments", n)
	}
}

func TestAttachDetachFetch(t *testing.T) {
	f := newFixture(t, 2, fixtureOpts{})
	ctx := t.Context()
	s, err := f.client.CreateChannelSender(ctx, testService, freeSender)
	if err != nil || s.SID != freeSender || s.Sender != "rcs:free_agent" || s.SenderType != "RCS" ||
		s.MessagingServiceSID != testService || s.AccountSID != testAccount || s.DateCreated == nil || s.URL == "" {
		t.Fatalf("attach: %+v %v", s, err)
	}
	got, err := f.client.FetchChannelSender(ctx, testService, freeSender)
	if err != nil || got.SID != freeSender || !got.DateCreated.Equal(*s.DateCreated) {
		t.Fatalf("fetch: %+v %v", got, err)
	}
	_, err = f.client.CreateChannelSender(ctx, testService, freeSender)
	if apiErr, ok := api.AsError(err); !ok || apiErr.Status/100 != 4 || apiErr.Method != "POST" || apiErr.Path != "/v1/Services/"+testService+"/ChannelSenders" {
		t.Fatalf("duplicate attach: %v", err)
	}
	if err := f.client.DeleteChannelSender(ctx, testService, freeSender); err != nil {
		t.Fatal(err)
	}
	if err := f.client.DeleteChannelSender(ctx, testService, freeSender); !api.IsNotFound(err) {
		t.Fatalf("second detach: %v, want a 404", err)
	}
	if _, err := f.client.FetchChannelSender(ctx, testService, freeSender); !api.IsNotFound(err) {
		t.Fatalf("fetch after detach: %v, want a 404", err)
	}
	svc, err := f.client.FetchService(ctx, testService)
	if err != nil || svc.SID != testService || svc.FriendlyName != "Test" {
		t.Fatalf("fetch service: %+v %v", svc, err)
	}
	if _, err := f.client.FetchService(ctx, "MG"+strings.Repeat("9", 32)); !api.IsNotFound(err) {
		t.Fatalf("unknown service: %v", err)
	}
	if f.fake.Requests(twiliotest.RouteDeleteChannelSender) != 2 {
		t.Error("a 404 on detach was retried")
	}
}
