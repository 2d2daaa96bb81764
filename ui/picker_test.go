package ui

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// The attach form's picker: the account's whole pool not in the service,
// by kind, searched by the field's text, against the demo fake over HTTP.

// pickerForm opens the add form on the demo's first service at w×h.
func pickerForm(t *testing.T, w, h int, faults map[twiliotest.Route]twiliotest.Fault) (Model, *twiliotest.Fake) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	fake, client := demoWith(t, twiliotest.DemoOptions{}, api.Config{
		HTTPClient: &http.Client{Transport: tr, Timeout: cellRequestTimeout},
		Retry:      api.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
	})
	m := start(t, newTestModel(t, client, w, h))
	m = press(t, m, "enter")
	if shownService(m).SID != twiliotest.DemoServiceNotifications {
		t.Fatalf("opened %s, not the demo's first service", shownService(m).SID)
	}
	for route, f := range faults {
		fake.AddFault(route, f)
	}
	m = press(t, m, "a")
	if !isForm(m) {
		t.Fatal("a did not open the form")
	}
	return m, fake
}

// pickerKinds is every entry of the picker, SIDs by kind.
func pickerKinds(m Model) map[string][]string {
	out := map[string][]string{}
	for _, g := range form(m).groups {
		for _, e := range g.entries {
			out[g.kind] = append(out[g.kind], e.SID)
		}
	}
	return out
}

// pickerMatches is the SIDs the picker shows for the typed text, in order.
func pickerMatches(m Model) []string {
	f := form(m)
	out := make([]string, len(f.matches))
	for i, r := range f.matches {
		out[i] = f.entry(r).SID
	}
	return out
}

func TestPickerListsThePoolByKind(t *testing.T) {
	m, fake := pickerForm(t, 120, 60, nil)
	if form(m).loading() {
		t.Fatal("the picker still loads after every reply came")
	}
	got := pickerKinds(m)
	pool := fake.PoolSIDs(twiliotest.DemoServiceNotifications)
	for _, tt := range []struct {
		sid, kind string
		listed    bool
	}{
		{twiliotest.DemoFreeWhatsAppUS, api.KindWhatsApp, true},
		{twiliotest.DemoFreeRCSBilling, api.KindRCS, true},
		{twiliotest.DemoFreeNumberUS, api.KindPhoneNumber, true},
		{twiliotest.DemoFreeTollFree, api.KindPhoneNumber, true},
		{twiliotest.DemoFreeNumberVoiceOnly, api.KindPhoneNumber, true},
		{twiliotest.DemoFreeShortCode, api.KindShortCode, true},
		{twiliotest.DemoFreeShortCodeUK, api.KindShortCode, true},
		// Already in the service: never offered.
		{twiliotest.DemoSenderWhatsAppUS, api.KindWhatsApp, false},
		{twiliotest.DemoNumberUSSanFrancisco, api.KindPhoneNumber, false},
		{twiliotest.DemoNumberTollFree, api.KindPhoneNumber, false},
	} {
		if slices.Contains(got[tt.kind], tt.sid) != tt.listed {
			t.Errorf("%s under %s: listed %v, want %v (picker %v)", tt.sid, tt.kind, !tt.listed, tt.listed, got)
		}
		if tt.listed && slices.Contains(pool, tt.sid) {
			t.Errorf("%s is in the service, yet the test expects it offered", tt.sid)
		}
	}
	for kind, sids := range got {
		for _, sid := range sids {
			if slices.Contains(pool, sid) {
				t.Errorf("%s %s is in the service, yet offered", kind, sid)
			}
		}
	}

	// The headings come in the pool's order, each row with what it can do.
	s := rendered(m)
	at := -1
	for _, head := range []string{"WhatsApp (", "RCS (", "Phone numbers (", "Short codes ("} {
		i := strings.Index(s, head)
		if i < at {
			t.Fatalf("heading %q missing or out of order:\n%s", head, s)
		}
		at = i
	}
	for _, row := range []struct{ label, with string }{
		{"whatsapp:+14155550123", "ONLINE"},
		{"whatsapp:+33612345678", "OFFLINE"},
		{"+13125550160", "Voice"},
		{"+13125550160", "IVR line"},
		{"+18885550111", "toll-free"},
		{"+14155550177", "MMS SMS Voice"},
		{"55123", twiliotest.DemoFreeShortCode},
	} {
		if !slices.ContainsFunc(strings.Split(s, "\n"), func(l string) bool { return strings.Contains(l, row.label) && strings.Contains(l, row.with) }) {
			t.Errorf("no row of %s with %q:\n%s", row.label, row.with, s)
		}
	}
	// Twilio's default friendly name only repeats the number.
	if strings.Contains(s, "(415) 555-0177") {
		t.Errorf("the number's default friendly name is shown beside it:\n%s", s)
	}
}

