package journal

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// TestRoundTrip: a move's steps come back from Pending as written, with
// its entry whole (names with escape codes stored as given, one line
// each); a terminal step ends it, and the file is compacted away.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 4, 5, 6, 7, 891_000_000, time.FixedZone("X", 3600))
	j, err := Open(t.TempDir()+"/senderpool", Options{Now: func() time.Time { return at }})
	mustDo(t, err)
	ctx := t.Context()
	e := entry("mv-1")
	e.FromName = "evil\x1b]52;c;AAAA\a\nname"
	e.Sender = Sender{SID: "AI0123456789abcdef0123456789abcdef", Kind: "Alpha senders", Text: "ACME\u202e", Country: "DE"}
	mustDo(t, j.Begin(ctx, e))
	mustDo(t, j.Step(ctx, "mv-1", StepDetached))
	f := Failure{Step: StepDetached, Code: 21710, Status: 400, Message: "refused", RequestID: "RQ123"}
	mustDo(t, j.Fail(ctx, "mv-1", f))

	raw := readJournal(t, j)
	if n := strings.Count(raw, "\n"); n != 3 || strings.ContainsAny(raw, "\x1b\a") {
		t.Errorf("file has %d lines or raw controls:\n%q", n, raw)
	}
	if !strings.Contains(raw, `"time":"2025-03-04T04:06:07.891Z"`) {
		t.Errorf("time not UTC with ms:\n%s", raw)
	}

	ms, notes := pending(t, j)
	if len(ms) != 1 || len(notes) != 0 {
		t.Fatalf("Pending = %v, %v", ids(ms), notes)
	}
	m := ms[0]
	if m.MoveEntry != e || m.Step != StepDetached || m.Failure == nil || *m.Failure != f || !m.Started.Equal(at) || !m.Updated.Equal(at) {
		t.Errorf("Pending = %+v (failure %+v)\nwant %+v", m, m.Failure, e)
	}
	mustDo(t, j.Step(ctx, "mv-1", StepRollingBack))
	if ms, _ := pending(t, j); len(ms) != 1 || ms[0].Step != StepRollingBack || ms[0].Failure != nil {
		t.Errorf("after rolling-back: %+v", ms)
	}
	mustDo(t, j.Step(ctx, "mv-1", StepRolledBack))
	if ms, _ := pending(t, j); len(ms) != 0 {
		t.Errorf("after rolled-back: %v", ids(ms))
	}
	if raw := readJournal(t, j); raw != "" {
		t.Errorf("no move pending, yet the journal holds:\n%s", raw)
	}
	if err := j.Step(ctx, "mv-1", StepAttached); !errors.Is(err, ErrUnknownMove) {
		t.Errorf("a step after compaction = %v, want ErrUnknownMove", err)
	}
}

// TestRefusals: malformed entries and steps, and steps out of turn, are
// refused with the sentinel and leave the file as it was.
func TestRefusals(t *testing.T) {
	t.Parallel()
	j := newJournal(t)
	ctx := t.Context()
	mustDo(t, j.Begin(ctx, entry("mv-open")))
	mustDo(t, j.Begin(ctx, entry("mv-ended")))
	mustDo(t, j.Step(ctx, "mv-ended", StepDone))
	before := readJournal(t, j)
	with := func(f func(*MoveEntry)) MoveEntry { e := entry("mv-new"); f(&e); return e }
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"empty ID", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.ID = "" })) }, ErrInvalid},
		{"ID with a newline", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.ID = "a\nb" })) }, ErrInvalid},
		{"bad account", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.Account = "AC1" })) }, ErrInvalid},
		{"bad service", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.To = "MG\x1b[2J" })) }, ErrInvalid},
		{"same service", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.To = e.From })) }, ErrInvalid},
		{"bad sender", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.Sender.SID = svcA })) }, ErrInvalid},
		{"bad country", func() error { return j.Begin(ctx, with(func(e *MoveEntry) { e.Sender.Country = "de" })) }, ErrInvalid},
		{"huge name", func() error {
			return j.Begin(ctx, with(func(e *MoveEntry) { e.ToName = strings.Repeat("x", maxText+1) }))
		}, ErrInvalid},
		{"again", func() error { return j.Begin(ctx, entry("mv-open")) }, ErrMoveExists},
		{"started as a step", func() error { return j.Step(ctx, "mv-open", StepStarted) }, ErrInvalid},
		{"unknown step", func() error { return j.Step(ctx, "mv-open", "teleported") }, ErrInvalid},
		{"unknown move", func() error { return j.Step(ctx, "mv-none", StepDetached) }, ErrUnknownMove},
		{"after the end", func() error { return j.Step(ctx, "mv-ended", StepDetached) }, ErrMoveEnded},
		{"failure of no step", func() error { return j.Fail(ctx, "mv-open", Failure{}) }, ErrInvalid},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if after := readJournal(t, j); after != before {
		t.Errorf("the journal changed:\n%s\nwas:\n%s", after, before)
	}
}

