package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// The calls on a service's phone numbers, short codes and alpha senders.
// They follow the channel senders' (senders.go): the same validation
// before any request, the same retries, attach answered 201 (or 200) with
// the member, detach 204 with no body, where a 404 means it is not (or no
// longer) in the service.

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
