//go:build unix

package audit

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
)

func isWindows() bool { return false }

// TestUnsafe: a log or state dir that is not what it should be (a
// symbolic link, a named pipe, a directory, writable by group or others)
// is refused by Append and Read with ErrUnsafe naming the fix, without
// blocking and without writing.
func TestUnsafe(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, l *Log)
		says  string
	}{
		{"a symbolic link", func(t *testing.T, l *Log) {
			target := t.TempDir() + "/elsewhere.jsonl"
			mustDo(t, os.WriteFile(target, nil, 0o600))
			mustDo(t, os.Symlink(target, l.Path()))
		}, "is a symbolic link"},
		{"a named pipe", func(t *testing.T, l *Log) { mustDo(t, syscall.Mkfifo(l.Path(), 0o600)) }, "named pipe"},
		{"a directory", func(t *testing.T, l *Log) { mustDo(t, os.Mkdir(l.Path(), 0o700)) }, "is a directory"},
		{"file writable by others", func(t *testing.T, l *Log) {
			mustDo(t, os.WriteFile(l.Path(), nil, 0o600))
			mustDo(t, os.Chmod(l.Path(), 0o602))
		}, "chmod go-w "},
		{"dir writable by group", func(t *testing.T, l *Log) { mustDo(t, os.Chmod(l.Dir(), 0o770)) }, "chmod 700 "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLog(t)
			mustDo(t, os.MkdirAll(l.Dir(), 0o700))
			tt.setup(t, l)
			t.Cleanup(func() { _ = os.Chmod(l.Dir(), 0o700) })
			_, rerr := l.Read(t.Context(), Filter{})
			for what, err := range map[string]error{
				"Append": l.Append(t.Context(), detachEntry("ch-1", PhaseIntent, "")),
				"Read":   rerr,
			} {
				if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("%s = %v; want ErrUnsafe saying %q", what, err, tt.says)
				}
			}
		})
	}
}
