package ui

import (
	"strings"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// pickEntry is one sender the picker offers. Shown text is cleaned once,
// when it arrives, so drawing a row costs no more than its width.
type pickEntry struct {
	SID      string // as sent; validated before it is attached
	kind     string // api.KindWhatsApp, …, api.KindPhoneNumber, api.KindShortCode
	label    string // the address, number or short code, cleaned
	name     string // profile or friendly name, cleaned; "" when it only repeats the label
	info     string // status (channel senders) or capabilities (numbers), cleaned
	tollFree bool
	hay      string // what the typed text is looked for in, lower-cased
	digits   string // the label's digits, for numbers typed with spaces or dashes
}

// prefix is the SID prefix the entry's source gives its senders.
func (e pickEntry) prefix() string {
	switch e.kind {
	case api.KindPhoneNumber:
		return api.PrefixPhoneNumber
	case api.KindShortCode:
		return api.PrefixShortCode
	}
	return api.PrefixChannelSender
}

// Entries from each source.

func channelEntry(s api.AccountSender) pickEntry {
	return newPickEntry(s.SID, channelKind(s), s.SenderID, profileName(s), s.Status, false)
}

func numberEntry(n api.IncomingPhoneNumber) pickEntry {
	name := n.FriendlyName
	if repeats(name, n.PhoneNumber) {
		name = "" // Twilio's default friendly name is the number written out
	}
	return newPickEntry(n.SID, api.KindPhoneNumber, n.PhoneNumber, name,
		strings.Join(n.Capabilities.List(), " "), api.IsTollFree(n.PhoneNumber))
}

func shortCodeEntry(s api.AccountShortCode) pickEntry {
	name := s.FriendlyName
	if repeats(name, s.ShortCode) {
		name = ""
	}
	// The 2010 API tells no short code's capabilities.
	return newPickEntry(s.SID, api.KindShortCode, s.ShortCode, name, "", false)
}

func newPickEntry(sid, kind, label, name, info string, tollFree bool) pickEntry {
	e := pickEntry{
		SID: sid, kind: kind, label: text.Or(label, text.Clean(sid)),
		name: text.Clean(strings.TrimSpace(name)), info: text.Clean(info), tollFree: tollFree,
	}
	e.digits = digitsOf(e.label)
	hay := []string{e.label, text.Clean(sid), e.info, e.name, kind}
	if tollFree {
		hay = append(hay, "toll-free")
	}
	e.hay = strings.ToLower(strings.Join(hay, " "))
	return e
}

// repeats reports a name that is only the address written another way,
// such as "(415) 555-0177" for +14155550177.
func repeats(name, address string) bool {
	n, a := digitsOf(name), digitsOf(address)
	return strings.TrimSpace(name) == "" || n != "" && len(n) >= len(a)-3 && strings.HasSuffix(a, n) &&
		strings.Trim(name, "0123456789 +-().") == ""
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}
