package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/deid"
	"github.com/piiscan/piiscan/masking"
)

type unmaskFlags struct {
	maskFlags
	keyID       string
	maskSummary string
}

func newUnmaskCmd() *cobra.Command {
	var f unmaskFlags
	cmd := &cobra.Command{
		Use:   "unmask [--policy P.yaml] [--mask-summary S.json | --key-id ID] IN OUT",
		Short: "Reverse the tokens of a masked file with the key that made them",
		Long: `Reverse format-preserving tokens (the tokenize operator) in a file masked by
piiscan mask with the same policy and key. Values masked, hashed or replaced
by other operators cannot be reversed and are copied as they are.

A token decrypted with another key is still a valid-looking value, so give the
key ID the mask job recorded: --mask-summary with the file mask --summary
wrote, or --key-id with the ID mask printed. A key whose ID differs is refused
and nothing is written. Without either, unmask says the key was not checked
and checks each restored value instead (ID check digit, Luhn, mobile segment):
if any is not a valid value of its type, it reports how many and writes
nothing. That catches a wrong policy, but not every wrong key.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkUnmaskKey(args[0], &f, cmd.ErrOrStderr()); err != nil {
				return err
			}
			return runMask(cmd.Context(), args[0], args[1], &f.maskFlags, true, cmd.ErrOrStderr())
		},
	}
	addMaskFlags(cmd, &f.maskFlags)
	fl := cmd.Flags()
	fl.StringVar(&f.keyID, "key-id", "", "the key ID the mask job printed: refuse a key whose ID differs")
	fl.StringVar(&f.maskSummary, "mask-summary", "", "the summary JSON of the mask job (mask --summary): refuse a key whose ID differs from the one recorded for IN")
	return cmd
}

// checkUnmaskKey compares the key's ID with the one recorded when IN was
// masked (--key-id, or IN's entries in --mask-summary). With no record it
// warns: the restored values are then only checked for validity (deid).
func checkUnmaskKey(in string, f *unmaskFlags, stderr io.Writer) error {
	if f.keyID == "" && f.maskSummary == "" {
		fmt.Fprintf(stderr, "piiscan: the key was not checked against the one that masked %s (pass --mask-summary or --key-id); restored values are checked for validity only\n", in)
		return nil
	}
	key, err := masking.LoadKey(f.keyFile)
	if err != nil {
		return usageErr("%v", err)
	}
	type record struct{ where, id string }
	var want []record
	if f.keyID != "" {
		want = append(want, record{"--key-id", f.keyID})
	}
	if f.maskSummary != "" {
		recs, err := summaryKeyIDs(f.maskSummary, in)
		if err != nil {
			return usageErr("--mask-summary: %v", err)
		}
		for _, r := range recs {
			want = append(want, record{f.maskSummary + " for " + r.output, r.keyID})
		}
	}
	for _, w := range want {
		if w.id != key.ID() {
			return usageErr("%s was masked with key %s (%s), but the key given is %s: with another key every token would decrypt to a wrong but valid-looking value; nothing was written",
				in, w.id, w.where, key.ID())
		}
	}
	return nil
}

type summaryKey struct{ output, keyID string }

// summaryKeyIDs reads the key IDs a mask summary recorded for the outputs
// that are IN or lie below it; if none does (IN was moved or renamed), all
// of the summary's, which must then agree.
func summaryKeyIDs(file, in string) ([]summaryKey, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var sums []deid.Summary
	if err := json.Unmarshal(b, &sums); err != nil {
		var one deid.Summary // a single job's summary
		if json.Unmarshal(b, &one) != nil {
			return nil, fmt.Errorf("%s: not a piiscan mask summary: %w", file, err)
		}
		sums = []deid.Summary{one}
	}
	var mine, all []summaryKey
	ids := map[string]bool{}
	for _, s := range sums {
		if s.KeyID == "" {
			continue // masked without a key: nothing there is a token
		}
		k := summaryKey{s.Output, s.KeyID}
		all = append(all, k)
		ids[s.KeyID] = true
		if s.Output != "-" && (sameOutput(s.Output, in) || within(s.Output, in)) {
			mine = append(mine, k)
		}
	}
	switch {
	case len(mine) > 0:
		return mine, nil
	case len(all) == 0:
		return nil, fmt.Errorf("%s records no key ID", file)
	case len(ids) > 1:
		return nil, fmt.Errorf("%s does not list %s and records several key IDs", file, in)
	}
	return all, nil
}

func sameOutput(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return errors.Join(err1, err2) == nil && os.SameFile(sa, sb)
}
