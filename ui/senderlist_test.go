package ui

import (
	"fmt"
	"slices"
	"testing"

	"github.com/senderpool/senderpool/api"
)

func manySenders(n int) []api.ChannelSender {
	types := []struct{ prefix, typ, cc string }{
		{"whatsapp:+1415555", "WhatsApp", "US"},
		{"messenger:1047945", "Messenger", "US"},
		{"rcs:agent_", "RCS", "DE"},
		{"instagram:acct_", "Instagram", ""},
	}
	out := make([]api.ChannelSender, n)
	for i := range out {
		ty := types[i%len(types)]
		out[i] = sender(xe(i+1), fmt.Sprintf("%s%05d", ty.prefix, i), ty.typ, ty.cc)
	}
	return out
}

func TestCursorNeverOnHeader(t *testing.T) {
	for _, height := range []int{1, 2, 3, 7, 50} {
		t.Run(fmt.Sprint("height", height), func(t *testing.T) {
			var l senderList
			l.setHeight(height)
			l.setSenders(pool(manySenders(23)), nil)
			check := func(op string) {
				t.Helper()
				if _, ok := l.selected(); !ok {
					t.Fatalf("after %s cursor %d is on a header", op, l.cursor)
				}
				if l.cursor < l.offset || l.cursor >= l.offset+height {
					t.Fatalf("after %s cursor %d not visible in [%d,%d)", op, l.cursor, l.offset, l.offset+height)
				}
			}
			check("load")
			seen := map[string]bool{}
			for range l.rowCount() + 5 {
				s, _ := l.selected()
				seen[s.SID] = true
				l.move(1)
				check("down")
			}
			if len(seen) != 23 {
				t.Errorf("walking down visited %d senders, want 23", len(seen))
			}
			for range l.rowCount() + 5 {
				l.move(-1)
				check("up")
			}
			if first, _ := l.selected(); first.SID != api.SortPool(pool(manySenders(23)))[0].SID {
				t.Errorf("walking up did not reach the first sender")
			}
			l.bottom()
			check("bottom")
			l.top()
			check("top")
			if height > 1 && l.offset != 0 {
				t.Errorf("top: offset %d, want 0 so the first header shows", l.offset)
			}
			l.move(height)
			check("page down")
			l.move(-height)
			check("page up")
		})
	}
}

func TestSetSendersKeepsSelection(t *testing.T) {
	var l senderList
	l.setHeight(10)
	all := manySenders(12)
	l.setSenders(pool(all), nil)
	l.move(5)
	want, _ := l.selected()
	l.setSenders(pool(append(manySenders(12), sender(xe(999), "whatsapp:+10000000000", "WhatsApp", "US"))), nil)
	if got, _ := l.selected(); got.SID != want.SID {
		t.Errorf("selection moved from %s to %s after an unrelated change", want.SID, got.SID)
	}
	l.setSenders(nil, nil)
	if _, ok := l.selected(); ok || l.senderCount() != 0 {
		t.Error("empty list still has a selection")
	}
}

// TestAddPageCountsDuplicatesOnce: pages add senders in time proportional
// to the page, a SID listed twice counts once, a new kind takes its place
// in kind order, and settle sorts each group.
func TestAddPageCountsDuplicatesOnce(t *testing.T) {
	var l senderList
	l.setHeight(20)
	rcs := sender(xe(3), "rcs:b", "RCS", "DE")
	if added := l.addPage(pool([]api.ChannelSender{rcs, sender(xe(4), "rcs:a", "RCS", "DE")})); len(added) != 2 {
		t.Fatalf("first page added %d", len(added))
	}
	added := l.addPage(pool([]api.ChannelSender{rcs, sender(xe(1), "whatsapp:+1", "WhatsApp", "US"), rcs}))
	if len(added) != 1 || added[0].SID != xe(1) {
		t.Fatalf("second page added %v, want only the new WhatsApp sender", poolSIDs(added))
	}
	if l.totalCount() != 3 || l.senderCount() != 3 {
		t.Fatalf("%d senders, %d shown; want 3", l.totalCount(), l.senderCount())
	}
	l.settle()
	var got []string
	for _, g := range l.shownGroups() {
		for _, s := range g.Senders {
			got = append(got, g.Kind+" "+s.Address)
		}
	}
	if want := []string{"WhatsApp whatsapp:+1", "RCS rcs:a", "RCS rcs:b"}; !slices.Equal(got, want) {
		t.Fatalf("after settle the list is %v, want %v", got, want)
	}
	// Nothing was chosen: the highlight is on the first row, whatever came first.
	if s, _ := l.selected(); s.SID != xe(1) {
		t.Errorf("the cursor is on %s, want the first row %s", s.SID, xe(1))
	}
}

