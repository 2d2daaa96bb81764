//go:build unix

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRefused: what is not a private regular file is refused by every
// way in, with the caller's sentinel, saying what it is or the command
// that fixes it, at once (a named pipe nobody writes included) and
// without writing through it.
func TestRefused(t *testing.T) {
	t.Parallel()
	p := testPolicy()
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		says  string // %s is the file's path
	}{
		{"a symbolic link", func(t *testing.T, path string) {
			target := filepath.Join(t.TempDir(), "elsewhere")
			mustDo(t, os.WriteFile(target, nil, 0o600))
			mustDo(t, os.Symlink(target, path))
		}, "%s is a symbolic link (to "},
		{"a link to a device", func(t *testing.T, path string) { mustDo(t, os.Symlink(os.DevNull, path)) }, "is a symbolic link (to " + os.DevNull + "), not a regular file"},
		{"a named pipe", func(t *testing.T, path string) { mustDo(t, syscall.Mkfifo(path, 0o600)) }, "%s is a named pipe (FIFO), not a regular file"},
		{"a directory", func(t *testing.T, path string) { mustDo(t, os.Mkdir(path, 0o700)) }, "%s is a directory, not a regular file"},
		{"writable by its group", func(t *testing.T, path string) {
			mustDo(t, os.WriteFile(path, nil, 0o600))
			mustDo(t, os.Chmod(path, 0o620))
		}, "the test file %s is writable by its group (mode 0620), who could send your secret anywhere: fix it with `chmod go-w %s`"},
		{"writable by others", func(t *testing.T, path string) {
			mustDo(t, os.WriteFile(path, nil, 0o600))
			mustDo(t, os.Chmod(path, 0o602))
		}, "writable by others (mode 0602)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "f")
			tt.setup(t, path)
			ways := map[string]func() error{
				"OpenRead":   func() error { f, err := p.OpenRead(path); closeIf(f); return err },
				"ReadFile":   func() error { _, err := p.ReadFile(path, 1<<20); return err },
				"OpenAppend": func() error { f, _, err := p.OpenAppend(path); closeIf(f); return err },
			}
			says := strings.ReplaceAll(tt.says, "%s", path)
			for way, do := range ways {
				done := make(chan error, 1)
				go func() { done <- do() }()
				select {
				case err := <-done:
					if !errors.Is(err, errUnsafe) || !strings.Contains(err.Error(), says) {
						t.Errorf("%s = %v; want errUnsafe saying %q", way, err, says)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("%s blocked", way)
				}
			}
			if target, err := os.Readlink(path); err == nil {
				if fi, err := os.Stat(target); err == nil && fi.Mode().IsRegular() && fi.Size() != 0 {
					t.Errorf("written through the link to %s", target)
				}
			}
		})
	}
}

func closeIf(f *os.File) {
	if f != nil {
		_ = f.Close()
	}
}

// TestReadRegular follows a link to a regular file, and refuses anything
// else at once, saying what it is and where it links.
func TestReadRegular(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  error
		says  string // %s is the file's path
	}{
		{"a link to a regular file", func(t *testing.T, path string) {
			target := filepath.Join(t.TempDir(), "elsewhere")
			mustDo(t, os.WriteFile(target, []byte("data"), 0o600))
			mustDo(t, os.Symlink(target, path))
		}, nil, ""},
		{"a link to a device", func(t *testing.T, path string) { mustDo(t, os.Symlink(os.DevNull, path)) }, ErrNotRegular, "%s is a device (it links to " + os.DevNull + "), not a regular file"},
		{"a named pipe", func(t *testing.T, path string) { mustDo(t, syscall.Mkfifo(path, 0o600)) }, ErrNotRegular, "%s is a named pipe (FIFO), not a regular file"},
		{"a directory", func(t *testing.T, path string) { mustDo(t, os.Mkdir(path, 0o700)) }, ErrNotRegular, "%s is a directory, not a regular file"},
		{"too large", func(t *testing.T, path string) { mustDo(t, os.WriteFile(path, []byte("12345"), 0o600)) }, ErrTooLarge, "%s is 5 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "f")
			tt.setup(t, path)
			type result struct {
				data []byte
				err  error
			}
			done := make(chan result, 1)
			go func() {
				data, _, err := ReadRegular(t.Context(), OpenNoBlock, path, 4)
				done <- result{data, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("ReadRegular blocked")
			}
			says := strings.ReplaceAll(tt.says, "%s", path)
			if !errors.Is(r.err, tt.want) || (r.err != nil && !strings.Contains(r.err.Error(), says)) {
				t.Errorf("ReadRegular = %v; want %v saying %q", r.err, tt.want, says)
			}
			if tt.want == nil && string(r.data) != "data" {
				t.Errorf("read %q", r.data)
			}
		})
	}
}

