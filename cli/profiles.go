package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
)

type profilesOptions struct {
	app  *app
	json bool
}

func newCmdProfiles(a *app) *cobra.Command {
	opts := &profilesOptions{app: a}
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the profiles and whether their secrets can be read",
		Long: `List the stored profiles: the default (*), the account, the kind of secret,
where it is kept, the API host its requests (and so its secret) go to, as its
api_url, region and edge and the flags given now make it, and whether the
secret can be read right now (a keyring item is read; an encrypted file is
checked without asking for its passphrase).`,
		Example: `  senderpool profiles
  senderpool profiles --json | jq -r '.[] | select(.reachable | not) | .name'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runProfiles(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array of the profiles, one a line")
	return cmd
}

// profileRow is one profile in --json: the config file's fields, and its
// state.
type profileRow struct {
	keystore.Profile
	APIHost        string `json:"api_host,omitempty"`         // where requests go
	APIHostProblem string `json:"api_host_problem,omitempty"` // why no client would use its endpoint
	Default        bool   `json:"default"`
	Reachable      bool   `json:"reachable"`
	Problem        string `json:"problem,omitempty"` // why the secret cannot be read now
}

func runProfiles(ctx context.Context, opts *profilesOptions) error {
	a := opts.app
	if err := a.refuseDemo("profiles"); err != nil {
		return err
	}
	mgr, err := a.openStore(newPrompter(a.sys))
	if err != nil {
		return err
	}
	var list []session.Status
	err = a.within(ctx, func(ctx context.Context) (err error) {
		list, err = mgr.Profiles(ctx)
		return err
	})
	if err != nil {
		return err
	}
	if opts.json {
		rows := make([]profileRow, 0, len(list))
		for _, s := range list {
			r := profileRow{Profile: s.Profile, APIHost: s.APIHost, Default: s.Default, Reachable: s.Reachable == nil}
			if s.Reachable != nil {
				r.Problem = s.Reachable.Error()
			}
			if s.Endpoint != nil {
				r.APIHostProblem = s.Endpoint.Error()
			}
			rows = append(rows, r)
		}
		return writeJSON(a.sys.Out, rows)
	}
	if len(list) == 0 {
		fmt.Fprintln(a.sys.Out, "No profiles. Log in with: senderpool login --profile NAME")
		return nil
	}
	t := newTable(a.sys.Out, "DEFAULT", "PROFILE", "ACCOUNT", "AUTH", "SECRET IN", "API HOST", "REACHABLE")
	for _, s := range list {
		def := ""
		if s.Default {
			def = "*"
		}
		auth := "auth token"
		if s.Profile.APIKeySID != "" {
			auth = "API key " + s.Profile.APIKeySID
		}
		reach := "yes"
		if s.Reachable != nil {
			reach = "no: " + firstLine(s.Reachable.Error())
		}
		host := s.APIHost
		if s.Endpoint != nil {
			host = "unusable: " + firstLine(s.Endpoint.Error())
		}
		t.row(def, s.Profile.Name, s.Profile.AccountSID, auth, string(s.Profile.Storage), host, reach)
	}
	return t.flush()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
