//go:build unix

package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// The flags never follow a symbolic link and never wait on a named pipe:
// opening one nobody writes would block in the kernel, where no signal
// reaches the program's code. The lock is read-write, as fcntl-based
// locks need on some systems.
const (
	readFlags   = os.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	appendFlags = os.O_RDWR | os.O_APPEND | os.O_CREATE | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	lockFlags   = os.O_CREATE | os.O_RDWR | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
)

// OpenNoBlock opens path for reading without waiting on a named pipe. It
// follows a symbolic link (see ReadRegular).
func OpenNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

func (p Policy) checkPrivate(path string, fi fs.FileInfo) error {
	return p.checkPrivateFor(path, fi, os.Geteuid())
}

func (p Policy) checkPrivateFor(path string, fi fs.FileInfo, euid int) error {
	what := p.File
	if fi.IsDir() {
		what = p.Dir
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != euid && st.Uid != 0 {
		return fmt.Errorf("%w: the %s %s belongs to another user (uid %d)%s: if it should be yours, `sudo chown %d %s`; else move it aside",
			p.Unsafe, what, path, st.Uid, p.Stake, euid, ShellQuote(path))
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
	fix := "chmod go-w " + ShellQuote(path)
	if fi.IsDir() {
		fix = "chmod 700 " + ShellQuote(path)
	}
	return fmt.Errorf("%w: the %s %s is writable by %s (mode %04o)%s: fix it with `%s`",
		p.Unsafe, what, path, who, perm, p.Stake, fix)
}