func TestPickerSearchesEveryKind(t *testing.T) {
	m, _ := pickerForm(t, 120, 40, nil)
	for _, tt := range []struct {
		typed string
		want  []string // SIDs that must match
		kinds []string // the kinds shown, in order
	}{
		{"+1415", []string{twiliotest.DemoFreeWhatsAppUS, twiliotest.DemoFreeNumberUS}, []string{api.KindWhatsApp, api.KindPhoneNumber}},
		{"415 555 0177", []string{twiliotest.DemoFreeNumberUS}, []string{api.KindPhoneNumber}},
		{"toll-free", []string{twiliotest.DemoFreeTollFree}, []string{api.KindPhoneNumber}},
		{"dublin", []string{twiliotest.DemoFreeNumberIreland}, []string{api.KindPhoneNumber}},
		{"60777", []string{twiliotest.DemoFreeShortCodeUK}, []string{api.KindShortCode}},
		{"offline", []string{twiliotest.DemoFreeWhatsAppFR, twiliotest.DemoFreeRCSBilling}, []string{api.KindWhatsApp, api.KindRCS}},
		{strings.ToLower(twiliotest.DemoFreeShortCode), []string{twiliotest.DemoFreeShortCode}, []string{api.KindShortCode}},
	} {
		t.Run(tt.typed, func(t *testing.T) {
			m := typeText(t, m, tt.typed)
			got := pickerMatches(m)
			for _, sid := range tt.want {
				if !slices.Contains(got, sid) {
					t.Errorf("%q does not find %s; it finds %v", tt.typed, sid, got)
				}
			}
			var kinds []string
			for _, sp := range form(m).spans {
				kinds = append(kinds, form(m).groups[sp.group].kind)
			}
			if !slices.Equal(kinds, tt.kinds) {
				t.Errorf("%q shows the kinds %v, want %v:\n%s", tt.typed, kinds, tt.kinds, rendered(m))
			}
			for _, k := range tt.kinds {
				if !strings.Contains(rendered(m), k+" (") {
					t.Errorf("%q: no heading for %s:\n%s", tt.typed, k, rendered(m))
				}
			}
		})
	}
}

func TestPickingANumberAttachesIt(t *testing.T) {
	for _, tt := range []struct {
		name, typed, sid, label string
	}{
		{"local number", "0177", twiliotest.DemoFreeNumberUS, "+14155550177"},
		{"toll-free", "toll", twiliotest.DemoFreeTollFree, "+18885550111"},
		{"short code", "55123", twiliotest.DemoFreeShortCode, "55123"},
		{"whatsapp", "acme sales", twiliotest.DemoFreeWhatsAppUS, "whatsapp:+14155550123"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, fake := pickerForm(t, 120, 40, nil)
			svc := shownService(m).SID
			m = typeText(t, m, tt.typed)
			if got := pickerMatches(m); len(got) != 1 || got[0] != tt.sid {
				t.Fatalf("%q finds %v, want only %s", tt.typed, got, tt.sid)
			}
			m = press(t, m, "down")
			if e, ok := form(m).selected(); !ok || e.SID != tt.sid {
				t.Fatalf("↓ highlights %v, want %s", e.SID, tt.sid)
			}
			m = press(t, m, "enter")
			if isForm(m) {
				t.Fatalf("the form is still open:\n%s", rendered(m))
			}
			if !slices.Contains(fake.PoolSIDs(svc), tt.sid) {
				t.Fatalf("the server's pool %v lacks %s", fake.PoolSIDs(svc), tt.sid)
			}
			if got, want := listedSIDs(m), fake.PoolSIDs(svc); !slices.Equal(got, want) {
				t.Fatalf("the list shows %v, the server has %v", got, want)
			}
			if !strings.Contains(rendered(m), "attached "+tt.label) {
				t.Errorf("the attach is not named by its address %s:\n%s", tt.label, rendered(m))
			}
			// Attached, it is no longer offered.
			m = press(t, m, "a")
			if slices.Contains(pickerMatches(m), tt.sid) {
				t.Errorf("%s is offered again once in the service", tt.sid)
			}
		})
	}
}

