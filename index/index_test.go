package index_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	"github.com/senderpool/senderpool/index"
)

const (
	notifications = twiliotest.DemoServiceNotifications
	marketing     = twiliotest.DemoServiceMarketing
	sandbox       = twiliotest.DemoServiceSandbox
)

// noRetry makes a refused request fail at once, so a 429 would show.
var noRetry = api.Config{Retry: api.RetryPolicy{MaxAttempts: 1}}

func demo(t testing.TB, opts twiliotest.DemoOptions) (*twiliotest.Fake, *api.Client) {
	t.Helper()
	return apitest.Demo(t, opts, noRetry)
}

func build(t testing.TB, c *api.Client, opts index.Options) *index.Index {
	t.Helper()
	ix, err := index.Build(t.Context(), c, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return ix
}

func TestHolders(t *testing.T) {
	_, c := demo(t, twiliotest.DemoOptions{})
	ix := build(t, c, index.Options{Account: true})
	type hit struct{ service, sender string }
	tests := []struct {
		query string
		want  []hit
	}{
		{twiliotest.DemoSenderWhatsAppUS, []hit{{notifications, twiliotest.DemoSenderWhatsAppUS}}},
		{"whatsapp:+14155550100", []hit{{notifications, twiliotest.DemoSenderWhatsAppUS}}},
		{"WhatsApp:+14155550100", []hit{{notifications, twiliotest.DemoSenderWhatsAppUS}}},
		{"  whatsapp:+5511987654321 ", []hit{{marketing, twiliotest.DemoSenderWhatsAppBR}}},
		{"messenger:109876543210987", []hit{{notifications, twiliotest.DemoSenderMessangerTypo}}},
		{"messenger:100012345678901", []hit{{marketing, twiliotest.DemoSenderMessengerMX}}},
		{"rcs:acme_alerts_agent", []hit{{notifications, twiliotest.DemoSenderRCSUntyped}}},
		{twiliotest.DemoSenderRCSLongName, []hit{{marketing, twiliotest.DemoSenderRCSLongName}}},
		{"+14155550142", []hit{{notifications, twiliotest.DemoNumberUSSanFrancisco}}},
		{"+1 (415) 555-0142", []hit{{notifications, twiliotest.DemoNumberUSSanFrancisco}}},
		{twiliotest.DemoNumberTollFree, []hit{{notifications, twiliotest.DemoNumberTollFree}}},
		{"+447700900456", []hit{{marketing, twiliotest.DemoNumberUK}}},
		{twiliotest.DemoNumberUK, []hit{{marketing, twiliotest.DemoNumberUK}}},
		{"24368", []hit{{marketing, twiliotest.DemoShortCode}}},
		{twiliotest.DemoShortCode, []hit{{marketing, twiliotest.DemoShortCode}}},
		{"Acme", []hit{{notifications, twiliotest.DemoAlphaGlobal}}},
		{"ACME", []hit{{notifications, twiliotest.DemoAlphaGlobal}}},
		{"acme gmbh", []hit{{notifications, twiliotest.DemoAlphaGermany}}},
		{twiliotest.DemoAlphaGermany, []hit{{notifications, twiliotest.DemoAlphaGermany}}},
		// On the account, in no service.
		{twiliotest.DemoFreeWhatsAppUS, nil},
		{"whatsapp:+14155550123", nil},
		{"+14155550177", nil},
		{"55123", nil},
		// Unknown anywhere.
		{twiliotest.DemoUnknownSender, nil},
		{"Globex", nil},
		// A number and the WhatsApp sender on it are two senders.
		{"+14155550100", nil},
		{"whatsapp:+14155550142", nil},
		// The prefix in any case, the rest exactly.
		{"rcs:ACME_ALERTS_AGENT", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := ix.Holders(tt.query)
			if err != nil {
				t.Fatalf("Holders: %v", err)
			}
			var got []hit
			for _, h := range hits {
				got = append(got, hit{h.ServiceSID, h.Sender.SID})
				if h.Sender.ServiceSID != h.ServiceSID || h.ServiceName == "" {
					t.Errorf("hit %+v: the sender's service or the name is wrong", h)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Holders(%q) = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestHoldersMalformed(t *testing.T) {
	_, c := demo(t, twiliotest.DemoOptions{})
	ix := build(t, c, index.Options{})
	tests := []struct {
		query string
		want  error
	}{
		{"", api.ErrInvalidAddress},
		{"PN1234abcd", api.ErrInvalidSID},
		{"XE" + "0123456789abcdef0123456789abcdef00", api.ErrInvalidSID},
		{"MG0123456789abcdef0123456789abcdef", api.ErrInvalidSID},
		{"+0123456789", api.ErrInvalidAddress},
		{"+1415", api.ErrInvalidAddress},
		{"12", api.ErrInvalidAddress},
		{"whatsapp:acme", api.ErrInvalidAddress},
		{"facebook:1047", api.ErrInvalidAddress},
		{"Acme!", api.ErrInvalidAddress},
		{"AcmeCorporation", api.ErrInvalidAddress},
		{"acme\x1b[2J", api.ErrInvalidAddress},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := ix.Holders(tt.query)
			if !errors.Is(err, tt.want) || hits != nil {
				t.Errorf("Holders(%q) = %v, %v; want %v", tt.query, hits, err, tt.want)
			}
		})
	}
}

func sidsOf(entries []index.AccountSenderEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Sender.SID)
	}
	slices.Sort(out)
	return out
}

func TestInNoService(t *testing.T) {
	_, c := demo(t, twiliotest.DemoOptions{})
	ix := build(t, c, index.Options{Account: true})
	want := []string{
		twiliotest.DemoFreeWhatsAppUS, twiliotest.DemoFreeWhatsAppFR, twiliotest.DemoFreeWhatsAppJP,
		twiliotest.DemoFreeRCSSupport, twiliotest.DemoFreeRCSBilling,
		twiliotest.DemoFreeNumberUS, twiliotest.DemoFreeTollFree, twiliotest.DemoFreeNumberVoiceOnly, twiliotest.DemoFreeNumberIreland,
		twiliotest.DemoFreeShortCode, twiliotest.DemoFreeShortCodeUK,
	}
	slices.Sort(want)
	free := ix.InNoService()
	if got := sidsOf(free); !slices.Equal(got, want) {
		t.Errorf("InNoService = %v\nwant %v", got, want)
	}
	status := map[string]string{}
	for _, e := range free {
		status[e.Sender.SID] = e.Status
		if e.Sender.Kind == "" || e.Sender.Address == "" || e.Sender.ServiceSID != "" {
			t.Errorf("free sender %+v: want a kind, an address and no service", e.Sender)
		}
	}
	if status[twiliotest.DemoFreeRCSBilling] != "OFFLINE" || status[twiliotest.DemoFreeWhatsAppUS] != "ONLINE" || status[twiliotest.DemoFreeNumberUS] != "" {
		t.Errorf("statuses %v", status)
	}
	if at, err := ix.AccountRead(); at.IsZero() || err != nil {
		t.Errorf("AccountRead = %v, %v", at, err)
	}

	// Without the account, nothing is known to be free.
	ix = build(t, c, index.Options{})
	if got := ix.InNoService(); got != nil {
		t.Errorf("InNoService without the account = %v", got)
	}
	if at, _ := ix.AccountRead(); !at.IsZero() {
		t.Errorf("AccountRead = %v, want zero", at)
	}
}

func TestCounts(t *testing.T) {
	_, c := demo(t, twiliotest.DemoOptions{})
	tests := []struct {
		name    string
		account bool
		service string
		want    index.Counts
	}{
		{"notifications", true, notifications, index.Counts{Total: 13, NotOnline: 2, StatusKnown: true, ByKind: map[string]int{
			api.KindWhatsApp: 3, api.KindMessenger: 2, api.KindRCS: 2, api.KindPhoneNumber: 4, api.KindAlpha: 2}}},
		{"marketing", true, marketing, index.Counts{Total: 8, NotOnline: 1, StatusKnown: true, ByKind: map[string]int{
			api.KindWhatsApp: 3, api.KindMessenger: 1, api.KindRCS: 1, api.KindPhoneNumber: 2, api.KindShortCode: 1}}},
		{"sandbox", true, sandbox, index.Counts{StatusKnown: true, ByKind: map[string]int{}}},
		{"no account: no status", false, notifications, index.Counts{Total: 13, ByKind: map[string]int{
			api.KindWhatsApp: 3, api.KindMessenger: 2, api.KindRCS: 2, api.KindPhoneNumber: 4, api.KindAlpha: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := build(t, c, index.Options{Account: tt.account})
			got, ok := ix.Counts(tt.service)
			if !ok || !equalCounts(got, tt.want) {
				t.Errorf("Counts = %+v, %v; want %+v", got, ok, tt.want)
			}
			if e, _ := ix.Service(tt.service); !equalCounts(e.Counts, got) || len(e.Senders) != got.Total {
				t.Errorf("the entry's counts %+v and %d senders, want %+v", e.Counts, len(e.Senders), got)
			}
		})
	}
	ix := build(t, c, index.Options{})
	if _, ok := ix.Counts("MG00000000000000000000000000000000"); ok {
		t.Error("Counts of a service not in the index")
	}
}

func equalCounts(a, b index.Counts) bool {
	if a.Total != b.Total || a.NotOnline != b.NotOnline || a.StatusKnown != b.StatusKnown || len(a.ByKind) != len(b.ByKind) {
		return false
	}
	for k, v := range a.ByKind {
		if b.ByKind[k] != v {
			return false
		}
	}
	return true
}

func TestFailedListKeepsTheOthers(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{})
	fake.AddFault(twiliotest.RouteListPhoneNumbers, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: marketing})
	var told []index.ServiceEntry
	ix, err := index.Build(t.Context(), c, index.Options{Account: true, OnService: func(e index.ServiceEntry) { told = append(told, e) }})
	if err != nil {
		t.Fatalf("Build: %v (a failed pool is not the build's error)", err)
	}
	m, _ := ix.Service(marketing)
	var poolErr *api.PoolError
	var apiErr *api.Error
	if !errors.As(m.Err, &poolErr) || len(poolErr.Errs) != 1 || poolErr.Errs[api.SourcePhoneNumbers] == nil ||
		!errors.As(m.Err, &apiErr) || apiErr.Status != 500 {
		t.Fatalf("marketing's error = %v, want the phone numbers' 500 alone", m.Err)
	}
	if m.Complete() || m.ReadAt.IsZero() {
		t.Errorf("marketing: Complete %v, ReadAt %v", m.Complete(), m.ReadAt)
	}
	// What the other lists gave is there.
	if hits, _ := ix.Holders("24368"); len(hits) != 1 || hits[0].ServiceSID != marketing {
		t.Errorf("the short code of the failed service: %v", hits)
	}
	if hits, _ := ix.Holders(twiliotest.DemoNumberUK); len(hits) != 0 {
		t.Errorf("a number of the failed list was found: %v", hits)
	}
	if got := ix.Incomplete(); len(got) != 1 || got[0].Service.SID != marketing {
		t.Errorf("Incomplete = %v", got)
	}
	for _, sid := range []string{notifications, sandbox} {
		if e, _ := ix.Service(sid); !e.Complete() {
			t.Errorf("%s: %v", sid, e.Err)
		}
	}
	if len(told) != 3 {
		t.Errorf("OnService told %d services, want 3 (the failed one too)", len(told))
	}
	if hits, _ := ix.Holders("+14155550142"); len(hits) != 1 {
		t.Errorf("the other service's number: %v", hits)
	}
}

func TestServicesListFails(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{})
	fake.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500})
	ix, err := index.Build(t.Context(), c, index.Options{Account: true})
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 500 {
		t.Fatalf("Build = %v, want the 500", err)
	}
	if ix == nil || len(ix.Services()) != 0 {
		t.Fatalf("index %v, want an empty one", ix)
	}
	if at, err := ix.AccountRead(); at.IsZero() || err != nil {
		t.Errorf("the account is read anyway: %v, %v", at, err)
	}
}

