package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func newCmdVersion(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the commit it was built from",
		Long: `Print senderpool's module version and, when it was built from a checkout,
the commit, its time and whether the tree had changes ("dirty").`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.sys.Out, "senderpool %s\n", versionText())
			return err
		},
	}
}

// versionText is what the binary knows of itself, from the build info the
// go command embeds: e.g. `v1.2.0`, or `v0.0.0-20261201190000-9c777e8a1b2c+dirty
// (commit 9c777e8, 2026-12-01T19:00:00Z, dirty)` for a build of a checkout.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	return describeBuild(info)
}

// describeBuild formats a build info (separate from versionText for tests).
func describeBuild(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var revision, at string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	var parts []string
	if revision != "" {
		parts = append(parts, "commit "+revision[:min(len(revision), 7)])
	}
	if at != "" {
		parts = append(parts, at)
	}
	if dirty {
		parts = append(parts, "dirty")
	}
	if len(parts) > 0 {
		v += " (" + strings.Join(parts, ", ") + ")"
	}
	return v
}

// userAgent names this build to the API: senderpool/<module version>.
func userAgent() string {
	v := "dev"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	return "senderpool/" + v
}
