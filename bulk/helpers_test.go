package bulk_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
)

// fakeClock is a clock that moves only when told. In jump mode every
// wait ends at once and moves the time by its length, for tests that
// care about the waits asked for, not about what happens during them.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	jump   bool
	timers []fakeTimer
	waits  []time.Duration // every After, in order
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	if c.jump {
		c.now = c.now.Add(max(d, 0))
	}
	if c.jump || d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), ch: ch})
	return ch
}

// Advance moves the time and fires the timers it reaches.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
}

// Pending is the number of timers not yet fired: workers waiting out a
// pause.
func (c *fakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// maxJitter makes the backoff deterministic: the top of its range.
func maxJitter(d time.Duration) time.Duration { return d }

// eventually waits until cond holds: for goroutines to reach a state that
// cannot be reached early, never for a fixed time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// starts records when each attempt of each job started.
type starts struct {
	mu    sync.Mutex
	clock *fakeClock
	list  []start
}

type start struct {
	item, attempt int
	at            time.Time
}

// add records a start of item and returns which attempt it is.
func (s *starts) add(item int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 1
	for _, st := range s.list {
		if st.item == item {
			n++
		}
	}
	var at time.Time
	if s.clock != nil {
		at = s.clock.Now()
	}
	s.list = append(s.list, start{item: item, attempt: n, at: at})
	return n
}

func (s *starts) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.list)
}

func (s *starts) All() []start {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]start(nil), s.list...)
}

// throttledErr is a 429 as the API client returns it, wrapped as a
// caller would.
func throttledErr(retryAfter time.Duration) error {
	return fmt.Errorf("detach XE…: %w", &api.Error{Status: http.StatusTooManyRequests, Code: 20429,
		Message: "Too Many Requests", RetryAfter: retryAfter})
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
