package api

// Twilio error codes of the sender pool worth words of their own: a
// person who meets one needs to know what to do, not only that it failed.
const (
	// CodeAlreadyInService: the sender is already in this service.
	CodeAlreadyInService = 21710
	// CodeInAnotherService: a phone number or short code is in another
	// service; Twilio allows one service per number.
	CodeInAnotherService = 21712
	// CodePoolFull: the service holds its limit of phone numbers and
	// short codes (DefaultPoolLimit unless Twilio raised it).
	CodePoolFull = 21714
	// CodeNotSMSCapable: the number can send neither SMS nor MMS.
	CodeNotSMSCapable = 21715
	// CodeRegionMismatch: the number belongs to another Twilio region
	// than the service.
	CodeRegionMismatch = 21669
	// CodeAlphaNotAllowed: an alphanumeric sender ID is not allowed here
	// (the account, or the destination country, does not permit it).
	CodeAlphaNotAllowed = 21709
)

// IsCode reports whether err is an API error with Twilio's code.
func IsCode(err error, code int) bool {
	apiErr, ok := AsError(err)
	return ok && apiErr.Code == code
}

// Hint is a short explanation, for a person, of what a pool error means
// and what to do; "" for a code without one. It adds to the error's own
// message (which the UI shows too), so it never repeats it.
func (e *Error) Hint() string {
	switch e.Code {
	case CodeAlreadyInService:
		return "It is already in this service: nothing to add."
	case CodeInAnotherService:
		return "It is in another service: detach it there first (a number or short code can be in one service at a time)."
	case CodePoolFull:
		return "The service's pool is full: by default 400 phone numbers and short codes together. Detach one, or ask Twilio for a higher limit."
	case CodeNotSMSCapable:
		return "The number can send neither SMS nor MMS, so it cannot be in a Messaging Service."
	case CodeRegionMismatch:
		return "The number belongs to another Twilio region than the service: use a service in the number's region."
	case CodeAlphaNotAllowed:
		return "Alphanumeric sender IDs are not allowed here: the account or the destination country does not permit them."
	}
	return ""
}

// Hint is the hint of the API error inside err, if any ("" otherwise).
func Hint(err error) string {
	if apiErr, ok := AsError(err); ok {
		return apiErr.Hint()
	}
	return ""
}
