package api

// setupError is a sentinel for a mistake in what the caller was given (a
// malformed SID, an unusable base URL, region or edge, a missing secret):
// nothing was sent. SetupError lets a command line tell these apart from
// the API's and the network's failures with one errors.As, whatever
// package made the error.
type setupError struct{ msg string }

func (e *setupError) Error() string    { return e.msg }
func (e *setupError) SetupError() bool { return true }
