package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
)

// newTypesCmd lists the PI types this build detects, for --types and for
// policies.
func newTypesCmd() *cobra.Command {
	var rules string
	cmd := &cobra.Command{
		Use:   "types",
		Short: "List the PI types piiscan detects and their default grades",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := detectors.NewSet(detectors.Options{RulesFile: rules})
			if err != nil {
				return usageErr("%v", err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tGRADE\t")
			for _, t := range set.Types() {
				g := pi.DefaultGrade(t)
				fmt.Fprintf(tw, "%s\t%s\t%s\n", t, g, g.Label())
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&rules, "rules", "", "also list the types of this custom rules file")
	return cmd
}
