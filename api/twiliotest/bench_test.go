package twiliotest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// BenchmarkList10kSendersHTTP lists all 10,000 senders of a service over
// loopback HTTP, 1000 a page, following next_page_url as a client does.
func BenchmarkList10kSendersHTTP(b *testing.B) {
	f := twiliotest.Demo(twiliotest.DemoOptions{Senders: 10000})
	srv := twiliotest.Serve(b, f)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	first := srv.URL + "/v1/Services/" + twiliotest.DemoServiceNotifications + "/ChannelSenders?PageSize=1000"
	var bytes int64
	for b.Loop() {
		bytes = 0
		n := 0
		for next := first; next != ""; {
			req, _ := http.NewRequest(http.MethodGet, next, nil)
			req.SetBasicAuth(twiliotest.DemoAccountSID, twiliotest.DemoAuthToken)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("%d %v", resp.StatusCode, err)
			}
			bytes += int64(len(body))
			var page struct {
				Senders []json.RawMessage `json:"senders"`
				Meta    struct {
					NextPageURL *string `json:"next_page_url"`
				} `json:"meta"`
			}
			if err := json.Unmarshal(body, &page); err != nil {
				b.Fatal(err)
			}
			n += len(page.Senders)
			next = ""
			if page.Meta.NextPageURL != nil {
				next = *page.Meta.NextPageURL
			}
		}
		if n != 10000 {
			b.Fatalf("listed %d senders", n)
		}
	}
	b.SetBytes(bytes)
}

// BenchmarkListPageInProcess measures the fake alone: one 1000-sender page
// out of 10,000, served straight through ServeHTTP.
func BenchmarkListPageInProcess(b *testing.B) {
	f := twiliotest.Demo(twiliotest.DemoOptions{Senders: 10000})
	target := "http://fake/v1/Services/" + twiliotest.DemoServiceNotifications + "/ChannelSenders?PageSize=1000&Page=5"
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.SetBasicAuth(twiliotest.DemoAccountSID, twiliotest.DemoAuthToken)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
