package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
)

func TestPagesArriveInOrderBeforeTheNextRequest(t *testing.T) {
	f := newFixture(t, 2500, fixtureOpts{})
	var sizes, requestsSeen []int
	var sids []string
	err := f.client.ListChannelSendersPages(t.Context(), testService, func(p []api.ChannelSender) error {
		requestsSeen = append(requestsSeen, f.fake.Requests(twiliotest.RouteListChannelSenders))
		sizes = append(sizes, len(p))
		for _, s := range p {
			sids = append(sids, s.SID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[1000 1000 500]" {
		t.Errorf("page sizes %v, want [1000 1000 500]", sizes)
	}
	// Page k is handed over while only k requests have been made: the UI
	// can paint the first page before the second is asked for.
	if fmt.Sprint(requestsSeen) != "[1 2 3]" {
		t.Errorf("requests made when each page arrived: %v, want [1 2 3]", requestsSeen)
	}
	want := make([]string, 2500)
	for i := range want {
		want[i] = xe(i + 1)
	}
	if !slices.Equal(sids, want) {
		t.Error("senders not delivered in list order, or some missing or repeated")
	}
	recs := f.fake.Records()
	if len(recs) != 3 {
		t.Fatalf("%d requests, want 3", len(recs))
	}
	for i, r := range recs {
		q, _ := url.ParseQuery(r.RawQuery)
		if q.Get("PageSize") != "1000" || r.Method != "GET" || r.Path != "/v1/Services/"+testService+"/ChannelSenders" {
			t.Errorf("request %d: %s %s?%s, want GET …/ChannelSenders with PageSize=1000", i, r.Method, r.Path, r.RawQuery)
		}
		if i > 0 && q.Get("PageToken") == "" {
			t.Errorf("request %d did not follow next_page_url (no PageToken): %s", i, r.RawQuery)
		}
	}
}

func TestListsUseOneConnection(t *testing.T) {
	for _, n := range []int{0, 1, 999, 1000, 1001, 2500, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFixture(t, n, fixtureOpts{})
			var reused atomic.Int32
			ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{
				GotConn: func(i httptrace.GotConnInfo) {
					if i.Reused {
						reused.Add(1)
					}
				},
			})
			ss, err := f.client.ListChannelSenders(ctx, testService)
			if err != nil || len(ss) != n {
				t.Fatalf("%d senders, %v", len(ss), err)
			}
			want := max(1, (n+999)/1000)
			if got := f.fake.Requests(twiliotest.RouteListChannelSenders); got != want {
				t.Errorf("%d requests, want ceil(%d/1000)=%d", got, n, want)
			}
			if got := f.fake.Connections(); got != 1 {
				t.Errorf("%d TCP connections, want 1", got)
			}
			if got := int(reused.Load()); got != want-1 {
				t.Errorf("%d requests reused the connection, want %d", got, want-1)
			}
		})
	}
}

func TestOtherLists(t *testing.T) {
	f := newFixture(t, 3, fixtureOpts{})
	ctx := t.Context()
	svcs, err := f.client.ListServices(ctx)
	if err != nil || len(svcs) != 2 || svcs[0].SID != testService || svcs[1].SID != otherSvc {
		t.Fatalf("ListServices: %+v, %v", svcs, err)
	}
	if svcs[0].FriendlyName != "Test" || svcs[0].DateCreated == nil || !svcs[0].DateCreated.Equal(seedTime) {
		t.Errorf("service fields: %+v", svcs[0])
	}
	wa, err := f.client.ListAccountSenders(ctx, api.ChannelWhatsApp)
	if err != nil || len(wa) != 3 || wa[0].SID != xe(1) || wa[0].SenderID != "whatsapp:+14150000000" || wa[0].Status != "ONLINE" {
		t.Fatalf("whatsapp catalogue: %+v, %v", wa, err)
	}
	rcs, err := f.client.ListAccountSenders(ctx, api.ChannelRCS)
	if err != nil || len(rcs) != 1 || rcs[0].SID != freeSender {
		t.Fatalf("rcs catalogue: %+v, %v", rcs, err)
	}
	empty, err := f.client.ListChannelSenders(ctx, otherSvc)
	if err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("empty service: %#v, %v (want an empty, non-nil slice)", empty, err)
	}
	for _, r := range f.fake.Records() {
		q, _ := url.ParseQuery(r.RawQuery)
		if q.Get("PageSize") != "1000" {
			t.Errorf("%s?%s lacks PageSize=1000", r.Path, r.RawQuery)
		}
		if r.Route == twiliotest.RouteListAccountSenders && q.Get("Channel") == "" {
			t.Errorf("%s?%s lacks Channel", r.Path, r.RawQuery)
		}
	}
}

