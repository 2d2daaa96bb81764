package bulk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
)

func TestConcurrencyBound(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int
		jobs        int
		want        int // the most in flight at once
	}{
		{"one at a time", 1, 10, 1},
		{"four", 4, 50, 4},
		{"default is four", 0, 30, 4},
		{"more workers than jobs", 8, 5, 5},
		{"many", 16, 200, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inFlight, most atomic.Int64
			wave := int64(tt.want)
			var firstWave sync.WaitGroup
			firstWave.Add(tt.want)
			var progressMost atomic.Int64
			report := bulk.Run(context.Background(), indexes(tt.jobs), func(ctx context.Context, i int) error {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				if int64(i) < wave {
					// The first items go to distinct workers: hold them until
					// all are in, so the bound is reached, not only respected.
					firstWave.Done()
					firstWave.Wait()
				}
				return nil
			}, bulk.Options{Concurrency: tt.concurrency}, func(p bulk.Progress) {
				if int64(p.InFlight) > progressMost.Load() {
					progressMost.Store(int64(p.InFlight))
				}
			})
			if got := most.Load(); got != int64(tt.want) {
				t.Errorf("most in flight = %d, want %d", got, tt.want)
			}
			if got := progressMost.Load(); got > int64(tt.want) {
				t.Errorf("progress said %d in flight, bound %d", got, tt.want)
			}
			if report.OK != tt.jobs || report.Failed != 0 || report.NotStarted != 0 {
				t.Errorf("report %d ok, %d failed, %d not started; want %d ok", report.OK, report.Failed, report.NotStarted, tt.jobs)
			}
		})
	}
}

// TestThrottlePausesAll: a 429 on one job holds every worker until the
// pause ends, then the throttled job is tried again.
func TestThrottlePausesAll(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		jitter    func(time.Duration) time.Duration
		opts      bulk.Options
		wantPause time.Duration
	}{
		{"backoff from the base", throttledErr(0), maxJitter, bulk.Options{BaseDelay: time.Second}, time.Second},
		{"jitter keeps half the backoff", throttledErr(0), func(time.Duration) time.Duration { return 0 },
			bulk.Options{BaseDelay: time.Second}, 500 * time.Millisecond},
		{"Retry-After honoured", throttledErr(5 * time.Second), maxJitter, bulk.Options{BaseDelay: time.Second}, 5 * time.Second},
		{"Retry-After capped", throttledErr(90 * time.Second), maxJitter,
			bulk.Options{BaseDelay: time.Second, MaxDelay: 10 * time.Second}, 10 * time.Second},
		{"code 20429 without status 429", &api.Error{Status: http.StatusBadRequest, Code: 20429}, maxJitter,
			bulk.Options{BaseDelay: 2 * time.Second}, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const workers, jobs = 3, 8
			clock := newFakeClock()
			rec := &starts{clock: clock}
			release := make([]chan struct{}, workers)
			for i := range release {
				release[i] = make(chan struct{})
			}
			opts := tt.opts
			opts.Concurrency, opts.Clock, opts.Jitter = workers, clock, tt.jitter
			done := make(chan bulk.Report[int])
			go func() {
				done <- bulk.Run(context.Background(), indexes(jobs), func(ctx context.Context, i int) error {
					attempt := rec.add(i)
					if i < workers && attempt == 1 {
						<-release[i]
					}
					if i == 0 && attempt == 1 {
						return tt.err
					}
					return nil
				}, opts, nil)
			}()

			eventually(t, "the first wave in flight", func() bool { return rec.Len() == workers })
			throttledAt := clock.Now()
			close(release[0])
			eventually(t, "the throttled worker to pause", func() bool { return clock.Pending() == 1 })
			close(release[1])
			close(release[2])
			eventually(t, "every worker to pause", func() bool { return clock.Pending() == workers })
			if n := rec.Len(); n != workers {
				t.Fatalf("%d jobs started during the pause", n-workers)
			}
			clock.Advance(tt.wantPause - time.Nanosecond)
			if n, p := rec.Len(), clock.Pending(); n != workers || p != workers {
				t.Fatalf("just before the pause ends: %d started, %d waiting", n, p)
			}
			clock.Advance(time.Nanosecond)
			report := <-done

			for _, s := range rec.All()[workers:] {
				if s.at.Before(throttledAt.Add(tt.wantPause)) {
					t.Errorf("item %d attempt %d started %v after the throttle, inside the pause of %v",
						s.item, s.attempt, s.at.Sub(throttledAt), tt.wantPause)
				}
			}
			if report.OK != jobs || report.Throttles != 1 {
				t.Errorf("report: %d ok, %d throttles; want %d ok, 1 throttle", report.OK, report.Throttles, jobs)
			}
			if got := report.Results[0].Attempts; got != 2 {
				t.Errorf("throttled job made %d attempts, want 2", got)
			}
		})
	}
}