// poolRoutes are the lists Build makes of each service and of the
// account: all but the services' own.
func poolRoutes() []twiliotest.Route {
	return []twiliotest.Route{twiliotest.RouteListChannelSenders, twiliotest.RouteListPhoneNumbers, twiliotest.RouteListShortCodes,
		twiliotest.RouteListAlphaSenders, twiliotest.RouteListDestinationAlphaSenders, twiliotest.RouteListAccountSenders,
		twiliotest.RouteListIncomingPhoneNumbers, twiliotest.RouteListAccountShortCodes}
}

func TestConcurrencyBound(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int // of the build
		want        int // requests in flight at most, and the fake's limit
	}{
		{"default", 0, index.DefaultConcurrency},
		{"one", 1, 1},
		{"two", 2, 2},
		{"seven", 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The fake refuses a request past the bound with a 429, which
			// the client does not retry: any would fail a pool.
			fake, c := demo(t, twiliotest.DemoOptions{Concurrency: twiliotest.ConcurrencyLimit{MaxInFlight: tt.want}})
			gate := fake.Hold(poolRoutes()...)
			done := make(chan error, 1)
			var ix *index.Index
			go func() {
				var err error
				ix, err = index.Build(t.Context(), c, index.Options{Concurrency: tt.concurrency, Account: true})
				done <- err
			}()
			// The bound is reached: that many lists wait in the gate.
			if err := gate.WaitHeld(t.Context(), tt.want); err != nil {
				t.Fatal(err)
			}
			gate.Open()
			if err := <-done; err != nil {
				t.Fatalf("Build: %v", err)
			}
			if peak := fake.PeakInFlight(); peak != tt.want {
				t.Errorf("peak in flight %d, want %d", peak, tt.want)
			}
			if n := fake.Throttled(); n != 0 {
				t.Errorf("%d requests met the limit (429)", n)
			}
			if got := ix.Incomplete(); len(got) != 0 {
				t.Errorf("incomplete: %v", got[0].Err)
			}
			// 1 services list, 5 lists per service, 4 of the account.
			if n := fake.TotalRequests(); n != 1+3*5+4 {
				t.Errorf("%d requests, want %d", n, 1+3*5+4)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{})
	gate := fake.Hold(twiliotest.RouteListPhoneNumbers)
	defer gate.Open()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var mu sync.Mutex
	var told []string
	done := make(chan error, 1)
	var ix *index.Index
	go func() {
		var err error
		ix, err = index.Build(ctx, c, index.Options{Concurrency: 1, Account: true, OnService: func(e index.ServiceEntry) {
			mu.Lock()
			told = append(told, e.Service.SID)
			mu.Unlock()
		}})
		done <- err
	}()
	// One at a time: the first service's phone numbers wait; nothing else
	// is in flight.
	if err := gate.WaitHeld(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	before := fake.TotalRequests()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Build = %v, want context.Canceled", err)
	}
	if n := fake.TotalRequests(); n != before {
		t.Errorf("%d requests after the cancel", n-before)
	}
	if len(told) != 0 {
		t.Errorf("OnService told of %v", told)
	}
	if ix == nil || len(ix.Services()) != 3 {
		t.Fatalf("index %v, want the three services listed", ix)
	}
	for _, e := range ix.Services() {
		if !errors.Is(e.Err, context.Canceled) || e.Complete() || !e.ReadAt.IsZero() {
			t.Errorf("%s: %v, read at %v; want context.Canceled", e.Service.SID, e.Err, e.ReadAt)
		}
	}
	// What was read before is kept: the first service's channel senders.
	if hits, _ := ix.Holders(twiliotest.DemoSenderWhatsAppUS); len(hits) != 1 || hits[0].ServiceSID != notifications {
		t.Errorf("the senders read before the cancel: %v", hits)
	}
}

func TestStreaming(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{})
	var (
		listed   []string
		told     []string
		requests []int // the fake's count when each service was told
	)
	_, err := index.Build(t.Context(), c, index.Options{
		Concurrency: 1,
		OnServices: func(page []api.Service) {
			for _, s := range page {
				listed = append(listed, s.SID)
			}
		},
		OnService: func(e index.ServiceEntry) {
			if len(listed) != 3 {
				t.Errorf("told of %s before the services were listed", e.Service.SID)
			}
			if !e.Complete() || len(e.Senders) != e.Counts.Total {
				t.Errorf("%s told incomplete: %v", e.Service.SID, e.Err)
			}
			told = append(told, e.Service.SID)
			requests = append(requests, fake.TotalRequests())
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{notifications, marketing, sandbox}
	if !slices.Equal(listed, want) || !slices.Equal(told, want) {
		t.Errorf("listed %v, told %v; want %v", listed, told, want)
	}
	// Each service is told as soon as its five lists answered, before the
	// next one's are asked.
	if !slices.Equal(requests, []int{6, 11, 16}) {
		t.Errorf("told after %v requests, want [6 11 16]", requests)
	}
}

func TestApplyMatchesARebuild(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{})
	ctx := t.Context()
	ix := build(t, c, index.Options{Account: true})
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

	// Attach a free sender, detach an attached one, move a number: on
	// the fake through the API, and in the index by Apply.
	attached, err := c.CreateChannelSender(ctx, marketing, twiliotest.DemoFreeWhatsAppUS)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteChannelSender(ctx, notifications, twiliotest.DemoSenderWhatsAppUS); err != nil {
		t.Fatal(err)
	}
	uk, err := c.FetchPoolSender(ctx, marketing, api.SourcePhoneNumbers, twiliotest.DemoNumberUK)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DetachPoolSender(ctx, marketing, uk); err != nil {
		t.Fatal(err)
	}
	moved, err := c.CreatePhoneNumber(ctx, sandbox, twiliotest.DemoNumberUK)
	if err != nil {
		t.Fatal(err)
	}
	err = ix.Apply(
		index.Change{Op: index.OpAdd, ServiceSID: marketing, Sender: attached.PoolSender(), At: at},
		index.Change{Op: index.OpRemove, ServiceSID: notifications, Sender: api.PoolSender{SID: twiliotest.DemoSenderWhatsAppUS}, At: at},
		index.Change{Op: index.OpRemove, ServiceSID: marketing, Sender: uk, At: at},
		index.Change{Op: index.OpAdd, ServiceSID: sandbox, Sender: moved.PoolSender(), At: at},
		// Removing what is not there is done already.
		index.Change{Op: index.OpRemove, ServiceSID: sandbox, Sender: api.PoolSender{SID: twiliotest.DemoUnknownSender}, At: at.Add(time.Hour)},
	)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}

	fresh := build(t, c, index.Options{Account: true})
	for _, sid := range []string{notifications, marketing, sandbox} {
		got, _ := ix.Service(sid)
		want, _ := fresh.Service(sid)
		if g, w := senderSIDs(got.Senders), senderSIDs(want.Senders); !slices.Equal(g, w) {
			t.Errorf("%s: applied %v\nrebuilt %v", sid, g, w)
		}
		if !equalCounts(got.Counts, want.Counts) {
			t.Errorf("%s: counts %+v, rebuilt %+v", sid, got.Counts, want.Counts)
		}
		if !got.ChangedAt.Equal(at) {
			t.Errorf("%s: ChangedAt %v, want %v", sid, got.ChangedAt, at)
		}
	}
	if g, w := sidsOf(ix.InNoService()), sidsOf(fresh.InNoService()); !slices.Equal(g, w) {
		t.Errorf("InNoService applied %v\nrebuilt %v", g, w)
	}
	for _, q := range []string{"whatsapp:+14155550123", "whatsapp:+14155550100", "+447700900456", twiliotest.DemoNumberUK} {
		g, _ := ix.Holders(q)
		w, _ := fresh.Holders(q)
		if len(g) != len(w) || (len(g) == 1 && (g[0].ServiceSID != w[0].ServiceSID || g[0].Sender.SID != w[0].Sender.SID)) {
			t.Errorf("Holders(%q): applied %v, rebuilt %v", q, g, w)
		}
	}
	_ = fake
}

func senderSIDs(ps []api.PoolSender) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.SID
	}
	return out
}

