package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/senderpool/senderpool/api"
)

// Action is what a change does.
type Action string

const (
	ActionAttach  Action = "attach"  // a sender joins Service's pool
	ActionDetach  Action = "detach"  // a sender leaves Service's pool
	ActionMove    Action = "move"    // a sender leaves Service for To (its detach and attach are entries of their own, with the same Move)
	ActionSetting Action = "setting" // one of Service's settings changes
)

// Phase is when a line was written.
type Phase string

const (
	PhaseIntent  Phase = "intent"  // before the request is sent
	PhaseOutcome Phase = "outcome" // after its answer (or its end)
)

// Outcome is how a change ended; "" on an intent.
type Outcome string

const (
	OutcomeOK          Outcome = "ok"
	OutcomeFailed      Outcome = "failed"      // Twilio (or the network) refused; nothing changed, as far as the answer says
	OutcomeInterrupted Outcome = "interrupted" // cancelled before an answer: the change may or may not have happened
)

// Resource is the list of a pool a sender belongs to, named as
// twilio-cli's topics name it.
type Resource string

const (
	ResourcePhoneNumbers            Resource = "phone-numbers"
	ResourceShortCodes              Resource = "short-codes"
	ResourceAlphaSenders            Resource = "alpha-senders"             // for every country
	ResourceDestinationAlphaSenders Resource = "destination-alpha-senders" // for one country (Sender.Country)
	ResourceChannelSenders          Resource = "channel-senders"           // WhatsApp, Messenger, RCS
)

// Service is a Messaging Service as the log names it.
type Service struct {
	SID  string `json:"sid"`            // MG…
	Name string `json:"name,omitempty"` // its friendly name, as Twilio gave it
}

// Sender is the sender a change is about.
type Sender struct {
	SID      string   `json:"sid,omitempty"`      // PN…, SC…, AI…, XE…; "" for an alpha sender not yet attached
	Text     string   `json:"text,omitempty"`     // what the user knows it by: +14155550100, 12345, ACME, whatsapp:+1…
	Kind     string   `json:"kind,omitempty"`     // as the api package names it (api.KindPhoneNumber, …)
	Resource Resource `json:"resource,omitempty"` // "" means: from the SID's prefix and Country (ResourceOf)
	Country  string   `json:"country,omitempty"`  // ISO 3166 alpha-2 of a per-country alpha sender
}

// Setting is a service setting changed, by its Twilio parameter name.
type Setting struct {
	Name  string `json:"name"`  // StickySender, AreaCodeGeomatch, … (as in POST /v1/Services/{Sid})
	Value string `json:"value"` // the new value, as sent: "false", "14400"
}

// Entry is one line of the log. It carries no credential.
type Entry struct {
	Time    time.Time `json:"time"`           // UTC, written as RFC 3339 with milliseconds
	Change  string    `json:"change"`         // pairs an intent with its outcome: [A-Za-z0-9._-], 1–64 (NewChangeID)
	Move    string    `json:"move,omitempty"` // the journal's move ID, on every entry of a move
	Profile string    `json:"profile,omitempty"`
	Account string    `json:"account_sid"` // AC…
	Service Service   `json:"service"`
	To      *Service  `json:"to,omitempty"` // ActionMove: where the sender goes
	Action  Action    `json:"action"`
	Sender  *Sender   `json:"sender,omitempty"`  // every action but ActionSetting
	Setting *Setting  `json:"setting,omitempty"` // ActionSetting
	Phase   Phase     `json:"phase"`
	Outcome Outcome   `json:"outcome,omitempty"` // PhaseOutcome only

	ErrorCode int    `json:"error_code,omitempty"` // Twilio's error code
	Status    int    `json:"status,omitempty"`     // HTTP status
	Error     string `json:"error,omitempty"`      // Twilio's message or a short reason; never a credential
	RequestID string `json:"request_id,omitempty"` // Twilio-Request-Id (RQ…)

	Command string `json:"command"` // the equivalent twilio-cli command; set by Append
}

// formatVersion is the "v" written; a newer one is reported, not guessed.
const formatVersion = 1

// Limits on what a line may hold.
const (
	maxLine = 64 << 10
	maxText = 1024
)

const timeFormat = "2006-01-02T15:04:05.000Z07:00"

// wire is Entry as written: a version and the time as text.
type wire struct {
	Version int    `json:"v"`
	Time    string `json:"time"`
	entryFields
}

// entryFields is Entry without its methods, for embedding in wire.
type entryFields Entry

// encode checks e, sets its command and returns its line with the newline.
func encode(e Entry) ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	cmd, err := Command(e)
	if err != nil {
		return nil, err
	}
	e.Command = cmd
	line, err := json.Marshal(wire{Version: formatVersion, Time: e.Time.UTC().Format(timeFormat), entryFields: entryFields(e)})
	if err != nil {
		return nil, fmt.Errorf("encoding an audit line: %w", err)
	}
	if len(line) >= maxLine {
		return nil, fmt.Errorf("%w: a line of %d bytes", ErrInvalid, len(line))
	}
	return append(line, '\n'), nil
}