// TestBackoffSteps: consecutive throttles double the pause up to the cap,
// successes relax it, and a job throttled every time fails after
// MaxAttempts with the API's error.
func TestBackoffSteps(t *testing.T) {
	tests := []struct {
		name   string
		script map[int][]bool // per item, per attempt: throttled?
		jobs   int
		want   []time.Duration
		failed []int
	}{
		{"doubles up to the cap", map[int][]bool{0: {true, true, true, true}}, 1,
			[]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}, nil},
		{"bounded attempts", map[int][]bool{0: {true, true, true, true, true, true}}, 2,
			// The fifth throttle fails the job and still pauses item 1.
			[]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, []int{0}},
		{"a success relaxes", map[int][]bool{0: {true, true, false}, 2: {true}}, 3,
			// 1s, 2s; the success steps back to 1s's level, item 1's to none;
			// item 2 starts again from the base.
			[]time.Duration{time.Second, 2 * time.Second, time.Second}, nil},
		{"one success steps back once", map[int][]bool{0: {true, true, false}, 1: {true}}, 2,
			[]time.Duration{time.Second, 2 * time.Second, 2 * time.Second}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			clock.jump = true
			rec := &starts{}
			report := bulk.Run(context.Background(), indexes(tt.jobs), func(ctx context.Context, i int) error {
				attempt := rec.add(i)
				if s := tt.script[i]; attempt <= len(s) && s[attempt-1] {
					return throttledErr(0)
				}
				return nil
			}, bulk.Options{Concurrency: 1, MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 3 * time.Second,
				Clock: clock, Jitter: maxJitter}, nil)

			if got := clock.Waits(); !slices.Equal(got, tt.want) {
				t.Errorf("pauses %v, want %v", got, tt.want)
			}
			failed := report.FailedItems()
			if !slices.Equal(failed, tt.failed) {
				t.Fatalf("failed %v, want %v", failed, tt.failed)
			}
			for _, i := range failed {
				r := report.Results[i]
				if _, ok := api.AsError(r.Err); !ok || r.Attempts != 5 {
					t.Errorf("item %d: %d attempts, err %v; want 5 attempts and the API's error", i, r.Attempts, r.Err)
				}
			}
		})
	}
}

