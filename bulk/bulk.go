// Package bulk runs a batch of independent jobs, such as one API request
// per sender, with bounded concurrency and one backoff shared by the whole
// batch: Twilio has no bulk endpoints and limits concurrent requests per
// account, so a 429 met by one job slows every job, not only that one.
package bulk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Func does the job for one item. ctx carries the values of Run's context
// but not its cancellation: a stopped batch lets the jobs in flight finish
// rather than abandon a request half sent.
type Func[T any] func(ctx context.Context, item T) error

// Options tune a batch. Zero fields take the defaults.
type Options struct {
	Concurrency int           // jobs in flight at most; default 4
	MaxAttempts int           // attempts per job when throttled, the first included; default 5
	BaseDelay   time.Duration // pause after the first throttle, doubled per further one; default 1s
	MaxDelay    time.Duration // cap of any one pause, Retry-After included; default 30s

	// Throttled says whether err means "too many requests" and how long
	// the server asked to wait (0: not said). Default APIThrottled.
	Throttled func(err error) (retryAfter time.Duration, ok bool)
	// Jitter returns a uniform duration in [0, max]. Default math/rand/v2.
	Jitter func(max time.Duration) time.Duration
	// Clock tells the time and waits. Default the real one.
	Clock Clock
}

// Clock is the time as the batch sees it; tests supply a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

func uniform(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max + 1)
}

