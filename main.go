// Command senderpool is a terminal dashboard for the sender pool of a
// Twilio Messaging Service, with subcommands for scripts.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

func main() {
	// SIGHUP is the SSH link dropping: like SIGINT and SIGTERM it cancels
	// everything in flight and lets the dashboard restore the terminal.
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	var caught atomic.Value
	go func() {
		s := <-sigs
		caught.Store(s)
		cancel()
	}()
	code := run(ctx, os.Args[1:], environ{lookup: os.LookupEnv}, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	if s, ok := caught.Load().(syscall.Signal); ok {
		code = 128 + int(s) // the shell's convention for "ended by a signal"
	}
	cancel()
	os.Exit(code)
}
