package ui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/senderpool/senderpool/api"
)

// Well-known sender kinds, in the order their groups are shown. Any other
// kind is shown after these, alphabetically, and "Other" comes last.
const (
	kindWhatsApp  = "WhatsApp"
	kindMessenger = "Messenger"
	kindRCS       = "RCS"
	kindOther     = "Other"
)

// canonicalKind maps a lower-cased sender_type or sender prefix to its
// group. "messanger" is spelled that way in one of Twilio's own examples.
func canonicalKind(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "whatsapp":
		return kindWhatsApp
	case "messenger", "messanger", "facebook":
		return kindMessenger
	case "rcs":
		return kindRCS
	}
	return ""
}

// senderKind decides a sender's group: its sender_type when recognised,
// else the prefix of its sender string ("whatsapp:+1…"), else the type as
// given, else Other.
func senderKind(s api.ChannelSender) string {
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
	return kindOther
}

// kindRank orders groups: known kinds first, then the rest by name, Other last.
func kindRank(kind string) int {
	switch kind {
	case kindWhatsApp:
		return 0
	case kindMessenger:
		return 1
	case kindRCS:
		return 2
	case kindOther:
		return 4
	}
	return 3
}

func compareKinds(a, b string) int {
	if c := cmp.Compare(kindRank(a), kindRank(b)); c != 0 {
		return c
	}
	return cmp.Compare(strings.ToLower(a), strings.ToLower(b))
}

// group is one section of the sender list.
type group struct {
	Kind    string
	Senders []api.ChannelSender
}

// groupSenders splits senders into groups in display order, each sorted by
// sender string then SID, so the list never reorders between refreshes.
func groupSenders(senders []api.ChannelSender) []group {
	byKind := map[string][]api.ChannelSender{}
	for _, s := range senders {
		k := senderKind(s)
		byKind[k] = append(byKind[k], s)
	}
	groups := make([]group, 0, len(byKind))
	for k, ss := range byKind {
		slices.SortFunc(ss, compareSenders)
		groups = append(groups, group{Kind: k, Senders: ss})
	}
	slices.SortFunc(groups, func(a, b group) int { return compareKinds(a.Kind, b.Kind) })
	return groups
}

// SenderKind is the group a sender is shown under: WhatsApp, Messenger,
// RCS, another type as Twilio spells it, or Other.
func SenderKind(s api.ChannelSender) string { return senderKind(s) }

// SortedSenders returns the senders in the order the dashboard shows them.
func SortedSenders(senders []api.ChannelSender) []api.ChannelSender {
	out := make([]api.ChannelSender, 0, len(senders))
	for _, g := range groupSenders(senders) {
		out = append(out, g.Senders...)
	}
	return out
}

func compareSenders(a, b api.ChannelSender) int {
	if c := cmp.Compare(a.Sender, b.Sender); c != 0 {
		return c
	}
	return cmp.Compare(a.SID, b.SID)
}
