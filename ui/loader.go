package ui

import "context"

// loader is one kind of request a layer makes (a list, a fetch): the id
// of the one that counts, whether it runs, how it ended, and how to stop
// it. A reply with another id is stale and dropped.
type loader struct {
	req     int
	running bool
	err     error
	cancel  context.CancelFunc
}

// start stops the previous request and begins a new one under parent.
func (l *loader) start(c *common) (context.Context, int) {
	l.stop()
	ctx, cancel := context.WithCancel(c.ctx)
	l.req, l.running, l.err, l.cancel = c.nextID(), true, nil, cancel
	return ctx, l.req
}

// current reports whether a reply with this id is for the request that counts.
func (l loader) current(req int) bool { return req != 0 && req == l.req }

// finish records how the current request ended.
func (l *loader) finish(err error) {
	l.stop()
	l.err = err
}

// stop cancels the request in flight, if any, and forgets it: its late
// replies are dropped.
func (l *loader) stop() {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.running = false
}

// abandon stops the request and makes every reply to it stale.
func (l *loader) abandon() {
	l.stop()
	l.req = 0
}