// TestPickedNumberKeptAcrossAFailedAttach: the form comes back holding the
// number's SID, and the picker finds it again.
func TestPickedNumberKeptAcrossAFailedAttach(t *testing.T) {
	m, fake := pickerForm(t, 120, 40, nil)
	fake.AddFault(twiliotest.RouteCreatePhoneNumber, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21710, Message: "The number cannot be added"})
	m = typeText(t, m, "0177")
	m = press(t, m, "down", "enter")
	if !isForm(m) || form(m).typed() != twiliotest.DemoFreeNumberUS {
		t.Fatalf("the form did not come back with the number's SID (dialog %T, field %q)", dialog(m), form(m).typed())
	}
	if !strings.Contains(rendered(m), "The number cannot be added") {
		t.Fatalf("the failure is not shown:\n%s", rendered(m))
	}
	if got := pickerMatches(m); !slices.Equal(got, []string{twiliotest.DemoFreeNumberUS}) {
		t.Fatalf("the picker finds %v for the SID kept", got)
	}
	m = press(t, m, "enter") // the fault fired once: the typed SID attaches now
	if !slices.Contains(fake.PoolSIDs(twiliotest.DemoServiceNotifications), twiliotest.DemoFreeNumberUS) {
		t.Fatalf("the second try did not attach:\n%s", rendered(m))
	}
}

// TestPickerSourceFailsAlone: a 2010 list that fails says so in one line;
// every other source still lists.
func TestPickerSourceFailsAlone(t *testing.T) {
	sources := []struct {
		route        twiliotest.Route
		name         string
		gone, others []string
	}{
		{twiliotest.RouteListIncomingPhoneNumbers, "Phone numbers",
			[]string{twiliotest.DemoFreeNumberUS}, []string{twiliotest.DemoFreeWhatsAppUS, twiliotest.DemoFreeShortCode}},
		{twiliotest.RouteListAccountShortCodes, "Short codes",
			[]string{twiliotest.DemoFreeShortCode}, []string{twiliotest.DemoFreeWhatsAppUS, twiliotest.DemoFreeNumberUS}},
	}
	for _, src := range sources {
		for _, c := range twiliotest.FaultCases() {
			t.Run(src.name+"/"+c.Name, func(t *testing.T) {
				t.Parallel()
				m, _ := pickerForm(t, 250, 40, map[twiliotest.Route]twiliotest.Fault{src.route: c.Fault})
				checkWidth(t, m)
				all := slices.Concat(slices.Collect(maps.Values(pickerKinds(m)))...)
				for _, sid := range src.others {
					if !slices.Contains(all, sid) {
						t.Errorf("%s is not listed while only %s failed:\n%s", sid, src.name, rendered(m))
					}
				}
				flat := flatScreen(m)
				if !c.Breaks(src.route) {
					if strings.Contains(flat, "could not") || !slices.Contains(all, src.gone[0]) {
						t.Errorf("a fault the client gets past shows a failure or loses %s:\n%s", src.gone[0], rendered(m))
					}
					return
				}
				line := slices.IndexFunc(strings.Split(rendered(m), "\n"), func(l string) bool {
					return strings.HasPrefix(l, "✗ "+src.name+" could not")
				})
				if line < 0 {
					t.Fatalf("no line says %s could not be loaded:\n%s", src.name, rendered(m))
				}
				words := slices.Clone(c.Words)
				if c.Fault.Kind == twiliotest.FaultHang {
					words = []string{"timeout"}
				}
				for i, w := range words {
					words[i] = strings.ReplaceAll(w, "next_page_url", "next_page_uri") // the 2010 API's relative paging
				}
				for _, w := range words {
					if !strings.Contains(flat, strings.ToLower(w)) {
						t.Errorf("the failure lacks %q:\n%s", w, rendered(m))
					}
				}
				if n := strings.Count(flat, "could not"); n != 1 {
					t.Errorf("%d failure lines, want one:\n%s", n, rendered(m))
				}
			})
		}
	}
}

