package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/senderpool/senderpool/api"
)

// Exit codes.
const (
	exitOK    = 0
	exitAPI   = 1 // the API or the network failed
	exitUsage = 2 // the command line or the set-up is wrong
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// environ reads environment variables; tests pass their own.
type environ struct{ lookup func(string) (string, bool) }

func (e environ) get(name string) string {
	v, _ := e.lookup(name)
	return v
}

// stdio is the process's standard streams.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// options are the parsed global flags.
type options struct {
	demo     bool
	service  string
	apiURL   string
	region   string
	edge     string
	jsonOut  bool
	status   bool
	readOnly bool
	yes      bool
	force    bool
	timeout  time.Duration
	refresh  time.Duration
	// login
	profile    string
	accountSID string
	apiKeySID  string
	storage    string
	command    string
	args       []string
}

// usageError is a problem with the command line or set-up (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

const usageText = `senderpool — the sender pool of a Twilio Messaging Service, in your terminal

Usage:
  senderpool [flags]                       open the dashboard
  senderpool services [--json]             list the account's Messaging Services
  senderpool list --service MG… [--status] [--json]
                                           list a service's channel senders
  senderpool attach --service MG… XE…      attach a sender to the service
  senderpool detach --service MG… XE… [--yes]
                                           detach a sender (asks first unless --yes)
  senderpool login [--profile NAME] [--account-sid AC…] [--api-key-sid SK…]
                   [--storage keyring|file] check credentials and store them
  senderpool logout [--profile NAME] [--force]
                                           delete a profile and its secret
  senderpool profiles [--json]             list profiles and whether their secrets are reachable
  senderpool version                       print the version

Flags:
  --demo           use the built-in demo account (no network, no credentials)
  --profile NAME   the stored profile to use (env SENDERPOOL_PROFILE; default: the default profile)
  --service MG…    the Messaging Service to open or list
  --json           print data as JSON (services, list, attach, detach)
  --status         list: add each WhatsApp and RCS sender's status (ONLINE, OFFLINE…)
  --read-only      never change anything: no attach or detach
  --yes            detach without asking (required when not on a terminal)
  --region R       Twilio region, e.g. ie1 (env TWILIO_REGION)
  --edge E         Twilio edge, e.g. dublin (env TWILIO_EDGE)
  --api-url URL    API base URL (https, or http to loopback only; env SENDERPOOL_API_URL)
  --timeout D      give up on an API call after D, retries included (default 60s)
  --refresh D      refresh the dashboard's list every D, e.g. 60s (default off)

Credentials: a profile saved by "senderpool login" (secret in the OS keyring,
or with --storage file in a passphrase-encrypted file). TWILIO_ACCOUNT_SID with
TWILIO_API_KEY and TWILIO_API_SECRET, or with TWILIO_AUTH_TOKEN, override it.
Secrets are read from the terminal (hidden) or stdin, never from flags.
`

func parseArgs(args []string, env environ) (options, error) {
	o := options{timeout: 60 * time.Second}
	fs := flag.NewFlagSet("senderpool", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.demo, "demo", false, "")
	fs.StringVar(&o.service, "service", "", "")
	fs.StringVar(&o.apiURL, "api-url", env.get("SENDERPOOL_API_URL"), "")
	fs.StringVar(&o.region, "region", env.get("TWILIO_REGION"), "")
	fs.StringVar(&o.edge, "edge", env.get("TWILIO_EDGE"), "")
	fs.BoolVar(&o.jsonOut, "json", false, "")
	fs.BoolVar(&o.status, "status", false, "")
	fs.BoolVar(&o.readOnly, "read-only", false, "")
	fs.BoolVar(&o.yes, "yes", false, "")
	fs.BoolVar(&o.force, "force", false, "")
	fs.StringVar(&o.profile, "profile", env.get("SENDERPOOL_PROFILE"), "")
	fs.StringVar(&o.accountSID, "account-sid", "", "")
	fs.StringVar(&o.apiKeySID, "api-key-sid", "", "")
	fs.StringVar(&o.storage, "storage", "keyring", "")
	fs.DurationVar(&o.timeout, "timeout", o.timeout, "")
	fs.DurationVar(&o.refresh, "refresh", 0, "")
	// Flags may come before and after the subcommand: parse, take the
	// first word as the command, parse again.
	rest := args
	var positional []string
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return o, err
			}
			return o, usagef("%v", err)
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		rest = rest[1:]
	}
	if len(positional) > 0 {
		o.command, o.args = positional[0], positional[1:]
	}
	if o.service != "" {
		if err := api.ValidateServiceSID(o.service); err != nil {
			return o, &usageError{msg: err.Error()}
		}
	}
	if o.refresh < 0 || (o.refresh > 0 && o.refresh < time.Second) {
		return o, usagef("--refresh must be at least 1s (or 0 for off)")
	}
	if o.timeout <= 0 {
		return o, usagef("--timeout must be positive")
	}
	if o.status && (o.command != "list" || o.jsonOut) {
		return o, usagef("--status adds a column to the list table (--json prints the API's objects as they are)")
	}
	return o, nil
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, env environ, io stdio) int {
	o, err := parseArgs(args, env)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(io.out, usageText)
		return exitOK
	}
	if err != nil {
		return fail(io, err)
	}
	switch o.command {
	case "":
		err = runDashboard(ctx, o, env, io)
	case "version":
		fmt.Fprintf(io.out, "senderpool %s\n", version)
	case "services":
		err = runServices(ctx, o, env, io)
	case "list":
		err = runList(ctx, o, env, io)
	case "login":
		err = runLogin(ctx, o, env, io)
	case "logout":
		err = runLogout(ctx, o, env, io)
	case "profiles":
		err = runProfiles(ctx, o, env, io)
	case "attach":
		err = runAttach(ctx, o, env, io)
	case "detach":
		err = runDetach(ctx, o, env, io)
	case "help":
		fmt.Fprint(io.out, usageText)
	default:
		err = usagef("unknown command %q (try: services, list, attach, detach, login, logout, profiles, version, or no command for the dashboard)", o.command)
	}
	if err != nil {
		return fail(io, err)
	}
	return exitOK
}

// fail prints err and maps it to an exit code.
func fail(io stdio, err error) int {
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, api.ErrInvalidSID) {
		fmt.Fprintf(io.err, "senderpool: %v\n", err)
		if ue != nil && strings.HasPrefix(ue.msg, "flag provided but not defined") {
			fmt.Fprint(io.err, "\n"+usageText)
		}
		return exitUsage
	}
	fmt.Fprintf(io.err, "senderpool: %v\n", err)
	return exitAPI
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
