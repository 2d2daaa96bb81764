package api

import "context"

type throttlesToCallerKey struct{}

// LeaveThrottlesToCaller returns a context under which the client does
// not retry a request Twilio refused with 429 itself: the *Error, with
// its RetryAfter, comes back at once. It is for a caller that paces many
// requests with one backoff they share (package bulk), which each
// request's own backoff would fight: four requests waiting out four
// private backoffs send four more 429s as soon as they end. 503s and
// connection errors are still retried as RetryPolicy says.
func LeaveThrottlesToCaller(ctx context.Context) context.Context {
	return context.WithValue(ctx, throttlesToCallerKey{}, true)
}

// throttlesLeftToCaller reports whether ctx came from LeaveThrottlesToCaller.
func throttlesLeftToCaller(ctx context.Context) bool {
	v, _ := ctx.Value(throttlesToCallerKey{}).(bool)
	return v
}
