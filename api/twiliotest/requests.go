package twiliotest

import (
	"slices"
	"time"
)

// RequestRecord is one request as the fake received it. The Basic-auth
// password is never recorded.
type RequestRecord struct {
	Method, Path, RawQuery, Body, AuthUser, UserAgent, ContentType string
	Route                                                          Route
	RequestID                                                      string // the Twilio-Request-Id of its reply
}

// maxRecordedBody caps the body kept in a RequestRecord.
const maxRecordedBody = 64 << 10

// SetLatency changes the delay added before every reply.
func (f *Fake) SetLatency(d time.Duration) {
	f.mu.Lock()
	f.latency = d
	f.mu.Unlock()
}

// Requests returns how many requests arrived for a route, faulted ones
// included. RouteNone counts the requests that matched no route.
func (f *Fake) Requests(route Route) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[route]
}

// TotalRequests returns how many requests arrived, whatever their route.
func (f *Fake) TotalRequests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total
}

// Records returns a copy of the request log, oldest first.
func (f *Fake) Records() []RequestRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.records)
}

// Connections returns how many TCP connections the fake's Server (Start)
// accepted, or that were reported through ConnState.
func (f *Fake) Connections() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns
}

// ReleaseHangs makes every request blocked in FaultHang, in Latency or in
// a Gate return now, and every later one return at once. Server.Close does not
// need it; it is for a Fake served by something else (httptest.Server,
// whose Close waits for handlers).
func (f *Fake) ReleaseHangs() {
	f.releaseOnce.Do(func() { close(f.release) })
}

// record logs a request, counts it and returns the id of its reply.
func (f *Fake) record(rec RequestRecord) string {
	if len(rec.Body) > maxRecordedBody {
		rec.Body = rec.Body[:maxRecordedBody]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.total++
	f.requests[rec.Route]++
	rec.RequestID = requestID(uint64(f.total))
	f.records = append(f.records, rec)
	return rec.RequestID
}
