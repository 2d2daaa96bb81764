// Package safefile opens, checks, locks, syncs and replaces the private
// files senderpool keeps in a private dir: the config, the encrypted
// secrets, the audit log and the journal.
//
// The rules are OpenSSH's for its own files: the dir is 0700 and the
// files 0600 when created here; neither may be another user's (root
// excepted) or writable by group or others (Unix), because whoever can
// write them decides what senderpool does next. A refusal names the
// command that fixes it. Files are opened without waiting on a named
// pipe and, but for ReadRegular, never through a symbolic link (a link to
// the dir is fine: it may be one the user chose).
//
// What differs between callers is a Policy: the names of the file and
// the dir in messages, and the caller's sentinel errors, which every
// refusal wraps so that callers keep testing their own with errors.Is.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Policy is what one caller's files differ in. Unsafe and Locked are
// required.
type Policy struct {
	// File and Dir name the file and its dir in messages ("the audit
	// log /…", "the state dir /…").
	File, Dir string
	// Stake, when set, follows the reason of an ownership or mode refusal
	// and says what is at risk: ", who could send your secret anywhere".
	Stake string
	// Unsafe is wrapped by every refusal of a file or dir.
	Unsafe error
	// Locked is wrapped when another process holds the lock all along.
	Locked error
	// LockRetry is how often a waiting Lock tries again; 10 ms if zero.
	LockRetry time.Duration
}

var (
	// ErrNotRegular: the path names a named pipe, a device, a socket or a
	// directory. Reading one could block for ever or never end.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file holds more than the caller's limit.
	ErrTooLarge = errors.New("too large")
)

// SyncError says a dir could not be synced: what was created or renamed
// in it is there, but may not survive a crash of the system. Callers that
// only do their best to make it durable tell it apart with errors.As.
type SyncError struct {
	Dir string
	Err error
}

func (e *SyncError) Error() string { return "syncing " + e.Dir + ": " + e.Err.Error() }
func (e *SyncError) Unwrap() error { return e.Err }

// EnsureDir creates dir (0700) when it does not exist. An existing one is
// left as it is (it may be one the user chose) but refused by CheckDir's
// rules.
func (p Policy) EnsureDir(dir string) error {
	err := p.CheckDir(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", p.Dir, err)
	}
	// MkdirAll honours the umask, which can only remove bits; make sure.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", p.Dir, err)
	}
	return nil
}

// CheckDir refuses a dir that is not a directory or that another user
// owns or may write. A link to a directory is fine: the dir may be one
// the user chose. A missing dir is an error matching fs.ErrNotExist.
func (p Policy) CheckDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: the %s %s is not a directory", p.Unsafe, p.Dir, dir)
	}
	return p.CheckPrivate(dir, fi)
}

// CheckPrivate refuses a file or dir (fi says which) that another user
// owns, root excepted, or that group or others may write; reading is
// fine. It checks nothing where there are no Unix permission bits.
func (p Policy) CheckPrivate(path string, fi fs.FileInfo) error {
	return p.checkPrivate(path, fi)
}

// checkFile refuses a path that is not a regular file (a symbolic link,
// a named pipe, a device, a directory) or that is not private.
func (p Policy) checkFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is %s, not a regular file: senderpool reads and writes only a regular file there (move it aside)", p.Unsafe, path, describe(path, fi))
	}
	return p.CheckPrivate(path, fi)
}

// describe says what a non-regular file is, and where it links.
func describe(path string, fi fs.FileInfo) string {
	kind := "a special file"
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		kind = "a symbolic link"
		if target, err := os.Readlink(path); err == nil {
			kind += " (to " + target + ")"
		}
		return kind
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m.IsDir():
		kind = "a directory"
	}
	// fi was the link's target (ReadRegular follows links): say so.
	if target, err := os.Readlink(path); err == nil {
		kind += " (it links to " + target + ")"
	}
	return kind
}

// OpenRead opens the private regular file at path for reading, never
// through a symbolic link, and checks what was opened. A missing file is
// an error matching fs.ErrNotExist.
func (p Policy) OpenRead(path string) (*os.File, error) {
	f, _, err := p.openRead(path)
	return f, err
}

func (p Policy) openRead(path string) (*os.File, fs.FileInfo, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := p.checkFile(path, before); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, readFlags, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		err = fmt.Errorf("reading %s: %w", path, err)
	} else {
		err = p.checkFile(path, fi) // swapped between the two looks
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// ReadFile reads the private regular file at path (as OpenRead opens
// it), at most limit bytes. A missing file is an error matching
// fs.ErrNotExist; a larger one, ErrTooLarge.
func (p Policy) ReadFile(path string, limit int64) ([]byte, error) {
	f, fi, err := p.openRead(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readLimited(f, path, fi, limit)
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return data, err
}

// readLimited reads f, opened at path and fstat'd as fi, refusing more
// than limit bytes, even when it grows as it is read.
func readLimited(f *os.File, path string, fi fs.FileInfo, limit int64) ([]byte, error) {
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes: %w", path, fi.Size(), ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s grows as it is read: %w", path, ErrTooLarge)
	}
	return data, nil
}

// OpenAppend opens path for reading and appending, creating it (0600) if
// need be, never through a symbolic link, and checks what was opened.
// created says the dir gained an entry, which only SyncDir makes durable.
func (p Policy) OpenAppend(path string) (f *os.File, created bool, err error) {
	_, err = os.Lstat(path)
	created = errors.Is(err, fs.ErrNotExist)
	f, err = os.OpenFile(path, appendFlags, 0o600)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			return nil, false, p.checkFile(path, fi)
		}
		return nil, false, fmt.Errorf("opening %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = p.checkFile(path, fi)
	}
	if err != nil {
		_ = f.Close()
		return nil, false, err
	}
	return f, created, nil
}

// Replace writes data to path through a temporary file in the same dir
// (0600), synced, then renamed over path, and syncs the dir: a reader
// sees the old file or the new one, never a torn one. When only the dir's
// sync fails, the error is a *SyncError and path holds data.
func Replace(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// CreateTemp already uses 0600; say so explicitly (Windows has no such bits).
	if runtime.GOOS != "windows" {
		if err = f.Chmod(0o600); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return SyncDir(dir)
}

// SyncDir makes a new or renamed entry of dir durable; its error is a
// *SyncError. Windows cannot open a directory for syncing; NTFS journals
// its metadata.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return &SyncError{Dir: dir, Err: err}
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return &SyncError{Dir: dir, Err: err}
	}
	return nil
}

// ShellQuote quotes s for a POSIX shell when it needs it, so that the
// fixes named in refusals can be copied and run as they are.
func ShellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/._-+,:@%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
