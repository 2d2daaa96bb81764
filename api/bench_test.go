package api_test

import (
	"testing"

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
