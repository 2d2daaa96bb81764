package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// The calls on a service's phone numbers, short codes and alpha senders.
// They follow the channel senders' (senders.go): the same validation
// before any request, the same retries, attach answered 201 (or 200) with
// the member, detach 204 with no body, where a 404 means it is not (or no
// longer) in the service.

// member is a pointer to a wire type that keeps its bytes.
type member[T any] interface {
	*T
	keepWire() *json.RawMessage
	sid() string
}

func (p *PhoneNumber) keepWire() *json.RawMessage            { return &p.wire }
func (p *PhoneNumber) sid() string                           { return p.SID }
func (s *ShortCode) keepWire() *json.RawMessage              { return &s.wire }
func (s *ShortCode) sid() string                             { return s.SID }
func (a *AlphaSender) keepWire() *json.RawMessage            { return &a.wire }
func (a *AlphaSender) sid() string                           { return a.SID }
func (a *DestinationAlphaSender) keepWire() *json.RawMessage { return &a.wire }
func (a *DestinationAlphaSender) sid() string                { return a.SID }
func (a *A2PCampaign) keepWire() *json.RawMessage            { return &a.wire }
func (a *A2PCampaign) sid() string                           { return a.SID }

// one makes a call answered by one object, keeps its bytes, and insists
// on its sid.
func one[T any, PT member[T]](ctx context.Context, c *Client, r request, what string) (*T, error) {
	var v T
	p := PT(&v)
	if err := c.do(ctx, r, intoKeeping(p, p.keepWire())); err != nil {
		return nil, err
	}
	if p.sid() == "" {
		return nil, r.errorf("%w: the %s has no sid", ErrBadResponse, what)
	}
	return &v, nil
}

// memberPair checks a service SID and a member's SID of src.
func memberPair(serviceSID string, src PoolSource, sid string) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return ValidateSID(src.prefix(), sid)
}

func memberPath(serviceSID string, src PoolSource, sid string) string {
	return src.path(serviceSID) + "/" + sid
}

func listMembers[T any](ctx context.Context, c *Client, serviceSID string, src PoolSource, fn func([]T) error) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return walk(ctx, c, listing{path: src.path(serviceSID), key: src.key()}, fn)
}

func fetchMember[T any, PT member[T]](ctx context.Context, c *Client, serviceSID string, src PoolSource, sid string) (*T, error) {
	if err := memberPair(serviceSID, src, sid); err != nil {
		return nil, err
	}
	return one[T, PT](ctx, c, request{method: http.MethodGet, path: memberPath(serviceSID, src, sid)}, src.Kind())
}

func createMember[T any, PT member[T]](ctx context.Context, c *Client, serviceSID string, src PoolSource, form url.Values) (*T, error) {
	return one[T, PT](ctx, c, request{method: http.MethodPost, path: src.path(serviceSID), form: form}, src.Kind())
}

func deleteMember(ctx context.Context, c *Client, serviceSID string, src PoolSource, sid string) error {
	if err := memberPair(serviceSID, src, sid); err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodDelete, path: memberPath(serviceSID, src, sid)}, nil)
}

// ---- phone numbers ----

// ListPhoneNumbers returns every phone number in a service's pool.
func (c *Client) ListPhoneNumbers(ctx context.Context, serviceSID string) ([]PhoneNumber, error) {
	return collect(func(fn func([]PhoneNumber) error) error { return c.ListPhoneNumbersPages(ctx, serviceSID, fn) })
}

// ListPhoneNumbersPages hands each page of a service's phone numbers to fn
// as it arrives.
func (c *Client) ListPhoneNumbersPages(ctx context.Context, serviceSID string, fn func(page []PhoneNumber) error) error {
	return listMembers(ctx, c, serviceSID, SourcePhoneNumbers, fn)
}

// FetchPhoneNumber returns one phone number of a service (PN…); a 404
// means it is not in the service (any more).
func (c *Client) FetchPhoneNumber(ctx context.Context, serviceSID, phoneNumberSID string) (*PhoneNumber, error) {
	return fetchMember[PhoneNumber](ctx, c, serviceSID, SourcePhoneNumbers, phoneNumberSID)
}

