package api

import (
	"context"
	"errors"
	"net/url"
)

// The account's own phone numbers and short codes, in a service or not,
// from the 2010 API on api.twilio.com (APIBaseURL): what an attach can
// offer and what a typed number or short code resolves through. Its pages
// name the next one by next_page_uri, relative to the host.

func (c *Client) accountPath(resource string) string {
	return "/2010-04-01/Accounts/" + c.account + "/" + resource
}

// ListIncomingPhoneNumbers returns every phone number of the account.
func (c *Client) ListIncomingPhoneNumbers(ctx context.Context) ([]IncomingPhoneNumber, error) {
	return collect(func(fn func([]IncomingPhoneNumber) error) error {
		return c.ListIncomingPhoneNumbersPages(ctx, fn)
	})
}

// ListIncomingPhoneNumbersPages hands each page of the account's phone
// numbers to fn as it arrives.
func (c *Client) ListIncomingPhoneNumbersPages(ctx context.Context, fn func(page []IncomingPhoneNumber) error) error {
	return c.listIncomingPhoneNumbers(ctx, nil, fn)
}

func (c *Client) listIncomingPhoneNumbers(ctx context.Context, query url.Values, fn func([]IncomingPhoneNumber) error) error {
	return walk(ctx, c, listing{host: hostAPI, path: c.accountPath("IncomingPhoneNumbers.json"), query: query,
		key: "incoming_phone_numbers", style: uriPaging}, fn)
}

// ListAccountShortCodes returns every short code of the account.
func (c *Client) ListAccountShortCodes(ctx context.Context) ([]AccountShortCode, error) {
	return collect(func(fn func([]AccountShortCode) error) error { return c.ListAccountShortCodesPages(ctx, fn) })
}

// ListAccountShortCodesPages hands each page of the account's short codes
// to fn as it arrives.
func (c *Client) ListAccountShortCodesPages(ctx context.Context, fn func(page []AccountShortCode) error) error {
	return c.listAccountShortCodes(ctx, nil, fn)
}

func (c *Client) listAccountShortCodes(ctx context.Context, query url.Values, fn func([]AccountShortCode) error) error {
	return walk(ctx, c, listing{host: hostAPI, path: c.accountPath("SMS/ShortCodes.json"), query: query,
		key: "short_codes", style: uriPaging}, fn)
}

// errStop ends a walk once what it looked for is found.
var errStop = errors.New("stop")

// LookupIncomingPhoneNumber finds the account's number with this E.164
// form, asking the 2010 API for it by its PhoneNumber filter (which also
// matches partial numbers: only an exact match counts). None is a
// *NotOnAccountError.
func (c *Client) LookupIncomingPhoneNumber(ctx context.Context, e164 string) (*IncomingPhoneNumber, error) {
	if err := ValidateE164(e164); err != nil {
		return nil, err
	}
	return lookupExact(ctx, c.listIncomingPhoneNumbers, url.Values{"PhoneNumber": {e164}},
		func(n *IncomingPhoneNumber) bool { return n.PhoneNumber == e164 },
		&NotOnAccountError{Kind: KindPhoneNumber, Address: e164})
}

// LookupAccountShortCode finds the account's short code with these
// digits, by the 2010 API's ShortCode filter. None is a
// *NotOnAccountError.
func (c *Client) LookupAccountShortCode(ctx context.Context, shortCode string) (*AccountShortCode, error) {
	if err := ValidateShortCode(shortCode); err != nil {
		return nil, err
	}
	return lookupExact(ctx, c.listAccountShortCodes, url.Values{"ShortCode": {shortCode}},
		func(s *AccountShortCode) bool { return s.ShortCode == shortCode },
		&NotOnAccountError{Kind: KindShortCode, Address: shortCode})
}

// lookupExact walks a filtered 2010 list until an item matches exactly
// (the filters also match partial values), and returns it, or notFound.
func lookupExact[T any](ctx context.Context, list func(context.Context, url.Values, func([]T) error) error,
	query url.Values, match func(*T) bool, notFound error) (*T, error) {
	var found *T
	err := list(ctx, query, func(page []T) error {
		for i := range page {
			if match(&page[i]) {
				found = &page[i]
				return errStop
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	if found == nil {
		return nil, notFound
	}
	return found, nil
}
