//go:build windows

package e2e

import "syscall"

// controllingTerminal: no ptys here (startPty skips).
func controllingTerminal() *syscall.SysProcAttr { return nil }
