package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
)

func TestWithin(t *testing.T) {
	wait := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	failing := errors.New("boom")
	for _, tt := range []struct {
		name      string
		limit     time.Duration
		cancel    bool // the caller's own context is cancelled
		fn        func(ctx context.Context) error
		want      error
		sayLimit  bool
		wantNoErr bool
	}{
		{name: "the limit ends it", limit: 20 * time.Millisecond, fn: wait, want: context.DeadlineExceeded, sayLimit: true},
		{name: "the caller cancels", limit: time.Hour, cancel: true, fn: wait, want: context.Canceled},
		{name: "its own error", limit: time.Hour, fn: func(context.Context) error { return failing }, want: failing},
		{name: "no limit", limit: 0, fn: func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); ok {
				return errors.New("a deadline was set")
			}
			return nil
		}, wantNoErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			err := api.Within(ctx, tt.limit, tt.fn)
			if tt.wantNoErr {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want one matching %v", err, tt.want)
			}
			if got := strings.Contains(err.Error(), "gave up after --timeout"); got != tt.sayLimit {
				t.Errorf("%q names the limit: %v, want %v", err, got, tt.sayLimit)
			}
		})
	}
}
