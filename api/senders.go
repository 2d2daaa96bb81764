package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// ListChannelSenders returns every channel sender attached to a service.
func (c *Client) ListChannelSenders(ctx context.Context, serviceSID string) ([]ChannelSender, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	return collect(func(fn func([]ChannelSender) error) error {
		return c.ListChannelSendersPages(ctx, serviceSID, fn)
	})
}

// ListChannelSendersJSON is ListChannelSenders with each sender as the API
// sent it, for printing.
func (c *Client) ListChannelSendersJSON(ctx context.Context, serviceSID string) ([]json.RawMessage, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	return collect(func(fn func([]json.RawMessage) error) error {
		return c.ListChannelSendersJSONPages(ctx, serviceSID, fn)
	})
}

// ListChannelSendersJSONPages is ListChannelSendersPages with each sender
// as the API sent it, for printing a page as it arrives.
func (c *Client) ListChannelSendersJSONPages(ctx context.Context, serviceSID string, fn func(page []json.RawMessage) error) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return walkPages(ctx, c, senderListPath(serviceSID), nil, "senders", fn)
}

// ListChannelSendersPages hands each page of a service's channel senders
// to fn as it arrives, so a screen can paint the first page at once.
func (c *Client) ListChannelSendersPages(ctx context.Context, serviceSID string, fn func(page []ChannelSender) error) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return walkPages(ctx, c, senderListPath(serviceSID), nil, "senders", fn)
}

// FetchChannelSender returns one sender attached to a service; a 404
// means it is not attached (any more).
func (c *Client) FetchChannelSender(ctx context.Context, serviceSID, senderSID string) (*ChannelSender, error) {
	if err := validatePair(serviceSID, senderSID); err != nil {
		return nil, err
	}
	return c.senderCall(ctx, request{method: http.MethodGet, path: senderPath(serviceSID, senderSID)})
}

// CreateChannelSender attaches an existing sender (XE…) to a service:
// POST with the form body Sid=XE…, answered 201 with the ChannelSender.
//
// It is retried only when Twilio refused it (429, 503) or it provably never
// left this machine; when the answer is lost after sending, the error says
// so, and the sender may be attached: list again to know.
func (c *Client) CreateChannelSender(ctx context.Context, serviceSID, senderSID string) (*ChannelSender, error) {
	if err := validatePair(serviceSID, senderSID); err != nil {
		return nil, err
	}
	return c.senderCall(ctx, request{
		method: http.MethodPost,
		path:   senderListPath(serviceSID),
		form:   url.Values{"Sid": {senderSID}},
	})
}

// DeleteChannelSender detaches a sender from a service (204, no body). A
// 404 means it is not, or no longer, attached; a retry after a lost
// answer can produce it too, so callers may treat it as done.
func (c *Client) DeleteChannelSender(ctx context.Context, serviceSID, senderSID string) error {
	if err := validatePair(serviceSID, senderSID); err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodDelete, path: senderPath(serviceSID, senderSID)}, nil)
}

func (c *Client) senderCall(ctx context.Context, r request) (*ChannelSender, error) {
	return one[ChannelSender](ctx, c, r, "sender")
}

func validatePair(serviceSID, senderSID string) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return ValidateSenderSID(senderSID)
}

func senderListPath(serviceSID string) string {
	return "/v1/Services/" + serviceSID + "/ChannelSenders"
}

func senderPath(serviceSID, senderSID string) string {
	return senderListPath(serviceSID) + "/" + senderSID
}
