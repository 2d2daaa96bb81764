//go:build !unix

package keystore

import (
	"io/fs"
	"os"
)

// openNoBlock opens path for reading; only Unix has named pipes that
// block an open.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }

// lockFlags open the lock file: created if missing.
const lockFlags = os.O_CREATE | os.O_RDWR

// checkPrivate checks nothing here: Windows has no Unix permission bits,
// and the config dir is the user's own profile dir.
func checkPrivate(string, fs.FileInfo, bool) error { return nil }
