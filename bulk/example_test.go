package bulk_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/senderpool/senderpool/bulk"
)

func ExampleRun() {
	sids := []string{"XE01", "XE02", "XE03", "XE04"}
	detach := func(ctx context.Context, sid string) error {
		if sid == "XE03" {
			return errors.New("not found")
		}
		return nil
	}
	report := bulk.Run(context.Background(), sids, detach, bulk.Options{Concurrency: 2}, func(p bulk.Progress) {
		// A dashboard would send p to its program here (program.Send):
		// calls come from one goroutine and never hold the workers.
	})
	fmt.Printf("%d detached, %d failed, %d not started\n", report.OK, report.Failed, report.NotStarted)
	for _, r := range report.Results {
		fmt.Println(r.Item, r.Outcome)
	}
	fmt.Println("to retry:", report.FailedItems())
	// Output:
	// 3 detached, 1 failed, 0 not started
	// XE01 ok
	// XE02 ok
	// XE03 failed
	// XE04 ok
	// to retry: [XE03]
}
