package ui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/bulk"
)

// runBatch runs job in the background and returns its progress one
// message at a time. The batch never waits for the messages: when
// nobody reads them it still runs to its end.
func runBatch(ctx context.Context, head batchMsg, job batchJob) tea.Cmd {
	return func() tea.Msg {
		f := &batchFeed{head: head, wake: make(chan struct{}, 1)}
		go func() {
			results, throttles := job(ctx, f.progress, f.add)
			f.finish(results, throttles)
		}()
		return f.read()()
	}
}

// batchFeed carries a batch's progress from its goroutines to Update:
// what happened since the last read, behind a mutex, and one pending
// wake-up, so that no writer ever waits for the reader.
type batchFeed struct {
	head      batchMsg // what every message says of its batch
	mu        sync.Mutex
	ended     []batchEnd
	last      bulk.Progress
	results   []batchEnd
	throttles int
	done      bool
	wake      chan struct{}
}

func (f *batchFeed) add(e batchEnd) {
	f.mu.Lock()
	f.ended = append(f.ended, e)
	f.mu.Unlock()
	// No wake: bulk calls progress right after the job ends.
}

func (f *batchFeed) progress(p bulk.Progress) {
	f.mu.Lock()
	f.last = p
	f.mu.Unlock()
	f.signal()
}

func (f *batchFeed) finish(results []batchEnd, throttles int) {
	f.mu.Lock()
	f.results, f.throttles, f.done = results, throttles, true
	f.mu.Unlock()
	f.signal()
}

func (f *batchFeed) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// read waits for news and takes all of it.
func (f *batchFeed) read() tea.Cmd {
	return func() tea.Msg {
		<-f.wake
		f.mu.Lock()
		defer f.mu.Unlock()
		msg := f.head
		msg.ended, msg.progress, msg.at = f.ended, f.last, time.Now()
		f.ended = nil
		if f.done {
			msg.done, msg.results, msg.throttles = true, f.results, f.throttles
			return msg
		}
		msg.next = f.read()
		return msg
	}
}