// decode checks and decodes one line (without its newline).
func decode(line []byte) (Entry, error) {
	if len(line) >= maxLine {
		return Entry{}, fmt.Errorf("%d bytes, more than a line can be", len(line))
	}
	if !utf8.Valid(line) {
		return Entry{}, fmt.Errorf("not UTF-8 text")
	}
	var w wire
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Entry{}, fmt.Errorf("not an audit line: %w", err)
	}
	if dec.More() {
		return Entry{}, fmt.Errorf("data after the JSON object")
	}
	switch {
	case w.Version > formatVersion:
		return Entry{}, fmt.Errorf("format version %d is newer than this senderpool understands (%d)", w.Version, formatVersion)
	case w.Version < 1:
		return Entry{}, fmt.Errorf("missing or bad \"v\"")
	}
	t, err := time.Parse(time.RFC3339Nano, w.Time)
	if err != nil {
		return Entry{}, fmt.Errorf("bad time: %w", err)
	}
	e := Entry(w.entryFields)
	e.Time = t.UTC()
	if err := e.validate(); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// validChange: 1–64 of [A-Za-z0-9._-].
func validID(what, id string, optional bool) error {
	if optional && id == "" {
		return nil
	}
	if id == "" || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
	}) {
		return fmt.Errorf("%w: %s ID %q: want 1–64 of A-Z a-z 0-9 . _ -", ErrInvalid, what, truncate(id))
	}
	return nil
}

func (e Entry) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: change %s: "+format, append([]any{ErrInvalid, e.Change}, args...)...)
	}
	if err := validID("change", e.Change, false); err != nil {
		return err
	}
	if err := validID("move", e.Move, true); err != nil {
		return err
	}
	if err := api.ValidateAccountSID(e.Account); err != nil {
		return bad("account: %w", err)
	}
	if err := api.ValidateServiceSID(e.Service.SID); err != nil {
		return bad("service: %w", err)
	}
	switch e.Phase {
	case PhaseIntent:
		if e.Outcome != "" {
			return bad("an intent with an outcome")
		}
	case PhaseOutcome:
		switch e.Outcome {
		case OutcomeOK, OutcomeFailed, OutcomeInterrupted:
		default:
			return bad("outcome %q (want ok, failed or interrupted)", truncate(string(e.Outcome)))
		}
	default:
		return bad("phase %q (want intent or outcome)", truncate(string(e.Phase)))
	}
	switch e.Action {
	case ActionAttach, ActionDetach, ActionMove:
		if e.Sender == nil || e.Setting != nil {
			return bad("%s needs a sender and no setting", e.Action)
		}
		if err := e.Sender.validate(); err != nil {
			return bad("sender: %w", err)
		}
	case ActionSetting:
		if e.Sender != nil || e.Setting == nil {
			return bad("setting needs a setting and no sender")
		}
		if err := e.Setting.validate(); err != nil {
			return bad("%w", err)
		}
	default:
		return bad("action %q (want attach, detach, move or setting)", truncate(string(e.Action)))
	}
	if (e.Action == ActionMove) != (e.To != nil) {
		return bad("a move, and only a move, has a To service")
	}
	if e.To != nil {
		if err := api.ValidateServiceSID(e.To.SID); err != nil {
			return bad("to: %w", err)
		}
		if strings.EqualFold(e.To.SID, e.Service.SID) {
			return bad("a move to the service it leaves")
		}
	}
	if len(e.Profile) > 64 || len(e.RequestID) > 64 {
		return bad("profile or request ID too long")
	}
	for _, s := range []string{e.Service.Name, e.Error, e.toName()} {
		if len(s) > maxText {
			return bad("a text of %d bytes", len(s))
		}
	}
	return nil
}

func (e Entry) toName() string {
	if e.To == nil {
		return ""
	}
	return e.To.Name
}

func (s Sender) validate() error {
	if s.SID != "" {
		if err := api.ValidatePoolSID(s.SID); err != nil {
			return err
		}
	}
	if len(s.Text) > maxText || len(s.Kind) > 64 {
		return fmt.Errorf("text or kind too long")
	}
	if s.Country != "" {
		if err := api.ValidateCountryCode(s.Country); err != nil {
			return err
		}
	}
	r, err := ResourceOf(s)
	if err != nil {
		return err
	}
	if r == ResourceDestinationAlphaSenders && s.Country == "" {
		return fmt.Errorf("a per-country alpha sender without its country")
	}
	return nil
}

func (s Setting) validate() error {
	if s.Name == "" || len(s.Name) > 64 || s.Name[0] < 'A' || s.Name[0] > 'Z' || strings.ContainsFunc(s.Name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		return fmt.Errorf("setting name %q: want Twilio's parameter name, e.g. StickySender", truncate(s.Name))
	}
	if len(s.Value) > maxText {
		return fmt.Errorf("setting value of %d bytes", len(s.Value))
	}
	return nil
}

// ResourceOf is the list s belongs to: s.Resource, else what its SID's
// prefix says (AI with a Country is per-country), else, with no SID, an
// alpha sender (per-country with a Country).
func ResourceOf(s Sender) (Resource, error) {
	switch s.Resource {
	case ResourcePhoneNumbers, ResourceShortCodes, ResourceAlphaSenders, ResourceDestinationAlphaSenders, ResourceChannelSenders:
		return s.Resource, nil
	case "":
	default:
		return "", fmt.Errorf("unknown resource %q", truncate(string(s.Resource)))
	}
	switch {
	case strings.HasPrefix(s.SID, api.PrefixPhoneNumber):
		return ResourcePhoneNumbers, nil
	case strings.HasPrefix(s.SID, api.PrefixShortCode):
		return ResourceShortCodes, nil
	case strings.HasPrefix(s.SID, api.PrefixChannelSender):
		return ResourceChannelSenders, nil
	case s.Country != "":
		return ResourceDestinationAlphaSenders, nil
	}
	return ResourceAlphaSenders, nil
}

// truncate shortens a bad value quoted in an error.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
