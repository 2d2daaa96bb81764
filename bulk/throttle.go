package bulk

import (
	"errors"
	"net/http"
	"time"

	"github.com/senderpool/senderpool/api"
)

// codeTooManyRequests is Twilio's error code for a throttled request.
const codeTooManyRequests = 20429

// APIThrottled is the default Options.Throttled: an *api.Error with HTTP
// status 429 or Twilio code 20429, anywhere in err's chain, with the
// Retry-After it carried.
func APIThrottled(err error) (time.Duration, bool) {
	var apiErr *api.Error
	if !errors.As(err, &apiErr) {
		return 0, false
	}
	if apiErr.Status != http.StatusTooManyRequests && apiErr.Code != codeTooManyRequests {
		return 0, false
	}
	return apiErr.RetryAfter, true
}

// raiseAfter is how many times the last pause the batch runs without a
// throttle before it tries one more job in flight: a try that meets a 429
// costs about one pause, so probing costs about a tenth of the time.
const raiseAfter = 10

// throttle is the backoff the whole batch shares. Its fields sit behind
// batch.mu.
//
// A throttle pauses the batch and lowers how many jobs it keeps in flight
// to those that were in flight with the refused one: Twilio limits
// concurrent requests per account, and a pause alone would start the same
// number at once again and meet the same 429s. Runs without throttles
// relax the backoff and raise the limit back, one job at a time.
//
// Every new pause opens an epoch, and a job remembers the epoch it started
// in. The jobs already in flight when one was throttled are likely to be
// throttled too: those answers belong to the same burst and do not make
// the backoff steeper, and their successes do not relax it.
type throttle struct {
	resume    time.Time // no job starts before
	epoch     int       // pauses decided so far
	level     int       // steepness of the backoff: 0 when relaxed
	throttles int       // throttled answers met
	limit     int       // jobs allowed in flight: Options.Concurrency, lowered by throttles
	raiseAt   time.Time // the earliest a success raises limit
	quiet     time.Duration
}

// throttled records a throttled answer to a job started in epoch, with
// the Retry-After it carried (0: none) and the other jobs still in
// flight, and pauses the batch.
func (t *throttle) throttled(epoch int, retryAfter time.Duration, inFlight int, now time.Time, o Options) {
	t.throttles++
	t.limit = min(t.limit, max(1, inFlight))
	var pause time.Duration
	switch {
	case epoch == t.epoch:
		t.epoch++
		t.level++
		pause = t.pause(retryAfter, o)
	case retryAfter > 0: // same burst: only a longer wait the server asked for counts
		pause = min(retryAfter, o.MaxDelay)
	}
	t.resume = later(t.resume, now.Add(pause))
	t.quiet = max(t.quiet, raiseAfter*pause)
	t.raiseAt = later(t.raiseAt, t.resume.Add(t.quiet))
}

// pause is how long the batch waits: Retry-After when the server said
// (capped by MaxDelay, so a screen never freezes on one answer), else
// BaseDelay·2^(level-1), capped, with equal jitter, so that the batch
// always pauses at least half of it and separate runs do not retry in step.
func (t *throttle) pause(retryAfter time.Duration, o Options) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, o.MaxDelay)
	}
	d := o.BaseDelay << min(t.level-1, 30)
	if d <= 0 || d > o.MaxDelay {
		d = o.MaxDelay
	}
	return d/2 + o.Jitter(d/2)
}

// relax records a success of a job started in epoch: one started since
// the last pause shows the server keeps up again, and a long enough run
// of them earns one more job in flight.
func (t *throttle) relax(epoch int, now time.Time, o Options) {
	if epoch == t.epoch && t.level > 0 {
		t.level--
	}
	if t.limit < o.Concurrency && !now.Before(t.raiseAt) {
		t.limit++
		t.raiseAt = now.Add(t.quiet)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