// CreatePhoneNumber adds one of the account's phone numbers (PN…) to a
// service: POST with the form body PhoneNumberSid=PN…. Twilio refuses a
// number in another service (21712), one already in this one (21710), one
// past the pool's limit (21714) and one that can send neither SMS nor MMS
// (21715); see IsCode and Hint. Retried as CreateChannelSender is.
func (c *Client) CreatePhoneNumber(ctx context.Context, serviceSID, phoneNumberSID string) (*PhoneNumber, error) {
	if err := memberPair(serviceSID, SourcePhoneNumbers, phoneNumberSID); err != nil {
		return nil, err
	}
	return createMember[PhoneNumber](ctx, c, serviceSID, SourcePhoneNumbers, url.Values{"PhoneNumberSid": {phoneNumberSID}})
}

// DeletePhoneNumber removes a phone number from a service (not from the
// account). A 404 means it is not, or no longer, in the service.
func (c *Client) DeletePhoneNumber(ctx context.Context, serviceSID, phoneNumberSID string) error {
	return deleteMember(ctx, c, serviceSID, SourcePhoneNumbers, phoneNumberSID)
}

// ---- short codes ----

// ListShortCodes returns every short code in a service's pool.
func (c *Client) ListShortCodes(ctx context.Context, serviceSID string) ([]ShortCode, error) {
	return collect(func(fn func([]ShortCode) error) error { return c.ListShortCodesPages(ctx, serviceSID, fn) })
}

// ListShortCodesPages hands each page of a service's short codes to fn as
// it arrives.
func (c *Client) ListShortCodesPages(ctx context.Context, serviceSID string, fn func(page []ShortCode) error) error {
	return listMembers(ctx, c, serviceSID, SourceShortCodes, fn)
}

// FetchShortCode returns one short code of a service (SC…).
func (c *Client) FetchShortCode(ctx context.Context, serviceSID, shortCodeSID string) (*ShortCode, error) {
	return fetchMember[ShortCode](ctx, c, serviceSID, SourceShortCodes, shortCodeSID)
}

// CreateShortCode adds one of the account's short codes (SC…) to a
// service: POST with the form body ShortCodeSid=SC…; refused as
// CreatePhoneNumber is.
func (c *Client) CreateShortCode(ctx context.Context, serviceSID, shortCodeSID string) (*ShortCode, error) {
	if err := memberPair(serviceSID, SourceShortCodes, shortCodeSID); err != nil {
		return nil, err
	}
	return createMember[ShortCode](ctx, c, serviceSID, SourceShortCodes, url.Values{"ShortCodeSid": {shortCodeSID}})
}

// DeleteShortCode removes a short code from a service (not from the
// account).
func (c *Client) DeleteShortCode(ctx context.Context, serviceSID, shortCodeSID string) error {
	return deleteMember(ctx, c, serviceSID, SourceShortCodes, shortCodeSID)
}

// ---- alpha senders ----

// ListAlphaSenders returns a service's alpha senders for every country.
func (c *Client) ListAlphaSenders(ctx context.Context, serviceSID string) ([]AlphaSender, error) {
	return collect(func(fn func([]AlphaSender) error) error { return c.ListAlphaSendersPages(ctx, serviceSID, fn) })
}

// ListAlphaSendersPages hands each page of a service's alpha senders to fn
// as it arrives.
func (c *Client) ListAlphaSendersPages(ctx context.Context, serviceSID string, fn func(page []AlphaSender) error) error {
	return listMembers(ctx, c, serviceSID, SourceAlphaSenders, fn)
}

// FetchAlphaSender returns one alpha sender of a service (AI…).
func (c *Client) FetchAlphaSender(ctx context.Context, serviceSID, alphaSenderSID string) (*AlphaSender, error) {
	return fetchMember[AlphaSender](ctx, c, serviceSID, SourceAlphaSenders, alphaSenderSID)
}

// CreateAlphaSender gives a service an alpha sender for every country
// that allows one: POST with the form body AlphaSender=…, checked first
// by ValidateAlphaSender. Twilio answers 21709 when the account may not
// use it.
func (c *Client) CreateAlphaSender(ctx context.Context, serviceSID, alphaSender string) (*AlphaSender, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	if err := ValidateAlphaSender(alphaSender); err != nil {
		return nil, err
	}
	return createMember[AlphaSender](ctx, c, serviceSID, SourceAlphaSenders, url.Values{"AlphaSender": {alphaSender}})
}

