package api

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrInvalidAddress is matched (errors.Is) by every *AddressError.
var ErrInvalidAddress error = &setupError{"invalid sender"}

// AddressError says why a phone number, short code, alpha sender, channel
// address or country code was refused before any request was made.
type AddressError struct {
	What   string // "phone number", "short code", "alpha sender", "channel address", "country code", "sender"
	Value  string // what was given
	Reason string // what a valid one looks like
}

func (e *AddressError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("invalid %s: %s", e.What, e.Reason)
	}
	return fmt.Sprintf("invalid %s %q: %s", e.What, printable(e.Value, 40), e.Reason)
}

// Is lets errors.Is(err, ErrInvalidAddress) match.
func (e *AddressError) Is(target error) bool { return target == ErrInvalidAddress }

// SetupError marks the input as the caller's mistake: nothing was sent.
func (e *AddressError) SetupError() bool { return true }

// Bounds of what ValidateE164, ValidateShortCode and ValidateAlphaSender
// accept.
const (
	minE164Digits  = 7  // the shortest numbering plans (+290 XXXX)
	maxE164Digits  = 15 // ITU-T E.164
	minShortCode   = 3
	maxShortCode   = 8
	maxAlphaSender = 11
)

// ValidateE164 checks a phone number in E.164 form: "+", then 7 to 15
// digits, the first not 0, nothing else (see NormalizeE164 for input
// with spaces or dashes).
func ValidateE164(s string) error {
	if reason := e164Problem(s); reason != "" {
		return &AddressError{What: "phone number", Value: s, Reason: reason}
	}
	return nil
}

// e164Problem says what is wrong with s as an E.164 number; "" if nothing.
func e164Problem(s string) string {
	digits, ok := strings.CutPrefix(s, "+")
	switch {
	case !ok:
		return "want + and the country code, e.g. +14155550100"
	case !allDigits(digits):
		return "want + followed by digits only, e.g. +14155550100"
	case len(digits) < minE164Digits || len(digits) > maxE164Digits:
		return fmt.Sprintf("want %d to %d digits after the +, e.g. +14155550100", minE164Digits, maxE164Digits)
	case digits[0] == '0':
		return "a country code never starts with 0"
	}
	return ""
}

// NormalizeE164 drops the spaces, dashes, dots and parentheses people
// write in numbers ("+1 (415) 555-0100") and checks what is left.
func NormalizeE164(s string) (string, error) {
	n := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if reason := e164Problem(n); reason != "" {
		return "", &AddressError{What: "phone number", Value: s, Reason: reason}
	}
	return n, nil
}

// ValidateShortCode checks a short code's digits: 3 to 8 of them.
func ValidateShortCode(s string) error {
	if !allDigits(s) || len(s) < minShortCode || len(s) > maxShortCode {
		return &AddressError{What: "short code", Value: s,
			Reason: fmt.Sprintf("want %d to %d digits, e.g. 12345", minShortCode, maxShortCode)}
	}
	return nil
}

// ValidateAlphaSender checks an alphanumeric sender ID as the spec's
// AlphaSender parameter defines it: at most 11 characters among A-Z, a-z,
// 0-9, space, and - + _ &, not digits only; and, as Twilio's glossary
// says, with at least one letter. A space at either end is refused too:
// it would be invisible on a screen, and "Acme" and "Acme " would look
// the same.
func ValidateAlphaSender(s string) error {
	bad := func(reason string) error { return &AddressError{What: "alpha sender", Value: s, Reason: reason} }
	switch {
	case s == "":
		return bad("want 1 to 11 letters, digits, spaces or - + _ &, e.g. Acme")
	case len(s) > maxAlphaSender:
		return bad(fmt.Sprintf("%d characters; at most %d are allowed", utf8.RuneCountInString(s), maxAlphaSender))
	case strings.HasPrefix(s, " ") || strings.HasSuffix(s, " "):
		return bad("it starts or ends with a space")
	}
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			letter = true
		case '0' <= c && c <= '9', strings.IndexByte(alphaPunctuation, c) >= 0:
		default:
			return bad("only the letters A-Z and a-z, the digits 0-9, spaces and - + _ & are allowed")
		}
	}
	if !letter {
		return bad("it needs at least one letter")
	}
	return nil
}

// alphaPunctuation is what an alpha sender may hold besides letters and
// digits (the spec's AlphaSender parameter).
const alphaPunctuation = " -+_&"

// ValidateCountryCode checks an ISO 3166-1 alpha-2 country code, such as
// DE, in capitals.
func ValidateCountryCode(s string) error {
	if len(s) != 2 || !isUpper(s[0]) || !isUpper(s[1]) {
		return &AddressError{What: "country code", Value: s, Reason: "want two capital letters (ISO 3166-1), e.g. DE"}
	}
	return nil
}

// NormalizeCountryCode upper-cases a country code ("de") and checks it.
func NormalizeCountryCode(s string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if ValidateCountryCode(c) != nil {
		return "", &AddressError{What: "country code", Value: s, Reason: "want two letters (ISO 3166-1), e.g. DE"}
	}
	return c, nil
}

// tollFreeAreas are the area codes of the North American toll-free
// numbers (US and Canada).
var tollFreeAreas = [...]string{"800", "833", "844", "855", "866", "877", "888"}

