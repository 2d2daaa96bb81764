package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// TestDetach500BatchVsLoop measures 500 detaches made by one detach
// command (a batch, --concurrency 4) against 500 runs of the one-sender
// detach in a shell loop, on a fake that adds 50 ms to every reply. It
// takes about a minute, so it runs only with SENDERPOOL_E2E_BENCH=1:
//
//	SENDERPOOL_E2E_BENCH=1 go test ./e2e -run TestDetach500BatchVsLoop -v
func TestDetach500BatchVsLoop(t *testing.T) {
	if os.Getenv("SENDERPOOL_E2E_BENCH") == "" {
		t.Skip("a measurement of about a minute: set SENDERPOOL_E2E_BENCH=1")
	}
	const n = 500
	fake := twiliotest.Demo(twiliotest.DemoOptions{Numbers: 2*n + 4, Latency: 50 * time.Millisecond})
	srv := twiliotest.Serve(t, fake)
	notif := twiliotest.DemoServiceNotifications
	var numbers []string
	for _, sid := range fake.PoolSIDs(notif) {
		if strings.HasPrefix(sid, "PN") {
			numbers = append(numbers, sid)
		}
	}
	if len(numbers) < 2*n {
		t.Fatalf("the fake has %d numbers, want %d", len(numbers), 2*n)
	}
	dir := t.TempDir()
	env := append(cleanEnv(t),
		"SENDERPOOL_STATE_DIR="+dir, "SENDERPOOL_CONFIG_DIR="+dir, "SENDERPOOL_API_URL="+srv.URL,
		"TWILIO_ACCOUNT_SID="+twiliotest.DemoAccountSID, "TWILIO_AUTH_TOKEN="+twiliotest.DemoAuthToken)
	bin := binary(t)

	batch := exec.Command(bin, "detach", "--service", notif, "--yes", "-")
	batch.Env, batch.Stdin = env, strings.NewReader(strings.Join(numbers[:n], "\n")+"\n")
	start := time.Now()
	if out, err := batch.CombinedOutput(); err != nil {
		t.Fatalf("the batch: %v\n%s", err, out)
	}
	batchTime := time.Since(start)

	list := filepath.Join(dir, "sids")
	if err := os.WriteFile(list, []byte(strings.Join(numbers[n:2*n], "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	loop := exec.Command("sh", "-c", `while read -r sid; do "$0" detach --service "$1" --yes "$sid" >/dev/null || exit 1; done < "$2"`, bin, notif, list)
	loop.Env = env
	start = time.Now()
	if out, err := loop.CombinedOutput(); err != nil {
		t.Fatalf("the loop: %v\n%s", err, out)
	}
	loopTime := time.Since(start)
	for _, sid := range numbers[:2*n] {
		for _, left := range fake.PoolSIDs(notif) {
			if left == sid {
				t.Fatalf("%s is still in the pool", sid)
			}
		}
	}
	t.Logf("%d detaches, 50 ms a reply: one detach command %v (%.1f/s); %d one-sender runs %v (%.1f/s); %.1fx",
		n, batchTime.Round(time.Millisecond), n/batchTime.Seconds(), n, loopTime.Round(time.Millisecond), n/loopTime.Seconds(), loopTime.Seconds()/batchTime.Seconds())
}
