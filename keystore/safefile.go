package keystore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// MaxConfigSize is the most of config.json that is read: a profile takes
// a few hundred bytes, so anything larger is not a config of ours.
const MaxConfigSize = 1 << 20

var (
	// errNotRegular: the path names a named pipe, a device, a socket or a
	// directory. Reading one could block for ever or never end.
	errNotRegular = errors.New("not a regular file")
	// errTooLarge: the file holds more than the caller's limit.
	errTooLarge = errors.New("too large")
)

// openFunc opens a file for reading; tests put one that blocks.
type openFunc func(path string) (*os.File, error)

// readRegular reads the regular file at path (a symbolic link to one is
// fine), at most limit bytes, and returns it with what fstat said of it.
// Anything else is refused by its type before it is opened, and the open
// itself cannot wait on a named pipe (openNoBlock). The work runs apart so
// that ctx (a signal) ends the wait even if the file system does not
// answer. A missing file is an error matching fs.ErrNotExist.
func readRegular(ctx context.Context, open openFunc, path string, limit int64) ([]byte, fs.FileInfo, error) {
	type result struct {
		data []byte
		fi   fs.FileInfo
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, fi, err := readRegularNow(open, path, limit)
		done <- result{data, fi, err}
	}()
	select {
	case r := <-done:
		return r.data, r.fi, r.err
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("reading %s: %w", path, context.Cause(ctx))
	}
}

func readRegularNow(open openFunc, path string, limit int64) ([]byte, fs.FileInfo, error) {
	before, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !before.Mode().IsRegular() {
		return nil, nil, notRegular(path, before)
	}
	f, err := open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	// Swapped between the two looks: judge what was opened.
	if !fi.Mode().IsRegular() {
		return nil, nil, notRegular(path, fi)
	}
	if fi.Size() > limit {
		return nil, nil, fmt.Errorf("%s is %d bytes: %w", path, fi.Size(), errTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, fmt.Errorf("%s grows as it is read: %w", path, errTooLarge)
	}
	return data, fi, nil
}

// notRegular says what path is instead, and where it links.
func notRegular(path string, fi fs.FileInfo) error {
	kind := "a special file"
	switch m := fi.Mode(); {
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m.IsDir():
		kind = "a directory"
	}
	if target, err := os.Readlink(path); err == nil {
		kind += " (it links to " + target + ")"
	}
	return fmt.Errorf("%s is %s, %w", path, kind, errNotRegular)
}

// checkDir refuses a config dir that is not a directory or that someone
// else could write (see checkPrivate).
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: the config dir %s is not a directory", ErrConfigUnsafe, dir)
	}
	return checkPrivate(dir, fi, true)
}

// shellQuote quotes path for a command to copy, when it needs it.
func shellQuote(path string) string {
	if path != "" && !strings.ContainsFunc(path, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/._-+,:@%", r))
	}) {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}
