package journal

import "github.com/senderpool/senderpool/internal/safefile"

// files is how the config dir and the journal are kept: a private dir, a
// private regular file, one lock across processes. Whoever can write the
// journal decides what the next start offers to attach where.
func files() safefile.Policy {
	return safefile.Policy{File: "journal file", Dir: "config dir", Unsafe: ErrUnsafe, Locked: ErrLocked}
}
