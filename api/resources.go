package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// ListServices returns every Messaging Service of the account.
func (c *Client) ListServices(ctx context.Context) ([]Service, error) {
	return collect(ctx, c.ListServicesPages)
}

// ListServicesPages hands each page of services to fn as it arrives.
func (c *Client) ListServicesPages(ctx context.Context, fn func(page []Service) error) error {
	return walkPages(ctx, c, "/v1/Services", nil, "services", func(b []byte) (listPage[Service], error) {
		var p struct {
			Items *[]Service `json:"services"`
			Meta  pageMeta   `json:"meta"`
		}
		err := json.Unmarshal(b, &p)
		return listPage[Service]{items: p.Items, meta: p.Meta}, err
	}, fn)
}

// FetchService returns one Messaging Service.
func (c *Client) FetchService(ctx context.Context, serviceSID string) (*Service, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	var s Service
	if err := c.do(ctx, request{method: "GET", path: "/v1/Services/" + serviceSID, want: 200}, into(&s)); err != nil {
		return nil, err
	}
	return &s, nil
}

// ListChannelSenders returns every channel sender of a service.
func (c *Client) ListChannelSenders(ctx context.Context, serviceSID string) ([]ChannelSender, error) {
	return collect(ctx, func(ctx context.Context, fn func([]ChannelSender) error) error {
		return c.ListChannelSendersPages(ctx, serviceSID, fn)
	})
}

// ListChannelSendersPages hands each page of a service's channel senders
// to fn as it arrives, so a screen can paint the first page at once.
func (c *Client) ListChannelSendersPages(ctx context.Context, serviceSID string, fn func(page []ChannelSender) error) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return walkPages(ctx, c, "/v1/Services/"+serviceSID+"/ChannelSenders", nil, "senders", decodeSenders[ChannelSender], fn)
}

func decodeSenders[T any](b []byte) (listPage[T], error) {
	var p struct {
		Items *[]T     `json:"senders"`
		Meta  pageMeta `json:"meta"`
	}
	err := json.Unmarshal(b, &p)
	return listPage[T]{items: p.Items, meta: p.Meta}, err
}

// FetchChannelSender returns one sender of a service.
func (c *Client) FetchChannelSender(ctx context.Context, serviceSID, senderSID string) (*ChannelSender, error) {
	if err := validatePair(serviceSID, senderSID); err != nil {
		return nil, err
	}
	var s ChannelSender
	if err := c.do(ctx, request{method: "GET", path: senderPath(serviceSID, senderSID), want: 200}, into(&s)); err != nil {
		return nil, err
	}
	return &s, nil
}

// CreateChannelSender attaches an existing sender to a service.
func (c *Client) CreateChannelSender(ctx context.Context, serviceSID, senderSID string) (*ChannelSender, error) {
	if err := validatePair(serviceSID, senderSID); err != nil {
		return nil, err
	}
	var s ChannelSender
	r := request{method: "POST", path: "/v1/Services/" + serviceSID + "/ChannelSenders", form: url.Values{"Sid": {senderSID}}, want: 201}
	if err := c.do(ctx, r, into(&s)); err != nil {
		return nil, err
	}
	return &s, nil
}

// DeleteChannelSender detaches a sender from a service. A 404 means it is
// not (or no longer) attached; callers may treat that as done.
func (c *Client) DeleteChannelSender(ctx context.Context, serviceSID, senderSID string) error {
	if err := validatePair(serviceSID, senderSID); err != nil {
		return err
	}
	return c.do(ctx, request{method: "DELETE", path: senderPath(serviceSID, senderSID), want: 204}, nil)
}

// Channels that GET /v2/Channels/Senders can list.
const (
	ChannelWhatsApp = "whatsapp"
	ChannelRCS      = "rcs"
)

// ListChannelsSenders returns the account's senders on one channel,
// attached to a service or not.
func (c *Client) ListChannelsSenders(ctx context.Context, channel string) ([]ChannelsSender, error) {
	return collect(ctx, func(ctx context.Context, fn func([]ChannelsSender) error) error {
		return c.ListChannelsSendersPages(ctx, channel, fn)
	})
}

// ListChannelsSendersPages hands each page of the account's senders on a
// channel to fn as it arrives.
func (c *Client) ListChannelsSendersPages(ctx context.Context, channel string, fn func(page []ChannelsSender) error) error {
	if channel != ChannelWhatsApp && channel != ChannelRCS {
		return fmt.Errorf("channel %q: want %q or %q", channel, ChannelWhatsApp, ChannelRCS)
	}
	return walkPages(ctx, c, "/v2/Channels/Senders", url.Values{"Channel": {channel}}, "senders", decodeSenders[ChannelsSender], fn)
}

func validatePair(serviceSID, senderSID string) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return ValidateSenderSID(senderSID)
}

func senderPath(serviceSID, senderSID string) string {
	return "/v1/Services/" + serviceSID + "/ChannelSenders/" + senderSID
}

// collect gathers every page of a paged listing.
func collect[T any](ctx context.Context, pages func(context.Context, func([]T) error) error) ([]T, error) {
	var all []T
	err := pages(ctx, func(p []T) error {
		all = append(all, p...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if all == nil {
		all = []T{}
	}
	return all, nil
}
