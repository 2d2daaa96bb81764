package twiliotest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// meta2010 is the paging part of a 2010 API list page: at the top level,
// with URIs relative to the host.
type meta2010 struct {
	End             int     `json:"end"`
	FirstPageURI    string  `json:"first_page_uri"`
	NextPageURI     *string `json:"next_page_uri"`
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	PreviousPageURI *string `json:"previous_page_uri"`
	Start           int     `json:"start"`
	URI             string  `json:"uri"`
}

// account2010 checks the account in a 2010 path: well formed, and the
// one the credentials belong to.
func (f *Fake) account2010(ac string) *Error {
	if !validSID("AC", ac) {
		return errInvalidPathSID("AccountSid", "AC", ac)
	}
	if ac != f.account.SID {
		return errNotThisAccount(ac)
	}
	return nil
}

// filterMatch is the 2010 API's partial match of PhoneNumber and
// ShortCode filters: the pattern anywhere in the value, '*' standing for
// any one digit.
func filterMatch(value, pattern string) bool {
	if pattern == "" {
		return true
	}
	for i := 0; i+len(pattern) <= len(value); i++ {
		ok := true
		for j := 0; j < len(pattern); j++ {
			if c := pattern[j]; c != value[i+j] && (c != '*' || value[i+j] < '0' || value[i+j] > '9') {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// page2010 cuts a sorted list for a 2010 page request: items, and the
// paging fields. filters are the request's own (already encoded, "&…").
func page2010[T, J any](req *request, p pageRequest, list []*T, keyOf func(*T) (time.Time, string), path, filters string, render func(*T) J) ([]J, meta2010) {
	k := func(i int) (time.Time, string) { return keyOf(list[i]) }
	start, end := p.window(len(list), k)
	items := make([]J, 0, end-start)
	for _, v := range list[start:end] {
		items = append(items, render(v))
	}
	// Relative URIs, but the fault that points elsewhere makes them absolute.
	next := ""
	if req.nextBase != "" {
		next = req.nextBase
	}
	m := meta2010{
		Start: start, End: max(start, end-1), Page: p.page, PageSize: p.size,
		FirstPageURI: listURL("", path, p.size, 0, "", filters),
		URI:          listURL("", path, p.size, p.page, p.token, filters),
	}
	switch {
	case end < len(list):
		t, sid := k(end - 1)
		u := listURL(next, path, p.size, p.page+1, token('A', t, sid), filters)
		m.NextPageURI = &u
	case next != "":
		u := listURL(next, path, p.size, p.page, p.token, filters)
		m.NextPageURI = &u
	}
	if p.page > 0 {
		var prev string
		if start < len(list) {
			t, sid := k(start)
			prev = listURL("", path, p.size, p.page-1, token('B', t, sid), filters)
		} else {
			prev = listURL("", path, p.size, p.page-1, "", filters)
		}
		m.PreviousPageURI = &prev
	}
	return items, m
}

// filters2010 keeps the filters a 2010 list was asked for, to repeat them
// in its URIs, in a fixed order.
func filters2010(q url.Values, names ...string) string {
	var b strings.Builder
	for _, n := range names {
		if q.Has(n) {
			b.WriteString("&" + n + "=" + url.QueryEscape(q.Get(n)))
		}
	}
	return b.String()
}

// list2010 is what the 2010 lists share: the page request, the account,
// and the filters of the value (PhoneNumber, ShortCode) and of
// FriendlyName. ok false: the error is written.
func list2010[T, J any](f *Fake, w http.ResponseWriter, req *request, all func() []*T, filter string,
	value, friendly func(*T) string, created func(*T) (time.Time, string), resource string,
	render func(account string, v *T) J) (items []J, m meta2010, ok bool) {
	q := req.r.URL.Query()
	p, e := parsePage(q)
	if e == nil {
		e = f.account2010(req.ac)
	}
	if e != nil {
		writeError(w, e)
		return nil, m, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	list := all()
	if q.Has(filter) || q.Has("FriendlyName") {
		pattern, name := q.Get(filter), q.Get("FriendlyName")
		list = slices.DeleteFunc(slices.Clone(list), func(v *T) bool {
			return !filterMatch(value(v), pattern) || (q.Has("FriendlyName") && friendly(v) != name)
		})
	}
	account := f.account.SID
	items, m = page2010(req, p, list, created, accountPath(account, resource), filters2010(q, filter, "FriendlyName"),
		func(v *T) J { return render(account, v) })
	return items, m, true
}

func (f *Fake) listIncomingPhoneNumbers(w http.ResponseWriter, req *request) {
	items, m, ok := list2010(f, w, req, f.numbers.list, "PhoneNumber",
		func(n *numberState) string { return n.seed.PhoneNumber },
		func(n *numberState) string { return numberFriendlyName(n.seed) },
		func(n *numberState) (time.Time, string) { return n.seed.Created, n.seed.SID },
		"IncomingPhoneNumbers.json",
		func(account string, n *numberState) incomingPhoneNumberJSON {
			return renderIncomingPhoneNumber(account, n.seed)
		})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		meta2010
		IncomingPhoneNumbers []incomingPhoneNumberJSON `json:"incoming_phone_numbers"`
	}{m, items})
}

func (f *Fake) listAccountShortCodes(w http.ResponseWriter, req *request) {
	items, m, ok := list2010(f, w, req, f.shortCodes.list, "ShortCode",
		func(c *shortCodeState) string { return c.seed.ShortCode },
		func(c *shortCodeState) string { return shortCodeFriendlyName(c.seed) },
		func(c *shortCodeState) (time.Time, string) { return c.seed.Created, c.seed.SID },
		"SMS/ShortCodes.json",
		func(account string, c *shortCodeState) accountShortCodeJSON {
			return renderAccountShortCode(account, c.seed)
		})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		meta2010
		ShortCodes []accountShortCodeJSON `json:"short_codes"`
	}{m, items})
}
