package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Error is an error answer from the API. For JSON error bodies the fields
// come from Twilio's {"code","message","more_info","status"}; for anything
// else (an HTML page from a proxy, an empty body) Message describes what
// arrived and Code is 0.
type Error struct {
	Status     int           // HTTP status of the response
	Code       int           // Twilio error code, e.g. 20404; 0 when the body was not Twilio JSON
	Message    string        // Twilio's message, or a description of the unexpected body
	MoreInfo   string        // link to Twilio's error page, may be empty
	Method     string        // request method
	Path       string        // request path (never the query, never credentials)
	RetryAfter time.Duration // from the Retry-After header, 0 when absent
	RequestID  string        // Twilio-Request-Id header (RQ…), for Twilio support; may be empty
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	status := fmt.Sprintf("(HTTP %d", e.Status)
	s := msg
	switch {
	case e.Code != 0:
		s += fmt.Sprintf(" %s, Twilio error %d)", status, e.Code)
	case !strings.Contains(msg, status+")"): // a description of an unexpected body already says it
		s += " " + status + ")"
	}
	if e.MoreInfo != "" {
		s += ": " + e.MoreInfo
	}
	return s
}

// NotFound reports a 404: the service or sender does not exist (any more).
func (e *Error) NotFound() bool { return e.Status == http.StatusNotFound }

// Unauthorized reports 401: wrong credentials.
func (e *Error) Unauthorized() bool { return e.Status == http.StatusUnauthorized }

// Retryable reports whether Twilio says the same request may succeed later.
func (e *Error) Retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var apiErr *Error
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// IsNotFound reports whether err is an API 404.
func IsNotFound(err error) bool {
	apiErr, ok := AsError(err)
	return ok && apiErr.NotFound()
}

// twilioErrorBody is Twilio's error JSON.
type twilioErrorBody struct {
	Code     *int   `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// readError turns a non-success response into *Error, whatever its body.
// It reads at most maxErrorBody bytes.
func readError(r request, resp *http.Response, now time.Time) *Error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody)) // on a read error, describe what did arrive
	e := &Error{
		Status:     resp.StatusCode,
		Method:     r.method,
		Path:       r.path,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now),
		RequestID:  printable(resp.Header.Get("Twilio-Request-Id"), 64),
	}
	var body twilioErrorBody
	if json.Unmarshal(data, &body) == nil && body.Code != nil {
		e.Code = *body.Code
		e.Message = printable(body.Message, 1000)
		if strings.TrimSpace(e.Message) == "" {
			e.Message = missingMessage(resp.StatusCode)
		}
		e.MoreInfo = printable(body.MoreInfo, 200)
		return e
	}
	e.Message = unexpectedBody(resp, data)
	return e
}

// missingMessage stands in for a Twilio error that came without a message.
func missingMessage(status int) string {
	if text := http.StatusText(status); text != "" {
		return text
	}
	return "Twilio sent no message"
}

var (
	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// unexpectedBody describes a body that is not what the API sends, such as
// a proxy's HTML page, so that the user learns who answered and what it
// said: "unexpected text/html response from messaging.twilio.com (HTTP
// 502): 502 Bad Gateway".
func unexpectedBody(resp *http.Response, data []byte) string {
	host := resp.Request.URL.Host
	kind := contentKind(resp)
	text := strings.TrimSpace(string(data))
	if text == "" {
		return fmt.Sprintf("empty %s response from %s (HTTP %d)", kind, host, resp.StatusCode)
	}
	if m := titleRe.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
		text = m[1]
	} else if strings.Contains(kind, "html") || strings.HasPrefix(text, "<") {
		text = tagRe.ReplaceAllString(text, " ")
	}
	text = printable(html.UnescapeString(text), 80)
	return fmt.Sprintf("unexpected %s response from %s (HTTP %d): %s", kind, host, resp.StatusCode, text)
}

// printable collapses whitespace, drops control characters (a terminal
// UI must not print a server's escape sequences) and keeps at most n runes.
func printable(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

func contentKind(resp *http.Response) string {
	ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	ct = printable(ct, 60)
	if ct == "" {
		return "untyped"
	}
	return ct
}

// parseRetryAfter reads delay-seconds or an HTTP date; 0 when absent,
// unparsable or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		// Far beyond anything waited; kept finite so it cannot overflow.
		return time.Duration(min(n, 1<<20)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now))
	}
	return 0
}