func TestApplyRefused(t *testing.T) {
	_, c := demo(t, twiliotest.DemoOptions{})
	ix := build(t, c, index.Options{})
	good := index.Change{Op: index.OpRemove, ServiceSID: notifications, Sender: api.PoolSender{SID: twiliotest.DemoSenderWhatsAppUS}}
	tests := []struct {
		name   string
		change index.Change
		want   error
	}{
		{"unknown service", index.Change{Op: index.OpRemove, ServiceSID: "MG00000000000000000000000000000000", Sender: good.Sender}, index.ErrUnknownService},
		{"malformed service", index.Change{Op: index.OpRemove, ServiceSID: "MG1", Sender: good.Sender}, api.ErrInvalidSID},
		{"malformed sender", index.Change{Op: index.OpRemove, ServiceSID: notifications, Sender: api.PoolSender{SID: "XE12"}}, api.ErrInvalidSID},
		{"no sender", index.Change{Op: index.OpRemove, ServiceSID: notifications}, index.ErrInvalidChange},
		{"no op", index.Change{ServiceSID: notifications, Sender: good.Sender}, index.ErrInvalidChange},
		{"add without a kind", index.Change{Op: index.OpAdd, ServiceSID: notifications, Sender: api.PoolSender{SID: twiliotest.DemoFreeWhatsAppUS}}, index.ErrInvalidChange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The good change first: it must not be made either.
			if err := ix.Apply(good, tt.change); !errors.Is(err, tt.want) {
				t.Fatalf("Apply = %v, want %v", err, tt.want)
			}
			if hits, _ := ix.Holders(twiliotest.DemoSenderWhatsAppUS); len(hits) != 1 {
				t.Errorf("a refused batch changed the index: %v", hits)
			}
		})
	}
	var zero index.Index
	if hits, err := zero.Holders("Acme"); err != nil || len(hits) != 0 {
		t.Errorf("the zero index: %v, %v", hits, err)
	}
	if err := zero.Apply(good); !errors.Is(err, index.ErrUnknownService) {
		t.Errorf("Apply on the zero index = %v", err)
	}
}

