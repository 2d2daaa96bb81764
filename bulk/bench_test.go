package bulk_test

import (
	"context"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	"github.com/senderpool/senderpool/bulk"
)

// The benchmarks' batch: 500 detaches from a fake answering each request
// after 50 ms, 4 at a time. Twilio has no bulk endpoint, so the floor is
// 500 × 50 ms ÷ 4 = 6.25 s; the x-floor metric says how far above it a run is.
const (
	benchSenders     = 500
	benchLatency     = 50 * time.Millisecond
	benchConcurrency = 4
)

func BenchmarkDetach500(b *testing.B) {
	benchDetach(b, twiliotest.ConcurrencyLimit{})
}

// BenchmarkDetach500Throttled is the same batch on an account that takes
// 2 requests at once and refuses the others with 429 at once, as Twilio
// does; the floor is then 500 × 50 ms ÷ 2 = 12.5 s.
func BenchmarkDetach500Throttled(b *testing.B) {
	b.Run("no-retry-after", func(b *testing.B) {
		benchDetach(b, twiliotest.ConcurrencyLimit{MaxInFlight: 2})
	})
	b.Run("retry-after-1s-every-5th", func(b *testing.B) {
		benchDetach(b, twiliotest.ConcurrencyLimit{MaxInFlight: 2, RetryAfter: 1, RetryAfterEvery: 5})
	})
}

// benchDetach detaches the benchmark's senders on a fake with limit and
// reports how far above the floor it took and the 429s met per batch.
func benchDetach(b *testing.B, limit twiliotest.ConcurrencyLimit) {
	width := benchConcurrency
	if limit.MaxInFlight > 0 {
		width = min(width, limit.MaxInFlight)
	}
	floor := benchSenders * benchLatency / time.Duration(width)
	var elapsed time.Duration
	var refused, seen int
	for range b.N {
		b.StopTimer()
		fake, client, pool := detachSetup(b, twiliotest.DemoOptions{Senders: benchSenders, Latency: benchLatency})
		fake.SetConcurrency(limit) // after the listing, which must not be refused
		b.StartTimer()
		start := time.Now()
		report := bulk.Run(context.Background(), pool, func(ctx context.Context, p api.PoolSender) error {
			return client.DetachPoolSender(ctx, twiliotest.DemoServiceNotifications, p)
		}, bulk.Options{Concurrency: benchConcurrency}, nil)
		elapsed += time.Since(start)
		if report.OK != benchSenders {
			b.Fatalf("%d of %d detached, %d failed: %v", report.OK, benchSenders, report.Failed, firstErr(report))
		}
		refused += fake.Throttled()
		seen += report.Throttles
	}
	b.ReportMetric(float64(elapsed)/float64(b.N)/float64(floor), "x-floor")
	b.ReportMetric(float64(refused)/float64(b.N), "429s/op")   // the fake's refusals
	b.ReportMetric(float64(seen)/float64(b.N), "throttles/op") // those that reached the batch past the client's own retries
}

// detachSetup serves a demo fake whose first service holds the
// benchmark's channel senders and returns it with a client on it and
// those senders.
func detachSetup(b *testing.B, opts twiliotest.DemoOptions) (*twiliotest.Fake, *api.Client, []api.PoolSender) {
	b.Helper()
	fake, client := apitest.Demo(b, opts, api.Config{})
	senders, err := client.ListChannelSenders(context.Background(), twiliotest.DemoServiceNotifications)
	if err != nil {
		b.Fatal(err)
	}
	if len(senders) != benchSenders {
		b.Fatalf("the demo service holds %d senders, want %d", len(senders), benchSenders)
	}
	pool := make([]api.PoolSender, len(senders))
	for i, s := range senders {
		pool[i] = s.PoolSender()
	}
	return fake, client, pool
}

func firstErr[T any](r bulk.Report[T]) error {
	for _, res := range r.Results {
		if res.Err != nil {
			return res.Err
		}
	}
	return nil
}
