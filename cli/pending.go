package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/journal"
	"github.com/senderpool/senderpool/text"
)

// offersPending are the commands that, on a terminal, offer to finish
// or roll back a move cut off half-way before they change anything
// themselves. The others (list, services, show, find) only warn: a
// read-only command is never held up by it.
func offersPending(command string) bool {
	switch command {
	case "attach", "detach", "service set", "move":
		return true
	}
	return false
}

// checkPending looks for moves cut off half-way (the journal), before a
// command's own work. On a terminal, for a command that changes things,
// it offers each: finish, roll back or later. Otherwise it warns on
// stderr naming them and move --resume. A journal that cannot be read
// is a warning too: the command goes on.
func (a *app) checkPending(ctx context.Context, conn *connection, command string, ask *prompter) {
	if command == "move --resume" || conn.rec == nil || conn.rec.journal == nil {
		return
	}
	if _, err := os.Stat(conn.rec.journal.Path()); errors.Is(err, fs.ErrNotExist) {
		// No move was ever journaled here: reading would only leave a
		// lock file in a config dir a read-only command must not touch.
		return
	}
	var moves []journal.Move
	err := a.within(ctx, func(ctx context.Context) (err error) {
		moves, _, err = conn.changes().PendingMoves(ctx)
		return err
	})
	if err != nil {
		printf(a.sys.Err, "senderpool: warning: could not read the journal of moves: %s\n", err)
		return
	}
	if len(moves) == 0 {
		return
	}
	if !offersPending(command) || ask == nil || !ask.interactive() || !isTerminal(a.sys.Err) {
		a.warnPending(moves)
		return
	}
	for _, m := range moves {
		printf(a.sys.Err, "A move was cut off half-way: %s\n", describeMove(m))
		choice, err := ask.line(ctx, fmt.Sprintf("  f finish it (into %s), r roll it back (into %s), l later [f/r/L] ", serviceName(m.To, m.ToName), serviceName(m.From, m.FromName)))
		if err != nil {
			return
		}
		switch strings.ToLower(choice) {
		case "f", "finish":
			a.resolveMove(ctx, conn, m, true)
		case "r", "roll back", "rollback":
			a.resolveMove(ctx, conn, m, false)
		default:
			printf(a.sys.Err, "  left for later: %s\n", a.resumeHint())
		}
	}
}

// warnPending names the pending moves on stderr and how to end them.
func (a *app) warnPending(moves []journal.Move) {
	printf(a.sys.Err, "senderpool: warning: %d move(s) cut off half-way, to finish or roll back with: %s\n", len(moves), a.resumeHint())
	for _, m := range moves {
		printf(a.sys.Err, "  %s\n", describeMove(m))
	}
}

// resumeHint is the command that ends the pending moves.
func (a *app) resumeHint() string {
	cmd := "senderpool"
	if a.global.demo {
		cmd += " --demo"
	} else if a.global.profile != "" {
		cmd += " --profile " + a.global.profile
	}
	return cmd + " move --resume"
}

// resolveMove finishes (or rolls back) one pending move and says where
// its sender ended; a failure is said and the move stays pending. It
// returns whether the move ended.
func (a *app) resolveMove(ctx context.Context, conn *connection, m journal.Move, finish bool) bool {
	var p api.PoolSender
	err := a.within(ctx, func(ctx context.Context) (err error) {
		if finish {
			p, err = conn.changes().FinishMove(ctx, m.ID)
		} else {
			p, err = conn.changes().RollBackMove(ctx, m.ID)
		}
		return err
	})
	verb, into := "finished", serviceName(m.To, m.ToName)
	if !finish {
		verb, into = "rolled back", serviceName(m.From, m.FromName)
	}
	if err != nil && !madeUnrecorded(err) {
		printf(a.sys.Out, "✗ %s: not %s (still pending): %s\n", moveSender(m), verb, reason(err))
		return false
	}
	what := moveSender(m)
	if p.SID != "" {
		what = senderLabel(p)
	}
	printf(a.sys.Out, "✓ %s: %s, in %s\n", what, verb, into)
	if err != nil {
		printf(a.sys.Err, "senderpool: warning: %s\n", unrecorded("the "+verb+" move", err))
		return false
	}
	return true
}

// describeMove is one pending move in words: the sender, from, to, the
// meaning of its last step and when.
func describeMove(m journal.Move) string {
	return fmt.Sprintf("%s from %s to %s, %s, at %s (move %s)",
		moveSender(m), serviceName(m.From, m.FromName), serviceName(m.To, m.ToName),
		text.OneLine(m.Step.Meaning()), m.Updated.UTC().Format(time.RFC3339), m.ID)
}

// moveSender names a journaled move's sender.
func moveSender(m journal.Move) string {
	s := m.Sender
	if s.Text == "" {
		return s.SID
	}
	label := s.Text + " (" + api.KindName(s.Kind)
	if s.Country != "" {
		label += " for " + s.Country
	}
	return label + ", " + s.SID + ")"
}

// serviceName is "Name (MG…)", or the SID when the name is not known.
func serviceName(sid, name string) string {
	if strings.TrimSpace(name) == "" {
		return sid
	}
	return name + " (" + sid + ")"
}

// pendingOf is the connection's pending moves, within --timeout.
func pendingOf(ctx context.Context, a *app, conn *connection) (moves []journal.Move, notes []string, err error) {
	err = a.within(ctx, func(ctx context.Context) (err error) {
		moves, notes, err = conn.changes().PendingMoves(ctx)
		return err
	})
	return moves, notes, err
}
