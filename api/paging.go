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
// missing, which is a bad response, not an empty list), where its next
// page is ("" on the last) and its own URL.
type listPage[T any] struct {
	items *[]T
	next  string
	self  string
}

// pagingStyle says where a list page names the next one.
type pagingStyle int

const (
	// metaPaging: meta.next_page_url, an absolute URL (the Messaging API).
	metaPaging pagingStyle = iota
	// uriPaging: next_page_uri at the top level, relative to the host
	// (the 2010 API).
	uriPaging
)

// listing is one paged list endpoint.
type listing struct {
	host  host
	path  string     // below the host's base URL
	query url.Values // the endpoint's own filters; PageSize is added
	key   string     // the list's key in a page
	style pagingStyle
}

// wirePage holds every list key Twilio's pages use, so a page decodes in
// one pass whatever the endpoint; key picks the one it sends.
type wirePage[T any] struct {
	Services             *[]T     `json:"services"`
	Senders              *[]T     `json:"senders"`
	PhoneNumbers         *[]T     `json:"phone_numbers"`
	ShortCodes           *[]T     `json:"short_codes"`
	AlphaSenders         *[]T     `json:"alpha_senders"`
	Compliance           *[]T     `json:"compliance"`
	IncomingPhoneNumbers *[]T     `json:"incoming_phone_numbers"`
	Meta                 pageMeta `json:"meta"`
	NextPageURI          *string  `json:"next_page_uri"` // 2010 API
	URI                  string   `json:"uri"`           // 2010 API
}

func (w *wirePage[T]) list(key string) *[]T {
	switch key {
	case "services":
		return w.Services
	case "senders":
		return w.Senders
	case "phone_numbers":
		return w.PhoneNumbers
	case "short_codes":
		return w.ShortCodes
	case "alpha_senders":
		return w.AlphaSenders
	case "compliance":
		return w.Compliance
	case "incoming_phone_numbers":
		return w.IncomingPhoneNumbers
	}
	return nil
}

// decodePage decodes a page of l in one pass.
func decodePage[T any](l listing) func([]byte) (listPage[T], error) {
	return func(b []byte) (listPage[T], error) {
		var wire wirePage[T]
		if err := json.Unmarshal(b, &wire); err != nil {
			return listPage[T]{}, err
		}
		p := listPage[T]{items: wire.list(l.key)}
		switch l.style {
		case uriPaging:
			if wire.NextPageURI != nil {
				p.next = *wire.NextPageURI
			}
			p.self = wire.URI
		default:
			if wire.Meta.NextPageURL != nil {
				p.next = *wire.Meta.NextPageURL
			}
			p.self = wire.Meta.URL
		}
		return p, nil
	}
}

// walkPages walks a Messaging API list (see walk).
func walkPages[T any](ctx context.Context, c *Client, path string, query url.Values, key string, fn func([]T) error) error {
	return walk(ctx, c, listing{path: path, query: query, key: key}, fn)
}

// walk requests a list page by page, following meta.next_page_url (or the
// 2010 API's next_page_uri), and hands each page to fn as it arrives,
// before asking for the next one. An error from fn stops the walk and is
// returned as is.
//
// next_page_url is absolute, but only its path and query are used, resolved
// against our own base URL: credentials never go to a host a response
// names. Its path must be the list's own path (below the base URL's path
// prefix, if any); anything else is refused. A next page already read, and
// more than maxPages pages, are ErrBadResponse. The same holds for the
// relative next_page_uri.
func walk[T any](ctx context.Context, c *Client, l listing, fn func([]T) error) error {
	q := url.Values{}
	for k, v := range l.query {
		q[k] = v
	}
	q.Set("PageSize", strconv.Itoa(pageSize))
	r := request{host: l.host, method: "GET", path: l.path, query: q}
	decode := decodePage[T](l)
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
			return r.errorf("%w: the page has no %q list", ErrBadResponse, l.key)
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
		if p.next == "" {
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
		// The page's own URL counts as read, so a next page that points
		// back at it is caught as a loop too.
		if self, err := c.nextRequest(r, p.self, l.style); err == nil && p.self != "" {
			seen[pageKey(self)] = true
		}
		next, err := c.nextRequest(r, p.next, l.style)
		if err != nil {
			return err
		}
		// The endpoint's own filters (Channel) must survive a server that
		// leaves them out of its next page's URL.
		for k, v := range l.query {
			if !next.query.Has(k) {
				next.query[k] = v
			}
		}
		k := pageKey(next)
		if seen[k] {
			return r.errorf("%w: %s leads back to a page already read", ErrBadResponse, l.style.nextName())
		}
		seen[k] = true
		r = next
	}
}

// nextName is what the page calls its link to the next one.
func (s pagingStyle) nextName() string {
	if s == uriPaging {
		return "next_page_uri"
	}
	return "next_page_url"
}

// pageKey identifies a page request; Encode sorts the parameters.
func pageKey(r request) string { return r.path + "?" + r.query.Encode() }

// nextRequest turns a next_page_url (absolute) or next_page_uri
// (relative) into a request on our base URL for cur's host, keeping only
// its path and query. The path must be cur's.
func (c *Client) nextRequest(cur request, next string, style pagingStyle) (request, error) {
	u, err := url.Parse(next)
	if err != nil {
		return request{}, cur.errorf("%w: bad %s", ErrBadResponse, style.nextName())
	}
	path := u.Path
	// A server behind our base path may name it in its URLs, or not.
	if prefix := c.baseFor(cur.host).Path; prefix != "" && strings.HasPrefix(path, prefix+"/") {
		path = path[len(prefix):]
	}
	if path != cur.path {
		return request{}, cur.errorf("%w: %s leads to another resource (%s)", ErrBadResponse, style.nextName(), printable(u.Path, 120))
	}
	return request{host: cur.host, method: "GET", path: path, query: u.Query()}, nil
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
