package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/ui"
)

// connection is an API client and what the header should say about it.
type connection struct {
	client   *api.Client
	identity ui.Identity
	close    func()
}

// connect builds the client: on the embedded demo fake with --demo, else
// from the environment's credentials.
func connect(o options, env environ) (*connection, error) {
	if o.demo {
		return connectDemo(env)
	}
	creds, err := credentialsFromEnv(env)
	if err != nil {
		return nil, err
	}
	client, err := api.New(api.Config{
		Credentials: creds,
		Region:      o.region,
		Edge:        o.edge,
		BaseURL:     o.apiURL,
		UserAgent:   "senderpool/" + version,
	})
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	return &connection{
		client:   client,
		identity: ui.Identity{Source: "env", AccountSID: creds.AccountSID, Region: o.region},
		close:    func() {},
	}, nil
}

// credentialsFromEnv reads credentials the way twilio-cli does: an API key
// pair wins over an auth token.
func credentialsFromEnv(env environ) (api.Credentials, error) {
	c := api.Credentials{AccountSID: env.get("TWILIO_ACCOUNT_SID")}
	if key := env.get("TWILIO_API_KEY"); key != "" {
		c.APIKeySID, c.Secret = key, env.get("TWILIO_API_SECRET")
	} else {
		c.Secret = env.get("TWILIO_AUTH_TOKEN")
	}
	var missing []string
	if c.AccountSID == "" {
		missing = append(missing, "TWILIO_ACCOUNT_SID")
	}
	if c.Secret == "" {
		if c.APIKeySID != "" {
			missing = append(missing, "TWILIO_API_SECRET")
		} else {
			missing = append(missing, "TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)")
		}
	}
	if len(missing) > 0 {
		return c, usagef("no credentials: set %s, or try the demo with --demo", joinAnd(missing))
	}
	if err := c.Validate(); err != nil {
		return c, &usageError{msg: "credentials from the environment: " + err.Error()}
	}
	return c, nil
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return fmt.Sprintf("%s and %s", items[0], items[1])
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
	srv, err := twiliotest.Start(twiliotest.Demo(opts))
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
		identity: ui.Identity{Source: "demo", AccountSID: twiliotest.DemoAccountSID, Demo: true},
		close:    srv.Close,
	}, nil
}
