//go:build unix

package audit

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// The flags never follow a symbolic link and never wait on a named pipe.
const (
	readFlags   = os.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	appendFlags = os.O_RDWR | os.O_APPEND | os.O_CREATE | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	lockFlags   = os.O_CREATE | os.O_RDWR | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
)

// checkPrivate refuses, as keystore does the config, a file or dir that
// another user owns (root excepted) or that group or others may write:
// whoever can write the log can rewrite the record of what was changed.
// The error names the command that fixes it.
func checkPrivate(path string, fi fs.FileInfo, isDir bool) error {
	return checkPrivateFor(path, fi, isDir, os.Geteuid())
}

func checkPrivateFor(path string, fi fs.FileInfo, isDir bool, euid int) error {
	what := "audit log"
	if isDir {
		what = "state dir"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != euid && st.Uid != 0 {
		return fmt.Errorf("%w: the %s %s belongs to another user (uid %d): if it should be yours, `sudo chown %d %s`; else move it aside",
			ErrUnsafe, what, path, st.Uid, euid, shellQuote(path))
	}
	perm := fi.Mode().Perm()
	if perm&0o022 == 0 {
		return nil
	}
	who := "group and others"
	switch perm & 0o022 {
	case 0o020:
		who = "its group"
	case 0o002:
		who = "others"
	}
	fix := "chmod go-w " + shellQuote(path)
	if isDir {
		fix = "chmod 700 " + shellQuote(path)
	}
	return fmt.Errorf("%w: the %s %s is writable by %s (mode %04o): fix it with `%s`", ErrUnsafe, what, path, who, perm, fix)
}
