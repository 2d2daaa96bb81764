package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
	"github.com/senderpool/senderpool/ui"
)

// dashboardSessions lets the dashboard log in and switch profiles. Its
// keystore never prompts: the dashboard owns the terminal, so a file
// store's passphrase comes from the dashboard (the request) or
// SENDERPOOL_PASSPHRASE, and when neither opens the file the error says
// ui.ErrNeedPassphrase so the dashboard can ask for it, masked.
type dashboardSessions struct {
	mgr *session.Manager
	app *app // region, edge, API URL and --read-only given on the command line are saved with a new profile
}

func (d dashboardSessions) Login(ctx context.Context, r ui.LoginRequest) (ui.Connection, error) {
	storage, err := keystore.ParseStorage(r.Storage)
	if err != nil {
		return ui.Connection{}, err
	}
	g := d.app.global
	s, where, err := d.mgr.Save(ctx, session.Login{
		Profile: keystore.Profile{
			Name: r.Profile, AccountSID: r.AccountSID, APIKeySID: r.APIKeySID, Storage: storage,
			Region: g.region, Edge: g.edge, APIURL: g.apiURL, ReadOnly: g.readOnly,
		},
		Secret:     r.Secret,
		Passphrase: r.Passphrase,
		Overwrite:  r.Overwrite,
	})
	if err != nil {
		return ui.Connection{}, dashboardError(err)
	}
	c := d.connection(s)
	c.Where = where
	return c, nil
}

func (d dashboardSessions) Switch(ctx context.Context, req ui.SwitchRequest) (ui.Connection, error) {
	if req.Passphrase != "" {
		ctx = session.WithPassphrase(ctx, req.Passphrase)
	}
	s, err := d.mgr.Open(ctx, req.Profile)
	if err != nil {
		return ui.Connection{}, dashboardError(err)
	}
	return d.connection(s), nil
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

// dashboardError adds the dashboard's own sentinels to what it can ask
// the person about: a profile that would be replaced, a passphrase that is
// missing or wrong. The session's error stays in the chain.
func dashboardError(err error) error {
	switch {
	case errors.Is(err, session.ErrProfileExists):
		return fmt.Errorf("%w: %w", ui.ErrProfileExists, err)
	case errors.Is(err, keystore.ErrNoPassphrase), errors.Is(err, keystore.ErrWrongPassphrase):
		return fmt.Errorf("%w: %w", ui.ErrNeedPassphrase, err)
	}
	return err
}

// connection is a session the dashboard opened (a login, a switch),
// recording its changes where the app's commands do.
func (d dashboardSessions) connection(s *session.Session) ui.Connection {
	c := fromSession(s)
	c.rec = defaultRecord(d.app.getenv, d.mgr.Store().Dir())
	c.concurrency = d.app.global.concurrency
	return ui.Connection{Client: c.changes(), Identity: c.identity, DefaultService: c.defaultService}
}
