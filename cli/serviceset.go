package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

// setting is one service setting as `service` shows it and `service set`
// changes it.
type setting struct {
	field string // in the FIELD value block, e.g. STICKY-SENDER
	name  string // in sentences, e.g. "sticky sender"
	flag  string // service set's flag, e.g. sticky-sender
	get   func(s *api.Service) string
	// want is the value u sets, as get would print it; false when u
	// leaves the setting as it is.
	want func(u api.ServiceUpdate) (string, bool)
	// means says in a sentence what the value u sets does to the
	// messages the service sends.
	means func(u api.ServiceUpdate) string
}

// serviceSettings are the settings in the order `service` prints them:
// the name and use case, then those that decide which sender Twilio
// picks and how a message goes out.
func serviceSettings() []setting {
	return []setting{
		textSetting("NAME", "name", "friendly-name",
			func(s *api.Service) string { return s.FriendlyName },
			func(u api.ServiceUpdate) *string { return u.FriendlyName },
			func(v string) string { return "the service is called " + strconv.Quote(v) }),
		textSetting("USE-CASE", "use case", "usecase",
			func(s *api.Service) string { return s.Usecase },
			func(u api.ServiceUpdate) *string { return u.Usecase },
			func(v string) string { return "the service declares its messages as " + v }),
		boolSetting("STICKY-SENDER", "sticky sender", "sticky-sender",
			func(s *api.Service) *bool { return s.StickySender },
			func(u api.ServiceUpdate) *bool { return u.StickySender },
			"each recipient keeps getting messages from the sender that last wrote to them",
			"each message may go out from any sender of the pool"),
		boolSetting("AREA-CODE-GEOMATCH", "area code geomatch", "area-code-geomatch",
			func(s *api.Service) *bool { return s.AreaCodeGeomatch },
			func(u api.ServiceUpdate) *bool { return u.AreaCodeGeomatch },
			"a US or Canadian recipient gets a number of their own area code when the pool has one",
			"the recipient's area code plays no part in which number sends"),
		boolSetting("SMART-ENCODING", "smart encoding", "smart-encoding",
			func(s *api.Service) *bool { return s.SmartEncoding },
			func(u api.ServiceUpdate) *bool { return u.SmartEncoding },
			"look-alike Unicode characters (curly quotes, long dashes) are replaced so that more messages stay GSM-7 and cost fewer segments",
			"messages go out as written: one Unicode character makes a message UCS-2, in more segments"),
		boolSetting("MMS-CONVERTER", "MMS converter", "mms-converter",
			func(s *api.Service) *bool { return s.MMSConverter },
			func(u api.ServiceUpdate) *bool { return u.MMSConverter },
			"an MMS to a recipient who cannot get MMS goes out as an SMS with a link to the media",
			"an MMS goes out as MMS only, even where it cannot be delivered as one"),
		boolSetting("FALLBACK-TO-LONG-CODE", "fallback to long code", "fallback-to-long-code",
			func(s *api.Service) *bool { return s.FallbackToLongCode },
			func(u api.ServiceUpdate) *bool { return u.FallbackToLongCode },
			"after some short code failures a message is sent again from a long code (a feature Twilio's spec calls obsolete)",
			"a message that fails on a short code is not sent again from a long code"),
		{
			field: "VALIDITY-PERIOD", name: "validity period", flag: "validity-period",
			get: func(s *api.Service) string {
				if s.ValidityPeriod == nil {
					return "unknown"
				}
				return seconds(*s.ValidityPeriod)
			},
			want: func(u api.ServiceUpdate) (string, bool) {
				if u.ValidityPeriod == nil {
					return "", false
				}
				return seconds(*u.ValidityPeriod), true
			},
			means: func(u api.ServiceUpdate) string {
				return "a message still queued " + seconds(*u.ValidityPeriod) + " after it was sent to Twilio fails instead of going out late"
			},
		},
		boolSetting("USE-INBOUND-WEBHOOK-ON-NUMBER", "use inbound webhook on number", "use-inbound-webhook-on-number",
			func(s *api.Service) *bool { return s.UseInboundWebhookOnNumber },
			func(u api.ServiceUpdate) *bool { return u.UseInboundWebhookOnNumber },
			"a message received on one of the pool's numbers goes to that number's own webhook, not the service's",
			"messages received on the pool's numbers go to the service's inbound webhook"),
	}
}

func boolSetting(field, name, flag string, get func(*api.Service) *bool, want func(api.ServiceUpdate) *bool, on, off string) setting {
	return setting{
		field: field, name: name, flag: flag,
		get: func(s *api.Service) string { return onOff(get(s)) },
		want: func(u api.ServiceUpdate) (string, bool) {
			v := want(u)
			return onOff(v), v != nil
		},
		means: func(u api.ServiceUpdate) string {
			if *want(u) {
				return name + " on: " + on
			}
			return name + " off: " + off
		},
	}
}

