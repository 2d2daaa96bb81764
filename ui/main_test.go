package ui

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine running: page
// streams, requests and timers must all end when their context does.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
