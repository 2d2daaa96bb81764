package api

import (
	"context"
	"encoding/json"
	"net/http"
)

// ListServices returns every Messaging Service of the account.
func (c *Client) ListServices(ctx context.Context) ([]Service, error) {
	return collect(func(fn func([]Service) error) error { return c.ListServicesPages(ctx, fn) })
}

// ListServicesJSON is ListServices with each service as the API sent it,
// for printing.
func (c *Client) ListServicesJSON(ctx context.Context) ([]json.RawMessage, error) {
	return collect(func(fn func([]json.RawMessage) error) error { return c.ListServicesJSONPages(ctx, fn) })
}

// ListServicesJSONPages is ListServicesPages with each service as the API
// sent it, for printing a page as it arrives.
func (c *Client) ListServicesJSONPages(ctx context.Context, fn func(page []json.RawMessage) error) error {
	return walkPages(ctx, c, "/v1/Services", nil, "services", fn)
}

// ListServicesPages hands each page of services to fn as it arrives.
func (c *Client) ListServicesPages(ctx context.Context, fn func(page []Service) error) error {
	return walkPages(ctx, c, "/v1/Services", nil, "services", fn)
}

// FetchService returns one Messaging Service.
func (c *Client) FetchService(ctx context.Context, serviceSID string) (*Service, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	r := request{method: http.MethodGet, path: "/v1/Services/" + serviceSID}
	return one[Service](ctx, c, r, "service")
}