// TestPickerHostileNames: numbers whose friendly names and numbers hold
// escapes, bidi controls and invalid UTF-8 are shown inert, at every size.
func TestPickerHostileNames(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			fake, client := demoWith(t, twiliotest.DemoOptions{}, api.Config{})
			pool := fake.AddHostilePool(fake.AddHostile())
			m := start(t, newTestModel(t, client, size[0], size[1]))
			m = pickService(t, m, twiliotest.DemoServiceNotifications)
			m = press(t, m, "enter", "a")
			checkBytes(t, "the picker", m)
			kinds := pickerKinds(m)
			for _, sid := range pool.FreeNumbers {
				if !slices.Contains(kinds[api.KindPhoneNumber], sid) {
					t.Fatalf("the hostile number %s is not offered", sid)
				}
			}
			m = typeText(t, m, "+1212")
			if n := len(form(m).matches); n < len(pool.FreeNumbers) {
				t.Fatalf("+1212 finds %d of the %d hostile numbers", n, len(pool.FreeNumbers))
			}
			for range len(form(m).matches) + 1 {
				checkBytes(t, "the hostile rows", m)
				m = press(t, m, "down")
			}
			if size[0] >= 80 && !strings.Contains(rendered(m), `\x1b`) {
				t.Errorf("an escape in a name is not shown as visible text:\n%s", rendered(m))
			}
		})
	}
}

// TestPickerRefusesMalformedSID: a number the server sent with a SID that
// is not one is shown escaped and never attached.
func TestPickerRefusesMalformedSID(t *testing.T) {
	c := newFakeClient()
	c.numbers = []api.IncomingPhoneNumber{
		{SID: "PN\x1b[31m" + strings.Repeat("0", 27), PhoneNumber: "+14155550999"},
		{SID: "SC" + strings.Repeat("0", 32), PhoneNumber: "+14155550998"}, // a short code's SID for a number
	}
	for _, typed := range []string{"0999", "0998"} {
		m := openedModel(t, c)
		m = press(t, m, "a")
		m = typeText(t, m, typed)
		c.mu.Lock()
		before := c.calls
		c.mu.Unlock()
		m = press(t, m, "down", "enter")
		c.mu.Lock()
		after := c.calls
		c.mu.Unlock()
		if !isForm(m) || after != before || !strings.Contains(rendered(m), "malformed SID") {
			t.Errorf("%s: a malformed SID was acted on (%d calls) or not refused in words:\n%s", typed, after-before, rendered(m))
		}
		checkBytes(t, "the refusal", m)
	}
}

