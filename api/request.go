package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// ErrBadResponse is wrapped when a success response cannot be used: an
// empty, oversized or undecodable body, a page without its list, a paging
// loop.
var ErrBadResponse = errors.New("unusable response")

// Body limits. A page of 1000 senders is about 400 KB, so 8 MiB leaves
// room without letting a broken server fill memory; an error body worth
// showing is small.
const (
	maxSuccessBody = 8 << 20
	maxErrorBody   = 64 << 10
)

// maxRetryAfter is the longest Retry-After ever waited, whatever MaxDelay
// says: a server asking for more gets its error returned at once rather
// than a frozen screen.
const maxRetryAfter = 60 * time.Second

// request is one API call.
type request struct {
	host   host // which base URL path is below; hostMessaging by default
	method string
	path   string     // e.g. /v1/Services, below the base URL; never holds the query
	query  url.Values // may be nil
	form   url.Values // POST body, form-encoded; nil for none
	// sameTwice marks a POST that does the same when it arrives twice
	// (an update that sets values), so it is retried like a GET.
	sameTwice bool
}

// baseFor is the base URL of a host.
func (c *Client) baseFor(h host) *url.URL {
	if h == hostAPI {
		return c.apiBase
	}
	return c.base
}

// String is how errors name the call: method and path, never the query
// (it may grow to hold page tokens) and never credentials.
func (r request) String() string { return r.method + " " + r.path }

// errorf wraps a failure of r in a *RequestError.
func (r request) errorf(format string, args ...any) error {
	return &RequestError{Method: r.method, Path: r.path, Err: fmt.Errorf(format, args...)}
}

// RequestError is a failure of one request that is not an answer from
// the API (a connection error, a timeout, an unusable body). It names the
// request so a log says which one; a screen short of room can show Err.
type RequestError struct {
	Method string
	Path   string // never the query, never credentials
	Err    error
}

func (e *RequestError) Error() string { return e.Method + " " + e.Path + ": " + e.Err.Error() }

func (e *RequestError) Unwrap() error { return e.Err }

// do sends r, retrying where safe, and hands a success body to decode
// (when decode is not nil).
//
// Retries, at most RetryPolicy.MaxAttempts attempts in all:
//   - 429 and 503, for every method: Twilio refused the request without
//     acting on it. Retry-After is honoured up to min(MaxDelay, 60s); a
//     longer one ends the call with the error (RetryAfter set) instead.
//   - transient connection errors (refused, reset, EOF, timeouts) for GET
//     and DELETE, which are idempotent; a DELETE whose first response was
//     lost may then answer 404, which callers read as "already gone".
//   - the same errors for POST only when the request provably never
//     reached the server: the dial failed, or httptrace's WroteRequest
//     never fired. Once written, a POST may have attached the sender, so
//     it is not repeated. A POST marked sameTwice (an update that sets
//     values) is retried like a GET: arriving twice changes nothing more.
//
// Other waits are exponential backoff with full jitter. A done ctx ends
// everything at once, and errors.Is(err, ctx.Err()) holds.
func (c *Client) do(ctx context.Context, r request, decode func([]byte) error) error {
	for attempt := 1; ; attempt++ {
		retry, delay, err := c.once(ctx, r, decode)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !retry || attempt >= c.retry.MaxAttempts {
			return err
		}
		if delay <= 0 {
			delay = c.backoff(attempt)
		}
		if werr := c.wait(ctx, delay); werr != nil {
			return fmt.Errorf("%w (gave up waiting to retry: %w)", err, werr)
		}
	}
}

// backoff is exponential with full jitter: uniform in
// [0, min(MaxDelay, BaseDelay·2^(attempt-1))].
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.BaseDelay << min(attempt-1, 30)
	if d <= 0 || d > c.retry.MaxDelay {
		d = c.retry.MaxDelay
	}
	return c.jitter(d)
}

