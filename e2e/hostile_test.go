package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/text"
)

// checkInert fails unless out is fit for a terminal: valid UTF-8, no
// escape or other C0 control but \n (and \t where tabs is set), no DEL,
// no C1, no bidi, invisible format or line/paragraph separator character,
// nothing the text package would not print as itself.
func checkInert(t *testing.T, what, out string, tabs bool) {
	t.Helper()
	for i, r := range out {
		bad := ""
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(out[i:]); size == 1 {
				bad = "invalid UTF-8"
			}
		case r == '\n', r == '\t' && tabs:
		case r < 0x20, r == 0x7f:
			bad = "a control character"
		case r >= 0x80 && r < 0xa0:
			bad = "a C1 control"
		case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			bad = "a format or separator character"
		case text.Clean(string(r)) != string(r):
			bad = "a character the text package escapes"
		}
		if bad != "" {
			t.Errorf("%s: %s (%U) at byte %d: %q", what, bad, r, i, out[max(0, i-60):min(len(out), i+60)])
			return
		}
	}
}

// hostileEnv serves a demo fake with twiliotest's hostile corpus added,
// and returns the environment that points the binary at it.
func hostileEnv(t *testing.T) (*twiliotest.Fake, twiliotest.Hostile, []string) {
	t.Helper()
	fake := twiliotest.Demo(twiliotest.DemoOptions{})
	h := fake.AddHostile()
	srv := twiliotest.Serve(t, fake)
	return fake, h, []string{
		"SENDERPOOL_API_URL=" + srv.URL,
		"TWILIO_ACCOUNT_SID=" + twiliotest.DemoAccountSID, "TWILIO_AUTH_TOKEN=" + twiliotest.DemoAuthToken,
	}
}

// TestHostileCorpusThroughTheBinary: the hostile corpus served by the
// fake, through the real binary's tables, --json, messages and errors:
// the bytes on stdout and stderr hold nothing a terminal would act on.
func TestHostileCorpusThroughTheBinary(t *testing.T) {
	fake, h, env := hostileEnv(t)
	runs := []struct {
		name  string
		fault *twiliotest.Fault
		route twiliotest.Route
		args  []string
		code  int
	}{
		{name: "services", args: []string{"services"}},
		{name: "services --json", args: []string{"services", "--json"}},
		{name: "list", args: []string{"list", "--service", h.Service}},
		{name: "list --status", args: []string{"list", "--service", h.Service, "--status"}},
		{name: "list --json", args: []string{"list", "--service", h.Service, "--json"}},
		{name: "attach", args: []string{"attach", "--service", h.Service, h.Free[0]}},
		{name: "detach", args: []string{"detach", "--service", h.Service, h.Free[0], "--yes"}},
		{name: "attach --json", args: []string{"attach", "--service", h.Service, h.Free[1], "--json"}},
		{name: "detach --json", args: []string{"detach", "--service", h.Service, h.Free[1], "--yes", "--json"}},
	}
	for i, v := range twiliotest.HostileValues() {
		runs = append(runs, struct {
			name  string
			fault *twiliotest.Fault
			route twiliotest.Route
			args  []string
			code  int
		}{
			name:  fmt.Sprintf("error %d", i),
			fault: &twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21000 + i, Message: v, Times: -1},
			route: twiliotest.RouteListChannelSenders,
			args:  []string{"list", "--service", h.Service},
			code:  1,
		})
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			fake.ClearFaults()
			if r.fault != nil {
				fake.AddFault(r.route, *r.fault)
			}
			code, stdout, stderr := runBin(t, env, strings.NewReader(""), r.args...)
			if code != r.code {
				t.Fatalf("exit %d, want %d: %.300q", code, r.code, stderr)
			}
			checkInert(t, "stdout", stdout, false)
			checkInert(t, "stderr", stderr, false)
			if strings.HasSuffix(r.name, "--json") {
				var v any
				if err := json.Unmarshal([]byte(stdout), &v); err != nil {
					t.Errorf("--json is not JSON: %v", err)
				}
			}
		})
	}
}

// TestDetachQuestionNamesAHostileSenderInert: on a terminal, detach asks
// first, naming the sender from the server's fields: the question is
// inert text too, on the lines it means to have.
func TestDetachQuestionNamesAHostileSenderInert(t *testing.T) {
	fake, h, env := hostileEnv(t)
	attached := fake.AttachedSIDs(h.Service)
	for i, sid := range h.Senders {
		p := startPty(t, binary(t), 200, 30, env, "detach", "--service", h.Service, sid)
		p.waitText("[y/N] ")
		p.send("n\r")
		if code := p.exitCode(); code != 2 {
			t.Errorf("sender %d: exit %d after no, want 2", i, code)
		}
		// The terminal turns each \n into \r\n, and echoes the answer.
		out := strings.ReplaceAll(string(p.output()), "\r\n", "\n")
		checkInert(t, fmt.Sprintf("sender %d: the terminal", i), out, false)
		q := out[:strings.Index(out, "[y/N] ")]
		if n := strings.Count(q, "\n"); n != 1 {
			t.Errorf("sender %d: the question spans %d lines, want 2: %.300q", i, n+1, q)
		}
	}
	if got := fake.AttachedSIDs(h.Service); !slices.Equal(got, attached) {
		t.Errorf("a detach answered no changed the pool: %d senders, then %d", len(attached), len(got))
	}
}

// TestHostileCommandLine: arguments holding escape sequences reach
// stderr inert on every path cobra and pflag quote them in: an unknown
// command or flag, a bad flag value, help for no such command, a malformed
// SID, and the shell-completion request, which cobra answers on the
// process's own stderr.
func TestHostileCommandLine(t *testing.T) {
	const esc = "\x1b]0;pwned\x07\x1b[2J"
	for _, args := range [][]string{
		{esc},
		{"lisst" + esc},
		{"list", "--" + esc},
		{"list", "-" + esc},
		{"--timeout", esc, "services"},
		{"--region", esc, "services"},
		{"--api-url", "https://" + esc, "services"},
		{"--service", "MG" + esc, "list"},
		{"help", esc},
		{"completion", esc},
		{"attach", "--service", "MG0123456789abcdef0123456789abcdef", "XE" + esc},
		{"list", "--service", "MG0123456789abcdef0123456789abcdef", "extra" + esc},
		{"__complete", esc, ""},
		{"__complete", "list", "--" + esc + "="},
		{"__complete", "--profile", esc, ""},
		{"services", "--profile", esc},
	} {
		code, stdout, stderr := runBin(t, nil, strings.NewReader(""), args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (stderr %.200q)", args, code, stderr)
		}
		checkInert(t, fmt.Sprintf("%q: stdout", args), stdout, false)
		checkInert(t, fmt.Sprintf("%q: stderr", args), stderr, false)
	}
}
