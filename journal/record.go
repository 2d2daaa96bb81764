package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/senderpool/senderpool/api"
)

// formatVersion is the "v" written; a newer one is refused, not guessed.
const formatVersion = 1

// Limits on what a line may hold: far above what Twilio sends, far below
// what could hurt.
const (
	maxLine = 16 << 10
	maxText = 1024 // a name, a sender's text, a message
	maxKind = 64
)

// record is one line of the journal:
//
//	{"v":1,"time":"2025-01-02T03:04:05.678Z","move":"mv-…","step":"started","entry":{…MoveEntry}}
//	{"v":1,"time":"…","move":"mv-…","step":"detached"}
//	{"v":1,"time":"…","move":"mv-…","step":"failed","failure":{"step":"detached","code":21710,…}}
//
// Only "started" carries the entry, only "failed" a failure.
type record struct {
	Version int        `json:"v"`
	Time    string     `json:"time"`
	Move    string     `json:"move"`
	Step    Step       `json:"step"`
	Entry   *MoveEntry `json:"entry,omitempty"`
	Failure *Failure   `json:"failure,omitempty"`
}

// encode is a record's line, newline included. json.Marshal escapes
// control characters, so a line is one line whatever the names hold.
func encode(r record) ([]byte, error) {
	line, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encoding a journal line: %w", err)
	}
	if len(line) > maxLine {
		return nil, fmt.Errorf("%w: a journal line of %d bytes", ErrInvalid, len(line))
	}
	return append(line, '\n'), nil
}

// decode checks and decodes one line (without its newline).
func decode(line []byte) (record, error) {
	var r record
	if len(line) > maxLine {
		return r, fmt.Errorf("%d bytes, more than a line can be", len(line))
	}
	if !utf8.Valid(line) {
		return r, fmt.Errorf("not UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("not a journal line: %w", err)
	}
	if dec.More() {
		return r, fmt.Errorf("data after the JSON object")
	}
	switch {
	case r.Version > formatVersion:
		return r, fmt.Errorf("format version %d is newer than this senderpool understands (%d): upgrade senderpool", r.Version, formatVersion)
	case r.Version < 1:
		return r, fmt.Errorf("missing or bad \"v\"")
	}
	if _, err := time.Parse(time.RFC3339Nano, r.Time); err != nil {
		return r, fmt.Errorf("bad time: %w", err)
	}
	if err := validID(r.Move); err != nil {
		return r, err
	}
	if !r.Step.valid() {
		return r, fmt.Errorf("unknown step %q", r.Step)
	}
	switch {
	case (r.Step == StepStarted) != (r.Entry != nil):
		return r, fmt.Errorf("step %q with%s an entry", r.Step, map[bool]string{true: "", false: "out"}[r.Entry != nil])
	case (r.Step == stepFailed) != (r.Failure != nil):
		return r, fmt.Errorf("step %q with%s a failure", r.Step, map[bool]string{true: "", false: "out"}[r.Failure != nil])
	}
	if r.Entry != nil {
		if r.Entry.ID != r.Move {
			return r, fmt.Errorf("entry of move %q on a line of move %q", r.Entry.ID, r.Move)
		}
		if err := r.Entry.validate(); err != nil {
			return r, err
		}
	}
	if r.Failure != nil {
		if err := r.Failure.validate(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// validID: 1–64 of [A-Za-z0-9._-].
func validID(id string) error {
	if id == "" || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
	}) {
		return fmt.Errorf("%w: move ID %q: want 1–64 of A-Z a-z 0-9 . _ -", ErrInvalid, truncate(id))
	}
	return nil
}

func (e MoveEntry) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: move %s: %s", ErrInvalid, e.ID, fmt.Sprintf(format, args...))
	}
	if err := validID(e.ID); err != nil {
		return err
	}
	for what, err := range map[string]error{
		"account": api.ValidateAccountSID(e.Account),
		"from":    api.ValidateServiceSID(e.From),
		"to":      api.ValidateServiceSID(e.To),
		"sender":  api.ValidatePoolSID(e.Sender.SID),
	} {
		if err != nil {
			return fmt.Errorf("%w: move %s, %s: %w", ErrInvalid, e.ID, what, err)
		}
	}
	if strings.EqualFold(e.From, e.To) {
		return bad("from and to are the same service")
	}
	if len(e.Profile) > 64 || len(e.Sender.Kind) > maxKind {
		return bad("profile or kind too long")
	}
	for _, s := range []string{e.FromName, e.ToName, e.Sender.Text} {
		if len(s) > maxText {
			return bad("a name of %d bytes", len(s))
		}
	}
	if c := e.Sender.Country; c != "" && api.ValidateCountryCode(c) != nil {
		return bad("country %q: want two letters", truncate(c))
	}
	return nil
}

