package twiliotest_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// bigFake has one service with n attached senders (half WhatsApp, half
// RCS) created a minute apart.
func bigFake(n int) (*twiliotest.Fake, []string) {
	f := newFake()
	sids := make([]string, n)
	for i := range n {
		sender := fmt.Sprintf("whatsapp:+1%010d", 4155550000+i)
		if i%2 == 1 {
			sender = fmt.Sprintf("rcs:agent_%d", i)
		}
		sids[i] = xe(i + 1)
		f.AddSender(twiliotest.SenderSeed{SID: sids[i], Sender: sender, SenderType: "WhatsApp", Status: "ONLINE",
			Created: seedTime.Add(time.Duration(i) * time.Minute)})
	}
	f.AddService(twiliotest.ServiceSeed{SID: svcA, FriendlyName: "big", Created: seedTime, Attached: sids})
	return f, sids
}

// walk follows next_page_url from first and returns every item and meta.
func walk(t *testing.T, e *env, first, key string) ([]map[string]any, []map[string]any) {
	t.Helper()
	var all, metas []map[string]any
	next := first
	for next != "" {
		page := e.get(next).okJSON(t, 200)
		m := meta(t, page)
		metas = append(metas, m)
		all = append(all, items(t, page, key)...)
		next = ""
		if n, ok := m["next_page_url"].(string); ok {
			next = n
		} else if m["next_page_url"] != nil {
			t.Fatalf("next_page_url is %T", m["next_page_url"])
		}
		if len(metas) > 100 {
			t.Fatal("paging does not end")
		}
	}
	return all, metas
}

