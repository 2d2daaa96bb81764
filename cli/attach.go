package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
)

type attachOptions struct {
	app     *app
	input   api.SenderInput // one sender
	targets []target        // a batch: several, or "-"
	json    bool
	alpha   senderFlags
}

// senderFlags are --alpha and --country: an alpha sender is named by
// flag, never taken from a positional argument, so that a SID cut short
// is never created as an alpha sender.
type senderFlags struct {
	alpha, country string
}

func (f *senderFlags) add(cmd *cobra.Command, verb string) {
	cmd.Flags().StringVar(&f.alpha, "alpha", "", verb+" this alpha sender `NAME` (1 to 11 letters, digits, spaces or - + _ &, at least one letter)")
	cmd.Flags().StringVar(&f.country, "country", "", "with --alpha: the destination `COUNTRY` (ISO 3166-1, e.g. DE) of a per-country alpha sender")
}

func newCmdAttach(a *app) *cobra.Command {
	opts := &attachOptions{app: a}
	cmd := &cobra.Command{
		Use:   "attach --service MG… SENDER… | - | --alpha NAME [--country CC]",
		Short: "Attach senders to a service",
		Long: `Attach a sender to a Messaging Service's pool. SENDER is what you have: a SID
(PN… phone number, SC… short code, XE… WhatsApp, Messenger or RCS sender), a
phone number in E.164 form (+14155550100, spaces and dashes allowed), a short
code's digits (12345) or a channel address (whatsapp:+14155550100, rcs:agent);
a number, short code or address is looked up among the account's own senders.
An alpha sender is given with --alpha, for every country, or with --country
for one destination country. Twilio's refusals are said in words (already in
this service, in another service, pool full, no SMS, another region, alpha
senders not allowed). Refused with --read-only, or for a read-only profile.

Several SENDERs, or - to read them one a line from stdin (blank lines and
# comments skipped), are attached as one batch, --concurrency at a time, and
each gets a line: ✓ attached, or ✗ and why; exit 1 when any failed. Every
line is checked first: a malformed one is named with its line number and
nothing is sent. Every change is recorded in the audit log first
(senderpool log).`,
		Example: `  senderpool attach --service MG… +14155550100
  senderpool attach --service MG… 12345
  senderpool attach --service MG… whatsapp:+14155550100
  senderpool attach --service MG… --alpha Acme --country DE
  senderpool attach --service MG… PN… --json
  senderpool attach --service MG… PN… PN… XE…
  cut -f1 numbers.tsv | senderpool attach --service MG… -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.alpha.alpha == "" && (len(args) > 1 || containsDash(args)) {
				if err := writeRefused(cmd, a); err != nil {
					return err
				}
				ts, _, err := readTargets(cmd, a.sys.In, args, false)
				if err != nil {
					return err
				}
				opts.targets = ts
				return runAttachMany(cmd.Context(), opts)
			}
			in, err := changeTarget(cmd, a, args, opts.alpha)
			if err != nil {
				return err
			}
			opts.input = in
			return runAttach(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the attached sender as the API sent it (a batch: one object a line, see the README)")
	opts.alpha.add(cmd, "attach")
	return cmd
}

// changeTarget checks what attach and detach share before anything is
// sent: not read-only, and one sender, well formed: a positional SENDER
// or --alpha (with --country, optionally).
func changeTarget(cmd *cobra.Command, a *app, args []string, f senderFlags) (api.SenderInput, error) {
	name := cmd.Name()
	if err := writeRefused(cmd, a); err != nil {
		return api.SenderInput{}, err
	}
	switch {
	case f.alpha != "" && len(args) > 0:
		return api.SenderInput{}, usagef(cmd, "%s takes either a SENDER or --alpha, not both", name)
	case f.alpha == "" && len(args) != 1:
		return api.SenderInput{}, usagef(cmd, "%s takes exactly one SENDER (a PN…, SC… or XE… SID, +14155550100, 12345, whatsapp:+1…) or --alpha NAME, got %d arguments", name, len(args))
	case f.alpha == "" && f.country != "":
		return api.SenderInput{}, usagef(cmd, "--country goes with --alpha: it is an alpha sender's destination country")
	}
	if f.alpha != "" {
		if err := api.ValidateAlphaSender(f.alpha); err != nil {
			return api.SenderInput{}, fmt.Errorf("--alpha: %w", err)
		}
		in := api.SenderInput{Kind: api.KindAlpha, Address: f.alpha}
		if f.country != "" {
			c, err := api.NormalizeCountryCode(f.country)
			if err != nil {
				return api.SenderInput{}, fmt.Errorf("--country: %w", err)
			}
			in.Country = c
		}
		return in, nil
	}
	in, err := api.ParseSenderInput(args[0])
	if err != nil {
		return api.SenderInput{}, err
	}
	if in.Kind == api.KindAlpha && in.SID == "" {
		return api.SenderInput{}, usagef(cmd, "%q is no SID, phone number, short code or channel address; for an alpha sender say --alpha %q", strings.TrimSpace(args[0]), strings.TrimSpace(args[0]))
	}
	return in, nil
}

// writeRefused refuses a change under --read-only before anything else.
func writeRefused(cmd *cobra.Command, a *app) error {
	if a.global.readOnly {
		return setupf("%s refused: --read-only is set", cmd.Name())
	}
	return nil
}

func runAttach(ctx context.Context, opts *attachOptions) error {
	a := opts.app
	return a.connected(ctx, "attach", true, func(ctx context.Context, conn *connection, service string) error {
		if err := conn.changing("attach", false); err != nil {
			return err
		}
		p, err := conn.changes().AttachPoolSender(ctx, service, opts.input)
		made := err == nil || (p.SID != "" && madeUnrecorded(err))
		if !made {
			return withHint(fmt.Errorf("attach %s: %w", opts.input, err))
		}
		if opts.json {
			raw, _ := p.Wire()
			if werr := writeJSONValue(a.sys.Out, raw); werr != nil {
				return werr
			}
		} else {
			printf(a.sys.Out, "attached %s to %s\n", senderLabel(p), service)
		}
		if err != nil {
			return unrecorded("attach "+opts.input.String(), err)
		}
		return nil
	})
}

// runAttachMany attaches a batch: AttachMany, a line per sender.
func runAttachMany(ctx context.Context, opts *attachOptions) error {
	a := opts.app
	return a.connected(ctx, "attach", true, func(ctx context.Context, conn *connection, service string) error {
		if err := conn.changing("attach", false); err != nil {
			return err
		}
		inputs := make([]api.SenderInput, len(opts.targets))
		for i, t := range opts.targets {
			inputs[i] = t.in
		}
		rep := conn.changes().AttachMany(ctx, service, inputs, a.progress("attach"))
		out := newBatchOut(a, opts.json)
		for i, r := range rep.Results {
			t := opts.targets[i]
			p := r.Item.Sender
			line := batchLine{Sender: t.text, SID: r.Item.Input.SID, Outcome: outcomeName(r.Outcome, "attached")}
			if p.SID != "" {
				line.SID, line.Object = p.SID, wire(p)
			}
			switch {
			case r.Outcome == bulk.OK:
				out.ok(line, "✓ attached %s to %s", senderLabel(p), service)
			case p.SID != "" && madeUnrecorded(r.Err):
				line.Outcome = "attached"
				out.unrecorded(line, r.Err, "✓ attached %s to %s", senderLabel(p), service)
			case r.Outcome == bulk.NotStarted:
				out.failed(line, nil, "✗ %s: not attached: the batch stopped first", t.text)
			default:
				out.failed(line, r.Err, "✗ %s: %s", t.text, reason(r.Err))
			}
		}
		return out.end()
	})
}

// hinted is an API error with the words a person needs (api.Hint) after
// Twilio's own message, on the same line.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() + ". " + h.hint }
func (h *hinted) Unwrap() error { return h.err }

// withHint adds api.Hint's words to err, when it has some.
func withHint(err error) error {
	if hint := api.Hint(err); hint != "" {
		return &hinted{err: err, hint: hint}
	}
	return err
}
