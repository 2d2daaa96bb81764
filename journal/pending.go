package journal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/senderpool/senderpool/internal/safefile"
)

// Pending returns the moves that have not ended, oldest first, and notes
// on what was ignored (a torn last line). A missing journal has none.
func (j *Journal) Pending(ctx context.Context) ([]Move, []string, error) {
	var s *state
	err := j.locked(ctx, false, func() error {
		var err error
		s, err = j.load()
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return s.pending(), s.notes, nil
}

// Compact rewrites the journal with only the lines of pending moves
// (atomically: a reader sees the old file or the new one). A corrupt
// journal is refused, never rewritten.
func (j *Journal) Compact(ctx context.Context) error {
	return j.locked(ctx, true, func() error {
		s, err := j.load()
		if err != nil {
			return err
		}
		return j.compact(s)
	})
}

// compact replaces the journal with the lines of s's pending moves.
func (j *Journal) compact(s *state) error {
	var buf bytes.Buffer
	for _, id := range s.order {
		if m := s.moves[id]; !m.ended {
			for _, line := range m.lines {
				buf.Write(line)
				buf.WriteByte('\n')
			}
		}
	}
	return safefile.Replace(j.Path(), buf.Bytes())
}

// locked runs fn holding the journal's lock; write creates the dir first.
func (j *Journal) locked(ctx context.Context, write bool, fn func() error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if write {
		if err := files().EnsureDir(j.dir); err != nil {
			return err
		}
	} else if err := files().CheckDir(j.dir); errors.Is(err, fs.ErrNotExist) {
		return fn() // nothing journaled yet; load finds no file
	} else if err != nil {
		return err
	}
	unlock, err := files().Lock(ctx, filepath.Join(j.dir, LockFileName), j.lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

// load reads and decodes the journal. A missing one is empty.
func (j *Journal) load() (*state, error) {
	path := j.Path()
	if err := files().CheckDir(j.dir); errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	} else if err != nil {
		return nil, err
	}
	data, err := files().ReadFile(path, MaxSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return newState(), nil
	case errors.Is(err, safefile.ErrTooLarge):
		return nil, fmt.Errorf("%w: %s is larger than 1 MiB, far more than a journal of moves can be (it holds no secrets: move it aside)", ErrCorrupt, path)
	case err != nil:
		return nil, err
	}
	s, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w (it holds no secrets: look at it, then move it aside)", ErrCorrupt, path, err)
	}
	return s, nil
}
