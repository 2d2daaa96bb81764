package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
		return a.crashed(c)
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
		uiOpts.Client, uiOpts.Identity = conn.changes(), conn.identity
		if conn.rec != nil && conn.rec.audit != nil {
			uiOpts.Audit = conn.rec.audit // L shows what the change client records
		}
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
// the whole trace for a bug report in a file of the user's own (0600, in a
// 0700 dir: crashDir), never in the shared temp dir.
func (a *app) crashed(c *ui.Crash) error {
	msg := c.Report() + "\nThe terminal was restored."
	if path, err := writeCrashReport(a.getenv, c); err == nil {
		msg += " The full trace is in " + path + "."
	} else {
		msg += " The full trace could not be saved: " + err.Error() + "."
	}
	msg += "\nPlease report it with the output of `senderpool version`, your terminal and $TERM."
	return errors.New(msg)
}

// writeCrashReport writes the version, the report and the stack to a new
// file in crashDir and returns its path.
func writeCrashReport(getenv func(string) string, c *ui.Crash) (string, error) {
	dir, err := crashDir(runtime.GOOS, getenv, os.UserCacheDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	// MkdirAll honours the umask and leaves an existing dir as it is.
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "senderpool-crash-"+time.Now().UTC().Format("20060102T150405Z")+"-*.txt") // 0600
	if err != nil {
		return "", err
	}
	_, err = fmt.Fprintf(f, "senderpool %s\n%s\n\n%s", versionText(), c.Report(), c.Stack)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// crashDir is where crash reports go: on Linux the XDG state dir
// ($XDG_STATE_HOME, an absolute path, else ~/.local/state), elsewhere the
// user's cache dir, each with a senderpool dir of its own.
func crashDir(goos string, getenv func(string) string, userCacheDir func() (string, error)) (string, error) {
	if goos != "linux" {
		base, err := userCacheDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "senderpool"), nil
	}
	if d := getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "senderpool"), nil
	}
	home := getenv("HOME")
	if !filepath.IsAbs(home) {
		return "", errors.New("neither $XDG_STATE_HOME nor $HOME is an absolute path")
	}
	return filepath.Join(home, ".local", "state", "senderpool"), nil
}
