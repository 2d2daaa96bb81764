package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestUsageErrors: a flag a command does not take, or a command that is
// not one, is exit 2 with the command that does take the flag, the flag
// or command meant, and a line pointing at the right --help; nothing runs.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"flags of other commands", []string{"--demo", "services", "--yes", "--force", "--storage", "file"},
			[]string{"senderpool services does not take --yes (senderpool detach, senderpool move, senderpool service set take it)", "Run 'senderpool services --help'"}},
		{"a flag of several", []string{"--demo", "login", "--json"},
			[]string{"does not take --json", "senderpool list", "senderpool profiles", "Run 'senderpool login --help'"}},
		{"the dashboard's own flag", []string{"--demo", "list", "--refresh", "1m"},
			[]string{"does not take --refresh (senderpool (the dashboard) takes it)"}},
		{"a misspelt flag", []string{"--demo", "list", "--stauts"}, []string{"does not take --stauts (did you mean --status?)"}},
		{"a command's flag before it", []string{"--json", "services"}, []string{"senderpool does not take --json", "Run 'senderpool --help'"}},
		{"a flag without its value", []string{"--demo", "list", "--service"}, []string{"flag needs an argument: --service", "Run 'senderpool list --help'"}},
		{"a malformed duration", []string{"--demo", "services", "--timeout", "soon"}, []string{`invalid argument "soon"`}},
		{"a misspelt command", []string{"servics"}, []string{`unknown command "servics" (did you mean services or service?)`, "Run 'senderpool --help'"}},
		{"an unknown command", []string{"frobnicate"}, []string{`unknown command "frobnicate"`}},
		{"help on an unknown command", []string{"help", "lst"}, []string{`unknown command "lst" (did you mean list or log?)`}},
		{"an unknown shell", []string{"completion", "tcsh"}, []string{`unknown command "tcsh" for "senderpool completion"`}},
		{"arguments to a command that takes none", []string{"--demo", "services", "extra"}, []string{"senderpool services takes no arguments"}},
		{"two senders", []string{"--demo", "attach", "--service", "MG" + strings.Repeat("0", 32), "XE1", "XE2"}, []string{`"XE1": invalid sender SID`, "nothing was sent"}},
		{"--refresh under a second", []string{"--demo", "--refresh", "10ms"}, []string{"--refresh must be at least 1s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, tt.args...)
			if code != exitSetup {
				t.Errorf("exit %d, want %d", code, exitSetup)
			}
			if stdout != "" {
				t.Errorf("printed %q", stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

// TestHelp: `help <command>` and `<command> --help` print the same page,
// exit 0, on stdout; the root's page lists every command.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"services", "list", "attach", "detach", "login", "logout", "profiles", "version", "completion"} {
		t.Run(cmd, func(t *testing.T) {
			code, viaHelp, stderr := runCLI(t, nil, "help", cmd)
			if code != exitOK || stderr != "" {
				t.Fatalf("help %s: exit %d, stderr %q", cmd, code, stderr)
			}
			code, viaFlag, _ := runCLI(t, nil, cmd, "--help")
			if code != exitOK || viaFlag != viaHelp {
				t.Errorf("%s --help (exit %d) differs from help %s:\n%s\n---\n%s", cmd, code, cmd, viaFlag, viaHelp)
			}
			if !strings.Contains(viaHelp, "senderpool "+cmd) || !strings.Contains(viaHelp, "Global Flags:") {
				t.Errorf("help %s is not its page:\n%s", cmd, viaHelp)
			}
		})
	}
	code, root, _ := runCLI(t, nil, "--help")
	if code != exitOK {
		t.Fatalf("--help: exit %d", code)
	}
	for _, w := range []string{"services", "list", "attach", "detach", "login", "logout", "profiles", "version", "completion", "--refresh", "--demo", "Exit codes"} {
		if !strings.Contains(root, w) {
			t.Errorf("the root help lacks %q", w)
		}
	}
	// Each command's flags are its own.
	_, list, _ := runCLI(t, nil, "list", "--help")
	_, services, _ := runCLI(t, nil, "services", "--help")
	if !strings.Contains(list, "--status") || strings.Contains(services, "--status") || strings.Contains(services, "--yes") {
		t.Errorf("list or services shows flags that are not its own:\n%s\n%s", list, services)
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "bash completion", "zsh": "#compdef senderpool", "fish": "complete -c senderpool", "powershell": "Register-ArgumentCompleter"} {
		code, out, stderr := runCLI(t, nil, "completion", shell)
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, %d bytes without %q (stderr %q)", shell, code, len(out), want, stderr)
		}
	}
}

func TestDescribeBuild(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"a release", debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{"go run, no VCS stamp", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
		{"no version at all", debug.BuildInfo{}, "(devel)"},
		{"a clean checkout", debug.BuildInfo{
			Main:     debug.Module{Version: "v0.0.0-20261201190000-9c777e8a1b2c"},
			Settings: vcs("vcs.revision", "9c777e8a1b2c3d4e5f60718293a4b5c6d7e8f901", "vcs.time", "2026-12-01T19:00:00Z", "vcs.modified", "false"),
		}, "v0.0.0-20261201190000-9c777e8a1b2c (commit 9c777e8, 2026-12-01T19:00:00Z)"},
		{"a dirty checkout", debug.BuildInfo{
			Main:     debug.Module{Version: "v0.0.0-20261201190000-9c777e8a1b2c+dirty"},
			Settings: vcs("vcs.revision", "9c777e8a1b2c3d4e5f60718293a4b5c6d7e8f901", "vcs.time", "2026-12-01T19:00:00Z", "vcs.modified", "true"),
		}, "v0.0.0-20261201190000-9c777e8a1b2c+dirty (commit 9c777e8, 2026-12-01T19:00:00Z, dirty)"},
	}
	for _, tt := range tests {
		if got := describeBuild(&tt.info); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// --version and version agree.
	_, flag, _ := runCLI(t, nil, "--version")
	_, cmd, _ := runCLI(t, nil, "version")
	if flag != cmd || !strings.HasPrefix(cmd, "senderpool ") {
		t.Errorf("--version %q, version %q", flag, cmd)
	}
}
