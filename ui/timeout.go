package ui

import (
	"context"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// timedClient bounds every call by the dashboard's --timeout, so that a
// server that stops answering ends in an error the user can act on (r
// retries) rather than a spinner that never stops.
type timedClient struct {
	inner Client
	limit time.Duration
}

// bounded wraps c when limit is set.
func bounded(c Client, limit time.Duration) Client {
	if c == nil || limit <= 0 {
		return c
	}
	return timedClient{inner: c, limit: limit}
}

func (c timedClient) ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.ListServicesPages(ctx, fn) })
}

func (c timedClient) FetchService(ctx context.Context, serviceSID string) (*api.Service, error) {
	return within(ctx, c.limit, func(ctx context.Context) (*api.Service, error) { return c.inner.FetchService(ctx, serviceSID) })
}

func (c timedClient) ListSourcePages(ctx context.Context, serviceSID string, src api.PoolSource, fn func(page []api.PoolSender) error) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.ListSourcePages(ctx, serviceSID, src, fn) })
}

func (c timedClient) AttachPoolSender(ctx context.Context, serviceSID string, in api.SenderInput) (api.PoolSender, error) {
	return within(ctx, c.limit, func(ctx context.Context) (api.PoolSender, error) {
		return c.inner.AttachPoolSender(ctx, serviceSID, in)
	})
}

func (c timedClient) DetachPoolSender(ctx context.Context, serviceSID string, p api.PoolSender) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.DetachPoolSender(ctx, serviceSID, p) })
}

func (c timedClient) ListAccountSenders(ctx context.Context, channel string) ([]api.AccountSender, error) {
	return within(ctx, c.limit, func(ctx context.Context) ([]api.AccountSender, error) {
		return c.inner.ListAccountSenders(ctx, channel)
	})
}

func (c timedClient) ListIncomingPhoneNumbersPages(ctx context.Context, fn func(page []api.IncomingPhoneNumber) error) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.ListIncomingPhoneNumbersPages(ctx, fn) })
}

func (c timedClient) ListAccountShortCodesPages(ctx context.Context, fn func(page []api.AccountShortCode) error) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.ListAccountShortCodesPages(ctx, fn) })
}

func (c timedClient) UpdateService(ctx context.Context, serviceSID string, u api.ServiceUpdate) (*api.Service, error) {
	return within(ctx, c.limit, func(ctx context.Context) (*api.Service, error) { return c.inner.UpdateService(ctx, serviceSID, u) })
}

func (c timedClient) ServiceA2PCampaign(ctx context.Context, serviceSID string) (*api.A2PCampaign, error) {
	return within(ctx, c.limit, func(ctx context.Context) (*api.A2PCampaign, error) {
		return c.inner.ServiceA2PCampaign(ctx, serviceSID)
	})
}

func (c timedClient) ListAccountSendersPages(ctx context.Context, channel string, fn func(page []api.AccountSender) error) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.ListAccountSendersPages(ctx, channel, fn) })
}

// A move is bounded like one call: past the limit after its detach, the
// change client still attaches (or rolls back) on its own.
func (c timedClient) MovePoolSender(ctx context.Context, from, to string, p api.PoolSender) (api.PoolSender, error) {
	return within(ctx, c.limit, func(ctx context.Context) (api.PoolSender, error) { return c.inner.MovePoolSender(ctx, from, to, p) })
}

func (c timedClient) PendingMoves(ctx context.Context) (moves []journal.Move, notes []string, err error) {
	err = api.Within(ctx, c.limit, func(ctx context.Context) error {
		moves, notes, err = c.inner.PendingMoves(ctx)
		return err
	})
	return moves, notes, err
}

func (c timedClient) FinishMove(ctx context.Context, id string) (api.PoolSender, error) {
	return within(ctx, c.limit, func(ctx context.Context) (api.PoolSender, error) { return c.inner.FinishMove(ctx, id) })
}

func (c timedClient) RollBackMove(ctx context.Context, id string) (api.PoolSender, error) {
	return within(ctx, c.limit, func(ctx context.Context) (api.PoolSender, error) { return c.inner.RollBackMove(ctx, id) })
}

// A batch is not bounded as a whole: it may rightly take minutes, and
// esc stops it.
func (c timedClient) DetachMany(ctx context.Context, serviceSID string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[api.PoolSender] {
	return c.inner.DetachMany(ctx, serviceSID, senders, progress)
}

func (c timedClient) AttachMany(ctx context.Context, serviceSID string, inputs []api.SenderInput, progress func(bulk.Progress)) bulk.Report[changes.Attached] {
	return c.inner.AttachMany(ctx, serviceSID, inputs, progress)
}

func (c timedClient) MoveMany(ctx context.Context, from, to string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[changes.Moved] {
	return c.inner.MoveMany(ctx, from, to, senders, progress)
}

// within is api.Within for a call that returns a value.
func within[T any](ctx context.Context, limit time.Duration, call func(context.Context) (T, error)) (v T, err error) {
	err = api.Within(ctx, limit, func(ctx context.Context) error {
		v, err = call(ctx)
		return err
	})
	return v, err
}

// timedSessions bounds logging in, switching and listing profiles (a
// credential check is an API call) the same way.
type timedSessions struct {
	inner Sessions
	limit time.Duration
}

func boundedSessions(s Sessions, limit time.Duration) Sessions {
	if s == nil || limit <= 0 {
		return s
	}
	return timedSessions{inner: s, limit: limit}
}

func (s timedSessions) Login(ctx context.Context, req LoginRequest) (Connection, error) {
	return within(ctx, s.limit, func(ctx context.Context) (Connection, error) { return s.inner.Login(ctx, req) })
}

func (s timedSessions) Switch(ctx context.Context, req SwitchRequest) (Connection, error) {
	return within(ctx, s.limit, func(ctx context.Context) (Connection, error) { return s.inner.Switch(ctx, req) })
}

func (s timedSessions) Profiles(ctx context.Context) (list []ProfileEntry, err error) {
	err = api.Within(ctx, s.limit, func(ctx context.Context) error {
		list, err = s.inner.Profiles(ctx)
		return err
	})
	return list, err
}