// wholePool is one sender of every kind the pool holds.
func wholePool() []api.PoolSender {
	return []api.PoolSender{
		{SID: xe(1), Kind: api.KindWhatsApp, Address: "whatsapp:+14155550100", Country: "US"},
		{SID: xe(2), Kind: api.KindRCS, Address: "rcs:acme_agent", Country: "DE"},
		{SID: xe(3), Kind: "Instagram", Address: "instagram:acme"},
		{SID: "PN" + fmt.Sprintf("%032x", 1), Kind: api.KindPhoneNumber, Address: "+14155550142", Country: "US"},
		{SID: "PN" + fmt.Sprintf("%032x", 2), Kind: api.KindPhoneNumber, Address: "+18335550199", Country: "US", TollFree: true},
		{SID: "SC" + fmt.Sprintf("%032x", 1), Kind: api.KindShortCode, Address: "89645", Country: "US"},
		{SID: "AI" + fmt.Sprintf("%032x", 1), Kind: api.KindAlpha, Address: "Acme"},
		{SID: "AI" + fmt.Sprintf("%032x", 2), Kind: api.KindAlpha, Address: "Acme GmbH", DestinationCountry: "DE"},
	}
}

func TestFilterByKind(t *testing.T) {
	for _, tc := range []struct {
		filter string
		want   []string // the addresses shown, in order
	}{
		{"kind:phone", []string{"+14155550142", "+18335550199"}},
		{"kind:phone-number", []string{"+14155550142", "+18335550199"}},
		{"KIND:Short", []string{"89645"}},
		{"kind:alpha", []string{"Acme", "Acme GmbH"}},
		{"kind:alpha de", []string{"Acme GmbH"}},
		{"de kind:alpha", []string{"Acme GmbH"}},
		{"kind:wh kind:rcs", []string{"whatsapp:+14155550100", "rcs:acme_agent"}},
		{"kind:other", []string{"instagram:acme"}},     // a channel type we do not know
		{"kind:instagram", []string{"instagram:acme"}}, // …or by its own name
		{"kind:phone toll-free", []string{"+18335550199"}},
		{"kind:fax", nil},
		{"acme", []string{"rcs:acme_agent", "instagram:acme", "Acme", "Acme GmbH"}},
		{"kind:", []string{"whatsapp:+14155550100", "rcs:acme_agent", "instagram:acme", "+14155550142", "+18335550199", "89645", "Acme", "Acme GmbH"}},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			var l senderList
			l.setHeight(20)
			l.setSenders(wholePool(), nil)
			l.setFilter(tc.filter)
			var got []string
			for _, g := range l.shownGroups() {
				for _, s := range g.Senders {
					got = append(got, s.Address)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("filter %q shows %q, want %q", tc.filter, got, tc.want)
			}
			if s, ok := l.selected(); ok != (len(tc.want) > 0) || ok && !slices.Contains(tc.want, s.Address) {
				t.Errorf("filter %q highlights %q (%v): not a shown sender", tc.filter, s.Address, ok)
			}
		})
	}
}

func TestKindTotals(t *testing.T) {
	var l senderList
	l.setSenders(wholePool(), nil)
	l.setFilter("kind:alpha") // totals count the pool, not what a filter shows
	got := kindCounts(l.kindTotals()) + " · " + poolSize(l.kindTotals())
	want := "1 WhatsApp · 1 RCS · 1 Instagram · 2 numbers · 1 short code · 2 alpha · 3/400 numbers and short codes"
	if got != want {
		t.Errorf("counts\n got %q\nwant %q", got, want)
	}
}