func TestPageCallbackErrorStops(t *testing.T) {
	f := newFixture(t, 2500, fixtureOpts{})
	stop := errors.New("enough")
	calls := 0
	err := f.client.ListChannelSendersPages(t.Context(), testService, func([]api.ChannelSender) error {
		calls++
		return stop
	})
	if err != stop {
		t.Fatalf("err = %v, want the callback's own error", err)
	}
	if calls != 1 || f.fake.Requests(twiliotest.RouteListChannelSenders) != 1 {
		t.Errorf("%d calls, %d requests after the callback stopped; want 1 and 1", calls, f.fake.Requests(twiliotest.RouteListChannelSenders))
	}
}

func TestCancelInPageCallback(t *testing.T) {
	f := newFixture(t, 2500, fixtureOpts{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	err := f.client.ListChannelSendersPages(ctx, testService, func([]api.ChannelSender) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := f.fake.Requests(twiliotest.RouteListChannelSenders); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// The fake's FaultForeignNextPage names http://evil.example.invalid in
// next_page_url: the client must stay on its own host, with the same path
// and query, and never send credentials elsewhere.
func TestForeignNextPageStaysHome(t *testing.T) {
	var mu sync.Mutex
	hosts := map[string]int{}
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		hosts[r.URL.Host]++
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})}
	f := newFixture(t, 2500, fixtureOpts{http: hc})
	f.fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultForeignNextPage})
	ss, err := f.client.ListChannelSenders(t.Context(), testService)
	if err != nil || len(ss) != 2500 {
		t.Fatalf("%d senders, %v", len(ss), err)
	}
	home := strings.TrimPrefix(f.srv.URL, "http://")
	if len(hosts) != 1 || hosts[home] != 3 {
		t.Errorf("requests went to %v, want only %s (3 times)", hosts, home)
	}
	recs := f.fake.Records()
	if q, _ := url.ParseQuery(recs[1].RawQuery); q.Get("Page") != "1" || q.Get("PageToken") == "" {
		t.Errorf("the foreign next page's query was not kept: %s", recs[1].RawQuery)
	}

	// On a single page the foreign next_page_url names the page itself:
	// a loop, refused rather than followed.
	small := newFixture(t, 3, fixtureOpts{})
	small.fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultForeignNextPage})
	_, err = small.client.ListChannelSenders(t.Context(), testService)
	if !errors.Is(err, api.ErrBadResponse) || small.fake.TotalRequests() != 1 {
		t.Errorf("self-referencing next page: %v after %d requests; want ErrBadResponse after 1", err, small.fake.TotalRequests())
	}
}

// listHandler serves pages from a function of the request number.
func listHandler(t *testing.T, page func(n int, r *http.Request) (items int, next *string)) (http.HandlerFunc, *atomic.Int32) {
	var count atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		n := int(count.Add(1))
		items, next := page(n, r)
		senders := make([]map[string]any, items)
		for i := range senders {
			senders[i] = map[string]any{"sid": xe(n*1000 + i)}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"senders": senders,
			"meta":    map[string]any{"next_page_url": next, "key": "senders"},
		})
	}, &count
}

func TestBadNextPages(t *testing.T) {
	list := "/v1/Services/" + testService + "/ChannelSenders"
	str := func(s string) *string { return &s }
	tests := []struct {
		name     string
		suffix   string
		page     func(n int, r *http.Request) (int, *string)
		requests int
		want     string // "" means success
	}{
		{"another resource", "", func(n int, r *http.Request) (int, *string) {
			return 1, str("https://messaging.twilio.com/v1/Services?PageSize=1000&Page=1")
		}, 1, "another resource"},
		{"path traversal", "", func(n int, r *http.Request) (int, *string) {
			return 1, str("https://messaging.twilio.com/v1/Services/" + testService + "/ChannelSenders/../../../v2/Channels/Senders")
		}, 1, "another resource"},
		{"same next page twice", "", func(n int, r *http.Request) (int, *string) {
			return 1, str("https://messaging.twilio.com" + list + "?PageSize=1000&Page=1&PageToken=PAx")
		}, 2, "already read"},
		{"back to the first page", "", func(n int, r *http.Request) (int, *string) {
			return 1, str(list + "?PageSize=1000")
		}, 1, "already read"},
		{"endless empty pages", "", func(n int, r *http.Request) (int, *string) {
			return 0, str(fmt.Sprintf("%s?PageSize=1000&Page=%d", list, n))
		}, api.MaxEmptyPages, "empty pages"},
		{"relative next page", "", func(n int, r *http.Request) (int, *string) {
			if n == 2 {
				return 1, nil
			}
			return 1, str(list + "?PageSize=1000&Page=1&PageToken=PA1")
		}, 2, ""},
		{"prefix named in next page", "/proxy", func(n int, r *http.Request) (int, *string) {
			if !strings.HasPrefix(r.URL.Path, "/proxy/v1/") {
				t.Errorf("request %d to %s, outside the base path", n, r.URL.Path)
			}
			if n == 3 {
				return 1, nil
			}
			if n == 1 {
				return 1, str("https://api.example/proxy" + list + "?Page=1")
			}
			return 1, str(list + "?Page=2") // without the prefix: also ours
		}, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, count := listHandler(t, tt.page)
			c, _ := handlerClient(t, h, fixtureOpts{suffix: tt.suffix})
			_, err := c.ListChannelSenders(t.Context(), testService)
			if int(count.Load()) != tt.requests {
				t.Errorf("%d requests, want %d", count.Load(), tt.requests)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, api.ErrBadResponse) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrBadResponse mentioning %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "GET "+list) {
				t.Errorf("%q does not name the call", err)
			}
		})
	}
}

