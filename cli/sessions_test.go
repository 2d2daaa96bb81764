package cli

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/ui"
)

// dashboardFixture is the adapter the dashboard gets, on the login
// fixture's fake and config dir, with env as the environment.
func dashboardFixture(t *testing.T, f loginFixture, env map[string]string) dashboardSessions {
	t.Helper()
	a := testApp(System{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, LookupEnv: func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}})
	a.global.apiURL = f.Env["SENDERPOOL_API_URL"]
	a.global.timeout = time.Minute
	mgr, err := a.openStore(nil)
	if err != nil {
		t.Fatal(err)
	}
	return dashboardSessions{mgr: mgr, app: a}
}

// TestDashboardSwitch: a profile in the encrypted file opens with the
// passphrase the dashboard asked for, else SENDERPOOL_PASSPHRASE; with
// none, or a wrong one, the error says ui.ErrNeedPassphrase (and keeps the
// keystore's) so the dashboard can ask.
func TestDashboardSwitch(t *testing.T) {
	f := newLoginFixture(t)
	if code, _, errOut := runWithStdin(t, f.Env, canary+"-token\n", "login", "--profile", "vault", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"); code != exitOK {
		t.Fatal(errOut)
	}
	noPass := map[string]string{"SENDERPOOL_CONFIG_DIR": f.Dir}
	tests := []struct {
		name       string
		env        map[string]string
		passphrase string
		want       error // nil: connected
	}{
		{"the passphrase asked for", noPass, f.Env["SENDERPOOL_PASSPHRASE"], nil},
		{"SENDERPOOL_PASSPHRASE", f.Env, "", nil},
		{"the one asked for wins", map[string]string{"SENDERPOOL_CONFIG_DIR": f.Dir, "SENDERPOOL_PASSPHRASE": "wrong"}, f.Env["SENDERPOOL_PASSPHRASE"], nil},
		{"none", noPass, "", keystore.ErrNoPassphrase},
		{"a wrong one", noPass, "wrong", keystore.ErrWrongPassphrase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dashboardFixture(t, f, tt.env)
			before := f.Fake.TotalRequests()
			c, err := d.Switch(t.Context(), ui.SwitchRequest{Profile: "vault", Passphrase: tt.passphrase})
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Switch: %v", err)
				}
				if c.Identity.Profile != "vault" || c.Identity.Source != string(keystore.SourceFile) || c.Client == nil {
					t.Errorf("connected as %+v", c.Identity)
				}
				return
			}
			if !errors.Is(err, ui.ErrNeedPassphrase) || !errors.Is(err, tt.want) {
				t.Errorf("Switch = %v; want ui.ErrNeedPassphrase and %v", err, tt.want)
			}
			if f.Fake.TotalRequests() != before {
				t.Error("a request was sent")
			}
			checkNoCanary(t, f.Dir, err.Error())
		})
	}
}

// TestDashboardLogin: saving over a profile that exists is
// ui.ErrProfileExists, before any request, unless Overwrite.
func TestDashboardLogin(t *testing.T) {
	f := newLoginFixture(t)
	d := dashboardFixture(t, f, f.Env)
	req := ui.LoginRequest{Profile: "work", AccountSID: twiliotest.DemoAccountSID, Secret: canary + "-token", Storage: "file"}
	if _, err := d.Login(t.Context(), req); err != nil {
		t.Fatalf("first login: %v", err)
	}
	before := f.Fake.TotalRequests()
	_, err := d.Login(t.Context(), req)
	if !errors.Is(err, ui.ErrProfileExists) || f.Fake.TotalRequests() != before {
		t.Fatalf("second login = %v after %d requests; want ui.ErrProfileExists and none", err, f.Fake.TotalRequests()-before)
	}
	req.Overwrite = true
	c, err := d.Login(t.Context(), req)
	if err != nil || !strings.Contains(c.Where, "work.age") {
		t.Fatalf("login with Overwrite = %+v, %v", c, err)
	}
	// A new encrypted file with no passphrase given: the dashboard can ask.
	noPass := dashboardFixture(t, f, map[string]string{"SENDERPOOL_CONFIG_DIR": f.Dir})
	before = f.Fake.TotalRequests()
	_, err = noPass.Login(t.Context(), ui.LoginRequest{Profile: "other", AccountSID: twiliotest.DemoAccountSID, Secret: canary + "-token", Storage: "file"})
	if !errors.Is(err, ui.ErrNeedPassphrase) || f.Fake.TotalRequests() != before {
		t.Errorf("login without a passphrase = %v after %d requests", err, f.Fake.TotalRequests()-before)
	}
}

// TestDashboardOptions: the dashboard gets --refresh, --timeout and
// --service, and without credentials its login screen, saying why.
func TestDashboardOptions(t *testing.T) {
	options := func(t *testing.T, env map[string]string, args ...string) ui.Options {
		t.Helper()
		a := testApp(System{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, LookupEnv: func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		}})
		var got *dashboardOptions
		root := newCmdRoot(a, func(_ context.Context, o *dashboardOptions) error { got = o; return nil })
		root.SetArgs(args)
		if _, err := root.ExecuteContextC(t.Context()); err != nil || got == nil {
			t.Fatalf("%v: %v", args, err)
		}
		opts, closeConn, err := got.uiOptions(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(closeConn)
		return opts
	}
	opts := options(t, nil, "--demo", "--refresh", "90s", "--timeout", "5s", "--service", twiliotest.DemoServiceMarketing)
	if opts.AutoRefresh != 90*time.Second || opts.Timeout != 5*time.Second || opts.ServiceSID != twiliotest.DemoServiceMarketing || !opts.Identity.Demo || opts.Client == nil {
		t.Errorf("--demo --refresh 90s --timeout 5s --service: %+v", opts)
	}
	if opts.Sessions != nil {
		t.Error("the demo offers logins")
	}
	opts = options(t, map[string]string{"SENDERPOOL_CONFIG_DIR": t.TempDir()})
	if opts.Client != nil || !strings.Contains(opts.LoginReason, "no Twilio credentials") || opts.Sessions == nil || opts.AutoRefresh != 0 {
		t.Errorf("no credentials: %+v", opts)
	}
}
