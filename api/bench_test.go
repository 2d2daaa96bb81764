package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// BenchmarkListChannelSenders10k lists a service of 10,000 senders from
// the fake over loopback HTTP: 10 pages of 1000.
func BenchmarkListChannelSenders10k(b *testing.B) {
	f := newFixture(b, 10_000, fixtureOpts{})
	b.ReportAllocs()
	for b.Loop() {
		ss, err := f.client.ListChannelSenders(b.Context(), testService)
		if err != nil || len(ss) != 10_000 {
			b.Fatalf("%d senders, %v", len(ss), err)
		}
	}
	b.ReportMetric(float64(f.fake.Requests(twiliotest.RouteListChannelSenders))/float64(b.N), "requests/op")
}

// BenchmarkPoolOver50ms lists every kind of one service's pool over a
// link that adds 50 ms to every reply: all at once (ListPool, one stream
// per source), and each source alone. The pool: 1200 channel senders (2
// pages), 2500 phone numbers (3 pages), 150 short codes, 2 alpha senders.
// "ratio" times both in each round and reports all ÷ slowest: the issue
// wants it at most 1.3.
func BenchmarkPoolOver50ms(b *testing.B) {
	f, c := demoClient(b, twiliotest.DemoOptions{Senders: 1200, Numbers: 2500, ShortCodes: 150})
	f.SetLatency(50 * time.Millisecond)
	listAll := func(b *testing.B) int {
		pool, err := c.ListPool(b.Context(), demoN)
		if err != nil {
			b.Fatal(err)
		}
		return len(pool)
	}
	listOne := func(b *testing.B, src api.PoolSource) int {
		n := 0
		err := c.ListSourcePages(b.Context(), demoN, src, func(p []api.PoolSender) error { n += len(p); return nil })
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	b.Run("all-kinds", func(b *testing.B) {
		for b.Loop() {
			if n := listAll(b); n != 1200+2500+150+2 {
				b.Fatalf("%d senders", n)
			}
		}
	})
	for _, src := range api.PoolSources() {
		b.Run(strings.ReplaceAll(src.String(), " ", "-"), func(b *testing.B) {
			for b.Loop() {
				listOne(b, src)
			}
		})
	}
	b.Run("ratio", func(b *testing.B) {
		var all, slowest time.Duration
		for b.Loop() {
			t0 := time.Now()
			listAll(b)
			t1 := time.Now()
			listOne(b, api.SourcePhoneNumbers) // the longest list: 3 pages
			all, slowest = all+t1.Sub(t0), slowest+time.Since(t1)
		}
		b.ReportMetric(float64(all)/float64(slowest), "all/slowest")
		b.ReportMetric(float64(all.Milliseconds())/float64(b.N), "ms-all/op")
		b.ReportMetric(float64(slowest.Milliseconds())/float64(b.N), "ms-slowest/op")
	})
}
