package api

import (
	"context"
	"net/http"
)

// ReplyID is what a WithRequestIDs recorder learns of one answer.
type ReplyID struct {
	Method string // request method
	Path   string // request path below the base URL (never the query, never credentials)
	Status int    // HTTP status of the answer
	// ID is the answer's Twilio-Request-Id (RQ…), cleaned as
	// Error.RequestID is; "" when it had none (a proxy's page).
	ID string
}

type requestIDsKey struct{}

// WithRequestIDs returns a context under which the client tells fn of
// every answer it receives for a call: successes and errors, each attempt
// of a retried call, each page of a list, and the lookups a call makes
// first (AttachPoolSender may list before it attaches). An error's id is
// also in Error.RequestID; this is how a caller learns the id of a change
// that succeeded: the one of the 2xx answer to its POST or DELETE.
//
// fn is called as the answer's headers arrive, before its body is read,
// so a change whose answer is then cut off or unusable (and has probably
// taken effect) still leaves its id. A request that got no answer at all
// (a dropped connection, a timeout) is not reported. fn may be called
// from several goroutines at once (ListPool asks its sources in parallel)
// and must not block. A recorder already on ctx keeps being called, first.
func WithRequestIDs(ctx context.Context, fn func(ReplyID)) context.Context {
	if fn == nil {
		return ctx
	}
	if outer, ok := ctx.Value(requestIDsKey{}).(func(ReplyID)); ok {
		inner := fn
		fn = func(id ReplyID) { outer(id); inner(id) }
	}
	return context.WithValue(ctx, requestIDsKey{}, fn)
}

// noteReply tells ctx's recorder, if any, of resp.
func noteReply(ctx context.Context, r request, resp *http.Response) {
	fn, ok := ctx.Value(requestIDsKey{}).(func(ReplyID))
	if !ok {
		return
	}
	fn(ReplyID{Method: r.method, Path: r.path, Status: resp.StatusCode,
		ID: printable(resp.Header.Get("Twilio-Request-Id"), 64)})
}