// TestStop: a done context starts nothing more, lets the jobs in flight
// finish on a context of their own, and reports the rest not started.
func TestStop(t *testing.T) {
	tests := []struct {
		name      string
		throttle  bool // item 0 is throttled and waits for its retry when the stop comes
		wantOK    []int
		wantFail  []int
		wantCalls int
	}{
		{"after the jobs in flight", false, []int{0, 1}, nil, 2},
		{"while a throttled job waits", true, []int{1}, []int{0}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const workers, jobs = 2, 10
			clock := newFakeClock()
			rec := &starts{clock: clock}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			release := make(chan struct{})
			oneIn := make(chan struct{}) // item 1 is in flight
			var jobCtxErr atomic.Value
			done := make(chan bulk.Report[int])
			go func() {
				done <- bulk.Run(ctx, indexes(jobs), func(jctx context.Context, i int) error {
					rec.add(i)
					if i == 1 {
						close(oneIn)
					}
					if tt.throttle && i == 0 {
						<-oneIn // throttled once both are in, so item 1 is not held by the pause
						return throttledErr(time.Minute)
					}
					<-release
					if err := jctx.Err(); err != nil {
						jobCtxErr.Store(err)
					}
					return nil
				}, bulk.Options{Concurrency: workers, Clock: clock, MaxDelay: time.Hour}, nil)
			}()
			if tt.throttle {
				eventually(t, "the throttled job to wait", func() bool { return clock.Pending() >= 1 && rec.Len() == 2 })
			} else {
				eventually(t, "the jobs in flight", func() bool { return rec.Len() == workers })
			}
			cancel()
			close(release)
			report := <-done

			if err, _ := jobCtxErr.Load().(error); err != nil {
				t.Errorf("a job in flight saw its context end: %v", err)
			}
			if n := rec.Len(); n != tt.wantCalls {
				t.Errorf("%d attempts made, want %d", n, tt.wantCalls)
			}
			var ok []int
			for _, r := range report.Results {
				if r.Outcome == bulk.OK {
					ok = append(ok, r.Item)
				}
			}
			if !slices.Equal(ok, tt.wantOK) || !slices.Equal(report.FailedItems(), tt.wantFail) {
				t.Errorf("ok %v failed %v, want %v and %v", ok, report.FailedItems(), tt.wantOK, tt.wantFail)
			}
			if want := jobs - len(tt.wantOK) - len(tt.wantFail); report.NotStarted != want || len(report.NotStartedItems()) != want {
				t.Errorf("%d not started (%d items), want %d", report.NotStarted, len(report.NotStartedItems()), want)
			}
			for _, i := range tt.wantFail {
				err := report.Results[i].Err
				if _, isAPI := api.AsError(err); !isAPI || !errors.Is(err, context.Canceled) {
					t.Errorf("item %d: err %v, want the 429 and the stop", i, err)
				}
			}
		})
	}
}

func TestStoppedBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	var last bulk.Progress
	report := bulk.Run(ctx, indexes(5), func(context.Context, int) error {
		calls.Add(1)
		return nil
	}, bulk.Options{}, func(p bulk.Progress) { last = p })
	if calls.Load() != 0 || report.NotStarted != 5 {
		t.Errorf("%d calls, %d not started; want none and 5", calls.Load(), report.NotStarted)
	}
	if !last.Stopping || last.NotStarted != 5 || last.Remaining != 0 {
		t.Errorf("last progress %+v", last)
	}
}

func TestReportOrderAndRetry(t *testing.T) {
	tests := []struct {
		name        string
		jobs        int
		concurrency int
		fails       func(int) bool
	}{
		{"none fail", 20, 4, func(int) bool { return false }},
		{"every third fails", 30, 4, func(i int) bool { return i%3 == 0 }},
		{"all fail", 7, 3, func(int) bool { return true }},
		{"no jobs", 0, 4, func(int) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := make([]string, tt.jobs)
			for i := range items {
				items[i] = fmt.Sprintf("XE%032d", i)
			}
			var wantFailed []string
			for i, it := range items {
				if tt.fails(i) {
					wantFailed = append(wantFailed, it)
				}
			}
			boom := errors.New("boom")
			report := bulk.Run(context.Background(), items, func(_ context.Context, sid string) error {
				var i int
				fmt.Sscanf(sid[2:], "%d", &i)
				if tt.fails(i) {
					return fmt.Errorf("detach %s: %w", sid, boom)
				}
				return nil
			}, bulk.Options{Concurrency: tt.concurrency}, nil)

			if len(report.Results) != tt.jobs {
				t.Fatalf("%d results for %d jobs", len(report.Results), tt.jobs)
			}
			for i, r := range report.Results {
				want := bulk.OK
				if tt.fails(i) {
					want = bulk.Failed
				}
				if r.Item != items[i] || r.Outcome != want || r.Attempts != 1 {
					t.Errorf("result %d: %s %v after %d attempts, want %s %v", i, r.Item, r.Outcome, r.Attempts, items[i], want)
				}
				if (want == bulk.Failed) != errors.Is(r.Err, boom) {
					t.Errorf("result %d: err %v", i, r.Err)
				}
			}
			if report.OK != tt.jobs-len(wantFailed) || report.Failed != len(wantFailed) || report.NotStarted != 0 {
				t.Errorf("totals %d/%d/%d", report.OK, report.Failed, report.NotStarted)
			}
			if got := report.FailedItems(); !slices.Equal(got, wantFailed) {
				t.Fatalf("FailedItems %v, want %v", got, wantFailed)
			}

			// Retry the failures only: now they succeed.
			var retried []string
			var mu sync.Mutex
			again := bulk.Run(context.Background(), report.FailedItems(), func(_ context.Context, sid string) error {
				mu.Lock()
				retried = append(retried, sid)
				mu.Unlock()
				return nil
			}, bulk.Options{Concurrency: tt.concurrency}, nil)
			slices.Sort(retried)
			if !slices.Equal(retried, wantFailed) || again.OK != len(wantFailed) || len(again.FailedItems()) != 0 {
				t.Errorf("retry ran %v (%d ok), want %v", retried, again.OK, wantFailed)
			}
		})
	}
}

