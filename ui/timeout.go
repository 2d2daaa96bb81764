package ui

import (
	"context"
	"time"

	"github.com/senderpool/senderpool/api"
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

func (c timedClient) FetchService(ctx context.Context, serviceSID string) (svc *api.Service, err error) {
	err = api.Within(ctx, c.limit, func(ctx context.Context) error {
		svc, err = c.inner.FetchService(ctx, serviceSID)
		return err
	})
	return svc, err
}

func (c timedClient) ListSourcePages(ctx context.Context, serviceSID string, src api.PoolSource, fn func(page []api.PoolSender) error) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.ListSourcePages(ctx, serviceSID, src, fn) })
}

func (c timedClient) AttachPoolSender(ctx context.Context, serviceSID string, in api.SenderInput) (p api.PoolSender, err error) {
	err = api.Within(ctx, c.limit, func(ctx context.Context) error {
		p, err = c.inner.AttachPoolSender(ctx, serviceSID, in)
		return err
	})
	return p, err
}

func (c timedClient) DetachPoolSender(ctx context.Context, serviceSID string, p api.PoolSender) error {
	return api.Within(ctx, c.limit, func(ctx context.Context) error { return c.inner.DetachPoolSender(ctx, serviceSID, p) })
}

func (c timedClient) ListAccountSenders(ctx context.Context, channel string) (list []api.AccountSender, err error) {
	err = api.Within(ctx, c.limit, func(ctx context.Context) error {
		list, err = c.inner.ListAccountSenders(ctx, channel)
		return err
	})
	return list, err
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

func (s timedSessions) Login(ctx context.Context, req LoginRequest) (conn Connection, err error) {
	err = api.Within(ctx, s.limit, func(ctx context.Context) error {
		conn, err = s.inner.Login(ctx, req)
		return err
	})
	return conn, err
}

func (s timedSessions) Switch(ctx context.Context, req SwitchRequest) (conn Connection, err error) {
	err = api.Within(ctx, s.limit, func(ctx context.Context) error {
		conn, err = s.inner.Switch(ctx, req)
		return err
	})
	return conn, err
}

func (s timedSessions) Profiles(ctx context.Context) (list []ProfileEntry, err error) {
	err = api.Within(ctx, s.limit, func(ctx context.Context) error {
		list, err = s.inner.Profiles(ctx)
		return err
	})
	return list, err
}
