//go:build !unix

package audit

import (
	"io/fs"
	"os"
)

const (
	readFlags   = os.O_RDONLY
	appendFlags = os.O_RDWR | os.O_APPEND | os.O_CREATE
	lockFlags   = os.O_CREATE | os.O_RDWR
)

// checkPrivate checks nothing here: Windows has no Unix permission bits,
// and the state dir is in the user's own profile dir.
func checkPrivate(string, fs.FileInfo, bool) error { return nil }
