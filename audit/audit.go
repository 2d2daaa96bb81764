// Package audit keeps the append-only record of every change senderpool
// makes to a Messaging Service: attaches, detaches, moves and settings.
//
// Each change is written twice to FileName in the user's state dir
// (DefaultDir): an "intent" line before the request is sent, an
// "outcome" line after its answer, so that a change cut off between the
// two (ctrl+c, a crash) shows as an intent with no outcome (Changes).
// Every line carries the equivalent twilio-cli command, which never
// holds a secret; neither does anything else in the file.
//
// The file is JSON lines (see Entry), appended under a lock across
// processes with O_APPEND and synced before Append returns; the dir is
// 0700, the file 0600, and neither may be a symbolic link, another
// user's or writable by group or others. Read tolerates a last line cut
// short and reports, without failing, lines that do not decode.
//
// Service names, sender text and error messages are stored as they came
// from the network (json.Marshal escapes their control characters, so a
// line stays one line): callers print them, and Read's problems, through
// the text package (text.Clean, text.OneLine), never raw.
package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/senderpool/senderpool/internal/safefile"
)

// FileName is the log's name inside the state dir.
const FileName = "audit.jsonl"

// LockFileName is the lock taken around every append.
const LockFileName = "audit.lock"

// EnvStateDir overrides the state dir (for tests, like
// SENDERPOOL_CONFIG_DIR for the config dir).
const EnvStateDir = "SENDERPOOL_STATE_DIR"

// DefaultLockTimeout is how long an append waits for another process's.
const DefaultLockTimeout = 10 * time.Second

// Sentinel errors, for errors.Is.
var (
	// ErrUnsafe: the state dir or the log cannot be trusted: not a
	// directory / not a regular file (a symbolic link, a named pipe, a
	// device), or another user's, or writable by group or others. The
	// message names the command that fixes it.
	ErrUnsafe = errors.New("unsafe audit log")
	// ErrLocked: another process held the log's lock for longer than the
	// lock timeout; nothing was written.
	ErrLocked = errors.New("audit log is locked")
	// ErrInvalid: an Entry is malformed (a SID, the action, the phase, a
	// value too long, a command that cannot be built).
	ErrInvalid = errors.New("invalid audit entry")
)

// DefaultDir is the state dir: SENDERPOOL_STATE_DIR, else
// $XDG_STATE_HOME/senderpool (when absolute, as the XDG spec asks), else
// ~/.local/state/senderpool on Unix; on macOS os.UserConfigDir()
// (~/Library/Application Support), on Windows %LocalAppData%, each with
// senderpool. getenv nil means os.Getenv.
func DefaultDir(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	return defaultDir(runtime.GOOS, getenv)
}

func defaultDir(goos string, getenv func(string) string) (string, error) {
	if d := getenv(EnvStateDir); d != "" {
		return filepath.Abs(d)
	}
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "senderpool"), nil
	}
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("finding the state dir (set %s): %w", EnvStateDir, err)
	}
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "senderpool"), nil
		}
		fallthrough
	case "darwin", "ios", "plan9":
		base, err := os.UserConfigDir()
		if err != nil {
			return fail(err)
		}
		return filepath.Join(base, "senderpool"), nil
	}
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return fail(errors.New("$HOME is not set to an absolute path"))
	}
	return filepath.Join(home, ".local", "state", "senderpool"), nil
}

// Options configure a Log. The zero value is the real thing.
type Options struct {
	// Dir is the state dir. "" means DefaultDir(Getenv).
	Dir string
	// Getenv looks up environment variables. nil means os.Getenv.
	Getenv func(string) string
	// LockTimeout bounds the wait for another process's append. 0 means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// Now is the clock for entries without a time. nil means time.Now.
	Now func() time.Time
}

// Log is the audit log of one state dir. Its methods are safe for
// concurrent use, within a process and across processes.
type Log struct {
	dir         string
	lockTimeout time.Duration
	now         func() time.Time
	mu          sync.Mutex // this process's part of the lock
}

// Open returns the log in opts.Dir. It touches no file: the dir is
// created (0700) by the first Append.
func Open(opts Options) (*Log, error) {
	dir := opts.Dir
	if dir == "" {
		d, err := DefaultDir(opts.Getenv)
		if err != nil {
			return nil, err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("audit log dir %s: %w", dir, err)
	}
	l := &Log{dir: abs, lockTimeout: opts.LockTimeout, now: opts.Now}
	if l.lockTimeout <= 0 {
		l.lockTimeout = DefaultLockTimeout
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l, nil
}

// Dir is the state dir.
func (l *Log) Dir() string { return l.dir }

// Path is the log file's path.
func (l *Log) Path() string { return filepath.Join(l.dir, FileName) }

// Append writes e as one line, durably: under the lock, with O_APPEND,
// synced (and the dir synced when the file is new) before it returns.
// A zero e.Time is now; e.Command is always replaced by Command(e). A
// last line cut short by a killed append is ended first, so that this
// line stands on its own (Read then reports the cut one).
func (l *Log) Append(ctx context.Context, e Entry) error {
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	line, err := encode(e)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := files().EnsureDir(l.dir); err != nil {
		return err
	}
	unlock, err := files().Lock(ctx, filepath.Join(l.dir, LockFileName), l.lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	f, created, err := files().OpenAppend(l.Path())
	if err != nil {
		return err
	}
	defer f.Close()
	fail := func(err error) error { return fmt.Errorf("appending to %s: %w", l.Path(), err) }
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if n := fi.Size(); n > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, n-1); err != nil {
			return fail(err)
		}
		if last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if created {
		return safefile.SyncDir(l.dir)
	}
	return nil
}
