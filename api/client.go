package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is Twilio's Messaging API host.
const DefaultBaseURL = "https://messaging.twilio.com"

// DefaultAPIBaseURL is the host of Twilio's 2010 API (the account's own
// phone numbers and short codes).
const DefaultAPIBaseURL = "https://api.twilio.com"

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "senderpool/dev"

// ErrBaseURL is wrapped by every base-URL, region or edge problem New reports.
var ErrBaseURL error = &setupError{"unusable API base URL"}

// RetryPolicy bounds retries of 429, 503 and (where safe) connection errors.
// Zero fields take the defaults.
type RetryPolicy struct {
	MaxAttempts int           // total attempts, the first included; default 4; 1 disables retries
	BaseDelay   time.Duration // backoff bound of the first retry, doubled per retry; default 500ms
	MaxDelay    time.Duration // cap of any one wait, Retry-After included; default 8s
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 8 * time.Second
	}
	return p
}

// Config configures a Client.
type Config struct {
	Credentials Credentials
	// Region and Edge pick the hosts as Twilio's helper libraries do:
	// messaging.{edge}.{region}.twilio.com and api.{edge}.{region}.twilio.com;
	// a region alone gives messaging.{region}.twilio.com, an edge alone
	// implies region us1.
	Region string // e.g. "ie1"
	Edge   string // e.g. "dublin"
	// BaseURL overrides every Twilio host at once (--api-url: one fake
	// serves them all, as their paths do not overlap): https, or plain
	// http only to a loopback host (the fake, a spec mock). A path prefix
	// is allowed.
	BaseURL string
	// MessagingBaseURL and APIBaseURL override one host each, before
	// BaseURL: the Messaging API (messaging.twilio.com: /v1, /v2) and the
	// 2010 API (api.twilio.com: /2010-04-01), e.g. for a spec mock per
	// host. The same rules as BaseURL apply.
	MessagingBaseURL string
	APIBaseURL       string
	// HTTPClient defaults to one with the environment's proxy and
	// per-phase timeouts. The client is copied and never follows
	// redirects: Twilio does not send them, and following one could carry
	// the request elsewhere.
	HTTPClient *http.Client
	UserAgent  string // default DefaultUserAgent; main passes "senderpool/<version>"
	Retry      RetryPolicy
}

// Client calls the Twilio Messaging API, and the 2010 API for the
// account's own numbers. It is safe for concurrent use.
type Client struct {
	base    *url.URL // the Messaging API: /v1, /v2
	apiBase *url.URL // the 2010 API: /2010-04-01
	account string   // AC…
	who     string   // Credentials.String(): the masked description
	// authorize sets Basic auth. The secret lives only inside this
	// closure: fmt prints a func as an address, so no way of printing a
	// Client (even %d on a Client value, by reflection) can show it.
	authorize func(*http.Request)
	http      *http.Client
	agent     string
	retry     RetryPolicy
	maxPages  int // bound of one listing: maxPages, lowered by tests
	maxItems  int // bound of one listing: MaxListItems, lowered by tests

	// jitter returns a uniform duration in [0, max]; wait sleeps or
	// returns early with ctx's error. Tests replace both.
	jitter func(max time.Duration) time.Duration
	wait   func(ctx context.Context, d time.Duration) error
}

// New validates cfg and builds a client. Nothing is sent.
func New(cfg Config) (*Client, error) {
	if err := cfg.Credentials.Validate(); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	base, err := baseURL(cfg.MessagingBaseURL, "MessagingBaseURL", cfg, hostMessaging)
	if err != nil {
		return nil, err
	}
	apiBase, err := baseURL(cfg.APIBaseURL, "APIBaseURL", cfg, hostAPI)
	if err != nil {
		return nil, err
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		hc = http.Client{Transport: defaultTransport()}
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	agent := cfg.UserAgent
	if agent == "" {
		agent = DefaultUserAgent
	}
	user, secret := cfg.Credentials.username(), cfg.Credentials.Secret
	return &Client{
		base:      base,
		apiBase:   apiBase,
		account:   cfg.Credentials.AccountSID,
		who:       cfg.Credentials.String(),
		authorize: func(r *http.Request) { r.SetBasicAuth(user, secret) },
		http:      &hc,
		agent:     agent,
		retry:     cfg.Retry.withDefaults(),
		maxPages:  maxPages,
		maxItems:  MaxListItems,
		jitter:    newJitter(rand.Uint64(), rand.Uint64()),
		wait:      sleepCtx,
	}, nil
}

// newJitter returns a goroutine-safe uniform source of its own, so that
// clients share no mutable state.
func newJitter(seed1, seed2 uint64) func(time.Duration) time.Duration {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed1, seed2))
	return func(max time.Duration) time.Duration {
		if max <= 0 {
			return 0
		}
		mu.Lock()
		defer mu.Unlock()
		return time.Duration(rng.Int64N(int64(max) + 1))
	}
}