func (o Options) withDefaults() Options {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	if o.Throttled == nil {
		o.Throttled = APIThrottled
	}
	if o.Jitter == nil {
		o.Jitter = uniform
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	return o
}

// Outcome is what became of one job.
type Outcome int

const (
	NotStarted Outcome = iota // the batch stopped before the job's first attempt
	OK                        // the job succeeded
	Failed                    // the job's last attempt failed; Result.Err says why
)

func (o Outcome) String() string {
	switch o {
	case OK:
		return "ok"
	case Failed:
		return "failed"
	}
	return "not started"
}

// Result is one job's outcome.
type Result[T any] struct {
	Item     T
	Outcome  Outcome
	Err      error // set when Failed
	Attempts int   // 0 when NotStarted; more than 1 after throttling
}

// Report is the outcome of a batch.
type Report[T any] struct {
	Results    []Result[T] // in input order
	OK         int
	Failed     int
	NotStarted int
	Throttles  int           // throttled answers met, retried or not
	Elapsed    time.Duration // from Run's start to its end
}

// FailedItems returns the items that failed, in input order: what a
// retry of the failures runs.
func (r Report[T]) FailedItems() []T { return r.items(Failed) }

// NotStartedItems returns the items the batch never started, in input
// order.
func (r Report[T]) NotStartedItems() []T { return r.items(NotStarted) }

func (r Report[T]) items(o Outcome) []T {
	var out []T
	for _, res := range r.Results {
		if res.Outcome == o {
			out = append(out, res.Item)
		}
	}
	return out
}

// Run does do for every item, at most opts.Concurrency at a time, and
// returns when every job has ended or will never start.
//
// A throttled job (opts.Throttled) pauses the whole batch: no job starts
// until the pause ends (Retry-After when the server said, else exponential
// backoff with jitter), and the throttled job is tried again, up to
// opts.MaxAttempts attempts. The batch then keeps at most as many jobs in
// flight as were with the refused one, and raises that back one at a time
// while no throttle comes; a success after throttling relaxes the
// backoff. Other errors fail the job at once: the API client has already
// retried what was safe to retry.
//
// When ctx is done no job starts any more; the jobs in flight finish, and
// the rest are reported NotStarted (a job waiting to be retried after a
// throttle is reported Failed with its last error).
//
// progress, when not nil, is called with a snapshot after changes, from
// one goroutine, never concurrently, and once more with the final counts
// before Run returns. Workers never wait for it: snapshots that arrive
// while it runs are merged into the next one.
func Run[T any](ctx context.Context, items []T, do Func[T], opts Options, progress func(Progress)) Report[T] {
	opts = opts.withDefaults()
	b := &batch[T]{
		stop:     ctx,
		jobCtx:   context.WithoutCancel(ctx),
		items:    items,
		do:       do,
		opts:     opts,
		results:  make([]Result[T], len(items)),
		start:    opts.Clock.Now(),
		notify:   make(chan struct{}, 1),
		throttle: throttle{limit: opts.Concurrency},
	}
	for i, it := range items {
		b.results[i].Item = it
	}

	var notified chan struct{}
	finished := make(chan struct{})
	if progress != nil {
		notified = make(chan struct{})
		go b.report(progress, finished, notified)
		// Say "stopping" as soon as the user asked, not at the next change.
		defer context.AfterFunc(ctx, b.signal)()
	}

	var wg sync.WaitGroup
	for range min(opts.Concurrency, len(items)) {
		wg.Go(b.work)
	}
	wg.Wait()

	b.mu.Lock()
	b.notStarted = len(items) - b.ok - b.failed
	b.end = opts.Clock.Now()
	b.mu.Unlock()
	close(finished)
	if notified != nil {
		<-notified
	}
	return Report[T]{
		Results:    b.results,
		OK:         b.ok,
		Failed:     b.failed,
		NotStarted: b.notStarted,
		Throttles:  b.throttles,
		Elapsed:    b.end.Sub(b.start),
	}
}

// batch is the state of one Run. Counters sit behind mu; results[i] is
// written only by the worker that took item i, and read after they end.
type batch[T any] struct {
	stop   context.Context // done: start nothing more
	jobCtx context.Context // what jobs get: stop's values, never its cancellation
	items  []T
	do     Func[T]
	opts   Options
	start  time.Time
	notify chan struct{} // one pending "something changed"

	mu         sync.Mutex
	next       int // index of the next item to take
	results    []Result[T]
	ok         int
	failed     int
	inFlight   int
	notStarted int // known at the end only
	end        time.Time
	freed      chan struct{} // closed when a job ends, for workers waiting for room; nil when none wait
	throttle
}

// work takes items until none are left or the batch stops.
func (b *batch[T]) work() {
	for {
		b.mu.Lock()
		if b.stop.Err() != nil || b.next >= len(b.items) {
			b.mu.Unlock()
			return
		}
		i := b.next
		b.next++
		b.mu.Unlock()
		b.run(i)
	}
}

// run does item i, attempt after attempt while it is throttled.
func (b *batch[T]) run(i int) {
	r := &b.results[i]
	for attempt := 1; ; attempt++ {
		epoch, err := b.admit()
		if err != nil {
			if attempt > 1 { // tried and throttled: it needs a retry, like a failure
				r.Outcome, r.Err = Failed, fmt.Errorf("%w (stopped before retrying: %w)", r.Err, err)
				b.mu.Lock()
				b.failed++
				b.mu.Unlock()
				b.signal()
			}
			return
		}
		r.Attempts = attempt
		err = b.do(b.jobCtx, b.items[i])
		again := b.settle(epoch, err, attempt)
		b.signal()
		if !again {
			r.Outcome = OK
			if err != nil {
				r.Outcome = Failed
			}
			r.Err = err
			return
		}
		r.Err = err
	}
}

// admit waits until no pause holds and the batch's limit has room, and
// counts the job in flight. It returns the epoch the job starts in, or
// the stop's cause.
func (b *batch[T]) admit() (int, error) {
	for {
		b.mu.Lock()
		if b.stop.Err() != nil {
			b.mu.Unlock()
			return 0, context.Cause(b.stop)
		}
		now := b.opts.Clock.Now()
		if now.Before(b.resume) {
			wait := b.resume.Sub(now)
			b.mu.Unlock()
			select { // a pause only ever grows: nothing but its end is worth waking for
			case <-b.stop.Done():
			case <-b.opts.Clock.After(wait):
			}
			continue
		}
		if b.inFlight >= b.limit {
			if b.freed == nil {
				b.freed = make(chan struct{})
			}
			freed := b.freed
			b.mu.Unlock()
			select {
			case <-b.stop.Done():
			case <-freed:
			}
			continue
		}
		b.inFlight++
		epoch := b.epoch
		b.mu.Unlock()
		b.signal()
		return epoch, nil
	}
}

// settle counts a job's end and says whether to try it again.
func (b *batch[T]) settle(epoch int, err error, attempt int) (again bool) {
	var retryAfter time.Duration
	throttled := false
	if err != nil {
		retryAfter, throttled = b.opts.Throttled(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inFlight--
	if b.freed != nil { // wake the workers waiting for room
		close(b.freed)
		b.freed = nil
	}
	now := b.opts.Clock.Now()
	switch {
	case err == nil:
		b.ok++
		b.relax(epoch, now, b.opts)
		return false
	case throttled:
		b.throttled(epoch, retryAfter, b.inFlight, now, b.opts)
		if attempt < b.opts.MaxAttempts {
			return true
		}
	}
	b.failed++
	return false
}

// signal tells the progress reporter that something changed, without ever
// waiting for it.
func (b *batch[T]) signal() {
	select {
	case b.notify <- struct{}{}:
	default:
	}
}
