// Command twiliofake serves the demo data set of package twiliotest on a
// loopback port, so that senderpool (with --api-url), curl or benchmarks
// can talk to it as a separate process.
//
//	go run ./api/twiliotest/cmd/twiliofake -addr 127.0.0.1:8765 -senders 2000 -numbers 3000 -latency 50ms -concurrency 4,retry-after=1
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/senderpool/senderpool/api/twiliotest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8765", "listen address (loopback)")
	senders := flag.Int("senders", 0, "grow the first service to this many channel senders")
	numbers := flag.Int("numbers", 0, "grow the first service to this many phone numbers")
	shortCodes := flag.Int("shortcodes", 0, "give the first service this many short codes")
	latency := flag.Duration("latency", 0, "added before every reply")
	concurrency := flag.String("concurrency", "", "most requests in flight, as SENDERPOOL_DEMO_CONCURRENCY: N[,retry-after=SECONDS[,every=K]]")
	flag.Parse()

	opts := twiliotest.DemoOptions{Senders: *senders, Numbers: *numbers, ShortCodes: *shortCodes, Latency: *latency}
	if *concurrency != "" {
		limit, err := twiliotest.ParseConcurrency(*concurrency)
		if err != nil {
			fmt.Fprintln(os.Stderr, "twiliofake:", err)
			os.Exit(2)
		}
		opts.Concurrency = limit
	}
	srv, err := twiliotest.Listen(twiliotest.Demo(opts), *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "twiliofake:", err)
		os.Exit(1)
	}
	fmt.Printf("serving the demo account on %s\naccount %s, auth token %s\nfirst service %s\n",
		srv.URL, twiliotest.DemoAccountSID, twiliotest.DemoAuthToken, twiliotest.DemoServiceNotifications)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	srv.Close()
}