func textSetting(field, name, flag string, get func(*api.Service) string, want func(api.ServiceUpdate) *string, means func(string) string) setting {
	return setting{
		field: field, name: name, flag: flag,
		get: func(s *api.Service) string { return orUnknown(get(s)) },
		want: func(u api.ServiceUpdate) (string, bool) {
			if v := want(u); v != nil {
				return *v, true
			}
			return "", false
		},
		means: func(u api.ServiceUpdate) string { return means(*want(u)) },
	}
}

// onOff is a boolean setting as printed: "unknown" when the API sent null.
func onOff(v *bool) string {
	switch {
	case v == nil:
		return "unknown"
	case *v:
		return "on"
	}
	return "off"
}

// seconds is a validity period: "14400 seconds (4h)".
func seconds(n int) string {
	d := (time.Duration(n) * time.Second).String()
	if strings.HasSuffix(d, "m0s") {
		d = d[:len(d)-2]
	}
	if strings.HasSuffix(d, "h0m") {
		d = d[:len(d)-2]
	}
	return fmt.Sprintf("%d seconds (%s)", n, d)
}

type serviceSetOptions struct {
	app       *app
	yes, json bool

	sticky, geomatch, smart, mms, fallback, inboundHook bool
	validity                                            int
	name, usecase                                       string
}

func newCmdServiceSet(a *app) *cobra.Command {
	opts := &serviceSetOptions{app: a}
	cmd := &cobra.Command{
		Use:   "set --service MG… --SETTING[=VALUE]…",
		Short: "Change a service's sender-selection settings (asks first)",
		Long: `Change settings of a Messaging Service. Only the settings given are sent; the
others stay as they are. A switch alone turns the setting on; --SWITCH=false
turns it off. On a terminal it shows each change (old → new) and what it means
for the messages the service sends, and asks first (the answer is not timed);
elsewhere it needs --yes. When every setting given is already so, it says so
and sends nothing. Afterwards it prints the new values as Twilio
answered them. Refused with --read-only, or for a read-only profile.`,
		Example: `  senderpool service set --service MG… --sticky-sender=false
  senderpool service set --service MG… --area-code-geomatch --validity-period 3600
  senderpool service set --service MG… --smart-encoding --yes --json`,
		Args: setArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, err := opts.update(cmd)
			if err != nil {
				return err
			}
			return runServiceSet(cmd.Context(), opts, u)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.sticky, "sticky-sender", false, "keep each recipient on the sender that last wrote to them")
	f.BoolVar(&opts.geomatch, "area-code-geomatch", false, "prefer a number of the recipient's area code (US, Canada)")
	f.BoolVar(&opts.smart, "smart-encoding", false, "replace look-alike Unicode characters to stay in GSM-7")
	f.BoolVar(&opts.mms, "mms-converter", false, "send an MMS as SMS with a link where MMS cannot go")
	f.BoolVar(&opts.fallback, "fallback-to-long-code", false, "send again from a long code after some short code failures (obsolete)")
	f.IntVar(&opts.validity, "validity-period", 0, fmt.Sprintf("fail a message still queued after this many `seconds` (1 to %d)", api.MaxValidityPeriod))
	f.BoolVar(&opts.inboundHook, "use-inbound-webhook-on-number", false, "send messages received on a number to the number's own webhook")
	f.StringVar(&opts.usecase, "usecase", "", "the service's `USECASE`: one of "+strings.Join(api.ServiceUsecases(), ", "))
	f.StringVar(&opts.name, "friendly-name", "", "the service's `name` (1 to 64 characters)")
	f.BoolVar(&opts.yes, "yes", false, "change without asking (needed when not on a terminal)")
	f.BoolVar(&opts.json, "json", false, "print the service as the API returned it")
	return cmd
}

// setArgs refuses arguments, saying how to write a switch's value when
// one was given apart from its flag (--sticky-sender false).
func setArgs(cmd *cobra.Command, args []string) error {
	for _, arg := range args {
		if _, err := strconv.ParseBool(arg); err == nil {
			return usagef(cmd, "%q is not an argument: write a switch's value after =, e.g. --sticky-sender=false", arg)
		}
	}
	return noArgs(cmd, args)
}

