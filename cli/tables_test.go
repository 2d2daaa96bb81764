package cli

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// tableCells splits a table printed by newTable into cells by where the
// header's columns start (the columns are aligned), trimmed.
func tableCells(t *testing.T, table string, header ...string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	var starts []int
	for _, h := range header {
		i := strings.Index(lines[0], h)
		if i < 0 {
			t.Fatalf("no column %q in %q", h, lines[0])
		}
		starts = append(starts, utf8.RuneCountInString(lines[0][:i]))
	}
	var rows [][]string
	for _, l := range lines[1:] {
		r := []rune(l)
		var cells []string
		for i, s := range starts {
			end := len(r)
			if i+1 < len(starts) {
				end = min(starts[i+1], len(r))
			}
			cells = append(cells, strings.TrimSpace(string(r[min(s, len(r)):end])))
		}
		rows = append(rows, cells)
	}
	return rows
}

// TestTablesDashForEmptyCells: a field the API left empty (or blank)
// prints "-", so that awk and column -t keep counting
// the columns right; every row of the list has as many fields as its header.
func TestTablesDashForEmptyCells(t *testing.T) {
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	blank := "XE" + strings.Repeat("b", 32)
	fake.AddSender(twiliotest.SenderSeed{SID: blank, Sender: "", SenderType: " ", CountryCode: "", Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err := fake.Attach(twiliotest.DemoServiceSandbox, blank); err != nil {
		t.Fatal(err)
	}
	fake.AddService(twiliotest.ServiceSeed{SID: "MG" + strings.Repeat("b", 32), FriendlyName: " "})

	code, out, stderr := runCLI(t, env, "services")
	if code != exitOK {
		t.Fatalf("services: exit %d: %s", code, stderr)
	}
	for _, row := range tableCells(t, out, "SID", "FRIENDLY NAME", "CREATED") {
		if row[0] == "MG"+strings.Repeat("b", 32) && row[1] != "-" {
			t.Errorf("a blank friendly name prints %q, want -", row[1])
		}
	}

	code, out, stderr = runCLI(t, env, "list", "--service", twiliotest.DemoServiceSandbox, "--status")
	if code != exitOK {
		t.Fatalf("list: exit %d: %s", code, stderr)
	}
	header := []string{"SID", "KIND", "SENDER", "COUNTRY", "CREATED", "STATUS"}
	rows := tableCells(t, out, header...)
	if len(rows) != 1 || rows[0][0] != blank {
		t.Fatalf("list printed %q", out)
	}
	for i, want := range []string{blank, "other", "-", "-", "", "-"} {
		if want != "" && rows[0][i] != want {
			t.Errorf("column %s: %q, want %q", header[i], rows[0][i], want)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if n := len(strings.Fields(l)); n != len(header) {
			t.Errorf("%d fields in %q, want %d (awk would shift the columns)", n, l, len(header))
		}
	}

	f := newLoginFixture(t)
	for _, name := range []string{"a", "b"} {
		if code, _, errOut := runWithStdin(t, f.Env, canary+"-token\n", "login", "--profile", name, "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"); code != exitOK {
			t.Fatal(errOut)
		}
	}
	code, out, _ = runWithStdin(t, f.Env, "", "profiles")
	if code != exitOK {
		t.Fatalf("profiles: exit %d", code)
	}
	got := map[string]string{}
	for _, row := range tableCells(t, out, "DEFAULT", "PROFILE", "ACCOUNT") {
		got[row[1]] = row[0]
	}
	if got["a"] != "*" || got["b"] != "-" {
		t.Errorf("DEFAULT column %v, want * for a and - for b:\n%s", got, out)
	}
}