// DeleteAlphaSender removes an alpha sender from a service.
func (c *Client) DeleteAlphaSender(ctx context.Context, serviceSID, alphaSenderSID string) error {
	return deleteMember(ctx, c, serviceSID, SourceAlphaSenders, alphaSenderSID)
}

// ---- per-country alpha senders ----

// ListDestinationAlphaSenders returns a service's alpha senders for one
// destination country each.
func (c *Client) ListDestinationAlphaSenders(ctx context.Context, serviceSID string) ([]DestinationAlphaSender, error) {
	return collect(func(fn func([]DestinationAlphaSender) error) error {
		return c.ListDestinationAlphaSendersPages(ctx, serviceSID, fn)
	})
}

// ListDestinationAlphaSendersPages hands each page of a service's
// per-country alpha senders to fn as it arrives.
func (c *Client) ListDestinationAlphaSendersPages(ctx context.Context, serviceSID string, fn func(page []DestinationAlphaSender) error) error {
	return listMembers(ctx, c, serviceSID, SourceDestinationAlphaSenders, fn)
}

// FetchDestinationAlphaSender returns one per-country alpha sender (AI…).
func (c *Client) FetchDestinationAlphaSender(ctx context.Context, serviceSID, alphaSenderSID string) (*DestinationAlphaSender, error) {
	return fetchMember[DestinationAlphaSender](ctx, c, serviceSID, SourceDestinationAlphaSenders, alphaSenderSID)
}

// ErrNoCountry is wrapped when a per-country alpha sender is asked for
// without its country: that would be a global one (CreateAlphaSender).
var ErrNoCountry error = &setupError{"no destination country"}

// CreateDestinationAlphaSender gives a service an alpha sender for one
// destination country: POST with AlphaSender=… and IsoCountryCode=DE.
// The spec leaves the country optional, but without one the sender would
// be global, so it is required here. Twilio answers 21709 where the
// country does not allow alpha senders.
func (c *Client) CreateDestinationAlphaSender(ctx context.Context, serviceSID, alphaSender, isoCountryCode string) (*DestinationAlphaSender, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	if err := ValidateAlphaSender(alphaSender); err != nil {
		return nil, err
	}
	if isoCountryCode == "" {
		return nil, fmt.Errorf("alpha sender %q: %w (for every country, add it as an alpha sender without one)", alphaSender, ErrNoCountry)
	}
	if err := ValidateCountryCode(isoCountryCode); err != nil {
		return nil, err
	}
	return createMember[DestinationAlphaSender](ctx, c, serviceSID, SourceDestinationAlphaSenders,
		url.Values{"AlphaSender": {alphaSender}, "IsoCountryCode": {isoCountryCode}})
}

// DeleteDestinationAlphaSender removes a per-country alpha sender.
func (c *Client) DeleteDestinationAlphaSender(ctx context.Context, serviceSID, alphaSenderSID string) error {
	return deleteMember(ctx, c, serviceSID, SourceDestinationAlphaSenders, alphaSenderSID)
}

// ---- every source alike ----

// ErrInvalidSource is wrapped when a PoolSource is none of the sources.
var ErrInvalidSource error = &setupError{"invalid pool source"}

func validateSource(src PoolSource) error {
	if !src.valid() {
		return fmt.Errorf("%w: %s", ErrInvalidSource, src)
	}
	return nil
}

// ListSourcePages hands each page of one source of a service's pool to fn
// as it arrives, as PoolSenders: the one call a screen needs per group.
func (c *Client) ListSourcePages(ctx context.Context, serviceSID string, src PoolSource, fn func(page []PoolSender) error) error {
	if err := validateSource(src); err != nil {
		return err
	}
	switch src {
	case SourcePhoneNumbers:
		return listConverted(ctx, c, serviceSID, src, PhoneNumber.PoolSender, fn)
	case SourceShortCodes:
		return listConverted(ctx, c, serviceSID, src, ShortCode.PoolSender, fn)
	case SourceAlphaSenders:
		return listConverted(ctx, c, serviceSID, src, AlphaSender.PoolSender, fn)
	case SourceDestinationAlphaSenders:
		return listConverted(ctx, c, serviceSID, src, DestinationAlphaSender.PoolSender, fn)
	}
	return listConverted(ctx, c, serviceSID, src, ChannelSender.PoolSender, fn)
}

