package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// changeArgs checks what attach and detach share: not read-only, a
// service, and exactly one well-formed sender SID.
func changeArgs(o options) (string, error) {
	if o.readOnly {
		return "", usagef("%s refused: --read-only is set", o.command)
	}
	if len(o.args) != 1 {
		return "", usagef("%s takes exactly one sender SID (XE…), got %d arguments", o.command, len(o.args))
	}
	sid := strings.TrimSpace(o.args[0])
	if err := api.ValidateSenderSID(sid); err != nil {
		return "", &usageError{msg: err.Error()}
	}
	return sid, nil
}

func runAttach(ctx context.Context, o options, env environ, io stdio) error {
	sid, err := changeArgs(o)
	if err != nil {
		return err
	}
	return withConnection(ctx, o, env, io, true, func(ctx context.Context, conn *connection, service string) error {
		s, err := conn.client.CreateChannelSender(ctx, service, sid)
		if err != nil {
			return fmt.Errorf("attach %s: %w", sid, err)
		}
		if o.jsonOut {
			return writeJSONValue(io.out, s)
		}
		fmt.Fprintf(io.out, "attached %s (%s, %s) to %s\n", text.Clean(s.Sender), text.Clean(api.SenderKind(*s)), text.Clean(s.SID), service)
		return nil
	})
}

func runDetach(ctx context.Context, o options, env environ, io stdio) error {
	sid, err := changeArgs(o)
	if err != nil {
		return err
	}
	interactive := isTerminal(io.in) && isTerminal(io.err)
	if !o.yes && !interactive {
		return usagef("detach needs --yes when not run on a terminal (nothing was changed)")
	}
	conn, service, err := connectTo(ctx, o, env, io, true)
	if err != nil {
		return err
	}
	defer conn.close()
	var s *api.ChannelSender
	if !o.yes || o.jsonOut {
		// Name the sender in the question, and print it with --json.
		err := timed(ctx, o, func(ctx context.Context) (err error) {
			s, err = conn.client.FetchChannelSender(ctx, service, sid)
			return err
		})
		if err != nil {
			return fmt.Errorf("detach %s: %w", sid, err)
		}
	}
	if !o.yes {
		// The question is outside --timeout: a person may take their time.
		fmt.Fprintf(io.err, "Detach %s (%s, %s) from %s?\nRouting may change (sticky sender). [y/N] ", text.Clean(s.Sender), text.Clean(api.SenderKind(*s)), text.Clean(s.SID), service)
		answer, _ := bufio.NewReader(io.in).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return usagef("not detached")
		}
	}
	err = timed(ctx, o, func(ctx context.Context) error { return conn.client.DeleteChannelSender(ctx, service, sid) })
	if err != nil {
		return fmt.Errorf("detach %s: %w", sid, err)
	}
	if o.jsonOut {
		return writeJSONValue(io.out, s)
	}
	fmt.Fprintf(io.out, "detached %s from %s\n", sid, service)
	return nil
}
