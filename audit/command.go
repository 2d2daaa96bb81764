package audit

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"github.com/senderpool/senderpool/internal/safefile"
)

// NewChangeID returns a fresh change ID.
func NewChangeID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "ch-" + hex.EncodeToString(b)
}

// Command is the twilio-cli command that makes the change e describes,
// quoted for a POSIX shell, e.g.
//
//	twilio api:messaging:v1:services:phone-numbers:remove --service-sid MG… --sid PN…
//
// A move is its detach and its attach joined by &&. It holds SIDs, the
// sender's text, a country and a setting's value: never a credential
// (twilio-cli takes those from its own profile or the environment).
func Command(e Entry) (string, error) {
	const base = "twilio api:messaging:v1:services"
	switch e.Action {
	case ActionSetting:
		if e.Setting == nil {
			return "", fmt.Errorf("%w: a setting change without its setting", ErrInvalid)
		}
		return join(base+":update", "--sid", e.Service.SID, "--"+kebab(e.Setting.Name), e.Setting.Value), nil
	case ActionAttach, ActionDetach, ActionMove:
	default:
		return "", fmt.Errorf("%w: no command for action %q", ErrInvalid, truncate(string(e.Action)))
	}
	if e.Sender == nil {
		return "", fmt.Errorf("%w: %s without its sender", ErrInvalid, e.Action)
	}
	s := *e.Sender
	r, err := ResourceOf(s)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// ChannelSenders' path names the service MessagingServiceSid, the
	// others ServiceSid: twilio-cli's flags follow.
	svcFlag := "--service-sid"
	if r == ResourceChannelSenders {
		svcFlag = "--messaging-service-sid"
	}
	topic := base + ":" + string(r)
	detach := func(service string) (string, error) {
		if s.SID == "" {
			return "", fmt.Errorf("%w: a detach needs the sender's SID", ErrInvalid)
		}
		return join(topic+":remove", svcFlag, service, "--sid", s.SID), nil
	}
	attach := func(service string) (string, error) {
		args := []string{topic + ":create", svcFlag, service}
		switch r {
		case ResourcePhoneNumbers:
			args = append(args, "--phone-number-sid", s.SID)
		case ResourceShortCodes:
			args = append(args, "--short-code-sid", s.SID)
		case ResourceChannelSenders:
			args = append(args, "--sid", s.SID)
		case ResourceAlphaSenders, ResourceDestinationAlphaSenders:
			// Alpha senders are attached by their text: their SID is new.
			if s.Text == "" {
				return "", fmt.Errorf("%w: attaching an alpha sender needs its text", ErrInvalid)
			}
			args = append(args, "--alpha-sender", s.Text)
			if r == ResourceDestinationAlphaSenders {
				args = append(args, "--iso-country-code", s.Country)
			}
			return join(args...), nil
		}
		if s.SID == "" {
			return "", fmt.Errorf("%w: attaching a %s needs its SID", ErrInvalid, r)
		}
		return join(args...), nil
	}
	switch e.Action {
	case ActionAttach:
		return attach(e.Service.SID)
	case ActionDetach:
		return detach(e.Service.SID)
	}
	if e.To == nil {
		return "", fmt.Errorf("%w: a move without its To service", ErrInvalid)
	}
	d, err := detach(e.Service.SID)
	if err != nil {
		return "", err
	}
	a, err := attach(e.To.SID)
	if err != nil {
		return "", err
	}
	return d + " && " + a, nil
}

// join quotes each word but the first (the command and its topic).
func join(words ...string) string {
	for i := 1; i < len(words); i++ {
		words[i] = safefile.ShellQuote(words[i])
	}
	return strings.Join(words, " ")
}

// kebab is twilio-cli's flag for a parameter: StickySender -> sticky-sender.
func kebab(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