func listConverted[T any](ctx context.Context, c *Client, serviceSID string, src PoolSource, conv func(T) PoolSender, fn func([]PoolSender) error) error {
	return listMembers(ctx, c, serviceSID, src, func(page []T) error {
		out := make([]PoolSender, len(page))
		for i, v := range page {
			out[i] = conv(v)
		}
		return fn(out)
	})
}

// ListSourceJSON returns one source of a service's pool with each object
// as the API sent it, for printing (DecodePoolSender reads one).
func (c *Client) ListSourceJSON(ctx context.Context, serviceSID string, src PoolSource) ([]json.RawMessage, error) {
	if err := validateSource(src); err != nil {
		return nil, err
	}
	return collect(func(fn func([]json.RawMessage) error) error {
		return listMembers(ctx, c, serviceSID, src, fn)
	})
}

// FetchPoolSender returns one member of a source of a service's pool.
func (c *Client) FetchPoolSender(ctx context.Context, serviceSID string, src PoolSource, sid string) (PoolSender, error) {
	if err := validateSource(src); err != nil {
		return PoolSender{}, err
	}
	switch src {
	case SourcePhoneNumbers:
		return fetched(c.FetchPhoneNumber(ctx, serviceSID, sid))
	case SourceShortCodes:
		return fetched(c.FetchShortCode(ctx, serviceSID, sid))
	case SourceAlphaSenders:
		return fetched(c.FetchAlphaSender(ctx, serviceSID, sid))
	case SourceDestinationAlphaSenders:
		return fetched(c.FetchDestinationAlphaSender(ctx, serviceSID, sid))
	}
	return fetched(c.FetchChannelSender(ctx, serviceSID, sid))
}

func fetched[T interface{ PoolSender() PoolSender }](v T, err error) (PoolSender, error) {
	if err != nil {
		return PoolSender{}, err
	}
	return v.PoolSender(), nil
}

// FindPoolSenderBySID fetches a member by its SID alone, its source told
// by the prefix. An AI… SID is asked of the global alpha senders first,
// then (on a 404) of the per-country ones.
func (c *Client) FindPoolSenderBySID(ctx context.Context, serviceSID, sid string) (PoolSender, error) {
	if err := ValidatePoolSID(sid); err != nil {
		return PoolSender{}, err
	}
	switch sid[:2] {
	case PrefixPhoneNumber:
		return c.FetchPoolSender(ctx, serviceSID, SourcePhoneNumbers, sid)
	case PrefixShortCode:
		return c.FetchPoolSender(ctx, serviceSID, SourceShortCodes, sid)
	case PrefixAlphaSender:
		p, err := c.FetchPoolSender(ctx, serviceSID, SourceAlphaSenders, sid)
		if IsNotFound(err) {
			return c.FetchPoolSender(ctx, serviceSID, SourceDestinationAlphaSenders, sid)
		}
		return p, err
	}
	return c.FetchPoolSender(ctx, serviceSID, SourceChannelSenders, sid)
}

// DetachPoolSender removes a member from a service's pool by its Source
// (not from the account). A 404 means it is not, or no longer, there.
func (c *Client) DetachPoolSender(ctx context.Context, serviceSID string, p PoolSender) error {
	if err := validateSource(p.Source); err != nil {
		return err
	}
	switch p.Source {
	case SourcePhoneNumbers:
		return c.DeletePhoneNumber(ctx, serviceSID, p.SID)
	case SourceShortCodes:
		return c.DeleteShortCode(ctx, serviceSID, p.SID)
	case SourceAlphaSenders:
		return c.DeleteAlphaSender(ctx, serviceSID, p.SID)
	case SourceDestinationAlphaSenders:
		return c.DeleteDestinationAlphaSender(ctx, serviceSID, p.SID)
	}
	return c.DeleteChannelSender(ctx, serviceSID, p.SID)
}

// ErrAlphaBySID is wrapped when an alpha sender is to be attached by an
// AI… SID: an alpha sender is created in a service from its text, so an
// AI… SID names one that already belongs to a service.
var ErrAlphaBySID error = &setupError{"an alpha sender is added by its text, not by SID"}

