package api_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestOneBaseURLPerHost(t *testing.T) {
	tests := []struct {
		name                  string
		cfg                   api.Config
		messaging, apiHost    string
		wantErr, errMentioned string
	}{
		{name: "defaults", messaging: "https://messaging.twilio.com", apiHost: "https://api.twilio.com"},
		{name: "region and edge", cfg: api.Config{Region: "ie1", Edge: "dublin"},
			messaging: "https://messaging.dublin.ie1.twilio.com", apiHost: "https://api.dublin.ie1.twilio.com"},
		{name: "region alone", cfg: api.Config{Region: "au1"}, messaging: "https://messaging.au1.twilio.com", apiHost: "https://api.au1.twilio.com"},
		{name: "edge alone", cfg: api.Config{Edge: "sydney"}, messaging: "https://messaging.sydney.us1.twilio.com", apiHost: "https://api.sydney.us1.twilio.com"},
		{name: "BaseURL sets both", cfg: api.Config{BaseURL: "http://127.0.0.1:8765/"}, messaging: "http://127.0.0.1:8765", apiHost: "http://127.0.0.1:8765"},
		{name: "each its own", cfg: api.Config{MessagingBaseURL: "http://127.0.0.1:4010", APIBaseURL: "http://127.0.0.1:4014/prefix"},
			messaging: "http://127.0.0.1:4010", apiHost: "http://127.0.0.1:4014/prefix"},
		{name: "one of them over BaseURL", cfg: api.Config{BaseURL: "http://127.0.0.1:8765", APIBaseURL: "http://localhost:4014"},
			messaging: "http://127.0.0.1:8765", apiHost: "http://localhost:4014"},
		{name: "one of them over the region", cfg: api.Config{Region: "ie1", MessagingBaseURL: "https://proxy.example"},
			messaging: "https://proxy.example", apiHost: "https://api.ie1.twilio.com"},
		{name: "APIBaseURL not on loopback", cfg: api.Config{APIBaseURL: "http://example.com"}, wantErr: "plain http", errMentioned: "APIBaseURL"},
		{name: "MessagingBaseURL with credentials", cfg: api.Config{MessagingBaseURL: "https://u:p@example.com"}, wantErr: "credentials", errMentioned: "MessagingBaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Credentials = tokenCreds()
			c, err := api.New(tt.cfg)
			if tt.wantErr != "" {
				if !errors.Is(err, api.ErrBaseURL) || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.errMentioned) {
					t.Fatalf("%v, want ErrBaseURL saying %q about %s", err, tt.wantErr, tt.errMentioned)
				}
				if strings.Contains(err.Error(), "u:p") {
					t.Errorf("the error repeats the credentials: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tt.messaging || c.APIBaseURL() != tt.apiHost {
				t.Errorf("hosts %s and %s, want %s and %s", c.BaseURL(), c.APIBaseURL(), tt.messaging, tt.apiHost)
			}
			s := c.String()
			if !strings.Contains(s, tt.messaging) || !strings.Contains(s, tt.apiHost) || strings.Contains(s, testSecret) {
				t.Errorf("String() = %s", s)
			}
		})
	}
}

// hostLog serves a fake and remembers which server each request came to.
type hostLog struct {
	mu   sync.Mutex
	seen map[string][]string // server name → paths
}

func (h *hostLog) handler(name string, f *twiliotest.Fake) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.seen[name] = append(h.seen[name], r.URL.Path)
		h.mu.Unlock()
		f.ServeHTTP(w, r)
	}
}

// With a base per host, the Messaging calls and the 2010 calls go each
// to their own server, and a path prefix on the 2010 one is kept on
// every page, however the server writes next_page_uri.
func TestRequestsGoToTheirHost(t *testing.T) {
	f := twiliotest.Demo(twiliotest.DemoOptions{Numbers: 1200})
	log := &hostLog{seen: map[string][]string{}}
	// Two servers of one fake; the 2010 one behind a path prefix that the
	// fake's next_page_uri does not name.
	messaging, _ := handlerClient(t, log.handler("messaging", f), fixtureOpts{})
	prefixed, _ := handlerClient(t, http.StripPrefix("/prefix", log.handler("api", f)).ServeHTTP, fixtureOpts{})
	cfg := api.Config{
		Credentials:      api.Credentials{AccountSID: twiliotest.DemoAccountSID, Secret: twiliotest.DemoAuthToken},
		MessagingBaseURL: messaging.BaseURL(),
		APIBaseURL:       prefixed.BaseURL() + "/prefix",
	}
	client, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.ListServices(t.Context()); err != nil {
		t.Fatal(err)
	}
	numbers, err := client.ListIncomingPhoneNumbers(t.Context())
	if err != nil || len(numbers) != 1206 {
		t.Fatalf("%d numbers, %v", len(numbers), err)
	}
	if _, err := client.ListPhoneNumbers(t.Context(), demoN); err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, p := range log.seen["messaging"] {
		if strings.HasPrefix(p, "/2010-04-01/") {
			t.Errorf("the Messaging host got %s", p)
		}
	}
	if len(log.seen["api"]) != 2 {
		t.Errorf("the 2010 host got %v, want two pages", log.seen["api"])
	}
	for _, p := range log.seen["api"] {
		if !strings.HasPrefix(p, "/2010-04-01/Accounts/"+twiliotest.DemoAccountSID+"/IncomingPhoneNumbers.json") {
			t.Errorf("the 2010 host got %s", p)
		}
	}
}
