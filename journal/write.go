package journal

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/senderpool/senderpool/internal/safefile"
)

// Begin journals a new move at StepStarted, durably, before the detach
// from A is sent.
func (j *Journal) Begin(ctx context.Context, e MoveEntry) error {
	if err := e.validate(); err != nil {
		return err
	}
	return j.update(ctx, func(s *state) ([]record, error) {
		if _, ok := s.moves[e.ID]; ok {
			return nil, fmt.Errorf("%w: %s", ErrMoveExists, e.ID)
		}
		entry := e
		return []record{{Move: e.ID, Step: StepStarted, Entry: &entry}}, nil
	})
}

// Step journals that move id reached step, durably, before the request
// that follows it is sent. A terminal step ends the move.
func (j *Journal) Step(ctx context.Context, id string, step Step) error {
	if step == StepStarted || !step.valid() || step == stepFailed {
		return fmt.Errorf("%w: step %q (want detached, rolling-back, attached, rolled-back or done)", ErrInvalid, step)
	}
	return j.step(ctx, record{Move: id, Step: step})
}

// Fail journals that the request for f.Step failed; the move stays where
// it was, with f as its Failure.
func (j *Journal) Fail(ctx context.Context, id string, f Failure) error {
	if err := f.validate(); err != nil {
		return err
	}
	return j.step(ctx, record{Move: id, Step: stepFailed, Failure: &f})
}

// Done ends move id: nothing more is to be done for it.
func (j *Journal) Done(ctx context.Context, id string) error { return j.Step(ctx, id, StepDone) }

func (j *Journal) step(ctx context.Context, r record) error {
	if err := validID(r.Move); err != nil {
		return err
	}
	return j.update(ctx, func(s *state) ([]record, error) {
		m, ok := s.moves[r.Move]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: %s", ErrUnknownMove, r.Move)
		case m.ended:
			return nil, fmt.Errorf("%w: %s is %s", ErrMoveEnded, r.Move, m.Step)
		}
		return []record{r}, nil
	})
}

// update loads the journal, asks fn for the records to append, appends
// them durably, and compacts when a move ended and the file is worth it.
// All under the lock.
func (j *Journal) update(ctx context.Context, fn func(*state) ([]record, error)) error {
	return j.locked(ctx, true, func() error {
		s, err := j.load()
		if err != nil {
			return err
		}
		recs, err := fn(s)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		lines := make([][]byte, len(recs))
		now := j.now()
		for i := range recs {
			recs[i].Version = formatVersion
			recs[i].Time = stamp(now)
			line, err := encode(recs[i])
			if err != nil {
				return err
			}
			buf.Write(line)
			lines[i] = line[:len(line)-1]
		}
		if int64(s.good+buf.Len()) > MaxSize {
			return fmt.Errorf("%w: %s would grow past 1 MiB: too many moves are pending (finish or close them first)", ErrCorrupt, j.Path())
		}
		if err := j.append(s, buf.Bytes()); err != nil {
			return err
		}
		ended := false
		for i, r := range recs {
			if err := s.apply(r, lines[i]); err != nil {
				return err // checked by fn; cannot happen
			}
			ended = ended || r.Step.Terminal()
		}
		if ended && (len(s.pending()) == 0 || s.good+buf.Len() > j.compactAt) {
			return j.compact(s)
		}
		return nil
	})
}

// append writes data at the end of the journal and syncs it (and the dir,
// when the file is new). A torn last line is cut off first, as its write
// never finished, so its step's request was never sent; a whole last line
// that lacks only its newline gets one.
func (j *Journal) append(s *state, data []byte) error {
	f, created, err := files().OpenAppend(j.Path())
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	} else if fi.Size() != int64(s.size) {
		// Only a writer outside the lock changes it under us.
		return fmt.Errorf("%w: %s changed while locked", ErrCorrupt, j.Path())
	}
	if s.torn {
		if err := f.Truncate(int64(s.good)); err != nil {
			return fmt.Errorf("writing %s: %w", j.Path(), err)
		}
	} else if s.unterminated {
		data = append([]byte{'\n'}, data...)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	}
	if created {
		return safefile.SyncDir(j.dir)
	}
	return nil
}

// stamp is the time as written: UTC, RFC 3339 with milliseconds.
func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

const timeFormat = "2006-01-02T15:04:05.000Z07:00"
