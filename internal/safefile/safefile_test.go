package safefile

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var (
	errUnsafe = errors.New("unsafe test file")
	errLocked = errors.New("test file is locked")
)

// testPolicy is a caller's: its names, its sentinels, and a stake as the
// config says it.
func testPolicy() Policy {
	return Policy{File: "test file", Dir: "test dir", Stake: ", who could send your secret anywhere", Unsafe: errUnsafe, Locked: errLocked}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	mustDo(t, err)
	return fi.Mode().Perm()
}

// TestEnsureDir: a missing dir is created 0700, parents and all; one that
// is there is checked, never changed.
func TestEnsureDir(t *testing.T) {
	t.Parallel()
	p := testPolicy()
	tests := []struct {
		name  string
		unix  bool
		setup func(t *testing.T, dir string)
		says  string // "" when accepted
	}{
		{"missing, with its parent", false, func(*testing.T, string) {}, ""},
		{"there, 0755", true, func(t *testing.T, dir string) { mustDo(t, os.MkdirAll(dir, 0o755)); mustDo(t, os.Chmod(dir, 0o755)) }, ""},
		{"a file", false, func(t *testing.T, dir string) {
			mustDo(t, os.MkdirAll(filepath.Dir(dir), 0o700))
			mustDo(t, os.WriteFile(dir, nil, 0o600))
		}, "the test dir " + "%s is not a directory"},
		{"writable by its group", true, func(t *testing.T, dir string) { mustDo(t, os.MkdirAll(dir, 0o700)); mustDo(t, os.Chmod(dir, 0o770)) },
			"the test dir %s is writable by its group (mode 0770), who could send your secret anywhere: fix it with `chmod 700 %s`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.unix && runtime.GOOS == "windows" {
				t.Skip("Unix permission bits")
			}
			dir := filepath.Join(t.TempDir(), "parent", "dir")
			tt.setup(t, dir)
			var before fs.FileMode
			if fi, err := os.Stat(dir); err == nil {
				before = fi.Mode()
			}
			err := p.EnsureDir(dir)
			if tt.says == "" {
				mustDo(t, err)
				if want := max(before.Perm(), 0o700); runtime.GOOS != "windows" && perm(t, dir) != want {
					t.Errorf("mode %04o, want %04o", perm(t, dir), want)
				}
				return
			}
			says := strings.ReplaceAll(tt.says, "%s", dir)
			if !errors.Is(err, errUnsafe) || !strings.Contains(err.Error(), says) {
				t.Errorf("EnsureDir = %v; want errUnsafe saying %q", err, says)
			}
			if fi, _ := os.Stat(dir); fi.Mode() != before {
				t.Errorf("mode changed from %v to %v", before, fi.Mode())
			}
		})
	}
}

// TestOpenAppend creates the file 0600 and says so once.
func TestOpenAppend(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	for i, want := range []bool{true, false} {
		f, created, err := testPolicy().OpenAppend(path)
		mustDo(t, err)
		if created != want {
			t.Errorf("open %d: created = %v, want %v", i, created, want)
		}
		_, err = f.WriteString("line\n")
		mustDo(t, err)
		mustDo(t, f.Close())
	}
	if data, _ := os.ReadFile(path); string(data) != "line\nline\n" {
		t.Errorf("content %q", data)
	}
	if runtime.GOOS != "windows" && perm(t, path) != 0o600 {
		t.Errorf("mode %04o, want 0600", perm(t, path))
	}
}

// TestReadFileLimit: a file larger than the limit is ErrTooLarge, unread.
func TestReadFileLimit(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "f")
	mustDo(t, os.WriteFile(path, []byte("12345"), 0o600))
	for limit, want := range map[int64]error{5: nil, 4: ErrTooLarge} {
		data, err := testPolicy().ReadFile(path, limit)
		if !errors.Is(err, want) || (err == nil && string(data) != "12345") {
			t.Errorf("ReadFile(limit %d) = %q, %v; want %v", limit, data, err, want)
		}
	}
	if _, err := testPolicy().ReadFile(path+".missing", 5); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist", err)
	}
}

