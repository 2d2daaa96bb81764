package twiliotest

import (
	"fmt"
	"net/http"
)

// Retry says which requests a client may send again after a fault, within
// its attempts.
type Retry int

const (
	// RetryNever: an answer came; asking again would get the same one.
	RetryNever Retry = iota
	// RetryIdempotent: no whole answer came. GET and DELETE are sent
	// again; a POST once written is not, as it may have attached. A hang
	// counts here when a per-request timeout ends it; a deadline of the
	// caller's ends the whole call at once.
	RetryIdempotent
	// RetryAlways: 429 and 503, which Twilio answers without acting: any
	// method is sent again, after Retry-After when the client's cap on a
	// wait allows it (a longer one ends the call at once).
	RetryAlways
)

func (r Retry) String() string {
	switch r {
	case RetryNever:
		return "never"
	case RetryIdempotent:
		return "idempotent"
	case RetryAlways:
		return "always"
	}
	return fmt.Sprintf("Retry(%d)", int(r))
}

// FaultCase is one fault of the fault matrices (the dashboard's and the
// subcommands'), with what holds whichever of them meets it. What differs
// between them (their retry cap and timeouts, their wording around the
// error) stays in each matrix.
type FaultCase struct {
	Name  string
	Fault Fault // to queue with AddFault on the operation's route

	Retry Retry
	// Recovers: the fault fires once and the client's retry gets through,
	// so with two attempts or more the call succeeds in two requests.
	Recovers bool
	// Applied: the fake carries out an attach or detach before it breaks
	// the reply, so the change is made even where the call fails.
	Applied bool
	// DetachOK: a detach it hits still succeeds, since a DELETE's 2xx
	// status is all the client needs of its reply (even when the fake
	// never acted: see Applied).
	DetachOK bool
	// ListsOnly: only list calls fail (the fault is in next_page_url);
	// fetch, attach and detach succeed.
	ListsOnly bool

	// Words must all be in the error a person is shown (in any case).
	// Nil when no error is left (Recovers), and for a hang, whose error
	// names whatever ended the wait: an http.Client timeout says
	// "timeout", the caller's deadline "deadline exceeded".
	Words []string
	// AttachWords replace Words for a failed attach: they say whether it
	// may have taken effect. Nil: Words.
	AttachWords []string

	// RealAttach is a demo sender whose attach to DemoServiceNotifications
	// meets the same status for real, without the fault; "" for none.
	RealAttach string
	// RealAttachWords must all be in the error of that real attach.
	RealAttachWords []string
}

// Breaks reports whether a call on route ends in an error, with a client
// that makes two attempts or more.
func (c FaultCase) Breaks(route Route) bool {
	switch {
	case c.Recovers:
		return false
	case c.ListsOnly:
		return route.IsList()
	case c.DetachOK:
		return !route.IsDelete()
	}
	return true
}

// TwilioWords are the words an error from Twilio must show: its message,
// its code and the link to the code's page.
func TwilioWords(message string, code int) []string {
	return []string{message, fmt.Sprintf("error %d", code), moreInfo(code)}
}

