package twiliotest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// CodeTooManyRequests is Twilio's 429 "Too Many Requests": the account has
// more requests in flight than its concurrency limit allows.
const CodeTooManyRequests = 20429

// ConcurrencyLimit is Twilio's cap on the requests of one account in
// flight at once. The fake serves one account, so every request it
// receives counts: from its arrival until its answer starts (through the
// latency, a Gate and FaultHang), so that a client holding its answer
// may send the next request at once. A request past the cap is refused at
// once with 429, code 20429, "Too Many Requests", before any fault,
// authentication or handler: Twilio did not act on it. The zero value
// sets no cap.
type ConcurrencyLimit struct {
	// MaxInFlight is how many requests may be in flight at once; with
	// that many in flight, the next one is refused. 0: no limit.
	MaxInFlight int
	// RetryAfter is the Retry-After header's value, in seconds, on a
	// refusal; 0 sends none.
	RetryAfter int
	// RetryAfterEvery sends RetryAfter on every k-th refusal only (the
	// k-th, 2k-th, … since the fake started), the others having none, as
	// Twilio sends it only sometimes. 0 or 1: on every refusal.
	RetryAfterEvery int
}

// SetConcurrency changes the cap on requests in flight; requests already
// in flight stay. The count of Throttled goes on.
func (f *Fake) SetConcurrency(l ConcurrencyLimit) {
	f.mu.Lock()
	f.limit = l
	f.mu.Unlock()
}

// Throttled returns how many requests the concurrency limit refused with
// 429. A 429 queued with AddFault is not counted here (Requests counts it).
func (f *Fake) Throttled() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.throttled
}

// InFlight returns how many requests are in flight now, refusals aside.
func (f *Fake) InFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inFlight
}

// PeakInFlight returns the most requests that were ever in flight at once,
// refusals aside: what a test checks a client's own cap with.
func (f *Fake) PeakInFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.peak
}

// admit counts a request in flight, or refuses it when the limit is
// reached; retryAfter is the header to send with a refusal (0: none).
// An admitted request must be matched by leave.
func (f *Fake) admit() (ok bool, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if l := f.limit; l.MaxInFlight > 0 && f.inFlight >= l.MaxInFlight {
		f.throttled++
		if l.RetryAfter > 0 && (l.RetryAfterEvery <= 1 || f.throttled%l.RetryAfterEvery == 0) {
			retryAfter = l.RetryAfter
		}
		return false, retryAfter
	}
	f.inFlight++
	f.peak = max(f.peak, f.inFlight)
	return true, 0
}

func (f *Fake) leave() {
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
}

// throttle writes the limit's refusal.
func throttle(w http.ResponseWriter, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	writeError(w, &Error{Status: http.StatusTooManyRequests, Code: CodeTooManyRequests, Message: "Too Many Requests"})
}

// ParseConcurrency reads a concurrency limit such as
//
//	4
//	4,retry-after=2
//	4,retry-after=2,every=3
//
// the most requests in flight at once, then optionally the Retry-After
// seconds sent with a refusal and, for a header on only some of them,
// every k-th refusal. The demo reads it from SENDERPOOL_DEMO_CONCURRENCY
// so anyone can watch a bulk change meet Twilio's limit.
func ParseConcurrency(spec string) (ConcurrencyLimit, error) {
	parts := strings.Split(spec, ",")
	var l ConcurrencyLimit
	n, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || n < 1 {
		return ConcurrencyLimit{}, fmt.Errorf("concurrency %q: want the most requests in flight (a positive number), then optionally retry-after=SECONDS and every=K", spec)
	}
	l.MaxInFlight = n
	for _, p := range parts[1:] {
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		v, err := strconv.Atoi(value)
		if err != nil || v < 1 {
			return ConcurrencyLimit{}, fmt.Errorf("concurrency %q: %q wants a positive number", spec, p)
		}
		switch name {
		case "retry-after":
			l.RetryAfter = v
		case "every":
			l.RetryAfterEvery = v
		default:
			return ConcurrencyLimit{}, fmt.Errorf("concurrency %q: %q is neither retry-after=SECONDS nor every=K", spec, p)
		}
	}
	if l.RetryAfterEvery > 0 && l.RetryAfter == 0 {
		return ConcurrencyLimit{}, fmt.Errorf("concurrency %q: every=K needs retry-after=SECONDS", spec)
	}
	return l, nil
}
