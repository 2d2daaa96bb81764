package change_test

import (
	"context"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/change"
)

// The benchmarks' batch: 500 detaches, audited, from a fake answering
// each request after 50 ms. Twilio has no bulk endpoint, so 4 at a time
// cannot beat 500 × 50 ms ÷ 4 = 6.25 s; x-floor says how far above that a
// run is.
const (
	benchSenders = 500
	benchLatency = 50 * time.Millisecond
)

// BenchmarkDetachMany500 runs DetachMany at concurrency 4 on an account
// that takes 4 requests at once (as many as the batch sends), 3 (a 429
// whenever the batch's four meet; its floor is 8.33 s) and 2 (429s on
// most bursts; floor 12.5 s). x-floor is against the account's own floor,
// x-batch-floor against the batch's 6.25 s.
func BenchmarkDetachMany500(b *testing.B) {
	for _, bc := range []struct {
		name  string
		limit int
	}{{"account-limit-4", 4}, {"account-limit-3", 3}, {"account-limit-2", 2}} {
		b.Run(bc.name, func(b *testing.B) {
			floor := benchSenders * benchLatency / time.Duration(min(4, bc.limit))
			var elapsed time.Duration
			refused := 0
			for range b.N {
				b.StopTimer()
				e := newEnv(b, twiliotest.DemoOptions{Senders: benchSenders, Latency: benchLatency}, change.Options{Concurrency: 4})
				pool := channelPool(b, e, notif)
				if _, err := e.c.FetchService(context.Background(), notif); err != nil {
					b.Fatal(err)
				}
				e.fake.SetConcurrency(twiliotest.ConcurrencyLimit{MaxInFlight: bc.limit, RetryAfter: 1, RetryAfterEvery: 5})
				b.StartTimer()
				start := time.Now()
				r := e.c.DetachMany(context.Background(), notif, pool, nil)
				elapsed += time.Since(start)
				if r.OK != benchSenders {
					b.Fatalf("%d of %d detached", r.OK, benchSenders)
				}
				refused += e.fake.Throttled()
			}
			b.ReportMetric(float64(elapsed)/float64(b.N)/float64(floor), "x-floor")
			b.ReportMetric(float64(elapsed)/float64(b.N)/float64(benchSenders*benchLatency/4), "x-batch-floor")
			b.ReportMetric(float64(refused)/float64(b.N), "429s/op")
		})
	}
}

// BenchmarkDetachOneByOne is what a shell loop of detaches does, less
// the start of a process each time: 500 DetachPoolSender calls in a row
// (floor 500 × 50 ms = 25 s).
func BenchmarkDetachOneByOne(b *testing.B) {
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		e := newEnv(b, twiliotest.DemoOptions{Senders: benchSenders, Latency: benchLatency}, change.Options{})
		pool := channelPool(b, e, notif)
		if _, err := e.c.FetchService(context.Background(), notif); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for _, p := range pool {
			if err := e.c.DetachPoolSender(context.Background(), notif, p); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(elapsed)/float64(b.N)/float64(benchSenders*benchLatency/4), "x-floor-of-4")
}