// TestProgressNeverBlocksWorkers: a consumer that does not read does not
// hold the batch; what it missed is merged, and the last snapshot is final.
func TestProgressNeverBlocksWorkers(t *testing.T) {
	const jobs = 100
	var finished atomic.Int64
	unblock := make(chan struct{})
	var calls, busy atomic.Int64
	var last bulk.Progress
	done := make(chan bulk.Report[int])
	go func() {
		done <- bulk.Run(context.Background(), indexes(jobs), func(context.Context, int) error {
			finished.Add(1)
			return nil
		}, bulk.Options{Concurrency: 4}, func(p bulk.Progress) {
			if busy.Add(1) != 1 {
				t.Error("progress called concurrently")
			}
			defer busy.Add(-1)
			if calls.Add(1) == 1 {
				<-unblock
			}
			last = p
		})
	}()
	eventually(t, "every job to end while progress is stuck", func() bool { return finished.Load() == jobs })
	close(unblock)
	report := <-done
	if report.OK != jobs {
		t.Fatalf("%d ok", report.OK)
	}
	want := bulk.Progress{Total: jobs, Done: jobs, Concurrency: 4, Elapsed: report.Elapsed}
	if last != want {
		t.Errorf("last progress %+v, want %+v", last, want)
	}
	if n := calls.Load(); n > jobs {
		t.Errorf("%d progress calls for %d jobs: not merged", n, jobs)
	}
}

// TestProgressETA: the estimate follows the observed rate.
func TestProgressETA(t *testing.T) {
	clock := newFakeClock()
	var seen []bulk.Progress
	var mu sync.Mutex
	step := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		bulk.Run(context.Background(), indexes(4), func(context.Context, int) error {
			<-step
			clock.Advance(2 * time.Second)
			return nil
		}, bulk.Options{Concurrency: 1, Clock: clock}, func(p bulk.Progress) {
			mu.Lock()
			seen = append(seen, p)
			mu.Unlock()
		})
	}()
	// One job every 2 s: after the first, 3 are left, 6 s.
	step <- struct{}{}
	eventually(t, "a snapshot after the first job", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) > 0 && seen[len(seen)-1].Done == 1
	})
	mu.Lock()
	p := seen[len(seen)-1]
	mu.Unlock()
	if p.ETA != 6*time.Second || p.Elapsed != 2*time.Second {
		t.Errorf("after one job of 2s: ETA %v, elapsed %v; want 6s, 2s", p.ETA, p.Elapsed)
	}
	for range 3 {
		step <- struct{}{}
	}
	<-done
	if last := seen[len(seen)-1]; last.ETA != 0 || last.Done != 4 {
		t.Errorf("final: %+v", last)
	}
}

