package api

import (
	"errors"
	"testing"
)

// TestSetupErrors: a malformed SID, an unusable base URL, region or edge,
// and a missing secret are the caller's mistakes, marked so with
// SetupError; an API answer is not.
func TestSetupErrors(t *testing.T) {
	_, badURL := New(Config{Credentials: Credentials{AccountSID: "AC0123456789abcdef0123456789abcdef", Secret: "s"}, BaseURL: "http://example.com"})
	_, badRegion := New(Config{Credentials: Credentials{AccountSID: "AC0123456789abcdef0123456789abcdef", Secret: "s"}, Region: "a.b"})
	tests := []struct {
		name  string
		err   error
		setup bool
	}{
		{"malformed SID", ValidateServiceSID("MG123"), true},
		{"plain http to a remote host", badURL, true},
		{"malformed region", badRegion, true},
		{"no secret", Credentials{AccountSID: "AC0123456789abcdef0123456789abcdef"}.Validate(), true},
		{"an API answer", &Error{Status: 404, Code: 20404}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error")
			}
			var setup interface{ SetupError() bool }
			if got := errors.As(tt.err, &setup) && setup.SetupError(); got != tt.setup {
				t.Errorf("%v: set-up error %v, want %v", tt.err, got, tt.setup)
			}
		})
	}
}
