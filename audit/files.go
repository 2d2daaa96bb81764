package audit

import "github.com/senderpool/senderpool/internal/safefile"

// files is how the state dir and the log are kept: a private dir, a
// private regular file, one lock across processes. Whoever can write the
// log can rewrite the record of what was changed.
func files() safefile.Policy {
	return safefile.Policy{File: "audit log", Dir: "state dir", Unsafe: ErrUnsafe, Locked: ErrLocked}
}