// update is the change the flags ask for: only the flags given (cobra's
// Changed), checked before anything is sent.
func (o *serviceSetOptions) update(cmd *cobra.Command) (api.ServiceUpdate, error) {
	if o.app.global.readOnly {
		return api.ServiceUpdate{}, setupf("service set refused: --read-only is set (nothing was changed)")
	}
	flags := cmd.Flags()
	given := func(name string, v *bool) *bool {
		if flags.Changed(name) {
			return v
		}
		return nil
	}
	u := api.ServiceUpdate{
		StickySender:              given("sticky-sender", &o.sticky),
		AreaCodeGeomatch:          given("area-code-geomatch", &o.geomatch),
		SmartEncoding:             given("smart-encoding", &o.smart),
		MMSConverter:              given("mms-converter", &o.mms),
		FallbackToLongCode:        given("fallback-to-long-code", &o.fallback),
		UseInboundWebhookOnNumber: given("use-inbound-webhook-on-number", &o.inboundHook),
	}
	if flags.Changed("validity-period") {
		u.ValidityPeriod = &o.validity
	}
	if flags.Changed("usecase") {
		u.Usecase = &o.usecase
	}
	if flags.Changed("friendly-name") {
		u.FriendlyName = &o.name
	}
	if u == (api.ServiceUpdate{}) {
		var names []string
		for _, s := range serviceSettings() {
			names = append(names, "--"+s.flag)
		}
		return u, usagef(cmd, "service set needs a setting to change: %s", strings.Join(names, ", "))
	}
	if err := u.Validate(); err != nil {
		var se *api.SettingError
		if errors.As(err, &se) {
			return u, usagef(cmd, "--%s: %w", settingFlag(se.Field), err)
		}
		return u, err
	}
	return u, nil
}

// settingFlag is the flag of an api.ServiceUpdate form field.
func settingFlag(field string) string {
	switch field {
	case "ValidityPeriod":
		return "validity-period"
	case "FriendlyName":
		return "friendly-name"
	case "Usecase":
		return "usecase"
	}
	return strings.ToLower(field)
}

func runServiceSet(ctx context.Context, opts *serviceSetOptions, u api.ServiceUpdate) error {
	a := opts.app
	conn, service, ask, err := a.connectToChange(ctx, changeCommand{name: "service set", needService: true, yes: opts.yes})
	if err != nil {
		return err
	}
	defer conn.close()
	if !opts.yes {
		var before *api.Service
		err := a.within(ctx, func(ctx context.Context) (err error) {
			before, err = conn.changes().FetchService(ctx, service)
			return err
		})
		if err != nil {
			return fmt.Errorf("service set %s: %w", service, err)
		}
		q, changes := setQuestion(before, u)
		if changes == 0 {
			// Sending it would change nothing: nothing is sent.
			if opts.json {
				return writeJSONValue(a.sys.Out, before)
			}
			printf(a.sys.Out, "nothing to change: %s already has these settings\n", serviceLabel(before))
			return writeSettings(a.sys.Out, before, u)
		}
		// The question is outside --timeout: a person may take their time.
		ok, err := ask.yes(ctx, q)
		if err != nil {
			return err
		}
		if !ok {
			return setupf("not changed")
		}
	}
	var after *api.Service
	err = a.within(ctx, func(ctx context.Context) (err error) {
		after, err = conn.changes().UpdateService(ctx, service, u)
		return err
	})
	if err != nil && !(after != nil && madeUnrecorded(err)) {
		return fmt.Errorf("service set %s: %w", service, err)
	}
	if opts.json {
		if werr := writeJSONValue(a.sys.Out, after); werr != nil {
			return werr
		}
	} else {
		printf(a.sys.Out, "updated %s\n", serviceLabel(after))
		if werr := writeSettings(a.sys.Out, after, u); werr != nil {
			return werr
		}
	}
	if err != nil {
		return unrecorded("service set "+service, err)
	}
	return nil
}

// setQuestion asks whether to make u's changes to svc: each setting u
// sets, old → new and what the new value means, or that it is already
// so; changes counts the settings that differ.
func setQuestion(svc *api.Service, u api.ServiceUpdate) (q string, changes int) {
	var b strings.Builder
	var lines strings.Builder
	for _, s := range serviceSettings() {
		want, ok := s.want(u)
		if !ok {
			continue
		}
		old := s.get(svc)
		if old == want {
			printf(&lines, "  %s: %s (no change)\n", s.name, old)
			continue
		}
		changes++
		printf(&lines, "  %s: %s → %s\n      %s\n", s.name, old, want, s.means(u))
	}
	printf(&b, "Change the settings of %s?\n", serviceLabel(svc))
	b.WriteString(lines.String())
	b.WriteString("[y/N] ")
	return b.String(), changes
}

// writeSettings prints, as FIELD value lines, the settings u sets, with
// the values svc has.
func writeSettings(w io.Writer, svc *api.Service, u api.ServiceUpdate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range serviceSettings() {
		if _, ok := s.want(u); ok {
			fmt.Fprintf(tw, "%s\t%s\n", s.field, cell(s.get(svc)))
		}
	}
	return tw.Flush()
}

// serviceLabel names a service for a person: its SID and, when it has
// one, its name (raw: printf cleans it).
func serviceLabel(s *api.Service) string {
	if strings.TrimSpace(s.FriendlyName) == "" {
		return s.SID
	}
	return s.SID + " (" + s.FriendlyName + ")"
}
