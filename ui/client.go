package ui

import (
	"context"

	"github.com/senderpool/senderpool/api"
)

// Client is the part of *api.Client the dashboard uses.
type Client interface {
	ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error
	FetchService(ctx context.Context, serviceSID string) (*api.Service, error)
	ListChannelSendersPages(ctx context.Context, serviceSID string, fn func(page []api.ChannelSender) error) error
	CreateChannelSender(ctx context.Context, serviceSID, senderSID string) (*api.ChannelSender, error)
	DeleteChannelSender(ctx context.Context, serviceSID, senderSID string) error
	ListAccountSenders(ctx context.Context, channel string) ([]api.AccountSender, error)
}
