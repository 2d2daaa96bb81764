package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
)

// maxSenders bounds one batch read from stdin: a pool holds at most a
// few thousand senders, and the batch is kept in memory.
const maxSenders = 10000

// target is one sender named on the command line or on stdin.
type target struct {
	text string // as given, trimmed
	line int    // its stdin line; 0 for an argument
	in   api.SenderInput
}

// where names the target for a message: its stdin line, when it has one.
func (t target) where() string {
	if t.line > 0 {
		return fmt.Sprintf("stdin line %d: %q", t.line, t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// readTargets reads the SENDER arguments: the positional ones or, for a
// lone "-", one a line from stdin (blank lines and # comments skipped).
// Every one is checked before anything is sent: a malformed one is a
// usage error naming it and its line, and nothing is sent. A sender
// given twice is kept once. With lookup (detach, move: the senders are
// found in a pool) an alpha sender's text and AI… SIDs are taken; attach
// takes neither, as a word would be created as an alpha sender (a SID
// cut short, say): it names one with --alpha, one at a time.
func readTargets(cmd *cobra.Command, in io.Reader, args []string, lookup bool) (_ []target, fromStdin bool, _ error) {
	var raw []target
	switch {
	case len(args) == 1 && args[0] == "-":
		fromStdin = true
		lines, err := stdinLines(in)
		if err != nil {
			return nil, true, err
		}
		raw = lines
	case len(args) > 1 && containsDash(args):
		return nil, false, usagef(cmd, "- (read the senders from stdin) stands alone, without other SENDERs")
	default:
		for _, a := range args {
			raw = append(raw, target{text: strings.TrimSpace(a)})
		}
	}
	if len(raw) == 0 {
		return nil, fromStdin, usagef(cmd, "%s: no SENDER given (stdin held none)", cmd.Name())
	}
	var out []target
	seen := map[string]bool{}
	for _, t := range raw {
		in, err := parseQuery(t.text)
		if err != nil {
			return nil, fromStdin, &setupError{err: fmt.Errorf("%s: %w (nothing was sent)", t.where(), err), help: cmd.CommandPath()}
		}
		if !lookup && in.Kind == api.KindAlpha && in.SID == "" {
			return nil, fromStdin, usagef(cmd, "%s is no SID, phone number, short code or channel address; an alpha sender is named with --alpha NAME, one at a time (nothing was sent)", t.where())
		}
		if !lookup && api.SIDKind(in.SID) == api.KindAlpha {
			return nil, fromStdin, usagef(cmd, "%s: %v; attach an alpha sender with --alpha NAME (nothing was sent)", t.where(), api.ErrAlphaBySID)
		}
		t.in = in
		if key := in.String(); !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out, fromStdin, nil
}

// parseQuery is api.ParseSenderInput, refusing also a word that is a
// SID cut short or mistyped (PN123…): its prefix and hex digits only.
// It would pass for an alpha sender's text, and be looked for, or
// created, as one.
func parseQuery(s string) (api.SenderInput, error) {
	in, err := api.ParseSenderInput(s)
	if err != nil || in.Kind != api.KindAlpha || in.SID != "" {
		return in, err
	}
	word := strings.TrimSpace(s)
	if len(word) > 2 && strings.Trim(word[2:], "0123456789abcdefABCDEF") == "" {
		switch prefix := word[:2]; prefix {
		case api.PrefixPhoneNumber, api.PrefixShortCode, api.PrefixAlphaSender, api.PrefixChannelSender:
			if err := api.ValidateSID(prefix, word); err != nil {
				return in, err
			}
		}
	}
	return in, nil
}

func containsDash(args []string) bool {
	for _, a := range args {
		if a == "-" {
			return true
		}
	}
	return false
}

// stdinLines reads the senders of stdin, one a line.
func stdinLines(in io.Reader) ([]target, error) {
	if in == nil {
		return nil, nil
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	var out []target
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(out) == maxSenders {
			return nil, setupf("stdin holds more than %d senders: split the batch (nothing was sent)", maxSenders)
		}
		out = append(out, target{text: line, line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, setupf("reading the senders from stdin: %w (nothing was sent)", err)
	}
	return out, nil
}

// errSomeFailed is returned by a batch some of whose senders did not end
// as asked; each was named on its own line.
var errSomeFailed = errors.New("did not succeed")

// batchError is a failed sender's error in a batch's JSON.
type batchError struct {
	Message   string `json:"message"`
	Code      int    `json:"code,omitempty"`
	Status    int    `json:"status,omitempty"`
	MoreInfo  string `json:"more_info,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// batchLine is one sender of a batch's --json output.
type batchLine struct {
	Sender     string          `json:"sender"`               // as given
	SID        string          `json:"sid,omitempty"`        // the sender's SID, when known
	Outcome    string          `json:"outcome"`              // attached, detached, moved, failed, not_started
	Where      string          `json:"where,omitempty"`      // move: from, to, none or unknown
	Move       string          `json:"move,omitempty"`       // move: the journal's move ID
	Error      *batchError     `json:"error,omitempty"`      // why it failed (or was not recorded)
	Unrecorded bool            `json:"unrecorded,omitempty"` // made, but its outcome is not in the audit log
	Object     json.RawMessage `json:"object,omitempty"`     // the sender as the API sent it
}

// errorOf is err for a batch's JSON: Twilio's fields when it holds an
// API answer.
func errorOf(err error) *batchError {
	if err == nil {
		return nil
	}
	e := &batchError{Message: reason(err)}
	if apiErr, ok := api.AsError(err); ok {
		e.Code, e.Status, e.MoreInfo, e.RequestID = apiErr.Code, apiErr.Status, apiErr.MoreInfo, apiErr.RequestID
	}
	return e
}

// reason is err in words, on one line: Twilio's message and the hint.
func reason(err error) string {
	if errors.Is(err, errNotInService) {
		return "not in the service's pool"
	}
	return errorText(withHint(err))
}

// outcomeName is a bulk outcome in a batch's JSON.
func outcomeName(o bulk.Outcome, ok string) string {
	switch o {
	case bulk.OK:
		return ok
	case bulk.NotStarted:
		return "not_started"
	}
	return "failed"
}

// writeBatchJSON prints lines as a JSON array, one object a line.
func writeBatchJSON(w io.Writer, lines []batchLine) error {
	l := newJSONList(w)
	for _, line := range lines {
		b, err := json.Marshal(line)
		if err != nil {
			return err
		}
		if err := l.add(b); err != nil {
			return err
		}
	}
	return l.end()
}

// wire is p as the API sent it, nil when it was not fetched.
func wire(p api.PoolSender) json.RawMessage {
	raw, ok := p.Wire()
	if !ok {
		return nil
	}
	return raw
}

// batchResult is the error a batch returns: nil when all of its senders
// ended as asked.
func batchResult(failed, unrecordedN, total int) error {
	switch {
	case failed > 0:
		return fmt.Errorf("%d of %d senders %w (each is named above)", failed, total, errSomeFailed)
	case unrecordedN > 0:
		return fmt.Errorf("%d of %d changes were made but their outcome could not be recorded in the audit log (it shows them as interrupted)", unrecordedN, total)
	}
	return nil
}

// batchOut prints a batch's outcome: a line per sender for a person, or,
// with --json, the array of batchLines once every sender has ended.
// Warnings of changes made but not recorded go to stderr either way.
type batchOut struct {
	a                  *app
	json               bool
	lines              []batchLine
	failedN, unrecN, n int
}

func newBatchOut(a *app, json bool) *batchOut { return &batchOut{a: a, json: json} }

func (b *batchOut) say(format string, args ...any) {
	if !b.json {
		printf(b.a.sys.Out, format+"\n", args...)
	}
}

func (b *batchOut) ok(line batchLine, format string, args ...any) {
	b.n++
	b.lines = append(b.lines, line)
	b.say(format, args...)
}

// unrecorded is a change made whose outcome is not in the audit log.
func (b *batchOut) unrecorded(line batchLine, err error, format string, args ...any) {
	b.n++
	b.unrecN++
	line.Unrecorded, line.Error = true, errorOf(err)
	b.lines = append(b.lines, line)
	b.say(format, args...)
	printf(b.a.sys.Err, "senderpool: warning: %s: %s\n", line.Sender, err)
}

func (b *batchOut) failed(line batchLine, err error, format string, args ...any) {
	b.n++
	b.failedN++
	if err != nil {
		line.Error = errorOf(err)
	}
	b.lines = append(b.lines, line)
	b.say(format, args...)
}

// end prints the JSON, if asked, and returns the batch's error.
func (b *batchOut) end() error {
	if b.json {
		if err := writeBatchJSON(b.a.sys.Out, b.lines); err != nil {
			return err
		}
	}
	return batchResult(b.failedN, b.unrecN, b.n)
}

// progress is a batch's progress on stderr, on a terminal only: one line
// rewritten in place, ended when the batch ends.
func (a *app) progress(verb string) func(bulk.Progress) {
	if !isTerminal(a.sys.Err) {
		return nil
	}
	ended := false
	return func(p bulk.Progress) {
		if ended {
			return
		}
		fmt.Fprintf(a.sys.Err, "\r\x1b[K%s: %d/%d done, %d failed, %d in flight", verb, p.Done, p.Total, p.Failed, p.InFlight)
		if p.Finished()+p.NotStarted >= p.Total {
			ended = true
			fmt.Fprintln(a.sys.Err)
		}
	}
}