// TestPickerSmallTerminals: every line fits, the rows are not crowded out
// by failures, and the highlighted row is always on screen.
func TestPickerSmallTerminals(t *testing.T) {
	broken := twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 403, Code: 20403, Message: "Permission denied", Times: -1}
	once := broken
	once.Times = 1
	for _, tt := range []struct {
		w, h   int
		faults map[twiliotest.Route]twiliotest.Fault
	}{
		{40, 12, nil},
		{40, 10, nil},
		{50, 14, nil},
		{80, 24, nil},
		{200, 60, nil},
		{40, 12, map[twiliotest.Route]twiliotest.Fault{
			twiliotest.RouteListIncomingPhoneNumbers: broken, twiliotest.RouteListAccountShortCodes: broken,
			twiliotest.RouteListAccountSenders: once, // one channel of the two
		}},
		{40, 10, map[twiliotest.Route]twiliotest.Fault{twiliotest.RouteListIncomingPhoneNumbers: broken}},
	} {
		t.Run(fmt.Sprintf("%dx%d/%d faults", tt.w, tt.h, len(tt.faults)), func(t *testing.T) {
			m, _ := pickerForm(t, tt.w, tt.h, tt.faults)
			n := len(form(m).matches)
			if n == 0 {
				t.Fatalf("nothing to pick:\n%s", rendered(m))
			}
			for i := range n + 1 {
				checkWidth(t, m)
				s := rendered(m)
				if lines := strings.Count(s, "\n") + 1; lines > tt.h {
					t.Fatalf("%d lines in a %d-line terminal:\n%s", lines, tt.h, s)
				}
				if !strings.Contains(s, "Sender") {
					t.Fatalf("the field is not on screen:\n%s", s)
				}
				if e, ok := form(m).selected(); ok && !strings.Contains(s, "› "+ansiCut(e.label, 4)) {
					t.Fatalf("step %d: the highlighted %s is not on screen:\n%s", i, e.label, s)
				}
				m = press(t, m, "down")
			}
			if len(tt.faults) > 0 && !strings.Contains(rendered(m), "could not") {
				t.Errorf("the failures are not said:\n%s", rendered(m))
			}
		})
	}
}

// ansiCut is the first n characters of s: enough to find a row cut short.
func ansiCut(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// TestPickerCursorHoldsItsSender: pages that arrive above the cursor do
// not move it to another sender.
func TestPickerCursorHoldsItsSender(t *testing.T) {
	num := func(i int) pickEntry {
		return numberEntry(api.IncomingPhoneNumber{SID: fmt.Sprintf("PN%032x", i), PhoneNumber: fmt.Sprintf("+1415555%04d", i)})
	}
	for _, tt := range []struct {
		name       string
		first, add []int
		cursor     int
	}{
		{"before the cursor", []int{50, 60, 70}, []int{10, 20, 30, 55}, 1},
		{"after the cursor", []int{50, 60, 70}, []int{80, 90}, 2},
		{"the same again", []int{50, 60, 70}, []int{50, 60, 70}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPicker()
			var first []pickEntry
			for _, i := range tt.first {
				first = append(first, num(i))
			}
			p.add(first)
			p.move(tt.cursor)
			want, _ := p.selected()
			before := p
			var add []pickEntry
			for _, i := range tt.add {
				add = append(add, num(i))
			}
			p.add(add)
			if got, ok := p.selected(); !ok || got.SID != want.SID {
				t.Fatalf("the cursor moved from %s to %s", want.SID, got.SID)
			}
			if got, _ := before.selected(); got.SID != want.SID || before.total != len(tt.first) {
				t.Fatal("adding a page changed an earlier copy of the picker")
			}
			if wantN := len(tt.first) + len(slices.DeleteFunc(slices.Clone(tt.add), func(i int) bool { return slices.Contains(tt.first, i) })); p.total != wantN {
				t.Fatalf("%d entries, want %d (a sender sent twice is kept once)", p.total, wantN)
			}
		})
	}
}

// TestPickerPagesInManyNumbers: thousands of numbers arrive page by page
// and are all offered.
func TestPickerPagesInManyNumbers(t *testing.T) {
	c := newFakeClient()
	c.pageSize = 1000
	c.numbers = manyNumbers(2500)
	m := openedModel(t, c)
	m = press(t, m, "a")
	if got := len(pickerKinds(m)[api.KindPhoneNumber]); got != 2500 {
		t.Fatalf("%d numbers offered, want 2500", got)
	}
	if !strings.Contains(rendered(m), "Phone numbers (2500)") {
		t.Errorf("the heading does not count the numbers:\n%s", rendered(m))
	}
	m = typeText(t, m, "+1202555")
	if n := len(form(m).matches); n == 0 || n == 2500 {
		t.Errorf("+1202555 finds %d of 2500", n)
	}
}

