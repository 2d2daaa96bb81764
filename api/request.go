package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ErrBadResponse is wrapped when a success response cannot be used: an
// empty or undecodable body, a page without its list, a page loop.
var ErrBadResponse = errors.New("unusable response")

// Body limits: a page of 1000 senders is about 400 KB.
const (
	maxSuccessBody = 8 << 20
	maxErrorBody   = 64 << 10
	// maxRetryAfter: a server asking for a longer pause gets its error
	// returned instead of a frozen command.
	maxRetryAfter = 60 * time.Second
)

// request is one API call.
type request struct {
	method string
	path   string     // e.g. /v1/Services; never holds the query
	query  url.Values // may be nil
	form   url.Values // POST body, form-encoded; nil for none
	want   int        // the success status
}

func (r request) String() string { return r.method + " " + r.path }

// do sends r, retrying where safe, and hands a success body to decode
// (when decode is not nil).
func (c *Client) do(ctx context.Context, r request, decode func([]byte) error) error {
	for attempt := 1; ; attempt++ {
		retry, delay, err := c.once(ctx, r, decode, attempt)
		if err == nil {
			return nil
		}
		if !retry || attempt >= c.retry.MaxAttempts || ctx.Err() != nil {
			return err
		}
		if werr := c.wait(ctx, delay); werr != nil {
			return fmt.Errorf("%s: gave up before retrying: %w", r, errors.Join(werr, err))
		}
	}
}

// backoff is exponential with full jitter: uniform in [0, base·2^(n-1)].
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.BaseDelay << min(attempt-1, 20)
	if d <= 0 || d > c.retry.MaxDelay {
		d = c.retry.MaxDelay
	}
	return c.jitter(d)
}

// once makes one attempt; it says whether a retry is safe and after how long.
func (c *Client) once(ctx context.Context, r request, decode func([]byte) error, attempt int) (retry bool, delay time.Duration, err error) {
	u := *c.base
	u.Path = c.base.Path + r.path
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
		return false, 0, fmt.Errorf("%s: %w", r, err)
	}
	req.SetBasicAuth(c.creds.username(), c.creds.Secret)
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("Accept", "application/json")
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	idempotent := r.method != http.MethodPost

	resp, err := c.http.Do(req)
	if err != nil {
		err = transportError(r, err)
		if ctx.Err() != nil {
			return false, 0, err
		}
		return idempotent || !wrote.Load(), c.backoff(attempt), err
	}
	defer resp.Body.Close()

	if resp.StatusCode != r.want {
		apiErr := readError(r, resp)
		if !apiErr.Retryable() {
			return false, 0, apiErr
		}
		if apiErr.RetryAfter > maxRetryAfter {
			return false, 0, apiErr
		}
		d := apiErr.RetryAfter
		if d <= 0 {
			d = c.backoff(attempt)
		}
		return true, d, apiErr
	}
	if decode == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return false, 0, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	if err != nil {
		// The connection broke mid-body: safe to ask again only when
		// asking changes nothing.
		return idempotent, c.backoff(attempt), transportError(r, err)
	}
	if len(data) > maxSuccessBody {
		return false, 0, fmt.Errorf("%s: %w: body larger than %d MiB", r, ErrBadResponse, maxSuccessBody>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return false, 0, fmt.Errorf("%s: %w: empty body (HTTP %d)", r, ErrBadResponse, resp.StatusCode)
	}
	if err := decode(data); err != nil {
		return false, 0, fmt.Errorf("%s: %w: %s body is not the expected JSON (%v)", r, ErrBadResponse, contentKind(resp), err)
	}
	return false, 0, nil
}

// into decodes a JSON body into v.
func into(v any) func([]byte) error {
	return func(b []byte) error { return json.Unmarshal(b, v) }
}

// transportError describes a network failure without the URL's query.
func transportError(r request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("%s: %w", r, err)
}

type twilioErrorBody struct {
	Code     *int   `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// readError turns a non-success response into *Error, whatever its body.
func readError(r request, resp *http.Response) *Error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &Error{Status: resp.StatusCode, Method: r.method, Path: r.path, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var body twilioErrorBody
	if json.Unmarshal(data, &body) == nil && body.Code != nil && body.Message != "" {
		e.Code, e.Message, e.MoreInfo = *body.Code, body.Message, body.MoreInfo
		return e
	}
	e.Message = unexpectedBody(resp, data)
	return e
}

var (
	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// unexpectedBody describes a body that is not Twilio's error JSON, such as
// an HTML page from a proxy, so that the user learns who answered.
func unexpectedBody(resp *http.Response, data []byte) string {
	host := resp.Request.URL.Host
	kind := contentKind(resp)
	text := strings.TrimSpace(string(data))
	if text == "" {
		return fmt.Sprintf("empty response from %s (HTTP %d)", host, resp.StatusCode)
	}
	if m := titleRe.FindStringSubmatch(text); m != nil {
		text = m[1]
	} else {
		text = tagRe.ReplaceAllString(text, " ")
	}
	text = strings.Join(strings.Fields(html.UnescapeString(text)), " ")
	if r := []rune(text); len(r) > 80 {
		text = string(r[:80]) + "…"
	}
	return fmt.Sprintf("unexpected %s response from %s (HTTP %d): %s", kind, host, resp.StatusCode, text)
}

func contentKind(resp *http.Response) string {
	ct := resp.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if ct == "" {
		return "untyped"
	}
	return strings.TrimSpace(ct)
}

// parseRetryAfter reads seconds or an HTTP date; 0 when absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now))
	}
	return 0
}

// sleepCtx waits d or until ctx ends.
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
