package conformance

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/senderpool/senderpool/api"
)

// wantRequest is a request our code must send, exactly, and the status
// Prism must answer it with.
type wantRequest struct {
	base         string // the mock it must go to; "" for any
	method, path string
	query        url.Values // exact names and values: Prism matches names case-insensitively, Twilio need not
	form         url.Values // POST body; nil for none
	status       int
}

func listQuery(extra ...string) url.Values {
	q := url.Values{"PageSize": {"1000"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

// checkRequests compares what went on the wire with want, one by one,
// and checks what every request of ours carries: Basic auth for user, our
// User-Agent, Accept: application/json, and a form Content-Type on a body.
func checkRequests(t *testing.T, got []exchange, want []wantRequest, user, agentPrefix string) {
	t.Helper()
	checkAccepted(t, got)
	if len(got) != len(want) {
		t.Errorf("sent %d requests %v, want %d", len(got), got, len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.method != w.method || g.path != w.path {
			t.Errorf("request %d: %s %s, want %s %s", i, g.method, g.path, w.method, w.path)
		}
		if w.base != "" && "http://"+g.host != w.base {
			t.Errorf("request %d (%s): sent to %s, want %s", i, g, g.host, w.base)
		}
		if q := w.query; !reflect.DeepEqual(g.query, q) && !(len(g.query) == 0 && len(q) == 0) {
			t.Errorf("request %d (%s): query %q, want %q", i, g, g.rawQuery, q.Encode())
		}
		if g.status != w.status {
			t.Errorf("request %d (%s): Prism answered %d, want %d: %s", i, g, g.status, w.status, g.respBody)
		}
		if w.form != nil {
			if ct := g.header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("request %d (%s): Content-Type %q, want a form", i, g, ct)
			}
			if form, err := url.ParseQuery(g.body); err != nil || !reflect.DeepEqual(form, w.form) {
				t.Errorf("request %d (%s): body %q, want %q", i, g, g.body, w.form.Encode())
			}
		} else if g.body != "" {
			t.Errorf("request %d (%s): unexpected body %q", i, g, g.body)
		}
		if u := basicUser(g.header); u != user {
			t.Errorf("request %d (%s): Basic auth user %q, want %q", i, g, u, user)
		}
		if ua := g.header.Get("User-Agent"); !strings.HasPrefix(ua, agentPrefix) {
			t.Errorf("request %d (%s): User-Agent %q, want %s…", i, g, ua, agentPrefix)
		}
		if a := g.header.Get("Accept"); a != "application/json" {
			t.Errorf("request %d (%s): Accept %q, want application/json", i, g, a)
		}
	}
}

func basicUser(h http.Header) string {
	v, ok := strings.CutPrefix(h.Get("Authorization"), "Basic ")
	if !ok {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return ""
	}
	user, _, _ := strings.Cut(string(b), ":")
	return user
}

// TestClientAgainstPrism drives every method of the real api.Client at
// Prism: Prism answers 4xx to any request the spec does not allow, and
// the recorder shows the request was exactly the one intended.
func TestClientAgainstPrism(t *testing.T) {
	v1, v2 := prismURL(t, envV1), prismURL(t, envV2)
	type result struct {
		pages int // pages handed to a *Pages callback
		value any
	}
	cases := []struct {
		name  string
		base  string
		call  func(ctx context.Context, c *api.Client) (result, error)
		want  []wantRequest
		check func(t *testing.T, r result)
	}{
		{
			name: "ListServices", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.ListServices(ctx)
				return result{value: s}, err
			},
			// The spec example's next_page_url is null: one page.
			want: []wantRequest{{method: "GET", path: "/v1/Services", query: listQuery(), status: 200}},
			check: func(t *testing.T, r result) {
				s := r.value.([]api.Service)
				if len(s) != 1 || s[0].SID != exampleService || s[0].FriendlyName != "My Service!" || s[0].AccountSID != exampleAccount {
					t.Errorf("got %+v, want the spec's one service %s \"My Service!\"", s, exampleService)
				}
			},
		},
		{
			name: "ListServicesPages", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				var r result
				err := c.ListServicesPages(ctx, func(p []api.Service) error {
					r.pages++
					r.value = p
					return nil
				})
				return r, err
			},
			want: []wantRequest{{method: "GET", path: "/v1/Services", query: listQuery(), status: 200}},
			check: func(t *testing.T, r result) {
				if p, _ := r.value.([]api.Service); r.pages != 1 || len(p) != 1 {
					t.Errorf("%d pages, last of %d services; want 1 page of 1", r.pages, len(p))
				}
			},
		},
		{
			name: "FetchService", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.FetchService(ctx, exampleService)
				return result{value: s}, err
			},
			want: []wantRequest{{method: "GET", path: "/v1/Services/" + exampleService, status: 200}},
			check: func(t *testing.T, r result) {
				s := r.value.(*api.Service)
				if s.SID != exampleService || s.FriendlyName != "My Service!" || s.ValidityPeriod == nil || *s.ValidityPeriod != 600 ||
					s.Links["channel_senders"] == "" || s.DateCreated == nil {
					t.Errorf("got %+v, want the spec's fetch example", s)
				}
			},
		},
		{
			name: "ListChannelSenders", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.ListChannelSenders(ctx, exampleService)
				return result{value: s}, err
			},
			want: []wantRequest{{method: "GET", path: "/v1/Services/" + exampleService + "/ChannelSenders", query: listQuery(), status: 200}},
			check: func(t *testing.T, r result) {
				s := r.value.([]api.ChannelSender)
				var sids []string
				for _, x := range s {
					sids = append(sids, x.SID)
				}
				want := []string{exampleSender, "XEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "XEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"}
				if !reflect.DeepEqual(sids, want) || s[0].Sender != exampleNumber || s[0].DateCreated == nil {
					t.Errorf("got %+v, want the spec's three senders %v", s, want)
				}
			},
		},
		{
			name: "ListChannelSendersPages", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				var r result
				err := c.ListChannelSendersPages(ctx, exampleService, func(p []api.ChannelSender) error {
					r.pages++
					r.value = p
					return nil
				})
				return r, err
			},
			want: []wantRequest{{method: "GET", path: "/v1/Services/" + exampleService + "/ChannelSenders", query: listQuery(), status: 200}},
			check: func(t *testing.T, r result) {
				if p, _ := r.value.([]api.ChannelSender); r.pages != 1 || len(p) != 3 {
					t.Errorf("%d pages, last of %d senders; want 1 page of 3", r.pages, len(p))
				}
			},
		},
		{
			name: "FetchChannelSender", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.FetchChannelSender(ctx, exampleService, exampleSender)
				return result{value: s}, err
			},
			want: []wantRequest{{method: "GET", path: "/v1/Services/" + exampleService + "/ChannelSenders/" + exampleSender, status: 200}},
			check: func(t *testing.T, r result) {
				s := r.value.(*api.ChannelSender)
				if s.SID != exampleSender || s.Sender != exampleNumber || s.MessagingServiceSID != exampleService || s.CountryCode != "US" {
					t.Errorf("got %+v, want the spec's fetchwhatsappsender example", s)
				}
			},
		},
		{
			name: "CreateChannelSender", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.CreateChannelSender(ctx, exampleService, exampleSender)
				return result{value: s}, err
			},
			want: []wantRequest{{
				method: "POST", path: "/v1/Services/" + exampleService + "/ChannelSenders",
				form: url.Values{"Sid": {exampleSender}}, status: 201,
			}},
			check: func(t *testing.T, r result) {
				s := r.value.(*api.ChannelSender)
				if s.SID != exampleSender || s.Sender != exampleNumber || s.SenderType != "WhatsApp" {
					t.Errorf("got %+v, want the spec's createwhatsappsender example", s)
				}
			},
		},
		{
			name: "DeleteChannelSender", base: v1,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				return result{}, c.DeleteChannelSender(ctx, exampleService, exampleSender)
			},
			want: []wantRequest{{method: "DELETE", path: "/v1/Services/" + exampleService + "/ChannelSenders/" + exampleSender, status: 204}},
		},
		{
			name: "ListAccountSenders/whatsapp", base: v2,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.ListAccountSenders(ctx, api.ChannelWhatsApp)
				return result{value: s}, err
			},
			want: []wantRequest{{method: "GET", path: "/v2/Channels/Senders", query: listQuery("Channel", "whatsapp"), status: 200}},
			check: func(t *testing.T, r result) {
				// The spec's only list example is "readEmpty".
				if s := r.value.([]api.AccountSender); s == nil || len(s) != 0 {
					t.Errorf("got %#v, want an empty, non-nil list", s)
				}
			},
		},
		{
			name: "ListAccountSenders/rcs", base: v2,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				s, err := c.ListAccountSenders(ctx, api.ChannelRCS)
				return result{value: s}, err
			},
			want: []wantRequest{{method: "GET", path: "/v2/Channels/Senders", query: listQuery("Channel", "rcs"), status: 200}},
		},
		{
			name: "ListAccountSendersPages", base: v2,
			call: func(ctx context.Context, c *api.Client) (result, error) {
				var r result
				err := c.ListAccountSendersPages(ctx, api.ChannelWhatsApp, func(p []api.AccountSender) error {
					r.pages++
					return nil
				})
				return r, err
			},
			want: []wantRequest{{method: "GET", path: "/v2/Channels/Senders", query: listQuery("Channel", "whatsapp"), status: 200}},
			check: func(t *testing.T, r result) {
				if r.pages != 1 {
					t.Errorf("%d pages, want 1", r.pages)
				}
			},
		},
	}
	auths := []struct {
		name  string
		creds api.Credentials
		user  string
	}{
		{"auth token", api.Credentials{AccountSID: exampleAccount, Secret: exampleSecret}, exampleAccount},
		{"API key", api.Credentials{AccountSID: exampleAccount, APIKeySID: exampleAPIKey, Secret: exampleSecret}, exampleAPIKey},
	}
	for _, auth := range auths {
		t.Run(auth.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					rec := newRecorder(t)
					c := newClient(t, tc.base, auth.creds, rec)
					r, err := tc.call(testContext(t), c)
					got := rec.take()
					checkRequests(t, got, tc.want, auth.user, api.DefaultUserAgent)
					if err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
					if tc.check != nil {
						tc.check(t, r)
					}
				})
			}
		})
	}
}