// TestTornLastLine: a last line cut short is ignored with a note, never
// an error; the next write cuts it off and goes on. A whole last line
// without its newline counts, and the next write adds the newline.
func TestTornLastLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		tail  func(line string) string
		want  []string
		notes int
	}{
		{"cut mid-line", func(l string) string { return l[:len(l)/2] }, []string{"mv-a:detached"}, 1},
		{"one byte", func(l string) string { return "{" }, []string{"mv-a:detached"}, 1},
		{"only the newline missing", func(l string) string { return strings.TrimSuffix(l, "\n") }, []string{"mv-a:detached", "mv-b:started"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := newJournal(t)
			ctx := t.Context()
			mustDo(t, j.Begin(ctx, entry("mv-a")))
			mustDo(t, j.Step(ctx, "mv-a", StepDetached))
			// The line Begin of mv-b would write, as a killed write leaves it.
			other := newJournal(t)
			mustDo(t, other.Begin(ctx, entry("mv-b")))
			f, err := os.OpenFile(j.Path(), os.O_WRONLY|os.O_APPEND, 0)
			mustDo(t, err)
			_, err = f.WriteString(tt.tail(readJournal(t, other)))
			mustDo(t, err)
			mustDo(t, f.Close())

			ms, notes := pending(t, j)
			if !slices.Equal(ids(ms), tt.want) || len(notes) != tt.notes {
				t.Fatalf("Pending = %v, notes %q; want %v and %d notes", ids(ms), notes, tt.want, tt.notes)
			}
			mustDo(t, j.Begin(ctx, entry("mv-c")))
			ms, notes = pending(t, j)
			if want := append(slices.Clone(tt.want), "mv-c:started"); !slices.Equal(ids(ms), want) || len(notes) != 0 {
				t.Errorf("after a write: %v, notes %q; want %v", ids(ms), notes, want)
			}
		})
	}
}

// TestHostileFile: a journal that was tampered with (a bad line before
// the last, binary, too large, a newer format, a step of no move) is
// ErrCorrupt naming the file and the line, for reads and writes alike,
// and is never rewritten.
func TestHostileFile(t *testing.T) {
	t.Parallel()
	good := func(t *testing.T) string {
		j := newJournal(t)
		mustDo(t, j.Begin(t.Context(), entry("mv-a")))
		return readJournal(t, j)
	}
	for _, tt := range []struct {
		name    string
		content func(good string) string
		says    string
	}{
		{"bad middle line", func(g string) string { return "garbage\n" + g }, "line 1"},
		{"binary", func(g string) string { return g + "\x00\xff\xfe\x01\n" + g }, "line 2: not UTF-8"},
		{"escape codes raw", func(g string) string { return g + "\x1b[2J\x1b]0;pwned\a\n" }, "line 2"},
		{"larger than 1 MiB", func(g string) string { return g + strings.Repeat(" ", MaxSize) + "\n" }, "larger than 1 MiB"},
		{"newer format", func(g string) string { return strings.Replace(g, `"v":1`, `"v":9`, 1) + g }, "newer than this senderpool"},
		{"unknown field", func(g string) string { return strings.Replace(g, `"v":1`, `"v":1,"secret":"x"`, 1) + g }, "unknown field"},
		{"step of no move", func(g string) string {
			return `{"v":1,"time":"2025-01-01T00:00:00.000Z","move":"mv-x","step":"detached"}` + "\n" + g
		}, "never started"},
		{"hostile SID", func(g string) string { return strings.Replace(g, svcB, "MG\\u001b[2J", 1) + g }, "line 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := newJournal(t)
			mustDo(t, os.MkdirAll(j.dir, 0o700))
			content := tt.content(good(t))
			mustDo(t, os.WriteFile(j.Path(), []byte(content), 0o600))
			ctx := t.Context()
			_, _, perr := j.Pending(ctx)
			for what, err := range map[string]error{
				"Pending": perr,
				"Begin":   j.Begin(ctx, entry("mv-new")),
				"Step":    j.Step(ctx, "mv-a", StepDetached),
				"Compact": j.Compact(ctx),
			} {
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), j.Path()) || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("%s = %v; want ErrCorrupt naming the file and saying %q", what, err, tt.says)
				}
			}
			if got := readJournal(t, j); got != content {
				t.Error("the journal was rewritten")
			}
		})
	}
}

// TestPermissions: the dir is made 0700, the journal and its lock 0600.
func TestPermissions(t *testing.T) {
	t.Parallel()
	j := newJournal(t)
	mustDo(t, j.Begin(t.Context(), entry("mv-a")))
	for path, want := range map[string]os.FileMode{
		j.dir:                      0o700 | os.ModeDir,
		j.Path():                   0o600,
		j.dir + "/" + LockFileName: 0o600,
	} {
		fi, err := os.Stat(path)
		mustDo(t, err)
		if fi.Mode() != want && !(isWindows() && fi.Mode().IsRegular() == want.IsRegular()) {
			t.Errorf("%s is %v, want %v", path, fi.Mode(), want)
		}
	}
}

