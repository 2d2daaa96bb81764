package api

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// pageSize is the largest page Twilio serves: every page is a round trip.
const pageSize = 1000

// maxPages stops a server that never ends its list (10 million items).
const maxPages = 10_000

// listPage is a decoded page: its items (nil when the list key was
// missing) and its meta.
type listPage[T any] struct {
	items *[]T
	meta  pageMeta
}

// walkPages requests path page by page, following meta.next_page_url, and
// hands each page to fn as it arrives. decode extracts the page's list.
//
// next_page_url is absolute. Only its path and query are used, against our
// own base URL: credentials never go to a host a response names.
func walkPages[T any](ctx context.Context, c *Client, path string, query url.Values, key string, decode func([]byte) (listPage[T], error), fn func([]T) error) error {
	if query == nil {
		query = url.Values{}
	}
	query.Set("PageSize", strconv.Itoa(pageSize))
	seen := map[string]bool{}
	r := request{method: "GET", path: path, query: query, want: 200}
	for n := 0; ; n++ {
		if n >= maxPages {
			return fmt.Errorf("%s: %w: more than %d pages", r, ErrBadResponse, maxPages)
		}
		var page listPage[T]
		err := c.do(ctx, r, func(b []byte) (err error) {
			page, err = decode(b)
			return err
		})
		if err != nil {
			return err
		}
		if page.items == nil {
			return fmt.Errorf("%s: %w: the page has no %q list", r, ErrBadResponse, key)
		}
		if err := fn(*page.items); err != nil {
			return err
		}
		if page.meta.NextPageURL == nil || *page.meta.NextPageURL == "" {
			return nil
		}
		next, err := c.nextRequest(r, *page.meta.NextPageURL)
		if err != nil {
			return err
		}
		id := next.path + "?" + next.query.Encode()
		if seen[id] {
			return fmt.Errorf("%s: %w: next_page_url repeats a page already read", r, ErrBadResponse)
		}
		seen[id] = true
		r = next
	}
}

// nextRequest turns next_page_url into a request on our base URL. The
// path must be the list's own path.
func (c *Client) nextRequest(cur request, next string) (request, error) {
	u, err := url.Parse(next)
	if err != nil {
		return request{}, fmt.Errorf("%s: %w: bad next_page_url: %v", cur, ErrBadResponse, err)
	}
	path := u.Path
	if c.base.Path != "" && len(path) > len(c.base.Path) && path[:len(c.base.Path)] == c.base.Path {
		path = path[len(c.base.Path):]
	}
	if path != cur.path {
		return request{}, fmt.Errorf("%s: %w: next_page_url leads to another resource (%s)", cur, ErrBadResponse, u.Path)
	}
	return request{method: "GET", path: path, query: u.Query(), want: 200}, nil
}
