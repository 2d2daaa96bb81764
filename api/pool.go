package api

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultPoolLimit is how many phone numbers and short codes, together, a
// Messaging Service holds by default (Twilio error 21714 past it; Twilio
// raises it on request, and no API tells a service's own limit).
const DefaultPoolLimit = 400

// PoolSource is one of the lists a service's pool is read from.
type PoolSource int

// The sources, in the order the pool is listed.
const (
	SourceChannelSenders          PoolSource = iota // /v1/Services/{MG}/ChannelSenders: WhatsApp, Messenger, RCS
	SourcePhoneNumbers                              // /v1/Services/{MG}/PhoneNumbers
	SourceShortCodes                                // /v1/Services/{MG}/ShortCodes
	SourceAlphaSenders                              // /v1/Services/{MG}/AlphaSenders: for every country
	SourceDestinationAlphaSenders                   // /v1/Services/{MG}/DestinationAlphaSenders: for one country each
)

// PoolSources are every source of a pool.
func PoolSources() []PoolSource {
	return []PoolSource{SourceChannelSenders, SourcePhoneNumbers, SourceShortCodes, SourceAlphaSenders, SourceDestinationAlphaSenders}
}

func (s PoolSource) String() string {
	switch s {
	case SourceChannelSenders:
		return "channel senders"
	case SourcePhoneNumbers:
		return "phone numbers"
	case SourceShortCodes:
		return "short codes"
	case SourceAlphaSenders:
		return "alpha senders"
	case SourceDestinationAlphaSenders:
		return "per-country alpha senders"
	}
	return fmt.Sprintf("PoolSource(%d)", int(s))
}

// Kind is the kind of the senders the source lists; "" for channel
// senders, whose kind each sender tells (SenderKind).
func (s PoolSource) Kind() string {
	switch s {
	case SourcePhoneNumbers:
		return KindPhoneNumber
	case SourceShortCodes:
		return KindShortCode
	case SourceAlphaSenders, SourceDestinationAlphaSenders:
		return KindAlpha
	}
	return ""
}

// path is the source's list path for a service.
func (s PoolSource) path(serviceSID string) string {
	return "/v1/Services/" + serviceSID + "/" + s.resource()
}

func (s PoolSource) resource() string {
	switch s {
	case SourcePhoneNumbers:
		return "PhoneNumbers"
	case SourceShortCodes:
		return "ShortCodes"
	case SourceAlphaSenders:
		return "AlphaSenders"
	case SourceDestinationAlphaSenders:
		return "DestinationAlphaSenders"
	}
	return "ChannelSenders"
}

// key is the source's list key in a page.
func (s PoolSource) key() string {
	switch s {
	case SourcePhoneNumbers:
		return "phone_numbers"
	case SourceShortCodes:
		return "short_codes"
	case SourceAlphaSenders, SourceDestinationAlphaSenders:
		return "alpha_senders"
	}
	return "senders"
}

// prefix is the SID prefix of the source's members.
func (s PoolSource) prefix() string {
	switch s {
	case SourcePhoneNumbers:
		return PrefixPhoneNumber
	case SourceShortCodes:
		return PrefixShortCode
	case SourceAlphaSenders, SourceDestinationAlphaSenders:
		return PrefixAlphaSender
	}
	return PrefixChannelSender
}

func (s PoolSource) valid() bool {
	return s >= SourceChannelSenders && s <= SourceDestinationAlphaSenders
}

// PoolSender is any member of a service's pool, or a sender of the
// account that could be one (PoolSender of IncomingPhoneNumber or
// AccountShortCode), in one shape, so that screens and commands treat
// every kind alike. The wire types keep what is particular to each.
type PoolSender struct {
	Kind       string     // KindWhatsApp, KindMessenger, KindRCS, another channel type, KindOther, KindPhoneNumber, KindShortCode, KindAlpha
	Source     PoolSource // the list it is a member of (where to fetch and detach it)
	SID        string     // XE…, PN…, SC…, AI…
	ServiceSID string     // the service it is in; "" for an account's sender
	// Address is what a person reads: the E.164 number, the short code's
	// digits, the alpha sender, the channel address (whatsapp:+1…).
	Address string
	// Country is the sender's own country (ISO 3166-1), as the API tells
	// it; "" when it does not (alpha senders, the 2010 API's numbers).
	Country string
	// DestinationCountry is the only country a per-country alpha sender
	// sends to; "" for every other sender.
	DestinationCountry string
	Capabilities       []string // e.g. SMS, MMS, Voice; nil for channel senders
	TollFree           bool     // a US or Canadian toll-free number (IsTollFree)
	DateCreated        *time.Time
	DateUpdated        *time.Time
	URL                string // the API's URL (or, for the 2010 API, URI) of the resource

	wire json.RawMessage
}

