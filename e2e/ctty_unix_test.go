//go:build !windows

package e2e

import "syscall"

// controllingTerminal makes the pty the child's controlling terminal, so
// that ctrl+c typed there is SIGINT to it.
func controllingTerminal() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true, Setctty: true}
}
