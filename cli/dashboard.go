package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/text"
	"github.com/senderpool/senderpool/ui"
)

// dashboardOptions are the root command's own flags.
type dashboardOptions struct {
	app     *app
	refresh time.Duration
}

func runDashboard(ctx context.Context, opts *dashboardOptions) error {
	a := opts.app
	if opts.refresh < 0 || (opts.refresh > 0 && opts.refresh < time.Second) {
		return setupf("--refresh must be at least 1s (or 0 for off)")
	}
	if !isTerminal(a.sys.Out) || a.getenv("TERM") == "dumb" {
		return setupf("the dashboard needs a full terminal (stdout is not one, or TERM=dumb).\n" +
			"For scripts and plain terminals use the subcommands: senderpool services, senderpool list --service MG…, attach, detach")
	}
	uiOpts, closeConn, err := opts.uiOptions(ctx)
	if err != nil {
		return err
	}
	defer closeConn()
	guarded := ui.Guard(ui.New(uiOpts))
	p := tea.NewProgram(guarded)
	guarded.SetSend(p.Send)
	// A signal (SIGHUP when the SSH link drops) cancels ctx: quit the way q
	// does, so the terminal is restored and requests in flight are cancelled.
	stop := context.AfterFunc(ctx, p.Quit)
	defer stop()
	final, err := p.Run()
	if c := guarded.Crash(); c != nil {
		return crashed(c)
	}
	// The outcome of changes that were in flight at quit, now that the
	// terminal is the shell's again.
	if g, ok := final.(ui.Guarded); ok {
		if report := g.Model.QuitReport(); report != "" {
			fmt.Fprintln(a.sys.Err, text.Lines(report))
		}
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// uiOptions is what the dashboard opens on: connected when the set-up
// allows it, else its login screen saying why. closeConn ends the
// connection.
func (opts *dashboardOptions) uiOptions(ctx context.Context) (_ ui.Options, closeConn func(), _ error) {
	a := opts.app
	uiOpts := ui.Options{Context: ctx, ServiceSID: a.global.service, AutoRefresh: opts.refresh, Timeout: a.global.timeout}
	closeConn = func() {}
	conn, err := a.connect(ctx, nil)
	switch {
	case err == nil:
		closeConn = conn.close
		uiOpts.Client, uiOpts.Identity = conn.client, conn.identity
		if uiOpts.ServiceSID == "" {
			uiOpts.ServiceSID = conn.defaultService
		}
	case isSetup(err) && !a.global.demo:
		// No usable credentials: the dashboard opens on its login screen
		// and says why, instead of failing.
		uiOpts.LoginReason = err.Error()
		uiOpts.Identity = ui.Identity{Profile: a.global.profile, ReadOnly: a.global.readOnly}
	default:
		return ui.Options{}, nil, err
	}
	if !a.global.demo {
		mgr, err := a.openStore(nil)
		if err != nil {
			closeConn()
			return ui.Options{}, nil, err
		}
		uiOpts.Sessions = dashboardSessions{mgr: mgr, app: a}
		if err := mgr.Store().KeyringUnreachable(); err != nil {
			uiOpts.NoKeyring = err.Error()
		}
	}
	return uiOpts, closeConn, nil
}

// crashed prints a short report once the terminal is restored, and keeps
// the whole trace in a file for a bug report.
func crashed(c *ui.Crash) error {
	msg := c.Report() + "\nThe terminal was restored."
	if f, err := os.CreateTemp("", "senderpool-crash-*.txt"); err == nil {
		fmt.Fprintf(f, "senderpool %s\n%s\n\n%s", versionText(), c.Report(), c.Stack)
		f.Close()
		msg += " The full trace is in " + f.Name() + "."
	}
	msg += "\nPlease report it with the output of `senderpool version`, your terminal and $TERM."
	return errors.New(msg)
}