// Wire is the sender as the API sent it, when the value it was made of
// kept its bytes (fetched, created, or decoded by DecodePoolSender); false
// for one that was listed or built in code (PoolSender's own fields are
// not the API's shape, so there is nothing to fall back on).
func (p PoolSender) Wire() (json.RawMessage, bool) { return p.wire, p.wire != nil }

// Can reports whether the sender has a capability, e.g. CapabilitySMS
// (case-insensitive).
func (p PoolSender) Can(capability string) bool {
	return slices.ContainsFunc(p.Capabilities, func(c string) bool { return strings.EqualFold(c, capability) })
}

// CountsAgainstLimit reports whether the sender takes a place of the
// DefaultPoolLimit (phone numbers and short codes do).
func (p PoolSender) CountsAgainstLimit() bool { return KindCountsAgainstLimit(p.Kind) }

// KindCountsAgainstLimit reports whether senders of kind take places of
// the DefaultPoolLimit.
func KindCountsAgainstLimit(kind string) bool {
	return kind == KindPhoneNumber || kind == KindShortCode
}

// PoolUsage counts the senders that take a place of the pool's limit.
func PoolUsage(senders []PoolSender) int {
	n := 0
	for _, s := range senders {
		if s.CountsAgainstLimit() {
			n++
		}
	}
	return n
}

// Matches reports whether the sender is what in names: the same SID, or
// the same kind and address (an alpha sender's case aside) and, for an
// alpha sender with in.Country set, the same destination country.
func (p PoolSender) Matches(in SenderInput) bool {
	if in.SID != "" {
		return p.SID == in.SID
	}
	switch in.Kind {
	case KindAlpha:
		return p.Kind == KindAlpha && strings.EqualFold(p.Address, in.Address) &&
			(in.Country == "" || strings.EqualFold(p.DestinationCountry, in.Country))
	case KindPhoneNumber, KindShortCode:
		return p.Kind == in.Kind && p.Address == in.Address
	}
	// A channel address: the prefix in any case, as SenderKind reads it.
	prefix, rest, ok := strings.Cut(p.Address, ":")
	wantPrefix, wantRest, _ := strings.Cut(in.Address, ":")
	return ok && IsChannelKind(p.Kind) && strings.EqualFold(prefix, wantPrefix) && rest == wantRest
}

// PoolSender is the channel sender as a pool member.
func (s ChannelSender) PoolSender() PoolSender {
	return PoolSender{
		Kind: SenderKind(s), Source: SourceChannelSenders, SID: s.SID, ServiceSID: s.MessagingServiceSID,
		Address: s.Sender, Country: s.CountryCode, DateCreated: s.DateCreated, DateUpdated: s.DateUpdated,
		URL: s.URL, wire: s.wire,
	}
}

// PoolSender is the phone number as a pool member.
func (p PhoneNumber) PoolSender() PoolSender {
	return PoolSender{
		Kind: KindPhoneNumber, Source: SourcePhoneNumbers, SID: p.SID, ServiceSID: p.ServiceSID,
		Address: p.PhoneNumber, Country: p.CountryCode, Capabilities: p.Capabilities,
		TollFree: IsTollFree(p.PhoneNumber), DateCreated: p.DateCreated, DateUpdated: p.DateUpdated,
		URL: p.URL, wire: p.wire,
	}
}

// PoolSender is the short code as a pool member.
func (s ShortCode) PoolSender() PoolSender {
	return PoolSender{
		Kind: KindShortCode, Source: SourceShortCodes, SID: s.SID, ServiceSID: s.ServiceSID,
		Address: s.ShortCode, Country: s.CountryCode, Capabilities: s.Capabilities,
		DateCreated: s.DateCreated, DateUpdated: s.DateUpdated, URL: s.URL, wire: s.wire,
	}
}