func TestPageWithoutItsList(t *testing.T) {
	c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"services": [], "meta": {"next_page_url": null}}`))
	}, fixtureOpts{})
	_, err := c.ListChannelSenders(t.Context(), testService)
	if !errors.Is(err, api.ErrBadResponse) || !strings.Contains(err.Error(), `"senders"`) {
		t.Fatalf("err = %v, want ErrBadResponse naming the missing list", err)
	}
}

// A server mounted under a path prefix (a proxy) serves the fake there.
func TestBasePathPrefix(t *testing.T) {
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{SID: testAccount, AuthToken: testSecret}})
	seedFake(fake, 1500)
	c, _ := handlerClient(t, http.StripPrefix("/twilio", fake).ServeHTTP, fixtureOpts{suffix: "/twilio/"})
	ss, err := c.ListChannelSenders(t.Context(), testService)
	if err != nil || len(ss) != 1500 {
		t.Fatalf("%d senders, %v", len(ss), err)
	}
	if fake.Requests(twiliotest.RouteListChannelSenders) != 2 {
		t.Errorf("%d requests, want 2", fake.Requests(twiliotest.RouteListChannelSenders))
	}
}

func TestPageCountIsBounded(t *testing.T) {
	list := "/v1/Services/" + testService + "/ChannelSenders"
	h, count := listHandler(t, func(n int, r *http.Request) (int, *string) {
		next := fmt.Sprintf("%s?PageSize=1000&Page=%d", list, n) // always a new page
		return 1, &next
	})
	c, _ := handlerClient(t, h, fixtureOpts{})
	api.SetMaxPages(c, 5)
	pages := 0
	err := c.ListChannelSendersPages(t.Context(), testService, func([]api.ChannelSender) error { pages++; return nil })
	if !errors.Is(err, api.ErrBadResponse) || !strings.Contains(err.Error(), "more than 5 pages") {
		t.Fatalf("err = %v, want ErrBadResponse about the page count", err)
	}
	if count.Load() != 5 || pages != 5 {
		t.Errorf("%d requests, %d pages; want 5 and 5", count.Load(), pages)
	}
}

func TestChannelFilterSurvivesNextPage(t *testing.T) {
	var channels []string
	h, count := listHandler(t, func(n int, r *http.Request) (int, *string) {
		channels = append(channels, r.URL.Query().Get("Channel"))
		if n == 2 {
			return 1, nil
		}
		next := "https://messaging.twilio.com/v2/Channels/Senders?PageSize=1000&Page=1&PageToken=PA1" // no Channel
		return 1, &next
	})
	c, _ := handlerClient(t, h, fixtureOpts{})
	ss, err := c.ListAccountSenders(t.Context(), api.ChannelRCS)
	if err != nil || len(ss) != 2 || count.Load() != 2 {
		t.Fatalf("%d senders in %d requests, %v", len(ss), count.Load(), err)
	}
	if fmt.Sprint(channels) != "[rcs rcs]" {
		t.Errorf("Channel per request: %v, want [rcs rcs]", channels)
	}
}

// TestListingHasAnItemCeiling: a server whose pages never end stops at
// the ceiling, with an error that names it, after delivering what came
// before.
func TestListingHasAnItemCeiling(t *testing.T) {
	fake, c := apitest.Demo(t, twiliotest.DemoOptions{}, api.Config{})
	fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultEndlessPages, Times: -1})
	api.SetMaxItems(c, 5000)
	delivered := 0
	err := c.ListChannelSendersPages(t.Context(), twiliotest.DemoServiceNotifications, func(p []api.ChannelSender) error {
		delivered += len(p)
		return nil
	})
	if !errors.Is(err, api.ErrListTooLong) || !strings.Contains(err.Error(), "more than 5000 items") {
		t.Fatalf("err = %v, want ErrListTooLong naming the ceiling", err)
	}
	if delivered != 5000 || fake.Requests(twiliotest.RouteListChannelSenders) != 6 {
		t.Errorf("%d delivered in %d requests; want 5000 in 6", delivered, fake.Requests(twiliotest.RouteListChannelSenders))
	}
	if api.MaxListItems != 100_000 {
		t.Errorf("the stated ceiling is %d", api.MaxListItems)
	}
}
