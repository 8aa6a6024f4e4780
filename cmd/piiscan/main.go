// Command piiscan discovers, classifies and de-identifies Chinese personal
// information in files, SQL dumps and databases.
//
// Exit codes (DESIGN.md §5): 0 done and nothing at or above --fail-on;
// 1 findings at or above --fail-on; 2 usage or input error.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// exitError carries an exit code up to main without printing twice.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

const (
	exitFindings = 1
	exitInput    = 2
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "piiscan",
		Short:         "Discover, classify and de-identify Chinese personal information",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newScanCmd(), newMaskCmd(), newUnmaskCmd(), newReportCmd(), newScheduleCmd(scheduledScan), newTypesCmd())
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "piiscan:", ee.err)
		}
		os.Exit(ee.code)
	}
	// Anything else is a usage error from cobra or a failure before scanning.
	fmt.Fprintln(os.Stderr, "piiscan:", err)
	os.Exit(exitInput)
}
