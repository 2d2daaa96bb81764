package index_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	"github.com/senderpool/senderpool/index"
)

// manyServices seeds a fake with services of perService senders each:
// half channel senders, half phone numbers, every one in one pool.
func manyServices(services, perService int) *twiliotest.Fake {
	f := twiliotest.New(twiliotest.Options{})
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	channel, numbers := perService/2, perService-perService/2
	senders := twiliotest.Generate(1, services*channel, start)
	nums := twiliotest.GenerateNumbers(1, services*numbers, start)
	for _, s := range senders {
		f.AddSender(s)
	}
	for _, n := range nums {
		f.AddNumber(n)
	}
	for i := range services {
		seed := twiliotest.ServiceSeed{SID: fmt.Sprintf("MG%032x", i+1), FriendlyName: fmt.Sprintf("Service %d", i+1),
			Created: start, PoolLimit: perService}
		for _, s := range senders[i*channel : (i+1)*channel] {
			seed.Attached = append(seed.Attached, s.SID)
		}
		for _, n := range nums[i*numbers : (i+1)*numbers] {
			seed.PhoneNumbers = append(seed.PhoneNumbers, n.SID)
		}
		f.AddService(seed)
	}
	return f
}

// BenchmarkBuild20x1000 builds the index of 20 services of 1,000 senders
// each (500 channel senders, 500 phone numbers) over a link that adds
// 50 ms to every reply, 4 requests at a time. Each request waits its
// 50 ms, so no build can beat requests × 50 ms ÷ 4 (bound-ms); ratio is
// the time taken over that bound.
func BenchmarkBuild20x1000(b *testing.B) {
	const (
		latency     = 50 * time.Millisecond
		concurrency = 4
	)
	fake := manyServices(20, 1000)
	srv := twiliotest.Serve(b, fake)
	c := apitest.Client(b, srv, noRetry)
	fake.SetLatency(latency)
	b.ReportAllocs()
	before := fake.TotalRequests()
	for b.Loop() {
		ix, err := index.Build(b.Context(), c, index.Options{Concurrency: concurrency})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(ix.Services()); n != 20 {
			b.Fatalf("%d services", n)
		}
		if hits, _ := ix.Holders(fmt.Sprintf("MG%032x", 1)); hits != nil {
			b.Fatal("a service SID is no sender")
		}
		for _, e := range ix.Services() {
			if !e.Complete() || len(e.Senders) != 1000 {
				b.Fatalf("%s: %d senders, %v", e.Service.SID, len(e.Senders), e.Err)
			}
		}
	}
	if peak := fake.PeakInFlight(); peak > concurrency {
		b.Fatalf("%d requests in flight at once", peak)
	}
	requests := float64(fake.TotalRequests()-before) / float64(b.N)
	bound := requests * float64(latency.Milliseconds()) / concurrency
	elapsed := float64(b.Elapsed().Milliseconds()) / float64(b.N)
	b.ReportMetric(requests, "requests/op")
	b.ReportMetric(bound, "bound-ms")
	b.ReportMetric(elapsed, "ms/op")
	b.ReportMetric(elapsed/bound, "ratio")
}

// BenchmarkHolders20x1000 looks senders up in the index of 20,000.
func BenchmarkHolders20x1000(b *testing.B) {
	fake := manyServices(20, 1000)
	srv := twiliotest.Serve(b, fake)
	c := apitest.Client(b, srv, noRetry)
	ix, err := index.Build(b.Context(), c, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	last, _ := ix.Service(fmt.Sprintf("MG%032x", 20))
	queries := []string{last.Senders[0].SID, last.Senders[0].Address, last.Senders[999].Address}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range queries {
			if hits, err := ix.Holders(q); err != nil || len(hits) != 1 {
				b.Fatalf("Holders(%q) = %v, %v", q, hits, err)
			}
		}
	}
}