func (f Failure) validate() error {
	if !f.Step.valid() || f.Step == stepFailed {
		return fmt.Errorf("%w: failure of step %q", ErrInvalid, truncate(string(f.Step)))
	}
	if len(f.Message) > maxText || len(f.RequestID) > 64 {
		return fmt.Errorf("%w: failure message or request ID too long", ErrInvalid)
	}
	return nil
}

// truncate shortens a bad value quoted in an error.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// state is the journal decoded: each move's lines and where it got.
type state struct {
	moves map[string]*moveState
	order []string // move IDs, first seen first
	size  int      // bytes in the file
	good  int      // bytes up to the end of the last whole line
	// torn: the bytes after good are a line cut short (ignored);
	// unterminated: the last line is whole but lacks its newline.
	torn, unterminated bool
	notes              []string
}

type moveState struct {
	Move
	ended bool
	lines [][]byte
}

func newState() *state { return &state{moves: map[string]*moveState{}} }

// parse decodes a journal's content. Only the last line may be bad, and
// only when it lacks its newline: that is a write cut short.
func parse(data []byte) (*state, error) {
	s := newState()
	s.size = len(data)
	for n, rest := 1, data; len(rest) > 0; n++ {
		line, after, found := bytes.Cut(rest, []byte{'\n'})
		r, err := decode(line)
		if err != nil {
			if !found {
				s.torn = true
				s.notes = append(s.notes, fmt.Sprintf("the last line of the journal (%d bytes) was cut short by an interrupted write and is ignored", len(line)))
				break
			}
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := s.apply(r, line); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		s.good = len(data) - len(after)
		if !found {
			s.good = len(data)
			s.unterminated = true
		}
		rest = after
	}
	return s, nil
}

// apply adds r, whose line (without its newline) is line.
func (s *state) apply(r record, line []byte) error {
	t, _ := time.Parse(time.RFC3339Nano, r.Time)
	m, ok := s.moves[r.Move]
	switch {
	case r.Step == StepStarted && ok:
		return fmt.Errorf("move %s started twice", r.Move)
	case r.Step == StepStarted:
		m = &moveState{Move: Move{MoveEntry: *r.Entry, Step: StepStarted, Started: t}}
		s.moves[r.Move] = m
		s.order = append(s.order, r.Move)
	case !ok:
		return fmt.Errorf("step %q of move %s, which never started", r.Step, r.Move)
	case m.ended:
		return fmt.Errorf("step %q of move %s, which had ended (%s)", r.Step, r.Move, m.Step)
	case r.Step == stepFailed:
		f := *r.Failure
		m.Failure = &f
	default:
		m.Step, m.Failure, m.ended = r.Step, nil, r.Step.Terminal()
	}
	m.Updated = t
	m.lines = append(m.lines, slices.Clip(line))
	return nil
}

// pending is the moves not ended, in the order they started.
func (s *state) pending() []Move {
	var out []Move
	for _, id := range s.order {
		if m := s.moves[id]; !m.ended {
			out = append(out, m.Move)
		}
	}
	return out
}
