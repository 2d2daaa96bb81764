package twiliotest

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Paging as Twilio does it: PageSize 1..1000 (default 50); Page is the
// client's page index; PageToken, from a previous meta, says where a page
// starts. Tokens are keyset positions, "PA{unix}.{sid}" (the page after
// that item) or "PB{unix}.{sid}" (the page before it), so paging stays
// consistent while senders are attached and detached in between. Without a
// token, Page×PageSize is an offset.

const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

type pageRequest struct {
	size, page int
	token      string // as received, echoed in meta.url
	dir        byte   // 0: offset; 'A': after key; 'B': before key
	keyTime    time.Time
	keySID     string
}

func parsePage(q url.Values) (pageRequest, *Error) {
	p := pageRequest{size: defaultPageSize}
	if q.Has("PageSize") {
		n, err := strconv.Atoi(q.Get("PageSize"))
		if err != nil || n < 1 || n > maxPageSize {
			return p, errBadQuery("Invalid PageSize: " + strconv.Quote(shorten(q.Get("PageSize"))) + " must be an integer between 1 and 1000")
		}
		p.size = n
	}
	if q.Has("Page") {
		n, err := strconv.Atoi(q.Get("Page"))
		if err != nil || n < 0 {
			return p, errBadQuery("Invalid Page: " + strconv.Quote(shorten(q.Get("Page"))) + " must be a non-negative integer")
		}
		p.page = n
	}
	if q.Has("PageToken") {
		p.token = q.Get("PageToken")
		if !p.parseToken() {
			return p, errBadQuery("Invalid PageToken: " + strconv.Quote(shorten(p.token)))
		}
	}
	return p, nil
}

func (p *pageRequest) parseToken() bool {
	t := p.token
	if len(t) < 3 || t[0] != 'P' || (t[1] != 'A' && t[1] != 'B') {
		return false
	}
	secs, sid, ok := strings.Cut(t[2:], ".")
	if !ok || sid == "" {
		return false
	}
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return false
	}
	p.dir, p.keyTime, p.keySID = t[1], time.Unix(n, 0).UTC(), sid
	return true
}

func token(dir byte, t time.Time, sid string) string {
	return "P" + string(dir) + strconv.FormatInt(t.Unix(), 10) + "." + sid
}

// keyFunc returns the sort key (time, SID) of item i of a sorted list.
type keyFunc func(i int) (time.Time, string)

// window returns the half-open range [start, end) of a sorted list of n
// items that the page covers. A page is empty only at the end of the list.
func (p pageRequest) window(n int, key keyFunc) (start, end int) {
	cmp := func(i int) int {
		t, s := key(i)
		return compareKey(t, s, p.keyTime, p.keySID)
	}
	switch p.dir {
	case 'A':
		start = sort.Search(n, func(i int) bool { return cmp(i) > 0 })
	case 'B':
		end = sort.Search(n, func(i int) bool { return cmp(i) >= 0 })
		start = max(0, end-p.size)
	default:
		start = n
		if p.page <= n/p.size {
			start = min(p.page*p.size, n)
		}
	}
	return start, min(start+p.size, n)
}

// metaJSON is the "meta" object of every Twilio list page.
type metaJSON struct {
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	FirstPageURL    string  `json:"first_page_url"`
	PreviousPageURL *string `json:"previous_page_url"`
	NextPageURL     *string `json:"next_page_url"`
	URL             string  `json:"url"`
	Key             string  `json:"key"`
}

// listURL builds a page URL in Twilio's parameter order: PageSize, Page,
// PageToken, then the endpoint's own filters (extra, already encoded).
func listURL(base, path string, size, page int, tok, extra string) string {
	var b strings.Builder
	b.WriteString(base)
	b.WriteString(path)
	b.WriteString("?PageSize=")
	b.WriteString(strconv.Itoa(size))
	b.WriteString("&Page=")
	b.WriteString(strconv.Itoa(page))
	if tok != "" {
		b.WriteString("&PageToken=")
		b.WriteString(url.QueryEscape(tok))
	}
	b.WriteString(extra)
	return b.String()
}

// pageMeta builds meta for the page [start, end) of n items. nextBase
// replaces base in next_page_url (FaultForeignNextPage); "" means base.
func pageMeta(base, nextBase, path, extra, key string, p pageRequest, n, start, end int, keyOf keyFunc) metaJSON {
	m := metaJSON{
		Page:         p.page,
		PageSize:     p.size,
		FirstPageURL: listURL(base, path, p.size, 0, "", extra),
		URL:          listURL(base, path, p.size, p.page, p.token, extra),
		Key:          key,
	}
	if nextBase == "" {
		nextBase = base
	}
	if end < n {
		t, sid := keyOf(end - 1)
		next := listURL(nextBase, path, p.size, p.page+1, token('A', t, sid), extra)
		m.NextPageURL = &next
	} else if nextBase != base {
		// The fault wants a foreign next page even on the last page.
		next := listURL(nextBase, path, p.size, p.page, p.token, extra)
		m.NextPageURL = &next
	}
	if p.page > 0 {
		var prev string
		if start < n {
			t, sid := keyOf(start)
			prev = listURL(base, path, p.size, p.page-1, token('B', t, sid), extra)
		} else {
			prev = listURL(base, path, p.size, p.page-1, "", extra)
		}
		m.PreviousPageURL = &prev
	}
	return m
}