// secondPage is an http.RoundTripper that makes the first answer name a
// next page, as Twilio's do when a list is long: Prism's examples never
// do, and the request our client builds from next_page_url must pass
// Prism's validation too.
type secondPage struct {
	next http.RoundTripper
	mu   sync.Mutex
	done bool
}

func (p *secondPage) RoundTrip(req *http.Request) (*http.Response, error) {
	return p.rewrite(req, func(page map[string]any, next string) bool {
		meta, _ := page["meta"].(map[string]any)
		if meta == nil {
			return false
		}
		// Twilio's host, as Twilio writes it: the client keeps only path and query.
		meta["next_page_url"] = "https://messaging.twilio.com" + next
		return true
	})
}

// rewrite has set name the next page (path and query, next) in the first
// answer; set reports false when the page has no place for it.
func (p *secondPage) rewrite(req *http.Request, set func(page map[string]any, next string) bool) (*http.Response, error) {
	resp, err := p.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	p.mu.Lock()
	first := !p.done
	p.done = true
	p.mu.Unlock()
	if !first {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var page map[string]any
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, err
	}
	q := req.URL.Query()
	q.Set("Page", "1")
	q.Set("PageToken", "PAconformance")
	if !set(page, req.URL.Path+"?"+q.Encode()) {
		return nil, fmt.Errorf("no place for a next page in %s", body)
	}
	if body, err = json.Marshal(page); err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return resp, nil
}

