//go:build unix

package journal

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
)

func isWindows() bool { return false }

// TestUnsafe: a journal or config dir that is not what it should be (a
// symbolic link, a named pipe, a directory, writable by group or others)
// is refused by every call with ErrUnsafe naming the fix, without
// blocking and without writing.
func TestUnsafe(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, j *Journal)
		says  string
	}{
		{"a symbolic link", func(t *testing.T, j *Journal) {
			target := t.TempDir() + "/elsewhere.jsonl"
			mustDo(t, os.WriteFile(target, nil, 0o600))
			mustDo(t, os.Symlink(target, j.Path()))
		}, "is a symbolic link"},
		{"a link to a device", func(t *testing.T, j *Journal) { mustDo(t, os.Symlink(os.DevNull, j.Path())) }, "is a symbolic link (to " + os.DevNull + ")"},
		{"a named pipe", func(t *testing.T, j *Journal) { mustDo(t, syscall.Mkfifo(j.Path(), 0o600)) }, "named pipe"},
		{"a directory", func(t *testing.T, j *Journal) { mustDo(t, os.Mkdir(j.Path(), 0o700)) }, "is a directory"},
		{"file writable by group", func(t *testing.T, j *Journal) {
			mustDo(t, os.WriteFile(j.Path(), nil, 0o600))
			mustDo(t, os.Chmod(j.Path(), 0o620))
		}, "chmod go-w " + "/"},
		{"dir writable by group", func(t *testing.T, j *Journal) { mustDo(t, os.Chmod(j.dir, 0o770)) }, "chmod 700 "},
		{"dir writable by all, sticky", func(t *testing.T, j *Journal) { mustDo(t, os.Chmod(j.dir, 0o1777)) }, "chmod 700 "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := newJournal(t)
			mustDo(t, os.MkdirAll(j.dir, 0o700))
			tt.setup(t, j)
			t.Cleanup(func() { _ = os.Chmod(j.dir, 0o700) })
			ctx := t.Context()
			_, _, perr := j.Pending(ctx)
			for what, err := range map[string]error{
				"Pending": perr,
				"Begin":   j.Begin(ctx, entry("mv-a")),
				"Compact": j.Compact(ctx),
			} {
				if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("%s = %v; want ErrUnsafe saying %q", what, err, tt.says)
				}
			}
		})
	}
}