// TestReplace: the file is replaced whole, 0600 whatever it was, with no
// temporary file left, even when the write fails; a link is replaced,
// not written through.
func TestReplace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(t *testing.T, path string)
		fails   bool
		outside string // what must be left in the file the link names
	}{
		{"new", func(*testing.T, string) {}, false, ""},
		{"over a file 0644", func(t *testing.T, path string) {
			mustDo(t, os.WriteFile(path, []byte("old"), 0o644))
			mustDo(t, os.Chmod(path, 0o644))
		}, false, ""},
		{"over a link", func(t *testing.T, path string) {
			target := filepath.Join(t.TempDir(), "elsewhere")
			mustDo(t, os.WriteFile(target, []byte("theirs"), 0o600))
			if err := os.Symlink(target, path); err != nil {
				t.Skip("no symbolic links here:", err)
			}
		}, false, "theirs"},
		{"in a missing dir", func(t *testing.T, path string) { mustDo(t, os.Remove(filepath.Dir(path))) }, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "d")
			mustDo(t, os.Mkdir(dir, 0o700))
			path := filepath.Join(dir, "config.json")
			tt.setup(t, path)
			var target string
			if l, err := os.Readlink(path); err == nil {
				target = l
			}
			err := Replace(path, []byte("new"))
			if tt.fails {
				if err == nil || !strings.Contains(err.Error(), path) {
					t.Errorf("Replace = %v, want an error naming the file", err)
				}
				return
			}
			mustDo(t, err)
			fi, err := os.Lstat(path)
			mustDo(t, err)
			if data, _ := os.ReadFile(path); !fi.Mode().IsRegular() || string(data) != "new" {
				t.Errorf("after Replace: %v holding %q", fi.Mode(), data)
			}
			if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %04o, want 0600", fi.Mode().Perm())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("left in the dir: %v", entries)
			}
			if target != "" {
				if data, _ := os.ReadFile(target); string(data) != tt.outside {
					t.Errorf("written through the link: %q", data)
				}
			}
		})
	}
}

// TestSyncDir: a dir that cannot be synced is a *SyncError naming it.
func TestSyncDir(t *testing.T) {
	t.Parallel()
	mustDo(t, SyncDir(t.TempDir()))
	missing := filepath.Join(t.TempDir(), "missing")
	var serr *SyncError
	if err := SyncDir(missing); runtime.GOOS != "windows" && (!errors.As(err, &serr) || serr.Dir != missing || !errors.Is(err, fs.ErrNotExist)) {
		t.Errorf("SyncDir(missing) = %v, want a *SyncError for it", err)
	}
}

// TestLock: a lock held elsewhere is waited for, for the timeout at most,
// then refused with the caller's sentinel naming the lock; a cancelled
// context ends the wait at once; once released it is taken.
func TestLock(t *testing.T) {
	t.Parallel()
	p := testPolicy()
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := p.Lock(t.Context(), path, time.Second)
	mustDo(t, err)
	if runtime.GOOS != "windows" && perm(t, path) != 0o600 {
		t.Errorf("lock file mode %04o, want 0600", perm(t, path))
	}
	const timeout = 100 * time.Millisecond
	cancelled, cancel := context.WithCancel(t.Context())
	time.AfterFunc(20*time.Millisecond, cancel)
	for _, tt := range []struct {
		name    string
		ctx     context.Context
		want    error
		atLeast time.Duration
	}{
		{"held for the timeout", t.Context(), errLocked, timeout},
		{"cancelled while waiting", cancelled, context.Canceled, 0},
	} {
		start := time.Now()
		_, err := p.Lock(tt.ctx, path, timeout)
		took := time.Since(start)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want %v naming the lock", tt.name, err, tt.want)
		}
		if took < tt.atLeast || took > timeout+2*time.Second {
			t.Errorf("%s: gave up after %s", tt.name, took)
		}
	}
	unlock()
	again, err := p.Lock(t.Context(), path, timeout)
	mustDo(t, err)
	again()
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/home/me/.config/senderpool": "/home/me/.config/senderpool",
		"/a b":                        "'/a b'",
		"it's":                        `'it'\''s'`,
		"":                            "''",
		"$(x)":                        "'$(x)'",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
