package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// The helpers below are this package's own copy of the rules keystore
// applies to the config dir (keystore keeps its helpers unexported): a
// private dir, private regular files, one lock across processes.

// ensureDir creates dir (0700) when it does not exist and refuses one
// that is not a directory or that someone else could write.
func ensureDir(dir string) error {
	err := checkDir(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	// MkdirAll honours the umask, which can only remove bits; make sure.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	return nil
}

// checkDir refuses a dir that is not a directory or that another user
// owns or may write. A link to a directory is fine: the dir may be one
// the user chose.
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrUnsafe, dir)
	}
	return checkPrivate(dir, fi, true)
}

// checkFile refuses a path that is not a regular file (a symbolic link,
// a named pipe, a device, a directory) or that is not private.
func checkFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is %s, not a regular file: senderpool reads and writes only a regular file there (move it aside)", ErrUnsafe, path, describe(path, fi))
	}
	return checkPrivate(path, fi, false)
}

// describe says what a non-regular file is, and where it links.
func describe(path string, fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		kind := "a symbolic link"
		if target, err := os.Readlink(path); err == nil {
			kind += " (to " + target + ")"
		}
		return kind
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// openRead opens the regular file at path for reading, checking what
// was opened. A missing file is an error matching fs.ErrNotExist.
func openRead(path string) (*os.File, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if err := checkFile(path, before); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, readFlags, 0)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkFile(path, fi) // swapped between the two looks
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// openAppend opens path for appending, creating it (0600) if need be,
// and checks what was opened. created says the dir gained an entry, which
// only a sync of the dir makes durable.
func openAppend(path string) (f *os.File, created bool, err error) {
	_, err = os.Lstat(path)
	created = errors.Is(err, fs.ErrNotExist)
	f, err = os.OpenFile(path, appendFlags, 0o600)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			return nil, false, checkFile(path, fi)
		}
		return nil, false, fmt.Errorf("opening %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkFile(path, fi)
	}
	if err != nil {
		_ = f.Close()
		return nil, false, err
	}
	return f, created, nil
}

// syncDir makes a new or renamed entry of dir durable. Windows cannot
// open a directory for syncing; NTFS journals its metadata.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// lockRetry is how often a waiting call tries the lock again.
const lockRetry = 10 * time.Millisecond

// lockFile takes the flock on path, creating it (0600), waiting at most
// timeout or until ctx ends. The system drops the lock when its holder
// ends, so it cannot go stale.
func lockFile(ctx context.Context, path string, timeout time.Duration) (unlock func(), err error) {
	l := flock.New(path, flock.SetFlag(lockFlags), flock.SetPermissions(0o600))
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := l.TryLockContext(wctx, lockRetry)
	switch {
	case ok:
		return func() { _ = l.Unlock() }, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("waiting for the lock %s: %w", path, context.Cause(ctx))
	case err == nil || errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: another senderpool has held %s for %s: nothing was written; try again once it is done", ErrLocked, path, timeout)
	default:
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
}

// shellQuote quotes s for a POSIX shell, when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/._-+,:@%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