// TestThrottleLowersConcurrency: a server that takes fewer requests at
// once than the batch sends refuses the extra ones; the batch keeps to
// what it took from then on, instead of meeting the same 429s after every
// pause.
func TestThrottleLowersConcurrency(t *testing.T) {
	tests := []struct {
		name             string
		concurrency, cap int
	}{
		{"four on a server that takes two", 4, 2},
		{"four on a server that takes one", 4, 1},
		{"eight on a server that takes three", 8, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const jobs = 40
			clock := newFakeClock()
			clock.jump = true
			var serving, most atomic.Int64
			var firstWave sync.WaitGroup
			firstWave.Add(tt.concurrency)
			lowered := make(chan struct{})
			var lowerOnce sync.Once
			rec := &starts{}
			var last bulk.Progress
			report := bulk.Run(context.Background(), indexes(jobs), func(_ context.Context, i int) error {
				first := i < tt.concurrency && rec.add(i) == 1
				if first {
					// The first wave arrives at once, as after a pause.
					firstWave.Done()
					firstWave.Wait()
				}
				n := serving.Add(1)
				defer serving.Add(-1)
				if n > int64(tt.cap) {
					return throttledErr(0)
				}
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				if first {
					<-lowered // hold the server full until the batch has heard every refusal
				}
				return nil
			}, bulk.Options{Concurrency: tt.concurrency, Clock: clock, Jitter: maxJitter}, func(p bulk.Progress) {
				if p.Concurrency == tt.cap {
					lowerOnce.Do(func() { close(lowered) })
				}
				last = p
			})

			if report.OK != jobs {
				t.Fatalf("%d of %d ok: %v", report.OK, jobs, firstErr(report))
			}
			// The first wave's extra requests are refused, and no more:
			// the clock does not move during jobs, so the limit is never
			// raised to probe again.
			if want := tt.concurrency - tt.cap; report.Throttles != want {
				t.Errorf("%d throttles, want %d", report.Throttles, want)
			}
			if got := most.Load(); got != int64(tt.cap) {
				t.Errorf("%d served at once at most, the server takes %d", got, tt.cap)
			}
			if last.Concurrency != tt.cap {
				t.Errorf("progress says %d allowed in flight, want %d", last.Concurrency, tt.cap)
			}
		})
	}
}

// TestConcurrencyRaisedBack: after throttles, a run of successes ten
// times the pause long earns back one more job in flight, and so on.
func TestConcurrencyRaisedBack(t *testing.T) {
	tests := []struct {
		name string
		jobs int
		want int // allowed in flight at the end
	}{
		{"too soon", 6, 1},
		{"after ten pauses' time", 16, 2},
		{"one more after ten more", 40, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			clock.jump = true
			rec := &starts{}
			var firstWave sync.WaitGroup
			firstWave.Add(3)
			lowered := make(chan struct{})
			var lowerOnce sync.Once
			var last bulk.Progress
			report := bulk.Run(context.Background(), indexes(tt.jobs), func(_ context.Context, i int) error {
				attempt := rec.add(i)
				if i < 3 && attempt == 1 {
					firstWave.Done()
					firstWave.Wait()
				}
				switch {
				case (i == 0 || i == 2) && attempt == 1:
					// Both refused while item 1 is in flight: one allowed.
					return throttledErr(0)
				case i == 1:
					<-lowered
				}
				clock.Advance(time.Second) // each job takes a second
				return nil
			}, bulk.Options{Concurrency: 3, Clock: clock, Jitter: maxJitter, BaseDelay: time.Second},
				func(p bulk.Progress) {
					if p.Concurrency == 1 {
						lowerOnce.Do(func() { close(lowered) })
					}
					last = p
				})
			if report.OK != tt.jobs || report.Throttles != 2 {
				t.Fatalf("%d ok, %d throttles", report.OK, report.Throttles)
			}
			// The pause is 1 s, so one more is allowed 10 s after it ends.
			if last.Concurrency != tt.want {
				t.Errorf("%d allowed in flight at the end, want %d", last.Concurrency, tt.want)
			}
		})
	}
}
