package apitest_test

import (
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
)

func TestClientOnTheFake(t *testing.T) {
	const (
		acct   = "AC0123456789abcdef0123456789abcdef"
		token  = "own-auth-token"
		key    = "SK0123456789abcdef0123456789abcdef"
		secret = "own-key-secret"
	)
	own := func() *twiliotest.Fake {
		f := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{SID: acct, AuthToken: token, APIKeys: map[string]string{key: secret}}})
		f.AddService(twiliotest.ServiceSeed{SID: "MG0123456789abcdef0123456789abcdef", FriendlyName: "Own"})
		return f
	}
	tests := []struct {
		name     string
		fake     *twiliotest.Fake
		creds    api.Credentials
		services int
		user     string // who the fake saw
	}{
		{"demo, default credentials", twiliotest.Demo(twiliotest.DemoOptions{}), api.Credentials{}, 3, twiliotest.DemoAccountSID},
		{"demo, its API key", twiliotest.Demo(twiliotest.DemoOptions{}),
			api.Credentials{AccountSID: twiliotest.DemoAccountSID, APIKeySID: twiliotest.DemoAPIKeySID, Secret: twiliotest.DemoAPIKeySecret}, 3, twiliotest.DemoAPIKeySID},
		{"own account, default credentials", own(), api.Credentials{}, 1, acct},
		{"own account, its API key", own(), api.Credentials{AccountSID: acct, APIKeySID: key, Secret: secret}, 1, key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := twiliotest.Serve(t, tt.fake)
			c := apitest.Client(t, srv, api.Config{Credentials: tt.creds, BaseURL: "https://messaging.twilio.com", Retry: api.RetryPolicy{MaxAttempts: 1}})
			if c.BaseURL() != srv.URL && c.BaseURL() != srv.URL+"/" {
				t.Errorf("BaseURL %s, want %s", c.BaseURL(), srv.URL)
			}
			ss, err := c.ListServices(t.Context())
			if err != nil || len(ss) != tt.services {
				t.Fatalf("%d services, %v; want %d", len(ss), err, tt.services)
			}
			if recs := tt.fake.Records(); len(recs) != 1 || recs[0].AuthUser != tt.user {
				t.Errorf("records %+v, want one request as %s", recs, tt.user)
			}
		})
	}
}

func TestDemo(t *testing.T) {
	fake, c := apitest.Demo(t, twiliotest.DemoOptions{Senders: 20}, api.Config{})
	ss, err := c.ListChannelSenders(t.Context(), twiliotest.DemoServiceNotifications)
	if err != nil || len(ss) != 20 {
		t.Fatalf("%d senders, %v; want 20", len(ss), err)
	}
	if fake.Requests(twiliotest.RouteListChannelSenders) != 1 {
		t.Errorf("the client did not ask the fake it was returned with")
	}
}
