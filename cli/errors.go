package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// setupError is a problem with the command line or the set-up that the
// command line itself finds (a flag, an argument, a missing --service, no
// terminal for the dashboard): exit 2, nothing was changed. help, when set,
// is the command whose --help page explains the mistake.
type setupError struct {
	err  error
	help string
}

func (e *setupError) Error() string    { return e.err.Error() }
func (e *setupError) Unwrap() error    { return e.err }
func (e *setupError) SetupError() bool { return true }

// usagef is a mistake on cmd's command line: the message points at its
// --help.
func usagef(cmd *cobra.Command, format string, a ...any) error {
	return &setupError{err: fmt.Errorf(format, a...), help: cmd.CommandPath()}
}

// setupf is a set-up problem that --help does not explain.
func setupf(format string, a ...any) error {
	return &setupError{err: fmt.Errorf(format, a...)}
}

// isSetup is the one test for exit code 2: some error in the chain says
// it is a set-up error. The api, keystore and session packages mark their
// own (a malformed SID or URL, no credentials, no keyring, a corrupt
// config, a missing passphrase…) where they make them.
func isSetup(err error) bool {
	var s interface{ SetupError() bool }
	return errors.As(err, &s) && s.SetupError()
}

// flagError turns pflag's complaint into a usage error that says which
// command does take an unknown flag, or which flag was meant.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		msg = fmt.Sprintf("%s does not take --%s", cmd.CommandPath(), name)
		if owners := flagOwners(cmd.Root(), name); len(owners) > 0 {
			msg += " (" + strings.Join(owners, ", ") + " " + takes(len(owners)) + " it)"
		} else if near := nearFlags(cmd, name); len(near) > 0 {
			msg += " (did you mean --" + strings.Join(near, " or --") + "?)"
		}
	}
	return &setupError{err: errors.New(msg), help: cmd.CommandPath()}
}

func takes(n int) string {
	if n == 1 {
		return "takes"
	}
	return "take"
}

// flagOwners names the commands that declare a flag of their own called
// name (the root is "senderpool", the dashboard).
func flagOwners(root *cobra.Command, name string) []string {
	var owners []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.IsAvailableCommand() || c == root {
			if c.LocalNonPersistentFlags().Lookup(name) != nil {
				path := c.CommandPath()
				if c == root {
					path += " (the dashboard)"
				}
				owners = append(owners, path)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return owners
}

// nearFlags are cmd's flags within two edits of name.
func nearFlags(cmd *cobra.Command, name string) []string {
	var near []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && editDistance(f.Name, name) <= 2 {
			near = append(near, f.Name)
		}
	})
	slices.Sort(near)
	return near
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// noArgs refuses arguments for a command that takes none.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef(cmd, "%s takes no arguments", cmd.CommandPath())
	}
	return nil
}