// AttachPoolSender adds what in names to a service's pool, resolving a
// phone number, a short code or a WhatsApp/RCS address to its SID among
// the account's senders first (ResolveSenderInput): PN… → PhoneNumbers,
// SC… → ShortCodes, XE… → ChannelSenders, an alpha sender →
// AlphaSenders, or DestinationAlphaSenders when in.Country is set.
func (c *Client) AttachPoolSender(ctx context.Context, serviceSID string, in SenderInput) (PoolSender, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return PoolSender{}, err
	}
	if in.Kind == KindAlpha && in.SID == "" {
		if in.Country != "" {
			return fetched(c.CreateDestinationAlphaSender(ctx, serviceSID, in.Address, in.Country))
		}
		return fetched(c.CreateAlphaSender(ctx, serviceSID, in.Address))
	}
	in, err := c.ResolveSenderInput(ctx, in)
	if err != nil {
		return PoolSender{}, err
	}
	switch in.SID[:2] {
	case PrefixPhoneNumber:
		return fetched(c.CreatePhoneNumber(ctx, serviceSID, in.SID))
	case PrefixShortCode:
		return fetched(c.CreateShortCode(ctx, serviceSID, in.SID))
	case PrefixAlphaSender:
		return PoolSender{}, fmt.Errorf("%s: %w", in.SID, ErrAlphaBySID)
	}
	return fetched(c.CreateChannelSender(ctx, serviceSID, in.SID))
}

// ErrNotOnAccount is matched (errors.Is) by every *NotOnAccountError.
var ErrNotOnAccount = errors.New("not a sender of this account")

// NotOnAccountError says that an address names no sender of the account:
// no number, short code or channel sender has it.
type NotOnAccountError struct {
	Kind    string // KindPhoneNumber, KindShortCode, KindWhatsApp, …
	Address string
	Reason  string // why it could not be looked up, when it could not
}

func (e *NotOnAccountError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%s: %s", printable(e.Address, 80), e.Reason)
	}
	return fmt.Sprintf("%s is not one of the account's %s", printable(e.Address, 80), kindNoun(e.Kind))
}

// Is lets errors.Is(err, ErrNotOnAccount) match.
func (e *NotOnAccountError) Is(target error) bool { return target == ErrNotOnAccount }

func kindNoun(kind string) string {
	switch kind {
	case KindPhoneNumber:
		return "phone numbers"
	case KindShortCode:
		return "short codes"
	}
	return kind + " senders"
}

// ResolveSenderInput finds the SID of what in names, among the account's
// senders: a phone number by IncomingPhoneNumbers, a short code by
// SMS/ShortCodes, a WhatsApp or RCS address by the Senders API. A SID
// comes back as it is; an alpha sender has none to find (it is created
// from its text). Not found is a *NotOnAccountError.
func (c *Client) ResolveSenderInput(ctx context.Context, in SenderInput) (SenderInput, error) {
	if in.SID != "" {
		return in, ValidatePoolSID(in.SID)
	}
	switch in.Kind {
	case KindPhoneNumber:
		n, err := c.LookupIncomingPhoneNumber(ctx, in.Address)
		if err != nil {
			return in, err
		}
		in.SID = n.SID
	case KindShortCode:
		s, err := c.LookupAccountShortCode(ctx, in.Address)
		if err != nil {
			return in, err
		}
		in.SID = s.SID
	case KindWhatsApp, KindRCS:
		sid, err := c.lookupChannelAddress(ctx, in)
		if err != nil {
			return in, err
		}
		in.SID = sid
	case KindMessenger:
		return in, &NotOnAccountError{Kind: in.Kind, Address: in.Address,
			Reason: "the Senders API does not list Messenger senders: give the sender's XE… SID"}
	case KindAlpha:
		return in, fmt.Errorf("alpha sender %q: %w", in.Address, ErrAlphaBySID)
	default:
		return in, &AddressError{What: "sender", Value: in.Address, Reason: "nothing to look it up by"}
	}
	return in, nil
}

// lookupChannelAddress finds a WhatsApp or RCS sender by its address in
// the account's catalogue.
func (c *Client) lookupChannelAddress(ctx context.Context, in SenderInput) (string, error) {
	channel := ChannelWhatsApp
	if in.Kind == KindRCS {
		channel = ChannelRCS
	}
	var found string
	err := c.ListAccountSendersPages(ctx, channel, func(page []AccountSender) error {
		for _, s := range page {
			if (ChannelSender{Sender: s.SenderID}).PoolSender().Matches(in) {
				found = s.SID
				return errStop
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return "", err
	}
	if found == "" {
		return "", &NotOnAccountError{Kind: in.Kind, Address: in.Address}
	}
	return found, nil
}