// TestPendingAfterKill: a process killed between two steps of a move
// (SIGKILL: no deferred code, no clean-up) leaves the move pending at
// the last step it journaled.
func TestPendingAfterKill(t *testing.T) {
	t.Parallel()
	j := newJournal(t)
	cmd := startChild(t, j.dir, "stop", "killed", 1)
	waitReady(t, cmd)
	mustDo(t, cmd.Process.Kill())
	_ = cmd.Wait()
	ms, notes := pending(t, j)
	if got := ids(ms); !slices.Equal(got, []string{"mv-killed-000:detached"}) || len(notes) != 0 {
		t.Fatalf("Pending = %v, %q", got, notes)
	}
	if ms[0].MoveEntry != entry("mv-killed-000") {
		t.Errorf("entry = %+v", ms[0].MoveEntry)
	}
	// The next start finishes it.
	mustDo(t, j.Step(t.Context(), ms[0].ID, StepAttached))
	if ms, _ := pending(t, j); len(ms) != 0 {
		t.Errorf("after finishing: %v", ids(ms))
	}
}

// TestConcurrentMoves: goroutines (each with its own Journal, as separate
// processes have) and separate processes journaling moves at once lose
// no step and tear no line: every move left half-way is pending at its
// step, every finished one is gone.
func TestConcurrentMoves(t *testing.T) {
	t.Parallel()
	j := newJournal(t)
	const workers, procs, n = 4, 3, 6
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for p := range procs {
		cmd := startChild(t, j.dir, "moves", "p"+strconv.Itoa(p), n)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		mustDo(t, cmd.Start())
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		jw, err := Open(j.dir, Options{LockTimeout: time.Minute})
		mustDo(t, err)
		wg.Go(func() {
			for i := range n {
				if err := runMove(t.Context(), jw, moveID("g"+strconv.Itoa(w), i), i%2 == 0); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	mustDo(t, errors.Join(errs...))
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i])
		}
	}
	var want []string
	for _, tag := range []string{"g0", "g1", "g2", "g3", "p0", "p1", "p2"} {
		for i := 1; i < n; i += 2 {
			want = append(want, moveID(tag, i)+":detached")
		}
	}
	ms, notes := pending(t, j)
	got := ids(ms)
	slices.Sort(got)
	if !slices.Equal(got, want) || len(notes) != 0 {
		t.Errorf("pending %v\nwant %v\nnotes %q", got, want, notes)
	}
}

// TestCompactionKeepsPending: compaction, explicit or after a move ends,
// drops finished moves and keeps every line of the pending ones.
func TestCompactionKeepsPending(t *testing.T) {
	t.Parallel()
	j := newJournal(t)
	ctx := t.Context()
	for _, id := range []string{"mv-1", "mv-2", "mv-3"} {
		mustDo(t, j.Begin(ctx, entry(id)))
		mustDo(t, j.Step(ctx, id, StepDetached))
	}
	mustDo(t, j.Fail(ctx, "mv-3", Failure{Step: StepDetached, Code: 20503}))
	mustDo(t, j.Step(ctx, "mv-2", StepAttached))
	mustDo(t, j.Compact(ctx))
	raw := readJournal(t, j)
	if strings.Contains(raw, "mv-2") || strings.Count(raw, "\n") != 5 {
		t.Errorf("after compaction:\n%s", raw)
	}
	ms, _ := pending(t, j)
	if got := ids(ms); !slices.Equal(got, []string{"mv-1:detached", "mv-3:detached"}) || ms[1].Failure == nil || ms[1].Failure.Code != 20503 {
		t.Errorf("pending after compaction: %v", got)
	}
	// Past compactAt, a move that ends compacts though others are pending.
	j.compactAt = 4 << 10
	for i := 0; len(readJournal(t, j)) < j.compactAt; i++ {
		id := "mv-fill-" + strconv.Itoa(i)
		mustDo(t, j.Begin(ctx, entry(id)))
		mustDo(t, j.Step(ctx, id, StepDetached))
	}
	mustDo(t, j.Step(ctx, "mv-1", StepAttached))
	if raw := readJournal(t, j); strings.Contains(raw, `"mv-1"`) || !strings.Contains(raw, `"mv-3"`) {
		t.Error("a finished move was kept, or a pending one lost, past compactAt")
	}
}

// TestLockHeldElsewhere: a write waits for another process's lock for the
// lock timeout, then gives up with ErrLocked; a cancelled context ends
// the wait with its error.
func TestLockHeldElsewhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() + "/senderpool"
	mustDo(t, os.MkdirAll(dir, 0o700))
	other := flock.New(dir + "/" + LockFileName)
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("taking the lock: %v, %v", ok, err)
	}
	t.Cleanup(func() { _ = other.Unlock() })
	j, err := Open(dir, Options{LockTimeout: 50 * time.Millisecond})
	mustDo(t, err)
	if err := j.Begin(t.Context(), entry("mv-a")); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), LockFileName) {
		t.Errorf("Begin = %v, want ErrLocked naming the lock", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := j.Pending(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Pending, cancelled = %v", err)
	}
	if _, err := os.Stat(j.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a journal was written without the lock: %v", err)
	}
}
