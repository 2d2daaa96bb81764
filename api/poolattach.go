package api

import (
	"context"
	"errors"
	"fmt"
)

// Attaching what a person typed: a number, short code, address, alpha
// sender or SID, resolved among the account's senders first.

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
