// Package cli is senderpool's command line: the dashboard (the root
// command) and the subcommands for scripts and jump hosts, one file per
// command, on cobra. Each command has an options struct, a constructor
// that declares its flags, and a run function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/text"
)

// Exit codes.
const (
	exitOK    = 0
	exitAPI   = 1 // the API or the network failed
	exitSetup = 2 // the command line or the set-up is wrong: nothing was changed

	exitInterrupted = 130 // ctrl+c: 128 + SIGINT, as the shell reports a signal
)

// System is what a run reads and writes: the standard streams and the
// environment. Tests pass their own.
type System struct {
	In        io.Reader
	Out, Err  io.Writer
	LookupEnv func(string) (string, bool)
}

// OS is the process's own streams and environment.
func OS() System {
	return System{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, LookupEnv: os.LookupEnv}
}

// app is what every command shares: the streams, the environment and the
// global flags.
type app struct {
	sys     System
	global  globalFlags
	started bool // a command's own code ran: what failed before was cobra's reading of the command line
	// scrypt is the work factor of new encrypted files; 0: the keystore's
	// (about a second). Tests lower it.
	scrypt int
}

// globalFlags are the persistent flags, with their environment defaults
// applied once the command line is parsed.
type globalFlags struct {
	profile, service     string
	region, edge, apiURL string
	readOnly, demo       bool
	timeout              time.Duration
	concurrency          int
}

func (a *app) getenv(name string) string {
	if a.sys.LookupEnv == nil {
		return ""
	}
	v, _ := a.sys.LookupEnv(name)
	return v
}

// Run runs the command line (args without the program's name) and returns
// the exit code. A cancelled ctx (a signal) ends prompts and requests at
// once; the caller turns that into the signal's exit code.
func Run(ctx context.Context, args []string, sys System) int {
	return run(ctx, &app{sys: sys}, args)
}

func run(ctx context.Context, a *app, args []string) int {
	if code, refused := refuseCompletion(a, args); refused {
		return code
	}
	root := newCmdRoot(a, nil)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if !a.started && !isSetup(err) {
		// cobra refused the command line (an unknown command, a bad
		// argument to its own commands) before any of ours ran.
		err = cobraError(root, cmd, err)
	}
	return a.fail(ctx, err)
}

// fail prints err and returns its exit code: 2 for a set-up error (any
// error in the chain that says SetupError), else 1.
func (a *app) fail(ctx context.Context, err error) int {
	if errors.Is(err, errInterrupted) {
		// ctrl+c at a hidden prompt, read as a byte: what the signal
		// would have ended in.
		fmt.Fprintln(a.sys.Err, "senderpool: interrupted")
		return exitInterrupted
	}
	if ctx.Err() != nil {
		// Interrupted (ctrl+c at a prompt, a signal): start the shell's
		// prompt on a line of its own; the caller sets the exit code.
		fmt.Fprintf(a.sys.Err, "\nsenderpool: interrupted: %s\n", errorText(err))
		return exitAPI
	}
	fmt.Fprintf(a.sys.Err, "senderpool: %s\n", errorText(err))
	var se *setupError
	if errors.As(err, &se) && se.help != "" {
		fmt.Fprintf(a.sys.Err, "Run '%s --help' for usage.\n", se.help)
	}
	if isSetup(err) {
		return exitSetup
	}
	return exitAPI
}

// refuseCompletion answers a shell's completion request for a command
// line that holds characters that do not print as themselves (escape
// sequences, controls, bidi…): cobra would quote it, raw, in errors it
// writes to the process's stderr itself, past every writer of ours.
// Completing such a line makes no sense anyway; the shell is told
// there is nothing (cobra's error directive).
func refuseCompletion(a *app, args []string) (code int, refused bool) {
	if len(args) == 0 || (args[0] != cobra.ShellCompRequestCmd && args[0] != cobra.ShellCompNoDescRequestCmd) {
		return 0, false
	}
	for _, arg := range args[1:] {
		if text.Clean(arg) != arg {
			fmt.Fprintf(a.sys.Out, ":%d\n", cobra.ShellCompDirectiveError)
			printf(a.sys.Err, "senderpool: no completion for a command line holding control or format characters: %s\n", arg)
			return exitSetup, true
		}
	}
	return 0, false
}

// errorText is err's message made safe for a terminal. An error that
// carries an API or network failure is kept on one line: its text holds
// what a server, a proxy or a certificate said, where a line break could
// fake a line of ours ("senderpool: attached …"). Our own messages keep
// the lines they were written with.
func errorText(err error) string {
	var apiErr *api.Error
	var reqErr *api.RequestError
	if errors.As(err, &apiErr) || errors.As(err, &reqErr) {
		return text.OneLine(err.Error())
	}
	return text.Lines(err.Error())
}

