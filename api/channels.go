package api

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// Channels that GET /v2/Channels/Senders lists (its Channel parameter).
const (
	ChannelWhatsApp = "whatsapp"
	ChannelRCS      = "rcs"
)

// SenderChannels are every channel GET /v2/Channels/Senders lists.
func SenderChannels() []string { return []string{ChannelWhatsApp, ChannelRCS} }

// ErrInvalidChannel is wrapped when a channel is neither ChannelWhatsApp
// nor ChannelRCS; no request is made.
var ErrInvalidChannel = errors.New("invalid channel")

// ListAccountSenders returns the account's senders on one channel,
// attached to a service or not.
func (c *Client) ListAccountSenders(ctx context.Context, channel string) ([]AccountSender, error) {
	if err := validateChannel(channel); err != nil {
		return nil, err
	}
	return collect(func(fn func([]AccountSender) error) error {
		return c.ListAccountSendersPages(ctx, channel, fn)
	})
}

// ListAccountSendersPages hands each page of the account's senders on a
// channel to fn as it arrives.
func (c *Client) ListAccountSendersPages(ctx context.Context, channel string, fn func(page []AccountSender) error) error {
	if err := validateChannel(channel); err != nil {
		return err
	}
	return walkPages(ctx, c, "/v2/Channels/Senders", url.Values{"Channel": {channel}}, "senders", fn)
}

func validateChannel(channel string) error {
	if channel != ChannelWhatsApp && channel != ChannelRCS {
		return fmt.Errorf("%w %q: want %q or %q", ErrInvalidChannel, printable(channel, 40), ChannelWhatsApp, ChannelRCS)
	}
	return nil
}