// BaseURL is where Messaging API requests go, e.g.
// https://messaging.twilio.com.
func (c *Client) BaseURL() string { return c.base.String() }

// APIBaseURL is where 2010 API requests go, e.g. https://api.twilio.com.
func (c *Client) APIBaseURL() string { return c.apiBase.String() }

// AccountSID is the account the credentials belong to.
func (c *Client) AccountSID() string { return c.account }

// Close closes the client's idle keep-alive connections, so that nothing
// of it is left running once the program is done with it.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// String describes the client without its secret.
func (c *Client) String() string {
	hosts := c.base.String()
	if api := c.apiBase.String(); api != hosts {
		hosts += " + " + api
	}
	return "api.Client{" + hosts + ", " + c.who + "}"
}

// Format makes every verb (%v, %+v, %#v, %d, …) print String, so that no
// way of printing a client shows the secret.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// host names the Twilio host a request goes to.
type host int

const (
	hostMessaging host = iota // messaging.twilio.com: /v1, /v2
	hostAPI                   // api.twilio.com: /2010-04-01
)

// product is the first label of the host's name.
func (h host) product() string {
	if h == hostAPI {
		return "api"
	}
	return "messaging"
}

// baseURL picks the host's own override, or the override of every host,
// or the regional host, or the default.
func baseURL(own, field string, cfg Config, h host) (*url.URL, error) {
	if own != "" {
		u, err := parseBaseURL(own)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		return u, nil
	}
	raw := cfg.BaseURL
	if raw == "" {
		host, err := regionalHost(h.product(), cfg.Region, cfg.Edge)
		if err != nil {
			return nil, err
		}
		raw = "https://" + host
	}
	return parseBaseURL(raw)
}

// parseBaseURL checks an override: https, or http to loopback only; no
// credentials, query or fragment.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the input, which may hold a password: keep
		// only its reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: not a URL (%v); want https://host[/path]", ErrBaseURL, err)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w %q: credentials do not belong in the URL", ErrBaseURL, redactURL(u))
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w %q: want https://host[/path]", ErrBaseURL, raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%w %q: no query or fragment allowed", ErrBaseURL, raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%w %q: plain http is allowed only to a loopback host (127.0.0.1, ::1, localhost); use https", ErrBaseURL, raw)
		}
	default:
		return nil, fmt.Errorf("%w %q: scheme must be https (or http to a loopback host)", ErrBaseURL, raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// regionalHost follows Twilio's helper libraries: product.edge.region,
// where an edge without a region implies us1 and a region without an edge
// uses the region alone.
// Both must be plain DNS labels, so that neither can steer the host.
func regionalHost(product, region, edge string) (string, error) {
	for _, v := range []struct{ name, value string }{{"region", region}, {"edge", edge}} {
		if v.value != "" && !isLabel(v.value) {
			return "", fmt.Errorf("%w: %s %q: want a name like ie1 or dublin (letters, digits, '-')", ErrBaseURL, v.name, v.value)
		}
	}
	region, edge = strings.ToLower(region), strings.ToLower(edge)
	switch {
	case region == "" && edge == "":
		return product + ".twilio.com", nil
	case edge == "":
		return product + "." + region + ".twilio.com", nil
	case region == "":
		region = "us1"
	}
	return product + "." + edge + "." + region + ".twilio.com", nil
}

func isLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// isLoopback accepts localhost and 127.0.0.0/8 and ::1: plain http there
// never leaves the machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// defaultTransport honours HTTPS_PROXY and friends and bounds each phase
// of a request. There is deliberately no overall Client.Timeout: the
// context bounds a call, so a long list is never cut short.
func defaultTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		// A service's pool is listed as one stream per kind at once (five
		// lists and two status catalogues on the Messaging host): enough
		// idle connections to keep them all, so that no page pays for a
		// new TCP and TLS handshake over HTTP/1.1.
		MaxIdleConns:        16,
		MaxIdleConnsPerHost: 8,
		ForceAttemptHTTP2:   true,
	}
}
