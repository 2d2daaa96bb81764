package api

import (
	"cmp"
	"slices"
	"strings"
)

// Well-known sender kinds, in the order they are listed. Any other kind
// comes after these, alphabetically, and KindOther comes last.
const (
	KindWhatsApp  = "WhatsApp"
	KindMessenger = "Messenger"
	KindRCS       = "RCS"
	KindOther     = "Other"
)

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
	}
	return 3
}

// CompareKinds orders kinds: the known ones first, then the rest by name,
// KindOther last.
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
