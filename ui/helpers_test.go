package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// fakeClient is an in-memory Client for model tests. pageSize splits lists
// into pages; gate, when set, holds every page after the first until the
// test sends on it.
type fakeClient struct {
	mu       sync.Mutex
	services []api.Service
	senders  map[string][]api.ChannelSender
	pool     map[string][]api.PoolSender // the other sources' members, by service
	pageSize int
	gate     chan struct{}
	err      error // returned by every call when set
	calls    int

	catalogue    map[string][]api.AccountSender
	catalogueErr map[string]error
	numbers      []api.IncomingPhoneNumber
	shortCodes   []api.AccountShortCode
	campaigns    map[string]*api.A2PCampaign // by service SID
	pendingMoves []journal.Move
	opErr        error         // returned by attach, detach and updates when set
	opGate       chan struct{} // when set, each attach/detach waits for a value
}

func (f *fakeClient) waitOp(ctx context.Context) error {
	f.mu.Lock()
	gate := f.opGate
	f.mu.Unlock()
	if gate == nil {
		return nil
	}
	select {
	case <-gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *fakeClient) AttachPoolSender(ctx context.Context, svc string, in api.SenderInput) (api.PoolSender, error) {
	if err := f.waitOp(ctx); err != nil {
		return api.PoolSender{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.opErr != nil {
		return api.PoolSender{}, f.opErr
	}
	for _, ss := range f.catalogue {
		for _, c := range ss {
			if c.SID == in.SID {
				s := sender(in.SID, c.SenderID, "", "US")
				s.MessagingServiceSID = svc
				f.senders[svc] = append(f.senders[svc], s)
				return s.PoolSender(), nil
			}
		}
	}
	return api.PoolSender{}, &api.Error{Status: 404, Code: 20404, Message: "The requested resource was not found"}
}

func (f *fakeClient) DetachPoolSender(ctx context.Context, svc string, p api.PoolSender) error {
	return f.deleteChannelSender(ctx, svc, p.SID)
}

func (f *fakeClient) deleteChannelSender(ctx context.Context, svc, sid string) error {
	if err := f.waitOp(ctx); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.opErr != nil {
		return f.opErr
	}
	for i, s := range f.senders[svc] {
		if s.SID == sid {
			f.senders[svc] = append(f.senders[svc][:i:i], f.senders[svc][i+1:]...)
			return nil
		}
	}
	return &api.Error{Status: 404, Code: 20404, Message: "The requested resource was not found"}
}

func (f *fakeClient) ListAccountSenders(ctx context.Context, channel string) ([]api.AccountSender, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if err := f.catalogueErr[channel]; err != nil {
		return nil, err
	}
	return append([]api.AccountSender(nil), f.catalogue[channel]...), nil
}

func (f *fakeClient) ListServicesPages(ctx context.Context, fn func([]api.Service) error) error {
	f.mu.Lock()
	f.calls++
	err, items := f.err, append([]api.Service(nil), f.services...)
	f.mu.Unlock()
	if err != nil {
		return err
	}
	return pages(ctx, items, f.pageSize, nil, fn)
}

func (f *fakeClient) FetchService(ctx context.Context, sid string) (*api.Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	for _, s := range f.services {
		if s.SID == sid {
			return &s, nil
		}
	}
	return nil, &api.Error{Status: 404, Code: 20404, Message: "not found"}
}

// ListSourcePages serves the channel senders, and the other sources'
// members set in pool.
func (f *fakeClient) ListSourcePages(ctx context.Context, sid string, src api.PoolSource, fn func([]api.PoolSender) error) error {
	if src != api.SourceChannelSenders {
		f.mu.Lock()
		var items []api.PoolSender
		for _, p := range f.pool[sid] {
			if p.Source == src {
				items = append(items, p)
			}
		}
		f.mu.Unlock()
		return pages(ctx, items, f.pageSize, nil, fn)
	}
	f.mu.Lock()
	f.calls++
	err, gate := f.err, f.gate
	items := make([]api.PoolSender, 0, len(f.senders[sid]))
	for _, s := range f.senders[sid] {
		items = append(items, s.PoolSender())
	}
	f.mu.Unlock()
	if err != nil {
		return err
	}
	return pages(ctx, items, f.pageSize, gate, fn)
}

func (f *fakeClient) ListIncomingPhoneNumbersPages(ctx context.Context, fn func([]api.IncomingPhoneNumber) error) error {
	f.mu.Lock()
	f.calls++
	items := append([]api.IncomingPhoneNumber(nil), f.numbers...)
	f.mu.Unlock()
	return pages(ctx, items, f.pageSize, nil, fn)
}

func (f *fakeClient) ListAccountShortCodesPages(ctx context.Context, fn func([]api.AccountShortCode) error) error {
	f.mu.Lock()
	f.calls++
	items := append([]api.AccountShortCode(nil), f.shortCodes...)
	f.mu.Unlock()
	return pages(ctx, items, f.pageSize, nil, fn)
}

// UpdateService applies the booleans and the validity period of u.
func (f *fakeClient) UpdateService(ctx context.Context, sid string, u api.ServiceUpdate) (*api.Service, error) {
	if err := f.waitOp(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.opErr != nil {
		return nil, f.opErr
	}
	for i := range f.services {
		s := &f.services[i]
		if s.SID != sid {
			continue
		}
		for _, set := range []struct{ from, to **bool }{
			{&u.StickySender, &s.StickySender}, {&u.AreaCodeGeomatch, &s.AreaCodeGeomatch},
			{&u.SmartEncoding, &s.SmartEncoding}, {&u.MMSConverter, &s.MMSConverter},
			{&u.FallbackToLongCode, &s.FallbackToLongCode}, {&u.UseInboundWebhookOnNumber, &s.UseInboundWebhookOnNumber},
		} {
			if *set.from != nil {
				v := **set.from
				*set.to = &v
			}
		}
		if u.ValidityPeriod != nil {
			v := *u.ValidityPeriod
			s.ValidityPeriod = &v
		}
		out := *s
		return &out, nil
	}
	return nil, &api.Error{Status: 404, Code: 20404, Message: "not found"}
}

func (f *fakeClient) ServiceA2PCampaign(ctx context.Context, sid string) (*api.A2PCampaign, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.campaigns[sid], nil
}

func (f *fakeClient) ListAccountSendersPages(ctx context.Context, channel string, fn func([]api.AccountSender) error) error {
	list, err := f.ListAccountSenders(ctx, channel)
	if err != nil {
		return err
	}
	return pages(ctx, list, f.pageSize, nil, fn)
}

// MovePoolSender moves a channel sender from one service's list to the
// other's; an opErr fails it before anything moves.
func (f *fakeClient) MovePoolSender(ctx context.Context, from, to string, p api.PoolSender) (api.PoolSender, error) {
	if err := f.waitOp(ctx); err != nil {
		return api.PoolSender{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.opErr != nil {
		return api.PoolSender{}, f.opErr
	}
	for i, s := range f.senders[from] {
		if s.SID == p.SID {
			f.senders[from] = append(f.senders[from][:i:i], f.senders[from][i+1:]...)
			s.MessagingServiceSID = to
			f.senders[to] = append(f.senders[to], s)
			return s.PoolSender(), nil
		}
	}
	return api.PoolSender{}, &api.Error{Status: 404, Code: 20404, Message: "The requested resource was not found"}
}

func (f *fakeClient) PendingMoves(ctx context.Context) ([]journal.Move, []string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.pendingMoves), nil, nil
}

// FinishMove and RollBackMove end a pending move by forgetting it; the
// senders stay as they are.
func (f *fakeClient) FinishMove(ctx context.Context, id string) (api.PoolSender, error) {
	return f.endMove(id)
}

func (f *fakeClient) RollBackMove(ctx context.Context, id string) (api.PoolSender, error) {
	return f.endMove(id)
}

func (f *fakeClient) endMove(id string) (api.PoolSender, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	i := slices.IndexFunc(f.pendingMoves, func(m journal.Move) bool { return m.ID == id })
	if i < 0 {
		return api.PoolSender{}, journal.ErrUnknownMove
	}
	f.pendingMoves = slices.Delete(f.pendingMoves, i, i+1)
	return api.PoolSender{}, nil
}

func (f *fakeClient) DetachMany(ctx context.Context, svc string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[api.PoolSender] {
	return bulk.Run(ctx, senders, func(ctx context.Context, p api.PoolSender) error { return f.DetachPoolSender(ctx, svc, p) }, bulk.Options{}, progress)
}

func (f *fakeClient) AttachMany(ctx context.Context, svc string, inputs []api.SenderInput, progress func(bulk.Progress)) bulk.Report[changes.Attached] {
	items := make([]changes.Attached, len(inputs))
	for i, in := range inputs {
		items[i].Input = in
	}
	return bulk.Run(ctx, items, func(ctx context.Context, a changes.Attached) error {
		_, err := f.AttachPoolSender(ctx, svc, a.Input)
		return err
	}, bulk.Options{}, progress)
}

func (f *fakeClient) MoveMany(ctx context.Context, from, to string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[changes.Moved] {
	items := make([]changes.Moved, len(senders))
	for i, p := range senders {
		items[i].Sender = p
	}
	return bulk.Run(ctx, items, func(ctx context.Context, m changes.Moved) error {
		_, err := f.MovePoolSender(ctx, from, to, m.Sender)
		return err
	}, bulk.Options{}, progress)
}

func pages[T any](ctx context.Context, items []T, size int, gate chan struct{}, fn func([]T) error) error {
	if size <= 0 {
		size = 1000
	}
	for i := 0; i == 0 || i < len(items); i += size {
		if i > 0 && gate != nil {
			select {
			case <-gate:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := fn(items[i:min(i+size, len(items))]); err != nil {
			return err
		}
	}
	return nil
}

// testTime is a fixed instant so that screens are reproducible.
var testTime = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func sender(sid, s, typ, cc string) api.ChannelSender {
	t := testTime
	return api.ChannelSender{
		AccountSID: "AC" + strings.Repeat("a", 32), MessagingServiceSID: svcSID(1),
		SID: sid, Sender: s, SenderType: typ, CountryCode: cc,
		DateCreated: &t, DateUpdated: &t,
		URL: "https://messaging.twilio.com/v1/Services/" + svcSID(1) + "/ChannelSenders/" + sid,
	}
}

func xe(n int) string     { return fmt.Sprintf("XE%032x", n) }
func svcSID(n int) string { return fmt.Sprintf("MG%032x", n) }

func sampleSenders() []api.ChannelSender {
	return []api.ChannelSender{
		sender(xe(1), "whatsapp:+14155550100", "WhatsApp", "US"),
		sender(xe(2), "whatsapp:+447700900123", "whatsapp", "GB"),
		sender(xe(3), "messenger:104794531907950", "Messanger", "US"),
		sender(xe(4), "rcs:acme_support_agent", "RCS", "DE"),
		sender(xe(5), "rcs:acme_marketing_agent", "", "DE"),
		sender(xe(6), "messenger:204794531907951", "Messenger", "BR"),
	}
}

func sampleServices() []api.Service {
	t := testTime
	return []api.Service{
		{SID: svcSID(1), FriendlyName: "Acme Notifications", DateCreated: &t},
		{SID: svcSID(2), FriendlyName: "Acme Marketing", DateCreated: &t},
		{SID: svcSID(3), FriendlyName: "Sandbox (empty)", DateCreated: &t},
	}
}

func newFakeClient() *fakeClient {
	return &fakeClient{
		services: sampleServices(),
		senders:  map[string][]api.ChannelSender{svcSID(1): sampleSenders()},
		catalogue: map[string][]api.AccountSender{
			"whatsapp": {
				{SID: xe(1), SenderID: "whatsapp:+14155550100", Status: "ONLINE"}, // already attached
				{SID: xe(100), SenderID: "whatsapp:+15005550006", Status: "ONLINE"},
				{SID: xe(101), SenderID: "whatsapp:+4915112345678", Status: "OFFLINE"},
			},
			"rcs": {{SID: xe(102), SenderID: "rcs:acme_promo_agent", Status: "ONLINE"}},
		},
	}
}

// newTestModel builds a model of the given size with fixed time zone.
func newTestModel(t testing.TB, c Client, w, h int, opts ...func(*Options)) Model {
	t.Helper()
	o := Options{
		Client:   c,
		Context:  t.Context(),
		Identity: Identity{Source: "demo", AccountSID: "AC" + strings.Repeat("a", 32), Demo: true},
		Location: time.UTC,
	}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	return update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
}

// update feeds one message and runs every command it returns to
// completion (batches included), feeding their messages back in. Spinner
// ticks and terminal queries are dropped: they only animate.
func update(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	next, cmd := m.Update(msg)
	m = next.(Model)
	return run(t, m, cmd)
}

func run(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil, spinner.TickMsg:
		return m
	case tea.BatchMsg:
		for _, c := range msg {
			m = run(t, m, c)
		}
		return m
	case tea.QuitMsg:
		return m
	}
	if fmt.Sprintf("%T", msg) == "tea.backgroundColorMsg" {
		return m
	}
	return update(t, m, msg)
}

// flatten runs cmd and the commands of any batches it returns, and
// returns the resulting messages without feeding them to a model.
func flatten(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for _, c := range batch {
		out = append(out, flatten(c)...)
	}
	return out
}

func start(t testing.TB, m Model) Model {
	t.Helper()
	return update(t, m, startMsg{})
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		m = update(t, m, keyPress(k))
	}
	return m
}

// rendered is the view without colours.
func rendered(m Model) string { return ansi.Strip(m.View().Content) }

// checkWidth fails when a rendered line is wider than the terminal.
func checkWidth(t *testing.T, m Model) {
	t.Helper()
	for i, l := range strings.Split(m.View().Content, "\n") {
		if w := ansi.StringWidth(l); w > m.c.width {
			t.Fatalf("line %d is %d cells wide, terminal is %d: %q", i, w, m.c.width, ansi.Strip(l))
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func lipWidth(s string) int { return ansi.StringWidth(s) }
