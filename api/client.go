package api

import (
	"context"
	"errors"
	"fmt"
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

// ErrBaseURL is wrapped by every base-URL problem New reports.
var ErrBaseURL = errors.New("unusable API base URL")

// RetryPolicy bounds retries of 429, 503 and (where safe) connection errors.
type RetryPolicy struct {
	MaxAttempts int           // total attempts, first included; default 4
	BaseDelay   time.Duration // first backoff; default 500ms
	MaxDelay    time.Duration // cap of one wait; default 8s
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
	Region      string // e.g. "ie1"; host messaging.{edge}.{region}.twilio.com
	Edge        string // e.g. "dublin"
	// BaseURL overrides the host: https, or plain http only to a loopback
	// host (the fake, a spec mock). A path prefix is allowed.
	BaseURL    string
	HTTPClient *http.Client // default: proxy from the environment, per-phase timeouts
	UserAgent  string       // default "senderpool/dev"
	Retry      RetryPolicy
}

// Client calls the Twilio Messaging API. It is safe for concurrent use.
type Client struct {
	base   *url.URL
	creds  Credentials
	http   *http.Client
	agent  string
	retry  RetryPolicy
	jitter func(max time.Duration) time.Duration
	wait   func(ctx context.Context, d time.Duration) error
}

// New validates cfg and builds a client. Nothing is sent.
func New(cfg Config) (*Client, error) {
	if err := cfg.Credentials.Validate(); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	base, err := baseURL(cfg)
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	agent := cfg.UserAgent
	if agent == "" {
		agent = "senderpool/dev"
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5e4d))
	return &Client{
		base:  base,
		creds: cfg.Credentials,
		http:  hc,
		agent: agent,
		retry: cfg.Retry.withDefaults(),
		jitter: func(max time.Duration) time.Duration {
			if max <= 0 {
				return 0
			}
			mu.Lock()
			defer mu.Unlock()
			return time.Duration(rng.Int64N(int64(max) + 1))
		},
		wait: sleepCtx,
	}, nil
}

// BaseURL is where requests go, e.g. https://messaging.twilio.com.
func (c *Client) BaseURL() string { return c.base.String() }

// AccountSID is the account the credentials belong to.
func (c *Client) AccountSID() string { return c.creds.AccountSID }

// baseURL picks the override, or the regional host, or the default.
func baseURL(cfg Config) (*url.URL, error) {
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
		if host := regionalHost(cfg.Region, cfg.Edge); host != "" {
			raw = "https://" + host
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w %q: want https://host[/path]", ErrBaseURL, raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w %q: no user info, query or fragment allowed", ErrBaseURL, redactURL(u))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%w %q: plain http is allowed only to a loopback host (127.0.0.1, ::1, localhost); use https", ErrBaseURL, raw)
		}
	default:
		return nil, fmt.Errorf("%w %q: scheme must be https (or http to loopback)", ErrBaseURL, raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// regionalHost follows Twilio's helper libraries: an edge without a
// region implies us1; a region without an edge uses the region alone.
func regionalHost(region, edge string) string {
	switch {
	case region == "" && edge == "":
		return ""
	case edge == "":
		return "messaging." + region + ".twilio.com"
	case region == "":
		region = "us1"
	}
	return "messaging." + edge + "." + region + ".twilio.com"
}

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

// defaultHTTPClient honours HTTPS_PROXY and friends and bounds each phase
// of a request; the whole request is bounded by its context, so a long
// list is never cut short by a global timeout.
func defaultHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          4,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}}
}
