package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestVersion: --version and version print the same line, made of what
// the go command recorded in the binary (as `go version -m` reads it): the
// module version, and the commit, its time and "dirty" when it was built
// from a checkout.
func TestVersion(t *testing.T) {
	bin := binary(t)
	info, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	want, settings := "", map[string]string{}
	for _, line := range strings.Split(string(info), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "mod" && f[1] == "github.com/senderpool/senderpool":
			want = f[2]
		case len(f) >= 2 && f[0] == "build":
			k, v, _ := strings.Cut(f[1], "=")
			settings[k] = v
		}
	}
	var parts []string
	if rev := settings["vcs.revision"]; rev != "" {
		parts = append(parts, "commit "+rev[:7])
	}
	if at := settings["vcs.time"]; at != "" {
		parts = append(parts, at)
	}
	if settings["vcs.modified"] == "true" {
		parts = append(parts, "dirty")
	}
	if len(parts) > 0 {
		want += " (" + strings.Join(parts, ", ") + ")"
	}
	want = "senderpool " + want + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, stdout, stderr := runBin(t, nil, strings.NewReader(""), args...)
		if code != 0 || stdout != want {
			t.Errorf("%v: exit %d, printed %q (stderr %q), want %q", args, code, stdout, stderr, want)
		}
	}
}
