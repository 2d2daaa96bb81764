//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// Only Unix has O_NOFOLLOW, and named pipes that block an open.
const (
	readFlags   = os.O_RDONLY
	appendFlags = os.O_RDWR | os.O_APPEND | os.O_CREATE
	lockFlags   = os.O_CREATE | os.O_RDWR
)

// OpenNoBlock opens path for reading; only Unix has named pipes that
// block an open.
func OpenNoBlock(path string) (*os.File, error) { return os.Open(path) }

// checkPrivate checks nothing here: Windows has no Unix permission bits,
// and the dirs are in the user's own profile dir.
func (Policy) checkPrivate(string, fs.FileInfo) error { return nil }
