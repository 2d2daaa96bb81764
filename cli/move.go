package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/change"
)

type moveOptions struct {
	app                      *app
	from, to                 string
	targets                  []target
	fromStdin                bool
	yes, json                bool
	resume, finish, rollBack bool
}

func newCmdMove(a *app) *cobra.Command {
	opts := &moveOptions{app: a}
	cmd := &cobra.Command{
		Use:   "move --from MG… --to MG… SENDER… | - | --resume [--finish|--roll-back]",
		Short: "Move senders from one service to another (asks first)",
		Long: `Move senders from one Messaging Service's pool to another's. Twilio has no
move: each is a detach from --from, then an attach to --to, and when the
attach fails, a re-attach to --from. Every step is written to the journal
of moves before its request, and every change to the audit log.

SENDER is as for detach (a SID, a number, short code digits or a channel
address, found in --from's pool), or - to read them one a line from stdin
(blank lines and # comments skipped; - needs --yes). On a terminal it says
what moves from which service to which and asks once; elsewhere it needs
--yes. Each sender gets a line saying where it ended: moved, rolled back
into --from, or in no service (the move is then pending); exit 1 when any
did not move.

A move cut off half-way (ctrl+c, a lost connection, a crash) is pending:
every command names it, and those that change things offer, on a
terminal, to finish it or roll it back. move --resume handles them: on a
terminal it asks for each; --finish or --roll-back handle every one (with
--yes off a terminal). Each looks at both services before it acts.`,
		Example: `  senderpool move --from MG… --to MG… +14155550100 whatsapp:+14155550100
  senderpool move --from MG… --to MG… --yes - < numbers.txt
  senderpool move --resume
  senderpool move --resume --finish --yes`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := writeRefused(cmd, a); err != nil {
				return err
			}
			if opts.resume {
				return opts.runResume(cmd, args)
			}
			switch {
			case opts.finish || opts.rollBack:
				return usagef(cmd, "--finish and --roll-back go with --resume")
			case opts.from == "" || opts.to == "":
				return usagef(cmd, "move needs --from MG… and --to MG… (see: senderpool services)")
			case opts.from == opts.to:
				return usagef(cmd, "--from and --to are the same service")
			}
			for _, f := range []struct{ flag, sid string }{{"--from", opts.from}, {"--to", opts.to}} {
				if err := api.ValidateServiceSID(f.sid); err != nil {
					return &setupError{err: fmt.Errorf("%s: %w", f.flag, err), help: cmd.CommandPath()}
				}
			}
			if len(args) == 0 {
				return usagef(cmd, "move takes one or more SENDERs, or - to read them from stdin")
			}
			ts, fromStdin, err := readTargets(cmd, a.sys.In, args, true)
			if err != nil {
				return err
			}
			opts.targets, opts.fromStdin = ts, fromStdin
			return runMove(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.from, "from", "", "the service (MG… `SID`) the senders leave")
	f.StringVar(&opts.to, "to", "", "the service (MG… `SID`) the senders join")
	f.BoolVar(&opts.yes, "yes", false, "move without asking (needed when not on a terminal)")
	f.BoolVar(&opts.json, "json", false, "print a JSON array, one object a line per sender (see the README)")
	f.BoolVar(&opts.resume, "resume", false, "handle the moves cut off half-way")
	f.BoolVar(&opts.finish, "finish", false, "with --resume: finish every pending move")
	f.BoolVar(&opts.rollBack, "roll-back", false, "with --resume: roll every pending move back")
	return cmd
}

func runMove(ctx context.Context, opts *moveOptions) error {
	a := opts.app
	asking := !opts.yes
	conn, _, ask, err := a.connectToChange(ctx, changeCommand{name: "move", move: true, yes: opts.yes, fromStdin: opts.fromStdin})
	if err != nil {
		return err
	}
	defer conn.close()
	client := conn.changes()
	var (
		members  []member
		fromName string
		toName   string
	)
	err = a.within(ctx, func(ctx context.Context) error {
		// Both services are fetched first: a move to a service that does
		// not exist is refused before anything leaves the other, and the
		// record names them.
		from, err := client.FetchService(ctx, opts.from)
		if err != nil {
			return fmt.Errorf("--from %s: %w", opts.from, err)
		}
		to, err := client.FetchService(ctx, opts.to)
		if err != nil {
			return fmt.Errorf("--to %s: %w", opts.to, err)
		}
		fromName, toName = serviceLabel(from), serviceLabel(to)
		members, err = resolveMembers(ctx, conn.client, opts.from, opts.targets, true)
		return err
	})
	if err != nil {
		return fmt.Errorf("move: %w", err)
	}
	var send []api.PoolSender
	for _, m := range members {
		if m.err == nil {
			send = append(send, m.p)
		}
	}
	if asking && len(send) > 0 {
		// The question is outside --timeout: a person may take their time.
		var q strings.Builder
		printf(&q, "Move %d senders (%s)\n  from %s\n  to   %s?\n", len(send), countByKind(send), fromName, toName)
		const shown = 10
		for i, p := range send {
			if i == shown {
				printf(&q, "  … and %d more\n", len(send)-shown)
				break
			}
			printf(&q, "  %s\n", senderLabel(p))
		}
		if n := len(members) - len(send); n > 0 {
			printf(&q, "  (%d named are not in its pool and are left out)\n", n)
		}
		q.WriteString("[y/N] ")
		ok, err := ask.yes(ctx, q.String())
		if err != nil {
			return err
		}
		if !ok {
			return setupf("not moved")
		}
	}
	var results []bulk.Result[change.Moved]
	if len(send) > 0 {
		results = client.MoveMany(ctx, opts.from, opts.to, send, a.progress("move")).Results
	}
	return moveReport(a, opts, fromName, toName, members, results)
}

// moveReport prints where each sender ended, in the order named.
func moveReport(a *app, opts *moveOptions, fromName, toName string, members []member, results []bulk.Result[change.Moved]) error {
	out := newBatchOut(a, opts.json)
	next := 0
	for i, m := range members {
		t := opts.targets[i]
		line := batchLine{Sender: t.text, SID: t.in.SID, Outcome: "failed"}
		if m.err != nil {
			line.Where = "from"
			if errors.Is(m.err, errNotInService) {
				out.failed(line, m.err, "✗ %s: not in the pool of %s (not moved)", t.text, fromName)
			} else {
				out.failed(line, m.err, "✗ %s: %s (not moved)", t.text, reason(m.err))
			}
			continue
		}
		r := results[next]
		next++
		line.SID, line.Outcome = m.p.SID, outcomeName(r.Outcome, "moved")
		var me *change.MoveError
		errors.As(r.Err, &me)
		if me != nil {
			line.Move = me.Move
		}
		switch {
		case r.Outcome == bulk.OK:
			line.Where, line.Object = "to", wire(r.Item.Moved)
			out.ok(line, "✓ %s: moved to %s", senderLabel(r.Item.Moved), toName)
		case r.Item.Moved.SID != "" && madeUnrecorded(r.Err):
			line.Outcome, line.Where, line.Object = "moved", "to", wire(r.Item.Moved)
			out.unrecorded(line, r.Err, "✓ %s: moved to %s", senderLabel(r.Item.Moved), toName)
		case r.Outcome == bulk.NotStarted:
			line.Where = "from"
			out.failed(line, nil, "✗ %s: not moved: the batch stopped first; still in %s", senderLabel(m.p), fromName)
		case me == nil:
			out.failed(line, r.Err, "✗ %s: not moved: %s", senderLabel(m.p), reason(r.Err))
		default:
			line.Where = whereName(me.Where)
			out.failed(line, r.Err, "✗ %s: %s", senderLabel(m.p), moveOutcome(a, me, fromName, toName))
		}
	}
	return out.end()
}

// whereName is a MoveError's Where in a batch's JSON.
func whereName(w change.Where) string {
	switch w {
	case change.InFrom:
		return "from"
	case change.InTo:
		return "to"
	case change.InNoService:
		return "none"
	}
	return "unknown"
}

// moveOutcome says where a move that did not complete left its sender,
// and why.
func moveOutcome(a *app, me *change.MoveError, fromName, toName string) string {
	switch me.Where {
	case change.InFrom:
		if me.AttachErr != nil {
			return fmt.Sprintf("rolled back to %s: the attach to %s failed: %s", fromName, toName, reason(me.AttachErr))
		}
		if me.DetachErr != nil {
			return fmt.Sprintf("not moved, still in %s: the detach failed: %s", fromName, reason(me.DetachErr))
		}
		return fmt.Sprintf("not moved, still in %s: %s", fromName, reason(me))
	case change.InTo:
		return fmt.Sprintf("in %s, but the move was not recorded as complete: %s", toName, reason(me))
	case change.InNoService:
		return fmt.Sprintf("in no service: the attach to %s and the rollback to %s failed (%s); the move is pending: %s", toName, fromName, reason(me), a.resumeHint())
	}
	return fmt.Sprintf("where it is is not known (an answer was lost: %s); the move is pending: %s", reason(me), a.resumeHint())
}

// runResume is move --resume: the pending moves finished, rolled back or
// left, one by one.
func (o *moveOptions) runResume(cmd *cobra.Command, args []string) error {
	a := o.app
	switch {
	case len(args) > 0:
		return usagef(cmd, "move --resume takes no SENDER: it handles the moves the journal holds")
	case o.from != "" || o.to != "":
		return usagef(cmd, "move --resume takes no --from or --to: each pending move has its own")
	case o.finish && o.rollBack:
		return usagef(cmd, "--finish or --roll-back, not both")
	}
	ctx := cmd.Context()
	ask := newPrompter(a.sys)
	onTerminal := ask.interactive() && isTerminal(a.sys.Err)
	if !onTerminal && (!o.yes || !(o.finish || o.rollBack)) {
		return setupf("move --resume needs --finish or --roll-back, and --yes, when not run on a terminal (nothing was changed)")
	}
	conn, _, err := a.connectTo(ctx, "move --resume", false, ask)
	if err != nil {
		return err
	}
	defer conn.close()
	if err := conn.changing("move --resume", true); err != nil {
		return err
	}
	var notes []string
	moves, notes, err := pendingOf(ctx, a, conn)
	if err != nil {
		return fmt.Errorf("move --resume: %w", err)
	}
	for _, n := range notes {
		printf(a.sys.Err, "senderpool: note: %s\n", n)
	}
	if len(moves) == 0 {
		printf(a.sys.Out, "no move is pending\n")
		return nil
	}
	if (o.finish || o.rollBack) && !o.yes {
		verb := "Finish"
		if o.rollBack {
			verb = "Roll back"
		}
		var q strings.Builder
		printf(&q, "%s %d pending move(s)?\n", verb, len(moves))
		for _, m := range moves {
			printf(&q, "  %s\n", describeMove(m))
		}
		q.WriteString("[y/N] ")
		ok, err := ask.yes(ctx, q.String())
		if err != nil {
			return err
		}
		if !ok {
			return setupf("nothing was changed")
		}
	}
	failed := 0
	for _, m := range moves {
		finish := o.finish
		if !o.finish && !o.rollBack {
			printf(a.sys.Err, "Pending move: %s\n", describeMove(m))
			choice, err := ask.line(ctx, fmt.Sprintf("  f finish it (into %s), r roll it back (into %s), l later [f/r/L] ", serviceName(m.To, m.ToName), serviceName(m.From, m.FromName)))
			if err != nil {
				return err
			}
			switch strings.ToLower(choice) {
			case "f", "finish":
				finish = true
			case "r", "roll back", "rollback":
			default:
				printf(a.sys.Out, "- %s: left pending\n", moveSender(m))
				continue
			}
		}
		if !a.resolveMove(ctx, conn, m, finish) {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d pending moves did not end (each is named above)", failed, len(moves))
	}
	return nil
}
