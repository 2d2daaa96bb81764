package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
	"github.com/senderpool/senderpool/ui"
)

func runDashboard(ctx context.Context, o options, env environ, io stdio) error {
	if !isTerminal(io.out) || env.get("TERM") == "dumb" {
		return usagef("the dashboard needs a full terminal (stdout is not one, or TERM=dumb).\n" +
			"For scripts and plain terminals use the subcommands: senderpool services, senderpool list --service MG…, attach, detach")
	}
	opts := ui.Options{Context: ctx, ServiceSID: o.service, AutoRefresh: o.refresh, Timeout: o.timeout}
	conn, err := connect(ctx, o, env, io)
	var ue *usageError
	switch {
	case err == nil:
		defer conn.close()
		opts.Client, opts.Identity = conn.client, conn.identity
		if opts.ServiceSID == "" {
			opts.ServiceSID = conn.defaultService
		}
	case errors.As(err, &ue) && !o.demo:
		// No usable credentials: the dashboard opens on its login screen
		// and says why, instead of failing.
		opts.LoginReason = err.Error()
		opts.Identity = ui.Identity{Profile: o.profile, ReadOnly: o.readOnly}
	default:
		return err
	}
	if !o.demo {
		mgr, err := openStore(o, env, nil)
		if err != nil {
			return err
		}
		opts.Sessions = dashboardSessions{mgr: mgr, o: o}
		if err := mgr.Store().KeyringUnreachable(); err != nil {
			opts.NoKeyring = err.Error()
		}
	}
	guarded := ui.Guard(ui.New(opts))
	p := tea.NewProgram(guarded)
	guarded.SetSend(p.Send)
	// A signal (SIGHUP when the SSH link drops) cancels ctx: quit the way q
	// does, so the terminal is restored and requests in flight are cancelled.
	stop := context.AfterFunc(ctx, p.Quit)
	defer stop()
	_, err = p.Run()
	if c := guarded.Crash(); c != nil {
		return crashed(c, io)
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// crashed prints a short report once the terminal is restored, and keeps
// the whole trace in a file for a bug report.
func crashed(c *ui.Crash, io stdio) error {
	msg := c.Report() + "\nThe terminal was restored."
	if f, err := os.CreateTemp("", "senderpool-crash-*.txt"); err == nil {
		fmt.Fprintf(f, "senderpool %s\n%s\n\n%s", version, c.Report(), c.Stack)
		f.Close()
		msg += " The full trace is in " + f.Name() + "."
	}
	msg += "\nPlease report it with the output of `senderpool version`, your terminal and $TERM."
	return errors.New(msg)
}

// timed runs fn bounded by --timeout (see api.Within).
func timed(ctx context.Context, o options, fn func(ctx context.Context) error) error {
	return api.Within(ctx, o.timeout, fn)
}

// connectTo connects and picks the service (--service, else the
// profile's default) when the subcommand needs one.
func connectTo(ctx context.Context, o options, env environ, io stdio, needService bool) (*connection, string, error) {
	conn, err := connect(ctx, o, env, io)
	if err != nil {
		return nil, "", err
	}
	service := o.service
	if needService {
		if service, err = conn.service(o); err != nil {
			conn.close()
			return nil, "", err
		}
	}
	return conn, service, nil
}

// withConnection runs a subcommand's API work, connected and bounded by
// --timeout.
func withConnection(ctx context.Context, o options, env environ, io stdio, needService bool, work func(ctx context.Context, conn *connection, service string) error) error {
	conn, service, err := connectTo(ctx, o, env, io, needService)
	if err != nil {
		return err
	}
	defer conn.close()
	return timed(ctx, o, func(ctx context.Context) error { return work(ctx, conn, service) })
}

func runServices(ctx context.Context, o options, env environ, io stdio) error {
	if len(o.args) > 0 {
		return usagef("services takes no arguments")
	}
	return withConnection(ctx, o, env, io, false, func(ctx context.Context, conn *connection, _ string) error {
		if o.jsonOut {
			raw, err := conn.client.ListServicesJSON(ctx)
			if err != nil {
				return err
			}
			return writeJSON(io.out, raw)
		}
		services, err := conn.client.ListServices(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SID\tFRIENDLY NAME\tCREATED")
		for _, s := range services {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", text.Clean(s.SID), text.Clean(s.FriendlyName), dateOrDash(s.DateCreated))
		}
		return tw.Flush()
	})
}

func runList(ctx context.Context, o options, env environ, io stdio) error {
	if len(o.args) > 0 {
		return usagef("list takes no arguments besides --service")
	}
	return withConnection(ctx, o, env, io, true, func(ctx context.Context, conn *connection, service string) error {
		if o.jsonOut {
			raw, err := conn.client.ListChannelSendersJSON(ctx, service)
			if err != nil {
				return err
			}
			return writeJSON(io.out, raw)
		}
		var awaitStatuses func(listErr error) (map[string]string, error)
		if o.status {
			awaitStatuses = startSenderStatuses(ctx, conn.client)
		}
		senders, err := conn.client.ListChannelSenders(ctx, service)
		var statuses map[string]string
		if awaitStatuses != nil {
			statuses, err = awaitStatuses(err)
		}
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
		header := "SID\tTYPE\tSENDER\tCOUNTRY\tCREATED"
		if o.status {
			header += "\tSTATUS"
		}
		fmt.Fprintln(tw, header)
		for _, s := range api.SortSenders(senders) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s", text.Clean(s.SID), text.Clean(api.SenderKind(s)), text.Clean(s.Sender), text.Clean(s.CountryCode), dateOrDash(s.DateCreated))
			if o.status {
				fmt.Fprintf(tw, "\t%s", text.Clean(orDash(statuses[s.SID])))
			}
			fmt.Fprintln(tw)
		}
		return tw.Flush()
	})
}

// writeJSON prints items as a JSON array of objects with the API's field
// names, one object per line (easy for jq and grep); an empty list prints [].
func writeJSON[T any](w io.Writer, items []T) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[")
	var line bytes.Buffer
	for i, it := range items {
		b, err := apiJSON(it)
		if err != nil {
			return err
		}
		line.Reset()
		if err := json.Compact(&line, b); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		bw.Write(line.Bytes())
	}
	if len(items) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// writeJSONValue prints one API object as indented JSON.
func writeJSONValue(w io.Writer, v any) error {
	b, err := apiJSON(v)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = out.WriteTo(w)
	return err
}

// apiJSON encodes v as the API sent it, when v knows that (api types keep
// the wire's nulls and unknown fields).
func apiJSON(v any) ([]byte, error) {
	if w, ok := v.(interface{ WireJSON() ([]byte, error) }); ok {
		return w.WireJSON()
	}
	return json.Marshal(v)
}

// startSenderStatuses asks for the senders' statuses in the background,
// beside the list, which is another API. The function it returns waits
// for them; given the list's error, it stops them and returns that error.
func startSenderStatuses(ctx context.Context, client *api.Client) func(listErr error) (map[string]string, error) {
	ctx, stop := context.WithCancel(ctx)
	type reply struct {
		statuses map[string]string
		err      error
	}
	done := make(chan reply, 1)
	go func() {
		s, err := senderStatuses(ctx, client)
		done <- reply{s, err}
	}()
	return func(listErr error) (map[string]string, error) {
		defer stop()
		if listErr != nil {
			stop()
			<-done
			return nil, listErr
		}
		r := <-done
		return r.statuses, r.err
	}
}

// senderStatuses asks the Senders API for the status of the account's
// WhatsApp and RCS senders, by SID (Messenger senders have none there).
func senderStatuses(ctx context.Context, client *api.Client) (map[string]string, error) {
	statuses := map[string]string{}
	for _, channel := range api.SenderChannels() {
		senders, err := client.ListAccountSenders(ctx, channel)
		if err != nil {
			return nil, fmt.Errorf("--status: %w", err)
		}
		for _, s := range senders {
			statuses[s.SID] = s.Status
		}
	}
	return statuses, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func dateOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
