package api

import (
	"fmt"
)

// SID prefixes of the resources senderpool deals with.
const (
	PrefixAccount       = "AC"
	PrefixService       = "MG"
	PrefixChannelSender = "XE"
	PrefixAPIKey        = "SK"
)

// sidLength is two letters plus 32 hex digits.
const sidLength = 34

// ErrInvalidSID is matched (errors.Is) by every *SIDError.
var ErrInvalidSID error = &setupError{"invalid SID"}

// SIDError says which SID was malformed and what a valid one looks like.
type SIDError struct {
	Prefix string // expected prefix, e.g. "MG"
	Value  string // what was given
}

func (e *SIDError) Error() string {
	shown := e.Value
	if len(shown) > 40 {
		shown = shown[:40] + "…"
	}
	return fmt.Sprintf("invalid %s SID %q: expected %s followed by 32 hex digits (34 characters, e.g. %s%s)",
		prefixName(e.Prefix), shown, e.Prefix, e.Prefix, "0123456789abcdef0123456789abcdef")
}

// Is lets errors.Is(err, ErrInvalidSID) match.
func (e *SIDError) Is(target error) bool { return target == ErrInvalidSID }

// SetupError marks a malformed SID as the caller's mistake: nothing was sent.
func (e *SIDError) SetupError() bool { return true }

func prefixName(prefix string) string {
	switch prefix {
	case PrefixAccount:
		return "account"
	case PrefixService:
		return "Messaging Service"
	case PrefixChannelSender:
		return "sender"
	case PrefixAPIKey:
		return "API key"
	}
	return prefix
}

// ValidateSID reports whether s is prefix followed by exactly 32 hex digits.
func ValidateSID(prefix, s string) error {
	if len(s) != sidLength || s[:2] != prefix {
		return &SIDError{Prefix: prefix, Value: s}
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return &SIDError{Prefix: prefix, Value: s}
		}
	}
	return nil
}

// ValidateAccountSID checks an AC… SID.
func ValidateAccountSID(s string) error { return ValidateSID(PrefixAccount, s) }

// ValidateServiceSID checks an MG… SID.
func ValidateServiceSID(s string) error { return ValidateSID(PrefixService, s) }

// ValidateSenderSID checks an XE… SID.
func ValidateSenderSID(s string) error { return ValidateSID(PrefixChannelSender, s) }

// ValidateAPIKeySID checks an SK… SID.
func ValidateAPIKeySID(s string) error { return ValidateSID(PrefixAPIKey, s) }
