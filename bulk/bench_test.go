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
	floor := benchSenders * benchLatency / benchConcurrency
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		client, pool := detachSetup(b, twiliotest.DemoOptions{Senders: benchSenders, Latency: benchLatency})
		b.StartTimer()
		start := time.Now()
		report := bulk.Run(context.Background(), pool, func(ctx context.Context, p api.PoolSender) error {
			return client.DetachPoolSender(ctx, twiliotest.DemoServiceNotifications, p)
		}, bulk.Options{Concurrency: benchConcurrency}, nil)
		elapsed += time.Since(start)
		if report.OK != benchSenders {
			b.Fatalf("%d of %d detached, %d failed: %v", report.OK, benchSenders, report.Failed, firstErr(report))
		}
	}
	b.ReportMetric(float64(elapsed)/float64(b.N)/float64(floor), "x-floor")
}

// detachSetup serves a demo fake whose first service holds the
// benchmark's channel senders and returns a client on it with them.
func detachSetup(b *testing.B, opts twiliotest.DemoOptions) (*api.Client, []api.PoolSender) {
	b.Helper()
	_, client := apitest.Demo(b, opts, api.Config{})
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
	return client, pool
}

func firstErr[T any](r bulk.Report[T]) error {
	for _, res := range r.Results {
		if res.Err != nil {
			return res.Err
		}
	}
	return nil
}
