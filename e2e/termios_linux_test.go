package e2e

import (
	"os"

	"golang.org/x/sys/unix"
)

// echoOf reads whether tty echoes what is typed.
func echoOf(tty *os.File) echoState {
	t, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		return echoUnknown
	}
	if t.Lflag&unix.ECHO != 0 {
		return echoOn
	}
	return echoOff
}
