package twiliotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Twilio error codes the fake answers with. Each error body links to
// https://www.twilio.com/docs/errors/{code}.
const (
	// CodeInvalidParameter is for every 400: a missing or malformed
	// parameter (PageSize, Page, PageToken, Channel, Sid), a malformed SID in
	// the path, a body that is not form-encoded. 20001 is the code Twilio's
	// platform uses for invalid or missing request parameters ("Missing
	// required parameter Sid in the post body"); the v1 spec lists no error
	// responses, so the exact code for this endpoint is not known.
	CodeInvalidParameter = 20001
	// CodeAuthenticate is Twilio's 401 "Authenticate".
	CodeAuthenticate = 20003
	// CodeMethodNotAllowed is Twilio's 405 "Method not allowed".
	CodeMethodNotAllowed = 20004
	// CodeNotFound is Twilio's 404: unknown service, a sender that is not
	// attached (fetch, detach) or not on the account (attach), unknown path.
	CodeNotFound = 20404
	// CodeConflict is Twilio's platform 409 "Conflict" (documented at
	// /docs/api/errors/20409: "a conflict with the current state of the
	// target resource"). The fake answers it when attaching a sender that
	// is already attached, to this service or (as Twilio does for phone
	// numbers, error 21712) to another one. Twilio's real code for channel
	// senders is not documented.
	CodeConflict = 20409

	// The sender pool's own codes, as Twilio documents them
	// (https://www.twilio.com/docs/errors/{code}), all with HTTP 400.

	// CodeInvalidPoolSID is Twilio's 21421, "Phone Number is invalid": an
	// invalid, or unknown, Phone Number SID or Short Code SID in an attach.
	CodeInvalidPoolSID = 21421
	// CodeAlreadyInService: the number, short code or alpha sender is
	// already in this service.
	CodeAlreadyInService = 21710
	// CodeInAnotherService is 21712, "Phone Number or Short Code is
	// associated with another Messaging Service".
	CodeInAnotherService = 21712
	// CodePoolFull is 21714, "Messaging Service Number Pool size limit
	// reached": DefaultPoolLimit phone numbers and short codes by default.
	CodePoolFull = 21714
	// CodeNotSMSCapable is 21715, "Phone Number Does Not Have Correct
	// Messaging Service Capabilities": neither SMS nor MMS.
	CodeNotSMSCapable = 21715
	// CodeRegionMismatch: the number lives in another Twilio region than
	// the service.
	CodeRegionMismatch = 21669
	// CodeAlphaNotAllowed: an alphanumeric sender ID is not allowed for
	// the destination country.
	CodeAlphaNotAllowed = 21709
)

// Error is a Twilio-format error: the body of every error reply, and what
// Attach and Detach return.
type Error struct {
	Status  int    // HTTP status
	Code    int    // Twilio error code
	Message string // Twilio's message
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (HTTP %d, Twilio error %d)", e.Message, e.Status, e.Code)
}

// MoreInfo is the documentation link Twilio puts in the body.
func (e *Error) MoreInfo() string { return moreInfo(e.Code) }

func moreInfo(code int) string {
	return "https://www.twilio.com/docs/errors/" + strconv.Itoa(code)
}

// errorBody is Twilio's error JSON, built here so that decoding it with the
// client's types checks the field names.
type errorBody struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// writeError writes e as Twilio does: status, JSON body, Content-Type
// application/json.
func writeError(w http.ResponseWriter, e *Error) {
	body, _ := json.Marshal(errorBody{Code: e.Code, Message: e.Message, MoreInfo: e.MoreInfo(), Status: e.Status})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func errNotFound(path string) *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeNotFound,
		Message: "The requested resource " + path + " was not found"}
}

func errUnknownSender(sid string) *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeNotFound,
		Message: "The requested resource " + sid + " was not found: no sender with this SID exists on the account"}
}

func errAlreadyAttached(sid string) *Error {
	return &Error{Status: http.StatusConflict, Code: CodeConflict,
		Message: "Sender " + sid + " is already attached to this Messaging Service"}
}

func errAttachedElsewhere(sid, service string) *Error {
	return &Error{Status: http.StatusConflict, Code: CodeConflict,
		Message: "Sender " + sid + " is already attached to another Messaging Service (" + service + "); detach it there first"}
}

func errMissingParam(name string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
		Message: "Missing required parameter " + name + " in the post body"}
}

func errInvalidParam(name, prefix, value string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
		Message: fmt.Sprintf("Invalid parameter %s: %q is not a valid %s SID (%s followed by 32 hex digits)", name, shorten(value), prefix, prefix)}
}

func errInvalidPathSID(name, prefix, value string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
		Message: fmt.Sprintf("Invalid path parameter %s: %q is not a valid %s SID (%s followed by 32 hex digits)", name, shorten(value), prefix, prefix)}
}

func errBadQuery(message string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeInvalidParameter, Message: message}
}

func errAuthenticate() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeAuthenticate, Message: "Authenticate"}
}

func errMethod(method, path string) *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed,
		Message: "Method " + method + " not allowed on " + path}
}

// shorten keeps error messages readable when a client sends garbage.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func poolError(code int, message string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: message}
}

func errInvalidPoolSID(what, sid string) *Error {
	return poolError(CodeInvalidPoolSID, fmt.Sprintf("%s is invalid: %q is not a %s SID of this account", what, shorten(sid), what))
}

func errAlreadyInService(sid string) *Error {
	return poolError(CodeAlreadyInService, sid+" is already in this Messaging Service")
}

func errInAnotherService(sid, service string) *Error {
	return poolError(CodeInAnotherService, "Phone Number or Short Code is associated with another Messaging Service ("+service+"): "+sid)
}

func errPoolFull(limit int) *Error {
	return poolError(CodePoolFull, fmt.Sprintf("Messaging Service Number Pool size limit reached: it holds %d phone numbers and short codes", limit))
}

func errNotSMSCapable(number string) *Error {
	return poolError(CodeNotSMSCapable, "Phone Number Does Not Have Correct Messaging Service Capabilities: "+number+" has neither SMS nor MMS")
}

func errRegionMismatch(number, numberRegion, serviceRegion string) *Error {
	return poolError(CodeRegionMismatch, fmt.Sprintf("Phone Number %s is in region %s, the Messaging Service in %s", number, numberRegion, serviceRegion))
}

func errAlphaNotAllowed(country string) *Error {
	return poolError(CodeAlphaNotAllowed, "Alphanumeric Sender ID is not allowed for destination country "+country)
}

// errAlphaTaken: a service has one alpha sender for every country, and
// one per destination country (Twilio: "Each Messaging Service may only
// have one alpha sender"); the code for adding a second is not documented.
func errAlphaTaken(existing, country string) *Error {
	where := "for every country"
	if country != "" {
		where = "for " + country
	}
	return &Error{Status: http.StatusConflict, Code: CodeConflict,
		Message: fmt.Sprintf("This Messaging Service already has an alpha sender %s (%s): delete it before adding another", where, shorten(existing))}
}

func errNotThisAccount(account string) *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeNotFound,
		Message: "The requested resource /2010-04-01/Accounts/" + shorten(account) + " was not found: not the account of these credentials"}
}