// IsTollFree reports whether an E.164 number is a US or Canadian
// toll-free number: +1 and one of 800, 833, 844, 855, 866, 877, 888.
func IsTollFree(e164 string) bool {
	rest, ok := strings.CutPrefix(e164, "+1")
	if !ok || len(rest) != 10 || !allDigits(rest) {
		return false
	}
	for _, a := range tollFreeAreas {
		if rest[:3] == a {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// SenderInput is what a person typed to name a sender, read by
// ParseSenderInput: a SID, or an address to find the sender by.
type SenderInput struct {
	// Kind is KindPhoneNumber, KindShortCode or KindAlpha; for a channel
	// address KindWhatsApp, KindMessenger or KindRCS; for an XE… SID
	// KindChannelSender.
	Kind string
	// SID is set when the input was a SID (PN…, SC…, AI…, XE…).
	SID string
	// Address is the E.164 number, the short code's digits, the alpha
	// sender, or the channel address ("whatsapp:+14155550100"); "" for a
	// SID.
	Address string
	// Country is the destination country of an alpha sender, "" for every
	// country. ParseSenderInput never sets it; a caller may (--country).
	Country string
}

// String is the input as a person would write it.
func (in SenderInput) String() string {
	s := in.SID
	if s == "" {
		s = in.Address
	}
	if in.Country != "" {
		s += " (" + in.Country + ")"
	}
	return s
}

// minSIDLike is how many hex digits after a pool prefix make an input a
// SID (cut short or too long) rather than an alpha sender: "SCOOTER" is
// an alpha sender, "PN1234abcd" a mistyped SID.
const minSIDLike = 8

// ParseSenderInput reads what a person typed to name a sender:
//
//   - a SID: PN… (phone number), SC… (short code), AI… (alpha sender),
//     XE… (channel sender);
//   - a phone number in E.164 form, spaces and dashes allowed: +1 415 555 0100;
//   - a short code: 3 to 8 digits;
//   - a channel address: whatsapp:+14155550100, messenger:1047…, rcs:agent_id;
//   - anything else is an alpha sender (ValidateAlphaSender).
//
// Whatever is malformed is an *AddressError or a *SIDError, before any
// request.
func ParseSenderInput(s string) (SenderInput, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return SenderInput{}, &AddressError{What: "sender", Reason: "type a SID (PN…, SC…, XE…), a phone number (+14155550100), a short code (12345), whatsapp:+1…, or an alpha sender (Acme)"}
	}
	if looksLikeSID(s) {
		if err := ValidatePoolSID(s); err != nil {
			return SenderInput{}, err
		}
		return SenderInput{Kind: SIDKind(s), SID: s}, nil
	}
	if prefix, rest, ok := strings.Cut(s, ":"); ok {
		return parseChannelAddress(s, prefix, rest)
	}
	// "+" and a digit start a phone number; "+Acme" may be an alpha sender.
	if len(s) > 1 && s[0] == '+' && '0' <= s[1] && s[1] <= '9' {
		n, err := NormalizeE164(s)
		if err != nil {
			return SenderInput{}, err
		}
		return SenderInput{Kind: KindPhoneNumber, Address: n}, nil
	}
	if numberish(s) {
		digits := strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return r
			}
			return -1
		}, s)
		if digits == s && len(s) <= maxShortCode {
			if err := ValidateShortCode(s); err != nil {
				return SenderInput{}, err
			}
			return SenderInput{Kind: KindShortCode, Address: s}, nil
		}
		return SenderInput{}, &AddressError{What: "phone number", Value: s, Reason: "want + and the country code, e.g. +14155550100 (a short code has 3 to 8 digits)"}
	}
	if err := ValidateAlphaSender(s); err != nil {
		return SenderInput{}, err
	}
	return SenderInput{Kind: KindAlpha, Address: s}, nil
}

// looksLikeSID: two capitals and at least minSIDLike hex digits, nothing
// else. Such an input is never taken for an alpha sender: a SID cut short
// must not be attached as one.
func looksLikeSID(s string) bool {
	if len(s) < 2+minSIDLike || !isUpper(s[0]) || !isUpper(s[1]) {
		return false
	}
	for i := 2; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// numberish: digits and the punctuation people write numbers with.
func numberish(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits > 0
}

func parseChannelAddress(s, prefix, rest string) (SenderInput, error) {
	bad := func(reason string) (SenderInput, error) {
		return SenderInput{}, &AddressError{What: "channel address", Value: s, Reason: reason}
	}
	kind := canonicalKind(prefix)
	if kind == "" || strings.EqualFold(prefix, "facebook") {
		return bad("want whatsapp:, messenger: or rcs: before the address")
	}
	if strings.TrimSpace(rest) != rest || rest == "" {
		return bad("nothing, or spaces, after the colon")
	}
	if kind == KindWhatsApp {
		if err := ValidateE164(rest); err != nil {
			return bad("a WhatsApp sender is whatsapp: and an E.164 number, e.g. whatsapp:+14155550100")
		}
	}
	return SenderInput{Kind: kind, Address: channelPrefix(kind) + ":" + rest}, nil
}

// channelPrefix is the sender string's prefix of a channel kind.
func channelPrefix(kind string) string {
	switch kind {
	case KindWhatsApp:
		return "whatsapp"
	case KindMessenger:
		return "messenger"
	case KindRCS:
		return "rcs"
	}
	return ""
}