// PoolSender is the alpha sender as a pool member.
func (a AlphaSender) PoolSender() PoolSender {
	return PoolSender{
		Kind: KindAlpha, Source: SourceAlphaSenders, SID: a.SID, ServiceSID: a.ServiceSID,
		Address: a.AlphaSender, Capabilities: a.Capabilities,
		DateCreated: a.DateCreated, DateUpdated: a.DateUpdated, URL: a.URL, wire: a.wire,
	}
}

// PoolSender is the per-country alpha sender as a pool member.
func (a DestinationAlphaSender) PoolSender() PoolSender {
	return PoolSender{
		Kind: KindAlpha, Source: SourceDestinationAlphaSenders, SID: a.SID, ServiceSID: a.ServiceSID,
		Address: a.AlphaSender, DestinationCountry: a.IsoCountryCode, Capabilities: a.Capabilities,
		DateCreated: a.DateCreated, DateUpdated: a.DateUpdated, URL: a.URL, wire: a.wire,
	}
}

// PoolSender is the account's number as the pool member it could become.
// The 2010 API tells no country.
func (n IncomingPhoneNumber) PoolSender() PoolSender {
	return PoolSender{
		Kind: KindPhoneNumber, Source: SourcePhoneNumbers, SID: n.SID,
		Address: n.PhoneNumber, Capabilities: n.Capabilities.List(), TollFree: IsTollFree(n.PhoneNumber),
		DateCreated: n.DateCreated, DateUpdated: n.DateUpdated, URL: n.URI, wire: n.wire,
	}
}

// PoolSender is the account's short code as the pool member it could
// become. The 2010 API tells neither its country nor its capabilities.
func (s AccountShortCode) PoolSender() PoolSender {
	return PoolSender{
		Kind: KindShortCode, Source: SourceShortCodes, SID: s.SID, Address: s.ShortCode,
		DateCreated: s.DateCreated, DateUpdated: s.DateUpdated, URL: s.URI, wire: s.wire,
	}
}

// DecodePoolSender decodes one object of a source's list (as
// ListSourceJSON returns them) and keeps its bytes for WireJSON.
func DecodePoolSender(src PoolSource, raw json.RawMessage) (PoolSender, error) {
	var (
		p   PoolSender
		err error
	)
	switch src {
	case SourceChannelSenders:
		p, err = decodeAs(raw, ChannelSender.PoolSender)
	case SourcePhoneNumbers:
		p, err = decodeAs(raw, PhoneNumber.PoolSender)
	case SourceShortCodes:
		p, err = decodeAs(raw, ShortCode.PoolSender)
	case SourceAlphaSenders:
		p, err = decodeAs(raw, AlphaSender.PoolSender)
	case SourceDestinationAlphaSenders:
		p, err = decodeAs(raw, DestinationAlphaSender.PoolSender)
	default:
		return PoolSender{}, fmt.Errorf("%w: %s", ErrInvalidSource, src)
	}
	if err != nil {
		return PoolSender{}, fmt.Errorf("%w: one of the %s: %w", ErrBadResponse, src, err)
	}
	p.wire = append(json.RawMessage(nil), raw...)
	return p, nil
}

func decodeAs[T any](raw json.RawMessage, conv func(T) PoolSender) (PoolSender, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return PoolSender{}, err
	}
	return conv(v), nil
}

// ComparePoolSenders orders senders by kind (CompareKinds), then address,
// then destination country (an alpha sender for every country before its
// per-country ones), then SID, so a list never reorders between refreshes.
func ComparePoolSenders(a, b PoolSender) int {
	if c := CompareKinds(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Address, b.Address); c != 0 {
		return c
	}
	if c := cmp.Compare(a.DestinationCountry, b.DestinationCountry); c != 0 {
		return c
	}
	return cmp.Compare(a.SID, b.SID)
}

// SortPool returns the senders in the order the dashboard and the list
// subcommand show a pool in (ComparePoolSenders).
func SortPool(senders []PoolSender) []PoolSender {
	out := slices.Clone(senders)
	slices.SortStableFunc(out, ComparePoolSenders)
	return out
}