// once makes one attempt. It says whether another is safe and after how
// long (0: the caller's backoff).
func (c *Client) once(ctx context.Context, r request, decode func([]byte) error) (retry bool, delay time.Duration, err error) {
	base := c.baseFor(r.host)
	u := *base
	u.Path = base.Path + r.path
	u.RawQuery = r.query.Encode()
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	}
	// wrote records whether the request reached the wire: a POST that
	// never left is safe to send again, one that did is not.
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.method, u.String(), body)
	if err != nil {
		return false, 0, r.errorf("%w", err)
	}
	c.authorize(req)
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("Accept", "application/json")
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	idempotent := r.method != http.MethodPost || r.sameTwice

	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, 0, contextError(ctx, r, err)
		}
		hint := ""
		if errors.Is(err, io.EOF) {
			hint = "the connection closed before an answer came"
		}
		if !transient(err) {
			return false, 0, transportError(r, err, hint)
		}
		if idempotent || isDial(err) || !wrote.Load() {
			return true, 0, transportError(r, err, hint)
		}
		return false, 0, transportError(r, err, "the request was sent but no answer came back: it may have taken effect")
	}
	defer resp.Body.Close()
	noteReply(ctx, r, resp) // before the body: a change cut off mid-answer keeps its id

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := readError(r, resp, time.Now())
		if !apiErr.Retryable() {
			return false, 0, apiErr
		}
		if apiErr.Status == http.StatusTooManyRequests && throttlesLeftToCaller(ctx) {
			return false, 0, apiErr
		}
		if apiErr.RetryAfter > min(c.retry.MaxDelay, maxRetryAfter) {
			return false, 0, apiErr
		}
		return true, apiErr.RetryAfter, apiErr
	}
	if decode == nil {
		// Nothing to decode (a DELETE's 204), but a 2xx must still look
		// like it came from the API: a captive portal's HTML page with 200
		// must not be reported as done.
		data, _ := readBody(resp, maxErrorBody)
		if err := checkEmptyOrJSON(resp, data); err != nil {
			return false, 0, r.errorf("%w: %s", ErrBadResponse, err)
		}
		return false, 0, nil
	}
	data, err := readBody(resp, maxSuccessBody+1)
	if err != nil {
		// The connection broke mid-body: asking again is safe only when
		// asking changes nothing.
		if ctx.Err() != nil {
			return false, 0, contextError(ctx, r, err)
		}
		if !idempotent {
			return false, 0, transportError(r, err, "the answer was cut off: the request has probably taken effect")
		}
		return transient(err), 0, transportError(r, err, "reading the response")
	}
	if err := checkBody(resp, data); err != nil {
		return false, 0, r.errorf("%w: %s", ErrBadResponse, err)
	}
	if err := decode(data); err != nil {
		return false, 0, r.errorf("%w: the body is not the expected JSON (%v)", ErrBadResponse, err)
	}
	return false, 0, nil
}

// readBody reads at most limit bytes, in one allocation when the length
// is announced (a page of 1000 senders would otherwise be copied ~10 times).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n < limit {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit))
	return buf.Bytes(), err
}

// checkBody refuses a success body that cannot be a JSON object: empty,
// too big, or something else (a captive portal's HTML page).
func checkBody(resp *http.Response, data []byte) error {
	if len(data) > maxSuccessBody {
		return fmt.Errorf("body larger than %d MiB (HTTP %d)", maxSuccessBody>>20, resp.StatusCode)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return fmt.Errorf("empty body (HTTP %d)", resp.StatusCode)
	}
	if trimmed[0] != '{' {
		return errors.New(unexpectedBody(resp, data))
	}
	return nil
}

// checkEmptyOrJSON accepts the answer to a request that expects no body:
// nothing at all, or something JSON-like. The 2xx status is the API's
// word that it acted, so a JSON body cut short still counts; a page that
// is not JSON at all (a captive portal's HTML) does not come from the API.
func checkEmptyOrJSON(resp *http.Response, data []byte) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || (trimmed[0] == '{' && !strings.Contains(contentKind(resp), "html")) {
		return nil
	}
	return errors.New(unexpectedBody(resp, data))
}

// transient reports connection failures worth another attempt. TLS
// certificate problems, unknown hosts and protocol garbage are not: they
// will fail the same way again.
func transient(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	var (
		verify    *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
	)
	if errors.As(err, &verify) || errors.As(err, &unknownCA) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &record) {
		return false
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true // dial, TLS handshake or response-header timeout
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) // dial, read or write on the socket
}

// isDial reports an error from opening the connection: nothing was sent.
func isDial(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// transportError names the call without the URL (url.Error repeats the
// query); hint, when set, tells the user what the failure means.
func transportError(r request, err error, hint string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if hint != "" {
		return r.errorf("%w (%s)", err, hint)
	}
	return r.errorf("%w", err)
}

// contextError makes sure errors.Is(err, ctx.Err()) holds once ctx is done,
// whatever the transport reported.
func contextError(ctx context.Context, r request, err error) error {
	err = transportError(r, err, "")
	if cerr := ctx.Err(); !errors.Is(err, cerr) {
		err = fmt.Errorf("%w (%w)", err, cerr)
	}
	return err
}

// IsTimeout reports whether err is a deadline or network timeout.
func IsTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// sleepCtx waits d or until ctx ends, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
