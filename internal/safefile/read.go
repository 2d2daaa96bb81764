package safefile

import (
	"context"
	"fmt"
	"io/fs"
	"os"
)

// OpenFunc opens a file for reading: OpenNoBlock, or in tests one that
// blocks.
type OpenFunc func(path string) (*os.File, error)

// ReadRegular reads the regular file at path, at most limit bytes, and
// returns it with what fstat said of it. Unlike ReadFile it follows a
// symbolic link (the file may be one the user keeps elsewhere) and
// leaves the private check to the caller; anything but a regular file is
// refused by its type before it is opened (ErrNotRegular), and a larger
// one is ErrTooLarge. The work runs apart so that ctx (a signal) ends the
// wait even if the file system does not answer. A missing file is an
// error matching fs.ErrNotExist.
func ReadRegular(ctx context.Context, open OpenFunc, path string, limit int64) ([]byte, fs.FileInfo, error) {
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

func readRegularNow(open OpenFunc, path string, limit int64) ([]byte, fs.FileInfo, error) {
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
	data, err := readLimited(f, path, fi, limit)
	if err != nil {
		return nil, nil, err
	}
	return data, fi, nil
}

// notRegular says what path is instead, and where it links.
func notRegular(path string, fi fs.FileInfo) error {
	return fmt.Errorf("%s is %s, %w", path, describe(path, fi), ErrNotRegular)
}
