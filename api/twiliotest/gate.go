package twiliotest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
)

// Gate holds requests in flight until it is opened, so that a test can
// have a known number of requests in flight at once without timing
// anything: N held requests, then one more meets the concurrency limit.
// Get one with Hold.
type Gate struct {
	fake   *Fake
	routes []Route // nil: every route
	open   chan struct{}
	once   sync.Once

	mu      sync.Mutex
	held    int
	changed chan struct{} // closed and replaced whenever held changes
}

// Hold shuts a gate on the routes given (none: every route, RouteNone
// included): every request on them that arrives from now on, and is
// admitted by the concurrency limit, waits in it, in flight, before the
// latency and any fault, until Open, its context ends (the client gave
// up, the Server closed) or ReleaseHangs. With several gates shut, a
// request waits in the first one that holds its route.
func (f *Fake) Hold(routes ...Route) *Gate {
	g := &Gate{fake: f, routes: slices.Clone(routes), open: make(chan struct{}), changed: make(chan struct{})}
	f.mu.Lock()
	f.gates = append(f.gates, g)
	f.mu.Unlock()
	return g
}

// Open lets every held request go on, and every later one through. It is
// safe to call twice.
func (g *Gate) Open() {
	g.once.Do(func() {
		f := g.fake
		f.mu.Lock()
		f.gates = slices.DeleteFunc(f.gates, func(o *Gate) bool { return o == g })
		f.mu.Unlock()
		close(g.open)
	})
}

// Held returns how many requests wait in the gate now.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// WaitHeld blocks until at least n requests wait in the gate, or ctx ends
// (its error is returned, wrapped).
func (g *Gate) WaitHeld(ctx context.Context, n int) error {
	for {
		g.mu.Lock()
		held, changed := g.held, g.changed
		g.mu.Unlock()
		if held >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("twiliotest: %d of %d requests held: %w", held, n, context.Cause(ctx))
		}
	}
}

func (g *Gate) holds(route Route) bool {
	return len(g.routes) == 0 || slices.Contains(g.routes, route)
}

func (g *Gate) add(d int) {
	g.mu.Lock()
	g.held += d
	close(g.changed)
	g.changed = make(chan struct{})
	g.mu.Unlock()
}

// hold waits in the first shut gate that holds route, if any; false means
// the request's context ended first.
func (f *Fake) hold(r *http.Request, route Route) bool {
	f.mu.Lock()
	i := slices.IndexFunc(f.gates, func(g *Gate) bool { return g.holds(route) })
	var g *Gate
	if i >= 0 {
		g = f.gates[i]
	}
	f.mu.Unlock()
	if g == nil {
		return true
	}
	g.add(1)
	defer g.add(-1)
	select {
	case <-g.open:
		return true
	case <-f.release:
		return true
	case <-r.Context().Done():
		return false
	}
}
