package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// pageSize is the largest page Twilio serves: every page is a round trip.
const pageSize = 1000

// MaxListItems is the most items one listing reads: a server that never
// ends its list (or an account beyond any real pool) stops there, with
// ErrListTooLong, instead of growing the process without bound. At about
// 1 KB per sender held in the dashboard, it keeps a listing near 100 MB.
const MaxListItems = 100_000

// maxListBytes bounds the bodies one listing reads, whatever their items
// hold: 100,000 items of a normal size are about 40 MB.
const maxListBytes = 256 << 20

// maxPages bounds the round trips of one listing, for a server that sends
// few items per page.
const maxPages = 10_000

// ErrListTooLong is wrapped when a listing passes MaxListItems or
// maxListBytes; the items before were delivered.
var ErrListTooLong = errors.New("list too long")

// maxEmptyPages stops a server that keeps naming a next page while
// sending nothing; Twilio's last page is the only empty one.
const maxEmptyPages = 3

// listPage is a decoded list page: its items (nil when the list key was
// missing, which is a bad response, not an empty list) and its meta.
type listPage[T any] struct {
	items *[]T
	meta  pageMeta
}

// decodePage decodes {"<key>": [...], "meta": {...}} in one pass. Both
// list keys Twilio uses are declared; key picks the one the endpoint sends.
func decodePage[T any](key string) func([]byte) (listPage[T], error) {
	return func(b []byte) (listPage[T], error) {
		var wire struct {
			Services *[]T     `json:"services"`
			Senders  *[]T     `json:"senders"`
			Meta     pageMeta `json:"meta"`
		}
		if err := json.Unmarshal(b, &wire); err != nil {
			return listPage[T]{}, err
		}
		p := listPage[T]{items: wire.Senders, meta: wire.Meta}
		if key == "services" {
			p.items = wire.Services
		}
		return p, nil
	}
}

// walkPages requests path page by page, following meta.next_page_url, and
// hands each page to fn as it arrives, before asking for the next one. An
// error from fn stops the walk and is returned as is.
//
// next_page_url is absolute, but only its path and query are used, resolved
// against our own base URL: credentials never go to a host a response
// names. Its path must be the list's own path (below the base URL's path
// prefix, if any); anything else is refused. A next page already read, and
// more than maxPages pages, are ErrBadResponse.
func walkPages[T any](ctx context.Context, c *Client, path string, query url.Values, key string, fn func([]T) error) error {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("PageSize", strconv.Itoa(pageSize))
	r := request{method: "GET", path: path, query: q}
	decode := decodePage[T](key)
	seen := map[string]bool{pageKey(r): true}
	empty, items, bytes := 0, 0, 0
	for n := 1; ; n++ {
		var p listPage[T]
		err := c.do(ctx, r, func(b []byte) (err error) {
			bytes += len(b)
			p, err = decode(b)
			return err
		})
		if err != nil {
			return err
		}
		if p.items == nil {
			return r.errorf("%w: the page has no %q list", ErrBadResponse, key)
		}
		if items += len(*p.items); items > c.maxItems {
			return r.errorf("%w: more than %d items, the most senderpool reads in one listing (a ceiling that bounds its memory); the first %d were read", ErrListTooLong, c.maxItems, items-len(*p.items))
		}
		if bytes > maxListBytes {
			return r.errorf("%w: more than %d MiB of pages, the most senderpool reads in one listing (a ceiling that bounds its memory)", ErrListTooLong, maxListBytes>>20)
		}
		if err := fn(*p.items); err != nil {
			return err
		}
		if p.meta.NextPageURL == nil || *p.meta.NextPageURL == "" {
			return nil
		}
		if len(*p.items) == 0 {
			if empty++; empty >= maxEmptyPages {
				return r.errorf("%w: %d empty pages in a row that still name a next page", ErrBadResponse, empty)
			}
		} else {
			empty = 0
		}
		if n >= c.maxPages {
			return r.errorf("%w: more than %d pages", ErrBadResponse, c.maxPages)
		}
		// The page's own URL counts as read, so a next_page_url that
		// points back at it is caught as a loop too.
		if self, err := c.nextRequest(r, p.meta.URL); err == nil && p.meta.URL != "" {
			seen[pageKey(self)] = true
		}
		next, err := c.nextRequest(r, *p.meta.NextPageURL)
		if err != nil {
			return err
		}
		// The endpoint's own filters (Channel) must survive a server that
		// leaves them out of its next_page_url.
		for k, v := range query {
			if !next.query.Has(k) {
				next.query[k] = v
			}
		}
		k := pageKey(next)
		if seen[k] {
			return r.errorf("%w: next_page_url leads back to a page already read", ErrBadResponse)
		}
		seen[k] = true
		r = next
	}
}

// pageKey identifies a page request; Encode sorts the parameters.
func pageKey(r request) string { return r.path + "?" + r.query.Encode() }

// nextRequest turns a next_page_url into a request on our base URL,
// keeping only its path and query. The path must be cur's.
func (c *Client) nextRequest(cur request, next string) (request, error) {
	u, err := url.Parse(next)
	if err != nil {
		return request{}, cur.errorf("%w: bad next_page_url", ErrBadResponse)
	}
	path := u.Path
	// A server behind our base path may name it in its URLs, or not.
	if prefix := c.base.Path; prefix != "" && strings.HasPrefix(path, prefix+"/") {
		path = path[len(prefix):]
	}
	if path != cur.path {
		return request{}, cur.errorf("%w: next_page_url leads to another resource (%s)", ErrBadResponse, printable(u.Path, 120))
	}
	return request{method: "GET", path: path, query: u.Query()}, nil
}

// collect gathers every page of a paged listing; never nil on success.
func collect[T any](pages func(func([]T) error) error) ([]T, error) {
	all := []T{}
	err := pages(func(p []T) error {
		all = append(all, p...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}