func TestPagingAcrossPages(t *testing.T) {
	f, sids := bigFake(2500)
	e := start(t, f)
	all, metas := walk(t, e, "/v1/Services/"+svcA+"/ChannelSenders?PageSize=1000", "senders")
	if len(metas) != 3 {
		t.Fatalf("pages = %d, want 3", len(metas))
	}
	for i, m := range metas {
		if got := int(m["page"].(float64)); got != i {
			t.Errorf("page %d: meta.page = %d", i, got)
		}
		if got := int(m["page_size"].(float64)); got != 1000 {
			t.Errorf("page %d: page_size = %d", i, got)
		}
		if m["key"] != "senders" {
			t.Errorf("key = %v", m["key"])
		}
		if want := e.srv.URL + "/v1/Services/" + svcA + "/ChannelSenders?PageSize=1000&Page=0"; m["first_page_url"] != want {
			t.Errorf("first_page_url = %v, want %s", m["first_page_url"], want)
		}
		if !strings.HasPrefix(m["url"].(string), e.srv.URL+"/v1/Services/") {
			t.Errorf("url = %v", m["url"])
		}
		if (i == 0) != (m["previous_page_url"] == nil) {
			t.Errorf("page %d: previous_page_url = %v", i, m["previous_page_url"])
		}
		if i < 2 {
			next := m["next_page_url"].(string)
			if !strings.HasPrefix(next, e.srv.URL+"/v1/Services/"+svcA+"/ChannelSenders?") {
				t.Errorf("next_page_url not absolute on this server: %s", next)
			}
			q := mustQuery(t, next)
			if q.Get("PageSize") != "1000" || q.Get("PageToken") == "" {
				t.Errorf("next_page_url lost PageSize or has no PageToken: %s", next)
			}
		}
	}
	if metas[2]["next_page_url"] != nil {
		t.Errorf("last page next_page_url = %v, want null", metas[2]["next_page_url"])
	}
	if len(all) != len(sids) {
		t.Fatalf("items = %d, want %d", len(all), len(sids))
	}
	for i, s := range all {
		if s["sid"] != sids[i] {
			t.Fatalf("item %d = %v, want %s (order by date_created then sid)", i, s["sid"], sids[i])
		}
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestPagingPreviousPageGoesBack(t *testing.T) {
	f, _ := bigFake(25)
	e := start(t, f)
	first := e.get("/v1/Services/"+svcA+"/ChannelSenders?PageSize=10").okJSON(t, 200)
	second := e.get(meta(t, first)["next_page_url"].(string)).okJSON(t, 200)
	back := e.get(meta(t, second)["previous_page_url"].(string)).okJSON(t, 200)
	a, b := items(t, first, "senders"), items(t, back, "senders")
	if len(a) != len(b) {
		t.Fatalf("previous page has %d items, first had %d", len(b), len(a))
	}
	for i := range a {
		if a[i]["sid"] != b[i]["sid"] {
			t.Fatalf("previous page item %d = %v, want %v", i, b[i]["sid"], a[i]["sid"])
		}
	}
	if got := int(meta(t, back)["page"].(float64)); got != 0 {
		t.Errorf("previous page number = %d", got)
	}
}

// A detach between two pages must not make the client skip a sender:
// page tokens are positions in the list, not offsets.
func TestPagingSurvivesDetachBetweenPages(t *testing.T) {
	f, sids := bigFake(30)
	e := start(t, f)
	first := e.get("/v1/Services/"+svcA+"/ChannelSenders?PageSize=10").okJSON(t, 200)
	if err := f.Detach(svcA, sids[0]); err != nil {
		t.Fatal(err)
	}
	second := e.get(meta(t, first)["next_page_url"].(string)).okJSON(t, 200)
	if got := items(t, second, "senders")[0]["sid"]; got != sids[10] {
		t.Errorf("second page starts at %v, want %s", got, sids[10])
	}
}

func TestPagingDefaultsAndOffsets(t *testing.T) {
	f, sids := bigFake(120)
	e := start(t, f)
	page := e.get("/v1/Services/"+svcA+"/ChannelSenders").okJSON(t, 200)
	if got := int(meta(t, page)["page_size"].(float64)); got != 50 {
		t.Errorf("default page_size = %d, want 50", got)
	}
	if got := len(items(t, page, "senders")); got != 50 {
		t.Errorf("default page has %d items", got)
	}
	// Page without a token is an offset.
	page = e.get("/v1/Services/"+svcA+"/ChannelSenders?PageSize=50&Page=2").okJSON(t, 200)
	got := items(t, page, "senders")
	if len(got) != 20 || got[0]["sid"] != sids[100] {
		t.Errorf("Page=2: %d items from %v", len(got), got[0]["sid"])
	}
	if meta(t, page)["next_page_url"] != nil {
		t.Errorf("Page=2 is the last page")
	}
	// Past the end: empty page, no next.
	page = e.get("/v1/Services/"+svcA+"/ChannelSenders?PageSize=50&Page=99").okJSON(t, 200)
	if len(items(t, page, "senders")) != 0 || meta(t, page)["next_page_url"] != nil {
		t.Errorf("page past the end is not empty and final")
	}
}

func TestEmptyServiceListsEmptyArray(t *testing.T) {
	e := start(t, smallFake())
	r := e.get("/v1/Services/" + svcC + "/ChannelSenders")
	r.okJSON(t, 200)
	if !strings.Contains(string(r.body), `"senders":[]`) {
		t.Errorf("empty list is not [] : %s", r.body)
	}
}

func TestPagingServicesAndChannels(t *testing.T) {
	e := start(t, smallFake())
	all, metas := walk(t, e, "/v1/Services?PageSize=1", "services")
	if len(all) != 3 || len(metas) != 3 {
		t.Fatalf("services = %d over %d pages", len(all), len(metas))
	}
	for i, want := range []string{svcA, svcB, svcC} {
		if all[i]["sid"] != want {
			t.Errorf("service %d = %v, want %s", i, all[i]["sid"], want)
		}
	}
	if metas[0]["key"] != "services" {
		t.Errorf("services key = %v", metas[0]["key"])
	}

	all, metas = walk(t, e, "/v2/Channels/Senders?Channel=whatsapp&PageSize=1", "senders")
	if len(all) != 3 {
		t.Fatalf("whatsapp senders = %d, want 3 (attached or not)", len(all))
	}
	for _, m := range metas[:len(metas)-1] {
		if q := mustQuery(t, m["next_page_url"].(string)); q.Get("Channel") != "whatsapp" || q.Get("PageSize") != "1" {
			t.Errorf("v2 next_page_url lost Channel or PageSize: %v", m["next_page_url"])
		}
	}
	if want := e.srv.URL + "/v2/Channels/Senders?PageSize=1&Page=0&Channel=whatsapp"; metas[0]["first_page_url"] != want {
		t.Errorf("first_page_url = %v, want %s", metas[0]["first_page_url"], want)
	}
}

func TestPagingParametersValidated(t *testing.T) {
	e := start(t, smallFake())
	paths := []string{"/v1/Services", "/v1/Services/" + svcA + "/ChannelSenders", "/v2/Channels/Senders?Channel=rcs"}
	cases := []struct {
		query, mention string
	}{
		{"PageSize=0", "PageSize"},
		{"PageSize=1001", "PageSize"},
		{"PageSize=abc", "PageSize"},
		{"PageSize=-5", "PageSize"},
		{"PageSize=", "PageSize"},
		{"Page=-1", "Page"},
		{"Page=x", "Page"},
		{"PageToken=nonsense", "PageToken"},
	}
	for _, p := range paths {
		for _, c := range cases {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			t.Run(p+sep+c.query, func(t *testing.T) {
				m := e.get(p+sep+c.query).twilioError(t, 400, twiliotest.CodeInvalidParameter)
				if !strings.Contains(m["message"].(string), c.mention) {
					t.Errorf("message %q does not name %s", m["message"], c.mention)
				}
			})
		}
	}
	for _, ok := range []string{"PageSize=1", "PageSize=1000"} {
		if r := e.get("/v1/Services?" + ok); r.status != 200 {
			t.Errorf("%s: status %d", ok, r.status)
		}
	}
}
