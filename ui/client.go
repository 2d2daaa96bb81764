package ui

import (
	"context"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// Client is the part of *api.Client the dashboard uses.
type Client interface {
	ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error
	FetchService(ctx context.Context, serviceSID string) (*api.Service, error)
	// ListSourcePages lists one source of a service's pool (channel
	// senders, phone numbers, short codes, alpha senders…), page by page.
	ListSourcePages(ctx context.Context, serviceSID string, src api.PoolSource, fn func(page []api.PoolSender) error) error
	AttachPoolSender(ctx context.Context, serviceSID string, in api.SenderInput) (api.PoolSender, error)
	DetachPoolSender(ctx context.Context, serviceSID string, p api.PoolSender) error
	ListAccountSenders(ctx context.Context, channel string) ([]api.AccountSender, error)
	// The account's phone numbers and short codes (2010 API), for the
	// attach picker.
	ListIncomingPhoneNumbersPages(ctx context.Context, fn func(page []api.IncomingPhoneNumber) error) error
	ListAccountShortCodesPages(ctx context.Context, fn func(page []api.AccountShortCode) error) error
	// The service panel: settings and the US A2P campaign (nil: none).
	UpdateService(ctx context.Context, serviceSID string, u api.ServiceUpdate) (*api.Service, error)
	ServiceA2PCampaign(ctx context.Context, serviceSID string) (*api.A2PCampaign, error)
	// The account-wide index reads these (index.Lister).
	ListAccountSendersPages(ctx context.Context, channel string, fn func(page []api.AccountSender) error) error

	// Moves (a detach and an attach, journaled; see change.Client) and
	// batches (bounded, with one backoff shared by the batch).
	MovePoolSender(ctx context.Context, from, to string, p api.PoolSender) (api.PoolSender, error)
	PendingMoves(ctx context.Context) ([]journal.Move, []string, error)
	FinishMove(ctx context.Context, id string) (api.PoolSender, error)
	RollBackMove(ctx context.Context, id string) (api.PoolSender, error)
	DetachMany(ctx context.Context, serviceSID string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[api.PoolSender]
	AttachMany(ctx context.Context, serviceSID string, inputs []api.SenderInput, progress func(bulk.Progress)) bulk.Report[changes.Attached]
	MoveMany(ctx context.Context, from, to string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[changes.Moved]
}
