package api

import (
	"cmp"
	"slices"
	"strings"
)

// Sender kinds, in the order they are listed: the channel senders
// (WhatsApp, Messenger, RCS, then any other channel type by name, then
// KindOther) as they always were, then the senders Twilio picks from for
// SMS and MMS: phone numbers (the bulk of most pools), short codes, alpha
// senders. Channel senders stay first and together so that the screens
// and scripts that knew only them keep their order; of the SMS kinds, the
// two that count against the pool's limit come first, and the alpha
// senders, which cannot receive replies, last.
const (
	KindWhatsApp  = "WhatsApp"
	KindMessenger = "Messenger"
	KindRCS       = "RCS"
	KindOther     = "Other" // a channel sender whose type nothing tells

	KindPhoneNumber = "Phone numbers" // long codes, toll-free and mobile numbers
	KindShortCode   = "Short codes"
	KindAlpha       = "Alpha senders" // alphanumeric sender IDs, global or per destination country
)

// KindChannelSender is what SIDKind says of an XE… SID: a channel sender
// whose kind (WhatsApp, Messenger, RCS) only the sender itself tells. No
// listed sender has it.
const KindChannelSender = "Channel senders"

// Kinds are the kinds a pool is grouped by, in order; a channel sender of
// an unknown type gets a kind of its own between KindRCS and KindOther.
func Kinds() []string {
	return []string{KindWhatsApp, KindMessenger, KindRCS, KindOther, KindPhoneNumber, KindShortCode, KindAlpha}
}

// KindName is a kind as the command line and the dashboard's filter name
// it: one lower-case word ("whatsapp", "phone-number"), so awk counts the
// columns right. A channel sender of a type we do not know is "other".
func KindName(kind string) string {
	switch kind {
	case KindWhatsApp:
		return "whatsapp"
	case KindMessenger:
		return "messenger"
	case KindRCS:
		return "rcs"
	case KindPhoneNumber:
		return "phone-number"
	case KindShortCode:
		return "short-code"
	case KindAlpha:
		return "alpha"
	}
	return "other"
}

// KindNames are the names KindName gives, in the order the pool is listed.
func KindNames() []string {
	names := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		names = append(names, KindName(k))
	}
	return names
}

// IsChannelKind reports whether senders of kind are channel senders
// (XE…): the known channel kinds, KindOther and any unknown type.
func IsChannelKind(kind string) bool {
	switch kind {
	case KindPhoneNumber, KindShortCode, KindAlpha, KindChannelSender:
		return false
	}
	return kind != ""
}

// canonicalKind maps a sender_type or sender prefix to its kind.
// "messanger" is spelled that way in one of Twilio's own examples.
func canonicalKind(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "whatsapp":
		return KindWhatsApp
	case "messenger", "messanger", "facebook":
		return KindMessenger
	case "rcs":
		return KindRCS
	}
	return ""
}

// SenderKind is the kind a channel sender is listed under: its
// sender_type when recognised, else the prefix of its sender string
// ("whatsapp:+1…"), else the type as given, else KindOther.
func SenderKind(s ChannelSender) string {
	if k := canonicalKind(s.SenderType); k != "" {
		return k
	}
	if prefix, _, ok := strings.Cut(s.Sender, ":"); ok {
		if k := canonicalKind(prefix); k != "" {
			return k
		}
	}
	if t := strings.TrimSpace(s.SenderType); t != "" {
		return t
	}
	return KindOther
}

// StatusChannel is the channel of GET /v2/Channels/Senders that knows a
// sender's status, "" when that API does not list its kind (Messenger).
func StatusChannel(s ChannelSender) string {
	switch SenderKind(s) {
	case KindWhatsApp:
		return ChannelWhatsApp
	case KindRCS:
		return ChannelRCS
	}
	return ""
}

func kindRank(kind string) int {
	switch kind {
	case KindWhatsApp:
		return 0
	case KindMessenger:
		return 1
	case KindRCS:
		return 2
	case KindOther:
		return 4
	case KindPhoneNumber:
		return 5
	case KindShortCode:
		return 6
	case KindAlpha:
		return 7
	}
	return 3 // another channel type
}

// CompareKinds orders kinds: the known channel kinds, any other channel
// type by name, KindOther, then phone numbers, short codes and alpha
// senders (see the kinds' constants for why).
func CompareKinds(a, b string) int {
	if c := cmp.Compare(kindRank(a), kindRank(b)); c != 0 {
		return c
	}
	return cmp.Compare(strings.ToLower(a), strings.ToLower(b))
}

// CompareSenders orders senders of one kind by sender string, then SID, so
// a list never reorders between refreshes.
func CompareSenders(a, b ChannelSender) int {
	if c := cmp.Compare(a.Sender, b.Sender); c != 0 {
		return c
	}
	return cmp.Compare(a.SID, b.SID)
}

// SortSenders returns the senders by kind, then sender string, then SID:
// the order the dashboard and the list subcommand show them in.
func SortSenders(senders []ChannelSender) []ChannelSender {
	out := slices.Clone(senders)
	slices.SortStableFunc(out, func(a, b ChannelSender) int {
		if c := CompareKinds(SenderKind(a), SenderKind(b)); c != 0 {
			return c
		}
		return CompareSenders(a, b)
	})
	return out
}