// manyNumbers is n numbers of the account, in no service.
func manyNumbers(n int) []api.IncomingPhoneNumber {
	out := make([]api.IncomingPhoneNumber, n)
	for i := range out {
		area := []string{"202", "415", "646", "888"}[i%4]
		out[i] = api.IncomingPhoneNumber{
			SID: fmt.Sprintf("PN%032x", 0x10000+i), PhoneNumber: fmt.Sprintf("+1%s555%04d", area, i%10000),
			FriendlyName: fmt.Sprintf("line %d", i), Capabilities: &api.NumberCapabilities{SMS: true, MMS: i%2 == 0, Voice: true},
		}
	}
	return out
}

// benchPicker is the add form open over n numbers at 120×40.
func benchPicker(b *testing.B, n int) Model {
	c := newFakeClient()
	c.pageSize = 1000
	c.numbers = manyNumbers(n)
	m := start(b, newTestModel(b, c, 120, 40))
	m = press(b, m, "enter", "a")
	if f, ok := formOf(m); !ok || f.total < n {
		b.Fatalf("the form did not load %d numbers", n)
	}
	return m
}

// BenchmarkPickerView is one frame with the form open: 10,000 numbers
// should cost what 100 do, as only the visible rows are drawn.
func BenchmarkPickerView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := press(b, benchPicker(b, n), "down", "down", "down")
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkPickerKeystroke is the work of one keystroke in the field at
// 10,000 numbers (two texts in turn, so each refilters).
func BenchmarkPickerKeystroke(b *testing.B) {
	f := form(benchPicker(b, 10_000))
	qs := []string{"+1415555", "+141555"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f.setQuery(qs[i%2])
		i++
	}
}

// BenchmarkPickerPages is 10,000 numbers arriving in ten pages of 1,000:
// each page costs about what is loaded, not more.
func BenchmarkPickerPages(b *testing.B) {
	all := manyNumbers(10_000)
	b.ReportAllocs()
	for b.Loop() {
		f := attachForm{picker: newPicker(), height: 40}
		for i := 0; i < len(all); i += 1000 {
			f.received(srcNumbers, 1000)
			addEntries(&f, all[i:i+1000], numberEntry, func(n api.IncomingPhoneNumber) string { return n.SID })
		}
		if f.total != len(all) {
			b.Fatalf("%d entries", f.total)
		}
	}
}

// TestPickerPages: pgdn and pgup move the picker's cursor a page at a
// time, the highlighted row stays on screen, and pgup past the first row
// gives the keyboard back to the field, as ↑ does.
func TestPickerPages(t *testing.T) {
	c := newFakeClient()
	c.numbers = manyNumbers(300)
	m := press(t, openedModel(t, c), "a")
	rows := form(m).pickerRows()
	if rows < 3 {
		t.Fatalf("only %d picker rows at 100x30", rows)
	}
	m = press(t, m, "pgdown")
	first := form(m).cursor
	if first != rows-2 { // from the field (-1), a page less the row kept
		t.Errorf("pgdn from the field: cursor %d, want %d", first, rows-2)
	}
	m = press(t, m, "pgdown")
	if got := form(m).cursor; got != first+rows-1 {
		t.Errorf("second pgdn: cursor %d, want %d", got, first+rows-1)
	}
	if e, ok := form(m).selected(); !ok || !strings.Contains(rendered(m), e.label) {
		t.Errorf("the highlighted number is not on screen:\n%s", rendered(m))
	}
	m = press(t, m, "pgup", "pgup")
	if got := form(m).cursor; got != -1 {
		t.Errorf("pgup to the top: cursor %d, want the field (-1)", got)
	}
	for range 20 {
		m = press(t, m, "pgdown")
	}
	if got, last := form(m).cursor, len(form(m).matches)-1; got != last {
		t.Errorf("pgdn at the end: cursor %d, want the last match %d", got, last)
	}
}
