package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/audit"
)

type logOptions struct {
	app      *app
	since    string
	json     bool
	commands bool
}

func newCmdLog(a *app) *cobra.Command {
	opts := &logOptions{app: a}
	cmd := &cobra.Command{
		Use:   "log [--since 24h|TIME] [--service MG…] [--json] [--commands]",
		Short: "The audit log: every change senderpool made",
		Long: `Print the audit log, one line per change: when (UTC), the profile, the
service, the action (attach, detach, move, setting), the sender or setting,
the outcome with Twilio's error code, and the Twilio-Request-Id. A change
whose intent was written but no outcome (cut off by ctrl+c, a crash, or still
under way in another process) is marked NO-OUTCOME: it may or may not have
happened. --since takes a duration back from now (24h, 90m; 0 for all) or an
RFC 3339 time; --service keeps the changes of one service (a move counts for
both). --commands adds the equivalent twilio-cli command. --json prints the
entries themselves (intents and outcomes, each with its twilio-cli command).
The log is audit.jsonl in the state dir; with --demo, its demo subdirectory.
It reads no network.`,
		Example: `  senderpool log
  senderpool log --since 7d --service MG…
  senderpool log --since 2026-01-02T15:04:05Z --json | jq -r '.[].request_id'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			since, err := parseSince(opts.since, time.Now())
			if err != nil {
				return usagef(cmd, "--since: %v", err)
			}
			return runLog(cmd.Context(), opts, since)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.since, "since", "24h", "changes since this `duration` back (24h, 7d; 0 for all) or RFC 3339 time")
	f.BoolVar(&opts.json, "json", false, "print the entries as JSON, one a line (twilio-cli command included)")
	f.BoolVarP(&opts.commands, "commands", "v", false, "add each change's twilio-cli command")
	return cmd
}

// parseSince reads --since: a duration back from now (with d for days)
// or an RFC 3339 time. Zero means from the beginning.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("%q is neither a duration (24h, 90m, 7d) nor an RFC 3339 time (2026-01-02T15:04:05Z)", s)
	}
	if d == 0 {
		return time.Time{}, nil
	}
	return now.Add(-d), nil
}

// logDir is the state dir whose log the command reads.
func (a *app) logDir() (string, error) {
	dir, err := audit.DefaultDir(a.getenv)
	if err != nil {
		return "", &setupError{err: err}
	}
	if a.global.demo {
		dir = filepath.Join(dir, demoDir)
	}
	return dir, nil
}

func runLog(ctx context.Context, opts *logOptions, since time.Time) error {
	a := opts.app
	dir, err := a.logDir()
	if err != nil {
		return err
	}
	l, err := audit.Open(audit.Options{Dir: dir})
	if err != nil {
		return err
	}
	res, err := l.Read(ctx, audit.Filter{Since: since, Service: a.global.service})
	if err != nil {
		return fmt.Errorf("reading the audit log: %w", err)
	}
	for _, p := range res.Problems {
		printf(a.sys.Err, "senderpool: warning: %s: %s\n", l.Path(), p.String())
	}
	if res.Skipped > len(res.Problems) {
		printf(a.sys.Err, "senderpool: warning: %d lines of the audit log do not decode in all\n", res.Skipped)
	}
	if opts.json {
		return writeJSON(a.sys.Out, res.Entries)
	}
	changes := audit.Changes(res.Entries)
	header := []string{"TIME", "PROFILE", "SERVICE", "ACTION", "SENDER", "OUTCOME", "CODE", "REQUEST"}
	if opts.commands {
		header = append(header, "COMMAND")
	}
	t := newTable(a.sys.Out, header...)
	open := 0
	for _, c := range changes {
		row := logRow(c)
		if c.Interrupted() {
			open++
		}
		if opts.commands {
			row = append(row, c.Last().Command)
		}
		t.row(row...)
	}
	if err := t.flush(); err != nil {
		return err
	}
	if open > 0 {
		printf(a.sys.Err, "senderpool: %d change(s) have no outcome (NO-OUTCOME) or ended interrupted: they may or may not have happened; check with senderpool list or show\n", open)
	}
	return nil
}

// logRow is one change's cells. Every string is outside text (from the
// file, and before it from the network): the table cleans each cell.
func logRow(c audit.Change) []string {
	e := c.Last()
	when := e
	if c.Intent != nil {
		when = *c.Intent
	}
	profile := e.Profile
	if profile == "" {
		profile = "(env)"
	}
	action := string(e.Action)
	if e.Action == audit.ActionMove && e.To != nil {
		action = "move to " + serviceName(e.To.SID, e.To.Name)
	}
	what := ""
	switch {
	case e.Setting != nil:
		what = e.Setting.Name + "=" + e.Setting.Value
	case e.Sender != nil:
		what = e.Sender.Text
		if e.Sender.SID != "" {
			if what == "" {
				what = e.Sender.SID
			} else {
				what += " " + e.Sender.SID
			}
		}
		if e.Sender.Country != "" {
			what += " for " + e.Sender.Country
		}
	}
	outcome := string(e.Outcome)
	switch {
	case c.Outcome == nil:
		outcome = "NO-OUTCOME"
	case e.Outcome == audit.OutcomeInterrupted:
		outcome = "INTERRUPTED"
	case e.Outcome == audit.OutcomeFailed && e.Error != "":
		outcome = "failed: " + e.Error
	}
	code := ""
	if e.ErrorCode != 0 {
		code = strconv.Itoa(e.ErrorCode)
	} else if e.Status != 0 && e.Outcome != audit.OutcomeOK {
		code = "HTTP " + strconv.Itoa(e.Status)
	}
	return []string{
		when.Time.UTC().Format(time.RFC3339), profile, serviceName(e.Service.SID, e.Service.Name),
		action, what, outcome, code, e.RequestID,
	}
}
