package audit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"
)

// Filter selects entries; its zero value selects all.
type Filter struct {
	Since   time.Time // entries at or after it
	Service string    // MG…: entries about that service (as Service, or as a move's To)
	Change  string    // one change's entries
}

func (f Filter) match(e Entry) bool {
	if !f.Since.IsZero() && e.Time.Before(f.Since) {
		return false
	}
	if f.Service != "" && !strings.EqualFold(e.Service.SID, f.Service) && (e.To == nil || !strings.EqualFold(e.To.SID, f.Service)) {
		return false
	}
	return f.Change == "" || f.Change == e.Change
}

// Problem is a line Read could not decode. Reason may quote a byte of
// the line: print it through text.OneLine.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// maxProblems is how many problems a Result keeps; Skipped counts all.
const maxProblems = 100

// Result is what Read found.
type Result struct {
	Entries  []Entry   // those the filter selects, in the order written
	Problems []Problem // lines that do not decode (the first maxProblems)
	Skipped  int       // how many lines did not decode, in all
	// Torn: the last line lacks its newline and does not decode: an
	// append cut short, or one being written right now. Not a problem.
	Torn bool
}

// Read returns the entries f selects. It takes no lock, so an append
// under way never blocks it (its line shows as Torn). A missing log is
// empty; one that is not a private regular file is ErrUnsafe. Lines that
// do not decode are reported in Problems, never an error.
func (l *Log) Read(ctx context.Context, f Filter) (Result, error) {
	if err := files().CheckDir(l.dir); errors.Is(err, fs.ErrNotExist) {
		return Result{}, nil
	} else if err != nil {
		return Result{}, err
	}
	file, err := files().OpenRead(l.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return Result{}, nil
	} else if err != nil {
		return Result{}, err
	}
	defer file.Close()
	res, err := scan(ctx, file, f)
	if err != nil {
		return res, fmt.Errorf("reading %s: %w", l.Path(), err)
	}
	return res, nil
}

// scan decodes the lines of r.
func scan(ctx context.Context, r io.Reader, f Filter) (Result, error) {
	var res Result
	br := bufio.NewReaderSize(r, 64<<10)
	problem := func(n int, reason string) {
		res.Skipped++
		if len(res.Problems) < maxProblems {
			res.Problems = append(res.Problems, Problem{Line: n, Reason: reason})
		}
	}
	for n := 1; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return res, context.Cause(ctx)
		}
		line, long, ended, err := readLine(br)
		if err != nil {
			return res, err
		}
		if len(line) == 0 && !long && !ended {
			return res, nil // end of file
		}
		if long {
			problem(n, fmt.Sprintf("more than %d bytes, more than a line can be", maxLine))
			continue
		}
		e, derr := decode(bytes.TrimSuffix(line, []byte{'\r'}))
		switch {
		case derr == nil && f.match(e):
			res.Entries = append(res.Entries, e)
		case derr == nil:
		case !ended:
			res.Torn = true
		default:
			problem(n, derr.Error())
		}
		if !ended {
			return res, nil
		}
	}
}

// readLine reads one line without its newline. A line longer than
// maxLine is skipped to its end and reported long; ended says a newline
// ended it (false at the end of the file).
func readLine(br *bufio.Reader) (line []byte, long, ended bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			buf = append(buf, chunk...)
			if len(buf) > maxLine {
				long, buf = true, nil
			}
		}
		switch {
		case err == nil:
			if !long {
				buf = buf[:len(buf)-1]
			}
			return buf, long, true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return buf, long, false, nil
		default:
			return nil, false, false, err
		}
	}
}

// Change is one change: its intent and its outcome, as far as the log
// has them.
type Change struct {
	ID      string
	Intent  *Entry // nil when the intent is before the filter's Since
	Outcome *Entry // nil when none was written
}

// Interrupted reports a change whose end is not known: an intent with no
// outcome (cut off, or still under way in another process), or one that
// ended interrupted.
func (c Change) Interrupted() bool {
	return c.Outcome == nil || c.Outcome.Outcome == OutcomeInterrupted
}

// Last is the change's latest entry.
func (c Change) Last() Entry {
	if c.Outcome != nil {
		return *c.Outcome
	}
	return *c.Intent
}

// Changes pairs each intent with its outcome, by Change ID, in the order
// the changes were first written. Of several lines of one phase, the
// last counts.
func Changes(entries []Entry) []Change {
	var out []Change
	at := map[string]int{}
	for i := range entries {
		e := &entries[i]
		k, ok := at[e.Change]
		if !ok {
			k = len(out)
			at[e.Change] = k
			out = append(out, Change{ID: e.Change})
		}
		if e.Phase == PhaseIntent {
			out[k].Intent = e
		} else {
			out[k].Outcome = e
		}
	}
	return out
}