// newCmdRoot is the root command: the dashboard, run by runF (nil:
// runDashboard; tests pass their own), and every subcommand.
func newCmdRoot(a *app, runF func(context.Context, *dashboardOptions) error) *cobra.Command {
	if runF == nil {
		runF = runDashboard
	}
	opts := &dashboardOptions{app: a}
	root := &cobra.Command{
		Use:   "senderpool",
		Short: "The sender pool of a Twilio Messaging Service, in your terminal",
		Long: `senderpool shows and changes the sender pool of a Twilio Messaging Service: the
phone numbers, short codes, alpha senders and WhatsApp, Messenger and RCS
senders Twilio picks from. With no command it opens
the dashboard; the commands are for scripts and plain terminals.

Credentials: a profile saved by "senderpool login" (the secret in the OS
keyring, or with --storage file in a passphrase-encrypted file).
TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET, or with
TWILIO_AUTH_TOKEN, override it. Secrets are read from the terminal (hidden)
or stdin, never from flags.

Exit codes: 0 ok, 1 API or network error, 2 usage or set-up error (nothing
was changed), 128+N ended by signal N (130: ctrl+c).`,
		Example: `  senderpool --demo                       the dashboard on the embedded demo account
  senderpool login --profile work --account-sid AC… --api-key-sid SK…
  senderpool services
  senderpool list --service MG… --status`,
		Version:           versionText(),
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.prepare(cmd) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	root.SetIn(a.sys.In)
	root.SetOut(a.sys.Out)
	root.SetErr(a.sys.Err)
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("{{.DisplayName}} {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)

	pf := root.PersistentFlags()
	pf.StringVar(&a.global.profile, "profile", "", "the stored profile `NAME` to use (env SENDERPOOL_PROFILE; default: the default profile)")
	pf.StringVar(&a.global.service, "service", "", "the Messaging Service (MG… `SID`) to open, list or change")
	pf.BoolVar(&a.global.readOnly, "read-only", false, "never change anything: no attach, detach or service set")
	pf.StringVar(&a.global.region, "region", "", "Twilio `region`, e.g. ie1 (env TWILIO_REGION)")
	pf.StringVar(&a.global.edge, "edge", "", "Twilio `edge`, e.g. dublin (env TWILIO_EDGE)")
	pf.StringVar(&a.global.apiURL, "api-url", "", "API base `URL`: https, or http to loopback only (env SENDERPOOL_API_URL)")
	pf.BoolVar(&a.global.demo, "demo", false, "the built-in demo account: no network, no credentials")
	pf.DurationVar(&a.global.timeout, "timeout", 60*time.Second, "give up on an API call after this `duration`, retries included")
	pf.IntVar(&a.global.concurrency, "concurrency", change.DefaultConcurrency, "`N` requests in flight at once for a batch (attach, detach, move of many senders, find)")
	root.Flags().DurationVar(&opts.refresh, "refresh", 0, "refresh the dashboard's list every `duration`, e.g. 60s (default off)")

	root.AddCommand(
		newCmdServices(a),
		newCmdList(a),
		newCmdAttach(a),
		newCmdDetach(a),
		newCmdMove(a),
		newCmdFind(a),
		newCmdLog(a),
		newCmdShow(a),
		newCmdService(a),
		newCmdLogin(a),
		newCmdLogout(a),
		newCmdProfiles(a),
		newCmdVersion(a),
	)
	root.SetHelpCommand(newCmdHelp(root))
	// cobra's completion command shows its help for a shell it does not
	// know; an unknown command is a usage error everywhere.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.SuggestionsMinimumDistance = 2
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			return cmd.Help()
		}
	}
	return root
}

// prepare applies the environment's defaults to the global flags not given
// and checks them, before any command runs.
func (a *app) prepare(cmd *cobra.Command) error {
	flags := cmd.Flags()
	for _, d := range []struct {
		flag, env string
		dst       *string
	}{
		{"profile", "SENDERPOOL_PROFILE", &a.global.profile},
		{"region", "TWILIO_REGION", &a.global.region},
		{"edge", "TWILIO_EDGE", &a.global.edge},
		{"api-url", "SENDERPOOL_API_URL", &a.global.apiURL},
	} {
		if !flags.Changed(d.flag) {
			*d.dst = a.getenv(d.env)
		}
	}
	for _, label := range []struct{ flag, env, value string }{
		{"--region", "TWILIO_REGION", a.global.region},
		{"--edge", "TWILIO_EDGE", a.global.edge},
	} {
		name := label.flag
		if !flags.Changed(strings.TrimPrefix(label.flag, "--")) {
			name = label.env
		}
		if err := keystore.ValidateHostLabel(name, label.value); err != nil {
			return err
		}
	}
	if a.global.service != "" {
		if err := api.ValidateServiceSID(a.global.service); err != nil {
			return fmt.Errorf("--service: %w", err)
		}
	}
	if a.global.concurrency < 1 || a.global.concurrency > maxConcurrency {
		return usagef(cmd, "--concurrency must be 1 to %d", maxConcurrency)
	}
	if a.global.timeout <= 0 {
		return usagef(cmd, "--timeout must be positive, e.g. 30s")
	}
	a.started = true
	return nil
}

// newCmdHelp is `help [command]`: the command's page, or a usage error
// (with suggestions) for a command that does not exist.
func newCmdHelp(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil {
				return cobraError(root, root, err)
			}
			if len(rest) > 0 && target == root {
				return unknownCommand(root, rest[0])
			}
			// As cobra's own help command: the page lists -h (and the
			// root's --version) as running the command would.
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}

// cobraError is a usage error for what cobra refused on cmd's command
// line; its unknown-command message is replaced by ours.
func cobraError(root, cmd *cobra.Command, err error) error {
	// cobra says: unknown command "x" for "senderpool" (and suggestions).
	if rest, ok := strings.CutPrefix(err.Error(), "unknown command "); ok {
		if end := strings.Index(rest, `" for "`); end > 0 {
			if name, uerr := strconv.Unquote(rest[:end+1]); uerr == nil {
				return unknownCommand(root, name)
			}
		}
	}
	return &setupError{err: err, help: cmd.CommandPath()}
}

// unknownCommand is the usage error for a name that is not one of
// parent's commands, with cobra's suggestions.
func unknownCommand(parent *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if parent.HasParent() {
		msg += fmt.Sprintf(" for %q", parent.CommandPath())
	}
	if s := parent.SuggestionsFor(name); len(s) > 0 {
		msg += " (did you mean " + strings.Join(s, " or ") + "?)"
	}
	return &setupError{err: errors.New(msg), help: parent.CommandPath()}
}

// isTerminal reports whether stream is a terminal (not merely a character
// device: /dev/null is one of those).
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
