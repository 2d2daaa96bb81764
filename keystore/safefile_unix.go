//go:build unix

package keystore

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openNoBlock opens path for reading without waiting: opening a named
// pipe nobody writes would otherwise block in the kernel, where no signal
// reaches the program's code.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// lockFlags open the lock file: created if missing, never through a
// symbolic link, never waiting. Read-write, as fcntl-based locks need on
// some systems.
const lockFlags = os.O_CREATE | os.O_RDWR | syscall.O_NONBLOCK | syscall.O_NOFOLLOW

// checkPrivate refuses, as OpenSSH does its own files, a config file or
// dir that another user owns (root excepted) or that group or others may
// write: whoever can write it decides, through api_url, where the secret
// is sent. The error names the command that fixes it.
func checkPrivate(path string, fi fs.FileInfo, isDir bool) error {
	return checkPrivateFor(path, fi, isDir, os.Geteuid())
}

func checkPrivateFor(path string, fi fs.FileInfo, isDir bool, euid int) error {
	what := "config file"
	if isDir {
		what = "config dir"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != euid && st.Uid != 0 {
		return fmt.Errorf("%w: the %s %s belongs to another user (uid %d), who could send your secret anywhere: if it should be yours, `sudo chown %d %s`; else move it aside",
			ErrConfigUnsafe, what, path, st.Uid, euid, shellQuote(path))
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
	return fmt.Errorf("%w: the %s %s is writable by %s (mode %04o), who could send your secret anywhere: fix it with `%s`",
		ErrConfigUnsafe, what, path, who, perm, fix)
}