// TestClientPagingAgainstPrism follows a next page at Prism: the second
// request, built from next_page_url, must be as valid as the first.
func TestClientPagingAgainstPrism(t *testing.T) {
	v1, v2 := prismURL(t, envV1), prismURL(t, envV2)
	nextPage := func(q url.Values) url.Values {
		q.Set("Page", "1")
		q.Set("PageToken", "PAconformance")
		return q
	}
	cases := []struct {
		name  string
		base  string
		path  string
		query url.Values
		count func(ctx context.Context, c *api.Client) (int, error)
		want  int // items over both pages
	}{
		{
			name: "services", base: v1, path: "/v1/Services", query: listQuery(), want: 2,
			count: func(ctx context.Context, c *api.Client) (int, error) {
				s, err := c.ListServices(ctx)
				return len(s), err
			},
		},
		{
			name: "channel senders", base: v1, path: "/v1/Services/" + exampleService + "/ChannelSenders", query: listQuery(), want: 6,
			count: func(ctx context.Context, c *api.Client) (int, error) {
				s, err := c.ListChannelSenders(ctx, exampleService)
				return len(s), err
			},
		},
		{
			name: "v2 senders", base: v2, path: "/v2/Channels/Senders", query: listQuery("Channel", "whatsapp"), want: 0,
			count: func(ctx context.Context, c *api.Client) (int, error) {
				s, err := c.ListAccountSenders(ctx, api.ChannelWhatsApp)
				return len(s), err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t)
			c, err := api.New(api.Config{
				Credentials: api.Credentials{AccountSID: exampleAccount, Secret: exampleSecret},
				BaseURL:     tc.base,
				HTTPClient:  &http.Client{Transport: &secondPage{next: rec}},
				Retry:       api.RetryPolicy{MaxAttempts: 1},
			})
			if err != nil {
				t.Fatal(err)
			}
			n, err := tc.count(testContext(t), c)
			checkRequests(t, rec.take(), []wantRequest{
				{method: "GET", path: tc.path, query: tc.query, status: 200},
				{method: "GET", path: tc.path, query: nextPage(maps.Clone(tc.query)), status: 200},
			}, exampleAccount, api.DefaultUserAgent)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Errorf("%d items over two pages, want %d", n, tc.want)
			}
		})
	}
}
