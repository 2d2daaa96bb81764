package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
	"github.com/senderpool/senderpool/ui"
)

// connection is an API client and what the header should say about it.
type connection struct {
	client         *api.Client
	identity       ui.Identity
	defaultService string
	close          func()
}

// connect builds the client: on the embedded demo fake with --demo, else
// from the profile in use, with TWILIO_* variables overriding it.
func connect(ctx context.Context, o options, env environ, io stdio) (*connection, error) {
	if o.demo {
		return connectDemo(env)
	}
	mgr, err := openStore(o, env, newPrompter(io))
	if err != nil {
		return nil, err
	}
	s, err := mgr.Open(ctx, o.profile)
	if err != nil {
		return nil, credentialsError(err)
	}
	return fromSession(s), nil
}

func fromSession(s *session.Session) *connection {
	return &connection{
		client: s.Client,
		identity: ui.Identity{
			Profile: s.Profile, Source: string(s.Source), AccountSID: s.AccountSID,
			Region: s.Region, ReadOnly: s.ReadOnly,
		},
		defaultService: s.DefaultService,
		close:          s.Client.Close,
	}
}

// service is --service, else the profile's default service.
func (c *connection) service(o options) (string, error) {
	if o.service != "" {
		return o.service, nil
	}
	if c.defaultService != "" {
		return c.defaultService, nil
	}
	return "", usagef("%s needs --service MG… (see: senderpool services; a profile can set a default service)", o.command)
}

// credentialsError marks set-up problems (no credentials, no keyring, a
// malformed SID or URL) as usage errors: exit code 2, not an API failure.
func credentialsError(err error) error {
	for _, setup := range []error{
		keystore.ErrNoCredentials, keystore.ErrNoKeyring, keystore.ErrSecretNotFound,
		keystore.ErrProfileNotFound, keystore.ErrIncompleteEnv, keystore.ErrInvalidProfileName,
		keystore.ErrNoPassphrase, keystore.ErrWrongPassphrase, keystore.ErrConfigCorrupt,
		api.ErrInvalidSID, api.ErrBaseURL, api.ErrNoSecret,
	} {
		if errors.Is(err, setup) {
			return &usageError{msg: err.Error()}
		}
	}
	return err
}

// connectDemo starts the fake on loopback with the demo data set; every
// run starts from the same fresh state.
func connectDemo(env environ) (*connection, error) {
	opts := twiliotest.DemoOptions{}
	if v := env.get("SENDERPOOL_DEMO_SENDERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, usagef("SENDERPOOL_DEMO_SENDERS=%q: want a number of senders", v)
		}
		opts.Senders = n
	}
	if v := env.get("SENDERPOOL_DEMO_LATENCY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, usagef("SENDERPOOL_DEMO_LATENCY=%q: want a duration such as 300ms", v)
		}
		opts.Latency = d
	}
	fake := twiliotest.Demo(opts)
	if v := env.get("SENDERPOOL_DEMO_FAULTS"); v != "" {
		faults, err := twiliotest.ParseFaults(v)
		if err != nil {
			return nil, usagef("SENDERPOOL_DEMO_FAULTS: %v", err)
		}
		for route, fs := range faults {
			for _, f := range fs {
				fake.AddFault(route, f)
			}
		}
	}
	srv, err := twiliotest.Start(fake)
	if err != nil {
		return nil, fmt.Errorf("start the demo server: %w", err)
	}
	client, err := api.New(api.Config{
		Credentials: api.Credentials{AccountSID: twiliotest.DemoAccountSID, Secret: twiliotest.DemoAuthToken},
		BaseURL:     srv.URL,
		UserAgent:   "senderpool/" + version,
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &connection{
		client:   client,
		identity: ui.Identity{AccountSID: twiliotest.DemoAccountSID, Demo: true},
		close: func() {
			client.Close()
			srv.Close()
		},
	}, nil
}
