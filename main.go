// Command senderpool is a terminal dashboard for the sender pool of a
// Twilio Messaging Service, with subcommands for scripts. The command line
// is package cli; this file wires signals and the exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/senderpool/senderpool/cli"
)

func main() {
	// SIGHUP is the SSH link dropping: like SIGINT and SIGTERM it cancels
	// everything in flight (prompts included) and lets the dashboard
	// restore the terminal.
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	var caught atomic.Value
	go func() {
		s := <-sigs
		caught.Store(s)
		cancel()
	}()
	code := cli.Run(ctx, os.Args[1:], cli.OS())
	if s, ok := caught.Load().(syscall.Signal); ok {
		code = 128 + int(s) // the shell's convention for "ended by a signal"
	}
	cancel()
	os.Exit(code)
}
