package main

import (
	"context"

	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
	"github.com/senderpool/senderpool/ui"
)

// dashboardSessions lets the dashboard log in and switch profiles. Its
// keystore never prompts: the dashboard owns the terminal, so a file
// store's passphrase comes from the login form or SENDERPOOL_PASSPHRASE.
type dashboardSessions struct {
	mgr *session.Manager
	o   options // region, edge and API URL given on the command line are saved with a new profile
}

func (d dashboardSessions) Login(ctx context.Context, r ui.LoginRequest) (ui.Connection, error) {
	storage, err := keystore.ParseStorage(r.Storage)
	if err != nil {
		return ui.Connection{}, err
	}
	s, where, err := d.mgr.Save(ctx, session.Login{
		Profile: keystore.Profile{
			Name: r.Profile, AccountSID: r.AccountSID, APIKeySID: r.APIKeySID, Storage: storage,
			Region: d.o.region, Edge: d.o.edge, APIURL: d.o.apiURL, ReadOnly: d.o.readOnly,
		},
		Secret:     r.Secret,
		Passphrase: r.Passphrase,
	})
	if err != nil {
		return ui.Connection{}, err
	}
	c := uiConnection(s)
	c.Where = where
	return c, nil
}

func (d dashboardSessions) Switch(ctx context.Context, req ui.SwitchRequest) (ui.Connection, error) {
	s, err := d.mgr.Open(ctx, req.Profile)
	if err != nil {
		return ui.Connection{}, err
	}
	return uiConnection(s), nil
}

func (d dashboardSessions) Profiles(ctx context.Context) ([]ui.ProfileEntry, error) {
	list, err := d.mgr.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ui.ProfileEntry, 0, len(list))
	for _, s := range list {
		e := ui.ProfileEntry{Name: s.Profile.Name, AccountSID: s.Profile.AccountSID, Auth: "auth token", Storage: string(s.Profile.Storage), Default: s.Default}
		if s.Profile.APIKeySID != "" {
			e.Auth = "API key"
		}
		if s.Reachable != nil {
			e.Problem = s.Reachable.Error()
		}
		out = append(out, e)
	}
	return out, nil
}

func uiConnection(s *session.Session) ui.Connection {
	c := fromSession(s)
	return ui.Connection{Client: c.client, Identity: c.identity, DefaultService: c.defaultService}
}
