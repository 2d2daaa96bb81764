package api

import (
	"context"
	"encoding/json"
)

// ListSourceJSONPages hands each page of one source of a service's pool
// to fn as it arrives, each object as the API sent it, for printing a page
// at a time (DecodePoolSender reads one).
func (c *Client) ListSourceJSONPages(ctx context.Context, serviceSID string, src PoolSource, fn func(page []json.RawMessage) error) error {
	if err := validateSource(src); err != nil {
		return err
	}
	return listMembers(ctx, c, serviceSID, src, fn)
}
