// Command gitfleet manages a fleet of Kubernetes clusters with Git as the control plane.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// SIGTERM (a pod being stopped) and Ctrl-C cancel the command's context: a hub releases
	// its lease and an agent stops between cycles instead of dying mid-write.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand().ExecuteContext(ctx)
	signaled := ctx.Err() != nil
	stop()
	if signaled && errors.Is(err, context.Canceled) {
		return // asked to stop, and stopped cleanly
	}
	if err != nil {
		var exit *exitError
		if errors.As(err, &exit) {
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(2)
	}
}

// exitError ends the command with a given exit code after its output has been written.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