// FaultCases returns the faults both fault matrices run, in order: Twilio
// errors, then what proxies and networks do to a reply. A fresh slice on
// every call, so a matrix may change its copy.
func FaultCases() []FaultCase {
	twilio := func(status, code int, msg string) Fault {
		return Fault{Kind: FaultStatus, Status: status, Code: code, Message: msg}
	}
	forever := func(f Fault) Fault { f.Times = -1; return f }
	const (
		authenticate = "Authenticate"
		forbidden    = "Permission denied for this API key"
		notFound     = "The requested resource was not found"
		unusable     = "The sender cannot be used with this Messaging Service"
		conflict     = "Conflict"
		tooMany      = "Too Many Requests"
		internal     = "Internal Server Error"
		unavailable  = "Service Unavailable"
	)
	rateLimited := forever(twilio(http.StatusTooManyRequests, 20429, tooMany))
	rateLimitedWait := rateLimited
	rateLimitedWait.RetryAfter = "1" // 1 s: waited or not depending on the client's cap
	return []FaultCase{
		// The very reply the fake gives a wrong secret (a matrix may use a
		// wrong secret instead of the fault).
		{Name: "401 wrong secret", Fault: twilio(http.StatusUnauthorized, CodeAuthenticate, authenticate),
			Words: TwilioWords(authenticate, CodeAuthenticate)},
		{Name: "403 forbidden", Fault: twilio(http.StatusForbidden, 20403, forbidden),
			Words: TwilioWords(forbidden, 20403)},
		{Name: "404 gone", Fault: twilio(http.StatusNotFound, CodeNotFound, notFound),
			Words:      TwilioWords(notFound, CodeNotFound),
			RealAttach: DemoUnknownSender, RealAttachWords: []string{"no sender with this SID exists on the account", "error 20404"}},
		{Name: "400 with a Twilio code", Fault: twilio(http.StatusBadRequest, 21710, unusable),
			Words: TwilioWords(unusable, 21710)},
		{Name: "409 duplicate", Fault: twilio(http.StatusConflict, CodeConflict, conflict),
			Words:      TwilioWords(conflict, CodeConflict),
			RealAttach: DemoSenderWhatsAppBR, RealAttachWords: []string{"already attached to another Messaging Service", "error 20409"}},
		{Name: "429 with Retry-After", Fault: rateLimitedWait, Retry: RetryAlways,
			Words: TwilioWords(tooMany, 20429)},
		{Name: "429 without Retry-After", Fault: rateLimited, Retry: RetryAlways,
			Words: TwilioWords(tooMany, 20429)},
		{Name: "500", Fault: twilio(http.StatusInternalServerError, 20500, internal),
			Words: TwilioWords(internal, 20500)},
		{Name: "503", Fault: forever(twilio(http.StatusServiceUnavailable, 20503, unavailable)), Retry: RetryAlways,
			Words: TwilioWords(unavailable, 20503)},
		{Name: "503 once then fine", Fault: twilio(http.StatusServiceUnavailable, 20503, unavailable), Retry: RetryAlways,
			Recovers: true},
		{Name: "slow reply past the timeout", Fault: forever(Fault{Kind: FaultHang}), Retry: RetryIdempotent},
		{Name: "connection dropped", Fault: forever(Fault{Kind: FaultDrop}), Retry: RetryIdempotent,
			Words:       []string{"closed before an answer came"},
			AttachWords: []string{"no answer came back", "may have taken effect"}},
		{Name: "connection dropped mid-body", Fault: forever(Fault{Kind: FaultDropMidBody}), Retry: RetryIdempotent,
			Applied: true, DetachOK: true,
			Words:       []string{"unexpected EOF"},
			AttachWords: []string{"unexpected EOF", "probably taken effect"}},
		{Name: "malformed JSON", Fault: Fault{Kind: FaultMalformedJSON},
			Applied: true, DetachOK: true,
			Words: []string{"not the expected JSON"}},
		{Name: "HTML page from a proxy", Fault: Fault{Kind: FaultHTML},
			Words: []string{"unexpected text/html response", "502 Bad Gateway"}},
		// A DELETE's 2xx must still come from the API, not from a portal's
		// login page.
		{Name: "HTML 200 from a captive portal", Fault: Fault{Kind: FaultHTML, Status: http.StatusOK, Message: "Sign in to the guest network"},
			Words: []string{"unexpected text/html response", "200 OK"}},
		// A DELETE's success has no body: an empty 200 cannot be told from it.
		{Name: "empty 200 body", Fault: Fault{Kind: FaultEmptyBody},
			DetachOK: true,
			Words:    []string{"empty body"}},
		{Name: "next_page_url on another host", Fault: Fault{Kind: FaultForeignNextPage},
			Applied: true, ListsOnly: true,
			Words: []string{"next_page_url"}},
	}
}