// TestLockRefusesLink: the lock is never taken through a symbolic link,
// which could have it create or lock a file elsewhere.
func TestLockRefusesLink(t *testing.T) {
	t.Parallel()
	target := filepath.Join(t.TempDir(), "elsewhere")
	path := filepath.Join(t.TempDir(), "x.lock")
	mustDo(t, os.Symlink(target, path))
	if _, err := testPolicy().Lock(t.Context(), path, time.Second); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Lock through a link = %v, want an error naming it", err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link's target was created: %v", err)
	}
}

// statInfo is a FileInfo with a mode and an owner.
type statInfo struct {
	mode fs.FileMode
	uid  uint32
}

func (f statInfo) Name() string       { return "config.json" }
func (f statInfo) Size() int64        { return 0 }
func (f statInfo) Mode() fs.FileMode  { return f.mode }
func (f statInfo) ModTime() time.Time { return time.Time{} }
func (f statInfo) IsDir() bool        { return f.mode.IsDir() }
func (f statInfo) Sys() any           { return &syscall.Stat_t{Uid: f.uid} }

// TestCheckPrivate is OpenSSH's rule: only the user (or root) may own the
// file, and neither group nor others may write it; reading is fine. The
// refusal names the file or dir as the caller calls it, says what is at
// stake if the caller says so, and names the command that fixes it.
func TestCheckPrivate(t *testing.T) {
	t.Parallel()
	const me = 1000
	config := Policy{File: "config file", Dir: "config dir", Stake: ", who could send your secret anywhere", Unsafe: errUnsafe, Locked: errLocked}
	journal := Policy{File: "journal file", Dir: "config dir", Unsafe: errUnsafe, Locked: errLocked}
	tests := []struct {
		name string
		p    Policy
		fi   statInfo
		says string // "" when accepted
	}{
		{"mine, 0600", config, statInfo{0o600, me}, ""},
		{"mine, readable by all", config, statInfo{0o644, me}, ""},
		{"root's", config, statInfo{0o644, 0}, ""},
		{"mine, group-writable", config, statInfo{0o660, me}, "writable by its group (mode 0660)"},
		{"mine, world-writable", config, statInfo{0o606, me}, "writable by others (mode 0606)"},
		{"mine, writable by both", config, statInfo{0o666, me}, "the config file /c/config.json is writable by group and others (mode 0666), who could send your secret anywhere: fix it with `chmod go-w /c/config.json`"},
		{"mine, writable by both, no stake", journal, statInfo{0o666, me}, "the journal file /c/config.json is writable by group and others (mode 0666): fix it with `chmod go-w /c/config.json`"},
		{"another's", config, statInfo{0o600, 1001}, "the config file /c/config.json belongs to another user (uid 1001), who could send your secret anywhere: if it should be yours, `sudo chown 1000 /c/config.json`; else move it aside"},
		{"another's, no stake", journal, statInfo{0o600, 1001}, "the journal file /c/config.json belongs to another user (uid 1001): if it should be yours, `sudo chown 1000 /c/config.json`; else move it aside"},
		{"dir, mine", config, statInfo{fs.ModeDir | 0o700, me}, ""},
		{"dir, mine, 0755", config, statInfo{fs.ModeDir | 0o755, me}, ""},
		{"dir, group-writable", config, statInfo{fs.ModeDir | 0o775, me}, "the config dir /c/config.json is writable by its group (mode 0775), who could send your secret anywhere: fix it with `chmod 700 /c/config.json`"},
		{"dir, sticky, writable by all", journal, statInfo{fs.ModeDir | fs.ModeSticky | 0o777, me}, "`chmod 700 /c/config.json`"},
		{"dir, another's", config, statInfo{fs.ModeDir | 0o700, 1001}, "`sudo chown 1000 /c/config.json`"},
	}
	for _, tt := range tests {
		err := tt.p.checkPrivateFor("/c/config.json", tt.fi, me)
		switch {
		case tt.says == "" && err != nil:
			t.Errorf("%s: %v, want accepted", tt.name, err)
		case tt.says != "" && (!errors.Is(err, errUnsafe) || !strings.Contains(err.Error(), tt.says)):
			t.Errorf("%s: %v, want errUnsafe saying %q", tt.name, err, tt.says)
		}
	}
}

// TestCheckPrivateOwner: on a real file, another user's is refused and
// one's own is not.
func TestCheckPrivateOwner(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "f")
	mustDo(t, os.WriteFile(path, nil, 0o600))
	fi, err := os.Stat(path)
	mustDo(t, err)
	owner := int(fi.Sys().(*syscall.Stat_t).Uid)
	p := testPolicy()
	if err := p.checkPrivateFor(path, fi, owner+1); owner != 0 && !errors.Is(err, errUnsafe) {
		t.Errorf("another user's file: %v", err)
	}
	if err := p.checkPrivateFor(path, fi, owner); err != nil {
		t.Errorf("one's own file: %v", err)
	}
	if err := p.CheckPrivate(path, fi); err != nil {
		t.Errorf("CheckPrivate of one's own file: %v", err)
	}
}
