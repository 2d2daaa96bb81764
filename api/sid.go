package api

import (
	"fmt"
	"strings"
)

// SID prefixes of the resources senderpool deals with.
const (
	PrefixAccount       = "AC"
	PrefixService       = "MG"
	PrefixChannelSender = "XE"
	PrefixAPIKey        = "SK"
	PrefixPhoneNumber   = "PN"
	PrefixShortCode     = "SC"
	PrefixAlphaSender   = "AI" // global and per-country alike
	PrefixA2PCampaign   = "QE"
	PrefixBrand         = "BN" // an A2P brand registration
)

// PoolPrefixes are the prefixes of the SIDs of a pool's members: phone
// numbers, short codes, alpha senders and channel senders.
func PoolPrefixes() []string {
	return []string{PrefixPhoneNumber, PrefixShortCode, PrefixAlphaSender, PrefixChannelSender}
}

// sidLength is two letters plus 32 hex digits.
const sidLength = 34

// ErrInvalidSID is matched (errors.Is) by every *SIDError.
var ErrInvalidSID error = &setupError{"invalid SID"}

// SIDError says which SID was malformed and what a valid one looks like.
type SIDError struct {
	Prefix string // expected prefix, e.g. "MG"
	Value  string // what was given
	// Prefixes, when set, are every prefix that would have done (a pool
	// member's SID may be PN, SC, AI or XE); Prefix is then the first.
	Prefixes []string
}

func (e *SIDError) Error() string {
	shown := e.Value
	if len(shown) > 40 {
		shown = shown[:40] + "…"
	}
	if len(e.Prefixes) > 1 {
		return fmt.Sprintf("invalid SID %q: expected %s followed by 32 hex digits (34 characters, e.g. %s%s)",
			shown, orList(e.Prefixes), e.Prefixes[0], "0123456789abcdef0123456789abcdef")
	}
	return fmt.Sprintf("invalid %s SID %q: expected %s followed by 32 hex digits (34 characters, e.g. %s%s)",
		prefixName(e.Prefix), shown, e.Prefix, e.Prefix, "0123456789abcdef0123456789abcdef")
}

// orList joins ["PN", "SC", "AI"] as "PN, SC or AI".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
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
	case PrefixPhoneNumber:
		return "phone number"
	case PrefixShortCode:
		return "short code"
	case PrefixAlphaSender:
		return "alpha sender"
	case PrefixA2PCampaign:
		return "US A2P campaign"
	case PrefixBrand:
		return "A2P brand"
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

// ValidatePhoneNumberSID checks a PN… SID.
func ValidatePhoneNumberSID(s string) error { return ValidateSID(PrefixPhoneNumber, s) }

// ValidateShortCodeSID checks an SC… SID.
func ValidateShortCodeSID(s string) error { return ValidateSID(PrefixShortCode, s) }

// ValidateAlphaSenderSID checks an AI… SID.
func ValidateAlphaSenderSID(s string) error { return ValidateSID(PrefixAlphaSender, s) }

// ValidateA2PCampaignSID checks a QE… SID.
func ValidateA2PCampaignSID(s string) error { return ValidateSID(PrefixA2PCampaign, s) }

// ValidatePoolSID checks the SID of any member of a pool: PN, SC, AI or
// XE followed by 32 hex digits.
func ValidatePoolSID(s string) error {
	for _, p := range PoolPrefixes() {
		if len(s) >= 2 && s[:2] == p {
			return ValidateSID(p, s)
		}
	}
	prefixes := PoolPrefixes()
	return &SIDError{Prefix: prefixes[0], Value: s, Prefixes: prefixes}
}

// SIDKind is the kind a pool member's SID says it is: KindPhoneNumber for
// PN…, KindShortCode for SC…, KindAlpha for AI… (global or per country),
// KindChannelSender for XE… (WhatsApp, Messenger or RCS: only the sender
// itself tells which). "" for anything else, a malformed SID included.
func SIDKind(sid string) string {
	if ValidatePoolSID(sid) != nil {
		return ""
	}
	switch sid[:2] {
	case PrefixPhoneNumber:
		return KindPhoneNumber
	case PrefixShortCode:
		return KindShortCode
	case PrefixAlphaSender:
		return KindAlpha
	}
	return KindChannelSender
}
