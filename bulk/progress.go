package bulk

import "time"

// Progress is a snapshot of a batch. Snapshots are whole, not deltas, so a
// consumer that misses some loses nothing.
type Progress struct {
	Total      int
	Done       int // succeeded
	Failed     int
	InFlight   int
	Remaining  int // neither finished nor in flight: queued, or waiting to be retried
	NotStarted int // set at the end of a stopped batch; Remaining is then 0
	Stopping   bool
	Throttles  int
	// Concurrency is how many jobs the batch allows in flight now:
	// Options.Concurrency, lowered after throttles and raised back as the
	// server keeps up.
	Concurrency int
	// Resume is when the current pause ends; zero when none holds.
	Resume  time.Time
	Elapsed time.Duration
	// ETA estimates the time left from the rate observed so far, and is
	// never shorter than the current pause; 0 until a job has finished.
	ETA time.Duration
}

// Finished reports how many jobs have ended, either way.
func (p Progress) Finished() int { return p.Done + p.Failed }

// report calls progress for every change signalled, merging those that
// arrive while it runs, and once more when finished closes.
func (b *batch[T]) report(progress func(Progress), finished <-chan struct{}, notified chan<- struct{}) {
	defer close(notified)
	for {
		select {
		case <-b.notify:
			progress(b.snapshot())
		case <-finished:
			progress(b.snapshot())
			return
		}
	}
}

func (b *batch[T]) snapshot() Progress {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.opts.Clock.Now()
	if !b.end.IsZero() {
		now = b.end
	}
	p := Progress{
		Total:       len(b.items),
		Done:        b.ok,
		Failed:      b.failed,
		InFlight:    b.inFlight,
		NotStarted:  b.notStarted,
		Stopping:    b.stop.Err() != nil,
		Throttles:   b.throttles,
		Concurrency: b.limit,
		Elapsed:     now.Sub(b.start),
	}
	p.Remaining = p.Total - p.Done - p.Failed - p.InFlight - p.NotStarted
	var pause time.Duration
	if b.resume.After(now) {
		p.Resume = b.resume
		pause = b.resume.Sub(now)
	}
	p.ETA = estimate(p.Elapsed, p.Finished(), p.Remaining+p.InFlight, pause)
	return p
}

// estimate is the time left at the average rate so far: left jobs at
// elapsed/finished each, and at least the pause that holds.
func estimate(elapsed time.Duration, finished, left int, pause time.Duration) time.Duration {
	if left <= 0 {
		return 0
	}
	if finished <= 0 {
		return pause
	}
	eta := time.Duration(float64(elapsed) / float64(finished) * float64(left))
	return max(eta, pause)
}
