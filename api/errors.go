package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"
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
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	s := fmt.Sprintf("%s (HTTP %d", msg, e.Status)
	if e.Code != 0 {
		s += fmt.Sprintf(", Twilio error %d", e.Code)
	}
	s += ")"
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