// TestConcurrentUse reads the index while it is changed (for -race).
func TestConcurrentUse(t *testing.T) {
	_, c := demo(t, twiliotest.DemoOptions{Senders: 200})
	ix := build(t, c, index.Options{Account: true})
	e, _ := ix.Service(notifications)
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, p := range e.Senders {
			_ = ix.Apply(index.Change{Op: index.OpRemove, ServiceSID: notifications, Sender: p})
			_ = ix.Apply(index.Change{Op: index.OpAdd, ServiceSID: marketing, Sender: p})
		}
	})
	wg.Go(func() {
		for range 200 {
			_, _ = ix.Holders("whatsapp:+14155550100")
			_ = ix.InNoService()
			_, _ = ix.Counts(marketing)
			_ = ix.Services()
		}
	})
	wg.Wait()
	if n, _ := ix.Counts(notifications); n.Total != 0 {
		t.Errorf("notifications still holds %d", n.Total)
	}
}

// TestPagedPools reads pools of several pages each.
func TestPagedPools(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{Senders: 2500, Numbers: 1500, ShortCodes: 1001})
	ix := build(t, c, index.Options{Account: true})
	got, _ := ix.Counts(notifications)
	if got.Total != 2500+1500+1001+2 || got.ByKind[api.KindPhoneNumber] != 1500 || got.ByKind[api.KindShortCode] != 1001 {
		t.Errorf("counts %+v", got)
	}
	if n := fake.Requests(twiliotest.RouteListChannelSenders); n != 3+1+1 {
		t.Errorf("%d channel sender pages, want 3 of the first service and 1 of each other", n)
	}
	e, _ := ix.Service(notifications)
	for _, p := range []int{0, 1234, len(e.Senders) - 1} {
		hits, err := ix.Holders(e.Senders[p].Address)
		if err != nil || len(hits) != 1 || hits[0].Sender.SID != e.Senders[p].SID {
			t.Errorf("Holders(%q) = %v, %v", e.Senders[p].Address, hits, err)
		}
	}
}

// A list whose pages never end stops at MaxSourceSenders, long before the
// api's own ceiling: that pool is not complete and says why, the others are.
func TestEndlessListStopsAtTheIndexCeiling(t *testing.T) {
	fake, c := demo(t, twiliotest.DemoOptions{})
	fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultEndlessPages, Service: marketing, Times: -1})
	ix, err := index.Build(t.Context(), c, index.Options{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	m, _ := ix.Service(marketing)
	if !errors.Is(m.Err, index.ErrPoolTooLarge) || m.Complete() {
		t.Fatalf("marketing: complete %v, error %v; want ErrPoolTooLarge", m.Complete(), m.Err)
	}
	if n := len(m.Senders); n > index.MaxSourceSenders+1000 {
		t.Errorf("the index kept %d senders of it, more than its ceiling %d and a page", n, index.MaxSourceSenders)
	}
	if e, _ := ix.Service(notifications); !e.Complete() {
		t.Errorf("notifications: %v", e.Err)
	}
}
