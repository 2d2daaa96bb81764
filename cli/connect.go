package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/senderpool/senderpool/change"

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

	// rec is where this connection's changes are recorded; nil for a
	// session opened without the app (the dashboard's profile switch),
	// which records in the process's default places.
	rec *record
	// change is built once by changes(): it learns service names.
	change *change.Client
	// concurrency is --concurrency: a batch's requests in flight.
	concurrency int
}

// changes is the client through which the pool is changed, by the
// dashboard and the commands alike: audited, journaled, batched.
func (c *connection) changes() *change.Client {
	if c.change != nil {
		return c.change
	}
	rec := c.rec
	if rec == nil {
		rec = defaultRecord(nil, "")
	}
	c.change = change.New(c.client, change.Options{
		Audit:       rec.audit,
		AuditErr:    rec.auditErr, // the dashboard too refuses a change it cannot record
		Journal:     rec.journal,
		Profile:     c.identity.Profile,
		Account:     c.identity.AccountSID,
		Concurrency: c.concurrency,
	})
	return c.change
}

// connect builds the client: on the embedded demo fake with --demo, else
// from the profile in use, with TWILIO_* variables overriding it. ask, when
// set, may prompt for a passphrase.
func (a *app) connect(ctx context.Context, ask *prompter) (*connection, error) {
	conn, err := a.connectClient(ctx, ask)
	if err != nil {
		return nil, err
	}
	conn.concurrency = a.global.concurrency
	return conn, nil
}

func (a *app) connectClient(ctx context.Context, ask *prompter) (*connection, error) {
	if a.global.demo {
		return a.connectDemo()
	}
	mgr, err := a.openStore(ask)
	if err != nil {
		return nil, err
	}
	s, err := mgr.Open(ctx, a.global.profile)
	if err != nil {
		return nil, err
	}
	conn := fromSession(s)
	conn.rec = defaultRecord(a.getenv, mgr.Store().Dir())
	return conn, nil
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
func (c *connection) service(a *app, command string) (string, error) {
	if a.global.service != "" {
		return a.global.service, nil
	}
	if c.defaultService != "" {
		return c.defaultService, nil
	}
	return "", setupf("%s needs --service MG… (see: senderpool services; a profile can set a default service)", command)
}

// connectDemo starts the fake on loopback with the demo data set; every
// run starts from the same fresh state.
func (a *app) connectDemo() (*connection, error) {
	opts := twiliotest.DemoOptions{}
	for _, n := range []struct {
		env  string
		into *int
	}{
		{"SENDERPOOL_DEMO_SENDERS", &opts.Senders},
		{"SENDERPOOL_DEMO_NUMBERS", &opts.Numbers},
		{"SENDERPOOL_DEMO_SHORT_CODES", &opts.ShortCodes},
	} {
		if v := a.getenv(n.env); v != "" {
			count, err := strconv.Atoi(v)
			if err != nil || count < 0 {
				return nil, setupf("%s=%q: want a number", n.env, v)
			}
			*n.into = count
		}
	}
	if v := a.getenv("SENDERPOOL_DEMO_LATENCY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, setupf("SENDERPOOL_DEMO_LATENCY=%q: want a duration such as 300ms", v)
		}
		opts.Latency = d
	}
	if v := a.getenv("SENDERPOOL_DEMO_CONCURRENCY"); v != "" {
		limit, err := twiliotest.ParseConcurrency(v)
		if err != nil {
			return nil, setupf("SENDERPOOL_DEMO_CONCURRENCY: %w", err)
		}
		opts.Concurrency = limit
	}
	fake := twiliotest.Demo(opts)
	if v := a.getenv("SENDERPOOL_DEMO_FAULTS"); v != "" {
		faults, err := twiliotest.ParseFaults(v)
		if err != nil {
			return nil, setupf("SENDERPOOL_DEMO_FAULTS: %w", err)
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
		UserAgent:   userAgent(),
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &connection{
		client:   client,
		identity: ui.Identity{AccountSID: twiliotest.DemoAccountSID, Demo: true},
		rec:      demoRecord(a.getenv),
		close: func() {
			client.Close()
			srv.Close()
		},
	}, nil
}

// openStore builds the keystore and the session manager for this run;
// with ask nil, nothing is ever asked on the terminal.
func (a *app) openStore(ask *prompter) (*session.Manager, error) {
	store, err := keystore.Open(keystore.Options{
		Getenv:           a.getenv,
		Passphrase:       session.Passphrase(ask.passphrase(a)),
		ScryptWorkFactor: a.scrypt,
	})
	if err != nil {
		return nil, err
	}
	return session.NewManager(store, session.Settings{
		Region: a.global.region, Edge: a.global.edge, APIURL: a.global.apiURL, ReadOnly: a.global.readOnly,
		UserAgent: userAgent(),
	}), nil
}

// within runs a command's API work bounded by --timeout (see api.Within).
func (a *app) within(ctx context.Context, fn func(ctx context.Context) error) error {
	return api.Within(ctx, a.global.timeout, fn)
}

// connected runs a command's API work, connected and bounded by --timeout;
// with needService, on the service to use (else "").
func (a *app) connected(ctx context.Context, command string, needService bool, work func(ctx context.Context, conn *connection, service string) error) error {
	conn, service, err := a.connectTo(ctx, command, needService, newPrompter(a.sys))
	if err != nil {
		return err
	}
	defer conn.close()
	return a.within(ctx, func(ctx context.Context) error { return work(ctx, conn, service) })
}

// connectTo connects and picks the service when the command needs one.
func (a *app) connectTo(ctx context.Context, command string, needService bool, ask *prompter) (*connection, string, error) {
	conn, err := a.connect(ctx, ask)
	if err != nil {
		return nil, "", err
	}
	service := a.global.service
	if needService {
		if service, err = conn.service(a, command); err != nil {
			conn.close()
			return nil, "", err
		}
	}
	a.checkPending(ctx, conn, command, ask)
	return conn, service, nil
}

// writable refuses a change on a read-only connection: --read-only, or a
// profile saved read-only.
func (c *connection) writable(command string) error {
	if c.identity.ReadOnly {
		return setupf("%s refused: profile %q is read-only (nothing was changed)", command, c.identity.Profile)
	}
	return nil
}

// refuseDemo refuses --demo for the commands that work on stored
// profiles: the demo has none, and must touch no keyring.
func (a *app) refuseDemo(command string) error {
	if a.global.demo {
		return setupf("%s works on the stored profiles; the demo (--demo) has none", command)
	}
	return nil
}
