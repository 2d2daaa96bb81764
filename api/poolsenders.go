package api

import (
	"context"
	"encoding/json"
	"fmt"
)

// The calls alike for every source of a pool, each member a PoolSender.

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
